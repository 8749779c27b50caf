// MPPE under loss, reordering and duplication (RFC 3078 §8): stateless catch-up, stateful
// Reset-Request / FLUSHED resynchronisation.
#include <gtest/gtest.h>

#include <vector>

#include "auth/mppe_keys.hpp"
#include "ppp/mppe.hpp"
#include "support/hex_literal.hpp"

namespace pptpx::ppp {
namespace {

using auth::MppeKey;
using auth::MppeStrength;

MppeKey key128() {
  MppeKey k;
  const Bytes b = test::hex("8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB");
  for (std::size_t i = 0; i < 16; ++i) k.bytes[i] = b[i];
  return k;
}

struct Packet {
  std::uint16_t header;
  Bytes data;
  Bytes plain;
};

Bytes plain_for(int i) {
  return {0x00, 0x21, 0x45, 0x00, static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i >> 8), 0x11, 0x22};
}

std::vector<Packet> send(MppeEncryptor& enc, int first, int n) {
  std::vector<Packet> out;
  for (int i = first; i < first + n; ++i) {
    Packet p{0, plain_for(i), plain_for(i)};
    p.header = enc.encrypt(p.data);
    out.push_back(std::move(p));
  }
  return out;
}

MppeDecryptResult receive(MppeDecryptor& dec, Packet p, bool* plain_ok = nullptr) {
  const auto r = dec.decrypt(p.header, p.data);
  if (plain_ok) *plain_ok = (p.data == p.plain);
  return r;
}

class Stateless : public ::testing::TestWithParam<MppeStrength> {};

TEST_P(Stateless, LossIsCaughtUpByKeyChanges) {
  const MppeStrength s = GetParam();
  MppeKey k = key128();
  k.length = auth::mppe_key_length(s);
  MppeEncryptor enc(k, {s, true});
  MppeDecryptor dec(k, {s, true});
  auto pk = send(enc, 0, 300);
  bool ok = false;
  EXPECT_EQ(receive(dec, pk[0], &ok), MppeDecryptResult::Ok);
  EXPECT_TRUE(ok);
  // 1..9 lost: packet 10 needs 10 key changes.
  EXPECT_EQ(receive(dec, pk[10], &ok), MppeDecryptResult::Ok);
  EXPECT_TRUE(ok);
  // Reordering: 12 before 11; 11 is then older than the last one and dropped.
  EXPECT_EQ(receive(dec, pk[12], &ok), MppeDecryptResult::Ok);
  EXPECT_TRUE(ok);
  EXPECT_EQ(receive(dec, pk[11]), MppeDecryptResult::Stale);
  // Duplicate.
  EXPECT_EQ(receive(dec, pk[12]), MppeDecryptResult::Stale);
  // A long burst of loss (more than 256: crosses several flag positions, which mean nothing here).
  EXPECT_EQ(receive(dec, pk[299], &ok), MppeDecryptResult::Ok);
  EXPECT_TRUE(ok);
}

INSTANTIATE_TEST_SUITE_P(AllStrengths, Stateless,
                         ::testing::Values(MppeStrength::Bits40, MppeStrength::Bits56, MppeStrength::Bits128));

TEST(StatelessJump, BoundIsHalfTheCountSpace) {
  MppeEncryptor enc(key128(), {MppeStrength::Bits128, true});
  auto pk = send(enc, 0, 2 + kMppeMaxStatelessJump + 1);
  {
    MppeDecryptor dec(key128(), {MppeStrength::Bits128, true});
    bool ok = false;
    ASSERT_EQ(receive(dec, pk[0], &ok), MppeDecryptResult::Ok);
    // Exactly kMppeMaxStatelessJump ahead: followed.
    EXPECT_EQ(receive(dec, pk[kMppeMaxStatelessJump], &ok), MppeDecryptResult::Ok);
    EXPECT_TRUE(ok);
  }
  {
    MppeDecryptor dec(key128(), {MppeStrength::Bits128, true});
    ASSERT_EQ(receive(dec, pk[0]), MppeDecryptResult::Ok);
    // One further: treated as old, and the state is unchanged (packet 1 still decrypts).
    EXPECT_EQ(receive(dec, pk[kMppeMaxStatelessJump + 1]), MppeDecryptResult::Stale);
    bool ok = false;
    EXPECT_EQ(receive(dec, pk[1], &ok), MppeDecryptResult::Ok);
    EXPECT_TRUE(ok);
  }
}

struct StatefulCase {
  int lose_from, lose_to;  // [from, to) lost
};

class Stateful : public ::testing::TestWithParam<StatefulCase> {};

TEST_P(Stateful, ResetRequestAndFlushedPacketResynchronise) {
  const auto c = GetParam();
  MppeEncryptor enc(key128(), {MppeStrength::Bits128, false});
  MppeDecryptor dec(key128(), {MppeStrength::Bits128, false});
  auto pk = send(enc, 0, c.lose_to + 2);
  bool ok = false;
  for (int i = 0; i < c.lose_from; ++i) ASSERT_EQ(receive(dec, pk[static_cast<std::size_t>(i)]), MppeDecryptResult::Ok) << i;
  EXPECT_FALSE(dec.take_reset_request());
  // The first packet after the gap reveals the loss (unless it is itself FLUSHED, it is dropped).
  const auto& after = pk[static_cast<std::size_t>(c.lose_to)];
  EXPECT_EQ(receive(dec, after), MppeDecryptResult::LostSync);
  EXPECT_TRUE(dec.awaiting_flush());
  EXPECT_TRUE(dec.take_reset_request());
  EXPECT_FALSE(dec.take_reset_request());  // once
  // Packets in flight before the sender saw the Reset-Request are dropped quietly.
  EXPECT_EQ(receive(dec, pk[static_cast<std::size_t>(c.lose_to) + 1]), MppeDecryptResult::LostSync);
  EXPECT_FALSE(dec.take_reset_request());
  // The sender gets the Reset-Request (twice: a retransmission counts once).
  enc.on_reset_request();
  enc.on_reset_request();
  auto more = send(enc, c.lose_to + 2, 600);
  EXPECT_NE(more[0].header & kMppeFlushed, 0);
  // Only the first packet after the request is FLUSHED for the reset; later ones only if flag packets.
  for (std::size_t i = 1; i < more.size(); ++i) {
    EXPECT_EQ((more[i].header & kMppeFlushed) != 0, (more[i].header & 0xff) == 0xff) << i;
  }
  for (std::size_t i = 0; i < more.size(); ++i) {
    ASSERT_EQ(receive(dec, more[i], &ok), MppeDecryptResult::Ok) << i;
    ASSERT_TRUE(ok) << i;
  }
  EXPECT_FALSE(dec.awaiting_flush());
}

INSTANTIATE_TEST_SUITE_P(Gaps, Stateful,
                         ::testing::Values(StatefulCase{5, 6},       // one packet lost
                                           StatefulCase{255, 256},   // exactly the flag packet 0xFF lost
                                           StatefulCase{250, 260},   // a gap across a flag packet
                                           StatefulCase{10, 900},    // several flag packets lost
                                           StatefulCase{300, 511})); // up to (excluding) flag 0x1FF

TEST(StatefulFlushed, ResyncWhenTheFlushedPacketIsAFlagPacket) {
  MppeEncryptor enc(key128(), {MppeStrength::Bits128, false});
  MppeDecryptor dec(key128(), {MppeStrength::Bits128, false});
  auto pk = send(enc, 0, 0x1fe);  // 0 .. 0x1FD
  for (int i = 0; i < 0x100; ++i) ASSERT_EQ(receive(dec, pk[static_cast<std::size_t>(i)]), MppeDecryptResult::Ok);
  EXPECT_EQ(receive(dec, pk[0x1fd]), MppeDecryptResult::LostSync);
  enc.on_reset_request();
  auto more = send(enc, 0x1fe, 3);  // 0x1FE (reset: FLUSHED), 0x1FF (flag: FLUSHED), 0x200
  // The FLUSHED 0x1FE is received: resync; 0x1FF (flag) and 0x200 follow in step.
  bool ok = false;
  EXPECT_EQ(receive(dec, more[0], &ok), MppeDecryptResult::Ok);
  EXPECT_TRUE(ok);
  EXPECT_EQ(receive(dec, more[1], &ok), MppeDecryptResult::Ok);
  EXPECT_TRUE(ok);
  EXPECT_EQ(receive(dec, more[2], &ok), MppeDecryptResult::Ok);
  EXPECT_TRUE(ok);
}

TEST(StatefulFlushed, LostFlushedResetPacketNeedsCcpRenegotiation) {
  // The documented limitation (mppe.hpp): the reset's key change rides on the FLUSHED packet; if
  // that packet is lost, the next FLUSHED one (here the flag packet 0x1FF) decrypts with a key
  // one change behind. Fresh codec objects (CCP renegotiated) are in step again.
  MppeEncryptor enc(key128(), {MppeStrength::Bits128, false});
  MppeDecryptor dec(key128(), {MppeStrength::Bits128, false});
  auto pk = send(enc, 0, 0x1fe);
  for (int i = 0; i < 0x100; ++i) ASSERT_EQ(receive(dec, pk[static_cast<std::size_t>(i)]), MppeDecryptResult::Ok);
  EXPECT_EQ(receive(dec, pk[0x1fd]), MppeDecryptResult::LostSync);
  EXPECT_TRUE(dec.take_reset_request());
  enc.on_reset_request();
  auto more = send(enc, 0x1fe, 2);  // 0x1FE (reset, FLUSHED) is lost; 0x1FF (flag, FLUSHED)
  bool ok = true;
  EXPECT_EQ(receive(dec, more[1], &ok), MppeDecryptResult::Ok);
  EXPECT_FALSE(ok);  // out of step, and MPPE cannot tell
  MppeEncryptor enc2(key128(), {MppeStrength::Bits128, false});
  MppeDecryptor dec2(key128(), {MppeStrength::Bits128, false});
  auto fresh = send(enc2, 0, 3);
  for (auto& p : fresh) {
    EXPECT_EQ(receive(dec2, p, &ok), MppeDecryptResult::Ok);
    EXPECT_TRUE(ok);
  }
}

TEST(StatefulFlushed, StatelessEncryptorIgnoresResetRequests) {
  MppeEncryptor enc(key128(), {MppeStrength::Bits128, true});
  MppeDecryptor dec(key128(), {MppeStrength::Bits128, true});
  enc.on_reset_request();
  auto pk = send(enc, 0, 3);
  bool ok = false;
  for (auto& p : pk) {
    EXPECT_EQ(receive(dec, p, &ok), MppeDecryptResult::Ok);
    EXPECT_TRUE(ok);
  }
}

}  // namespace
}  // namespace pptpx::ppp
