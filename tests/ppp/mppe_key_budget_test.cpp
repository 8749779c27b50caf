// The stateless MPPE receiver's key-change budget (issue 19; mppe.hpp
// kMppeExtraKeyChangesPerSecond = 8192): a forward jump of n costs n - 1 extra key changes, at
// most 8192 a second on average with one second's worth as a burst. Expected values follow from
// that arithmetic (one extra change is 1/8192 s = 122,070 ns of budget), worked out in the
// comments; decrypted plaintext is checked against what the encryptor was given.
#include <gtest/gtest.h>

#include "auth/mppe_keys.hpp"
#include "ppp/mppe.hpp"
#include "support/hex_literal.hpp"

namespace pptpx::ppp {
namespace {

using namespace std::chrono_literals;

auth::MppeKey start_key() {
  const Bytes b = test::hex("8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB");  // RFC 3079 §3.5
  auth::MppeKey k;
  k.length = b.size();
  for (std::size_t i = 0; i < b.size(); ++i) k.bytes[i] = b[i];
  return k;
}

const MppeSettings kStateless{auth::MppeStrength::Bits128, true};

struct Pair {
  MppeEncryptor enc{start_key(), kStateless};
  MppeDecryptor dec{start_key(), kStateless};
  Time now = Time{} + 100s;
  // The sender skips `lost` packets (encrypts and drops them), then sends one; the receiver's result.
  MppeDecryptResult send_after(unsigned lost) {
    for (unsigned i = 0; i < lost; ++i) {
      Bytes gone{0x00, 0x21, 0x45};
      (void)enc.encrypt(gone);
    }
    Bytes b{0x00, 0x21, 0x45, 0x00, 0x12, 0x34};
    const Bytes plain = b;
    const std::uint16_t h = enc.encrypt(b);
    dec.set_clock(now);
    const MppeDecryptResult r = dec.decrypt(h, b);
    if (r == MppeDecryptResult::Ok) {
      EXPECT_EQ(b, plain);
    }
    return r;
  }
};

TEST(MppeKeyBudget, InOrderPacketsNeverTouchTheBudget) {
  Pair p;
  for (int i = 0; i < 20000; ++i) ASSERT_EQ(p.send_after(0), MppeDecryptResult::Ok) << i;  // 0 extra changes
}

TEST(MppeKeyBudget, ABurstOfOneSecondsWorthThenRefusedWithoutKeyChanges) {
  Pair p;
  // Jumps of 2047 (2046 extra changes = 0.2498 s of budget each): 4 fit in the 1 s burst
  // (8184 of 8192), the 5th does not.
  for (int i = 0; i < 4; ++i) EXPECT_EQ(p.send_after(2046), MppeDecryptResult::Ok) << i;
  // The same packet the sender would send after 2046 more losses: over the budget. The
  // receiver keeps its count, so the next in-order-looking packet is measured from there.
  MppeDecryptor& d = p.dec;
  Bytes junk(60, 0xAB);
  d.set_clock(p.now);
  EXPECT_EQ(d.decrypt(static_cast<std::uint16_t>(0x9000 | ((4 * 2047 + 2047 - 1) & 0x0FFF)), junk),
            MppeDecryptResult::KeyChangeBudget);
  EXPECT_EQ(junk, Bytes(60, 0xAB));  // untouched
  // A genuine next packet (1 ahead: no extra change) still decrypts: the budget only limits jumps.
  EXPECT_EQ(p.send_after(0), MppeDecryptResult::Ok);
}

TEST(MppeKeyBudget, RefillsAtTheConfiguredRate) {
  Pair p;
  for (int i = 0; i < 4; ++i) ASSERT_EQ(p.send_after(2046), MppeDecryptResult::Ok);  // 8184 spent
  EXPECT_EQ(p.send_after(100), MppeDecryptResult::KeyChangeBudget);  // 8 left: 100 do not fit
  // The refused packet was not taken, so the sender's next one is 102 ahead (101 extra). 101 extra
  // need 101 - 8 = 93 refilled: 93 * 122,070 ns = 11.35 ms.
  p.now += 11ms;
  EXPECT_EQ(p.send_after(0), MppeDecryptResult::KeyChangeBudget);  // 101 extra after 11 ms: not yet
  p.now += 1ms;
  EXPECT_EQ(p.send_after(0), MppeDecryptResult::Ok);  // 102 extra after 12 ms (98 refilled + 8): ok
}

TEST(MppeKeyBudget, SteadyLossWithinTheRateIsNeverRefused) {
  // A call losing 4 of every 5 packets at 2,000 packets/s sent: 1,600 extra changes a second.
  Pair p;
  for (int i = 0; i < 4000; ++i) {
    p.now += 2500us;  // one received packet every 2.5 ms (400/s)
    ASSERT_EQ(p.send_after(4), MppeDecryptResult::Ok) << i;
  }
}

TEST(MppeKeyBudget, HostileFloodGetsAtMostTheRateOfKeyChanges) {
  // 2,666 packets/s each 2,047 ahead (the flood), for 5 s: accepted jumps are bounded
  // by (1 s burst + 5 s * 8192) / 2046 = 25.0 -> at most 25 of the 13,330.
  Pair p;
  MppeDecryptor& d = p.dec;
  std::uint16_t count = 0x0FFF;  // the receiver starts at "the packet before count 0"
  int accepted = 0;
  for (int i = 0; i < 13330; ++i) {
    p.now += 375us;
    Bytes junk(60, 0x5A);
    const auto next = static_cast<std::uint16_t>((count + 2047) & 0x0FFF);
    d.set_clock(p.now);
    if (d.decrypt(static_cast<std::uint16_t>(0x9000 | next), junk) == MppeDecryptResult::Ok) {
      ++accepted;
      count = next;
    }
  }
  EXPECT_LE(accepted, 25);
  EXPECT_GE(accepted, 20);  // and the budget does get used: 5 s * 8192 / 2046 = 20
}

TEST(MppeKeyBudget, WithoutAClockThereIsNoBudget) {
  MppeEncryptor enc(start_key(), kStateless);
  MppeDecryptor dec(start_key(), kStateless);
  for (int i = 0; i < 10; ++i) {
    for (int k = 0; k < 2046; ++k) {
      Bytes gone{0x00, 0x21};
      (void)enc.encrypt(gone);
    }
    Bytes b{0x00, 0x21, 0x45};
    const std::uint16_t h = enc.encrypt(b);
    EXPECT_EQ(dec.decrypt(h, b), MppeDecryptResult::Ok) << i;
  }
}

}  // namespace
}  // namespace pptpx::ppp
