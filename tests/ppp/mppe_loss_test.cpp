// MPPE under loss, reordering and duplication (RFC 3078 §8): stateless catch-up, stateful
// Reset-Request / FLUSHED resynchronisation.
#include <gtest/gtest.h>

#include <vector>

#include "auth/mppe_keys.hpp"
#include "crypto/rc4.hpp"
#include "mppe_peer_models.hpp"
#include "ppp/mppe.hpp"
#include "support/hex_literal.hpp"

namespace pptpx::ppp {
namespace {

using auth::MppeKey;
using auth::MppeStrength;

MppeKey key128() {
  MppeKey k;
  const Bytes b = pptpx::test::hex("8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB");
  for (std::size_t i = 0; i < 16; ++i) k.bytes[i] = b[i];
  return k;
}

struct Packet {
  std::uint16_t header;
  Bytes data;
  Bytes plain;
};

// PPP protocol 0x0021 and a 20-octet IPv4 header whose Total Length is right (the stateful
// receiver checks it when choosing a key on resynchronisation), numbered by `i`.
Bytes plain_for(int i) {
  Bytes b = {0x00, 0x21, 0x45, 0x00, 0x00, 20, static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i >> 8)};
  b.resize(22, 0x11);
  return b;
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

// MPPE has no integrity check: a FLUSHED answer corrupted in transit decrypts to nothing plausible
// under any candidate key. Such a failed resynchronisation must leave the key where it was: the
// next FLUSHED packet counts the flag packets it skipped again from the last good count, so key
// changes applied for the corrupted one would be applied twice and the receiver never recover.
TEST(StatefulFlushed, AFailedResyncLeavesTheKeyAsItWas) {
  MppeEncryptor enc(key128(), {MppeStrength::Bits128, false});
  MppeDecryptor dec(key128(), {MppeStrength::Bits128, false});
  auto pk = send(enc, 0, 0x111);  // counts 0 .. 0x110
  for (std::size_t i = 0; i <= 0xf0; ++i) ASSERT_EQ(receive(dec, pk[i]), MppeDecryptResult::Ok) << i;
  // 0xF1 .. 0x10F lost, the flag packet 0xFF among them; 0x110 reveals the loss.
  EXPECT_EQ(receive(dec, pk[0x110]), MppeDecryptResult::LostSync);
  EXPECT_TRUE(dec.take_reset_request());
  enc.on_reset_request();
  auto answer = send(enc, 1, 1)[0];  // the next flag packet, 0x1FF, FLUSHED
  ASSERT_EQ(answer.header & kMppeCountMask, 0x1ff);
  ASSERT_NE(answer.header & kMppeFlushed, 0);
  Packet corrupted = answer;
  for (auto& b : corrupted.data) b = 0xa5;
  EXPECT_EQ(receive(dec, corrupted), MppeDecryptResult::LostSync);
  EXPECT_TRUE(dec.awaiting_flush());
  EXPECT_TRUE(dec.take_reset_request());  // asks again
  enc.on_reset_request();
  auto again = send(enc, 2, 3);  // 0x2FF (FLUSHED answer), 0x300, 0x301
  ASSERT_EQ(again[0].header & kMppeCountMask, 0x2ff);
  bool ok = false;
  for (std::size_t i = 0; i < again.size(); ++i) {
    ASSERT_EQ(receive(dec, again[i], &ok), MppeDecryptResult::Ok) << i;
    EXPECT_TRUE(ok) << i;
  }
}

TEST(StatefulFlushed, LostFlushedResetPacketOfALinuxSenderIsRecoveredByTryingKeyCounts) {
  // A Linux sender (ppp_mppe.c, modelled in mppe_peer_models.hpp) changes its key for a
  // Reset-Request on the FLUSHED packet that answers it; if that packet is lost, the next FLUSHED
  // one (here the flag packet 0x1FF) was encrypted two key changes after our last in-step packet,
  // not one. The receiver finds the count that decrypts to a PPP IPv4 packet start and carries on.
  test::ModelMppeSender linux_sender(key128(), test::PeerStyle::Linux);
  MppeDecryptor dec(key128(), {MppeStrength::Bits128, false});
  auto next = [&, i = 0]() mutable {
    Packet p{0, plain_for(i), plain_for(i)};
    ++i;
    p.header = linux_sender.encrypt(p.data);
    return p;
  };
  for (int i = 0; i < 0x100; ++i) ASSERT_EQ(receive(dec, next()), MppeDecryptResult::Ok);
  for (int i = 0x100; i < 0x1fd; ++i) next();  // lost
  EXPECT_EQ(receive(dec, next()), MppeDecryptResult::LostSync);  // 0x1FD
  EXPECT_TRUE(dec.take_reset_request());
  linux_sender.on_reset_request();
  const Packet answer = next();  // 0x1FE, FLUSHED after a key change: lost
  EXPECT_NE(answer.header & kMppeFlushed, 0);
  bool ok = false;
  EXPECT_EQ(receive(dec, next(), &ok), MppeDecryptResult::Ok);  // 0x1FF: flag packet
  EXPECT_TRUE(ok);
  EXPECT_EQ(receive(dec, next(), &ok), MppeDecryptResult::Ok);  // 0x200
  EXPECT_TRUE(ok);
  EXPECT_EQ(dec.resyncs_unusual(), 1u);
}

TEST(StatefulFlushed, OurAnswerToAResetRequestIsTheNextFlagPacket) {
  // See mppe.hpp: the FLUSHED answer skips the coherency count ahead to the next flag packet, so
  // key changes happen at flag packets only; no packet is FLUSHED without being a flag packet.
  MppeEncryptor enc(key128(), {MppeStrength::Bits128, false});
  auto pk = send(enc, 0, 0x105);  // 0 .. 0x104
  enc.on_reset_request();
  enc.on_reset_request();  // a repeat before our next packet: one answer
  auto more = send(enc, 0, 2);
  EXPECT_EQ(more[0].header, kMppeEncrypted | kMppeFlushed | 0x1ff);
  EXPECT_EQ(more[1].header, kMppeEncrypted | 0x200);
  // Next to a flag packet already: no skip.
  send(enc, 0, 0xfe);  // 0x201 .. 0x2FE
  enc.on_reset_request();
  EXPECT_EQ(send(enc, 0, 1)[0].header, kMppeEncrypted | kMppeFlushed | 0x2ff);
  // Near the end of the count space: 0xFFF, then 0.
  send(enc, 0, 0xf05 - 0x300);  // 0x300 .. 0xF04
  enc.on_reset_request();
  auto wrap = send(enc, 0, 2);
  EXPECT_EQ(wrap[0].header, kMppeEncrypted | kMppeFlushed | 0xfff);
  EXPECT_EQ(wrap[1].header, kMppeEncrypted | 0x000);
  (void)pk;
}

TEST(StatefulFlushed, RepeatsTheResetRequestWhileDiscarding) {
  MppeEncryptor enc(key128(), {MppeStrength::Bits128, false});
  MppeDecryptor dec(key128(), {MppeStrength::Bits128, false});
  auto pk = send(enc, 0, 40);
  ASSERT_EQ(receive(dec, pk[0]), MppeDecryptResult::Ok);
  EXPECT_EQ(receive(dec, pk[2]), MppeDecryptResult::LostSync);  // pk[1] lost
  EXPECT_TRUE(dec.take_reset_request());
  int repeats = 0;
  for (std::size_t i = 3; i < 3 + 2 * kMppeResetRepeat; ++i) {
    EXPECT_EQ(receive(dec, pk[i]), MppeDecryptResult::LostSync);
    if (dec.take_reset_request()) ++repeats;
  }
  EXPECT_EQ(repeats, 2);
}

// An independent model of a sender following RFC 3078 §8.2 to the letter: on a Reset-Request it
// re-initialises RC4 with the current session key, without a key change.
TEST(StatefulFlushed, ResyncsWithAnRfcStyleSenderToo) {
  MppeKey start = key128();
  MppeKey session = auth::mppe_initial_session_key(start, MppeStrength::Bits128);
  crypto::Rc4 rc4;
  rc4.set_key(ByteView(session.bytes.data(), session.length));
  MppeDecryptor dec(start, {MppeStrength::Bits128, false});
  bool reset = false;
  int ok_count = 0;
  for (int i = 0; i < 600; ++i) {
    auto count = static_cast<std::uint16_t>(i & kMppeCountMask);
    std::uint16_t header = static_cast<std::uint16_t>(kMppeEncrypted | count);
    if ((count & 0xff) == 0xff) {
      session = auth::mppe_next_key(start, session, MppeStrength::Bits128);
      rc4.set_key(ByteView(session.bytes.data(), session.length));
      header |= kMppeFlushed;
    } else if (reset) {
      rc4.set_key(ByteView(session.bytes.data(), session.length));  // §8.2: same key, fresh RC4
      header |= kMppeFlushed;
    }
    reset = false;
    Bytes data = plain_for(i);
    rc4.apply(data);
    if (i == 100 || i == 101 || i == 350) continue;  // lost
    auto r = dec.decrypt(header, data);
    if (dec.take_reset_request()) reset = true;  // the Reset-Request reaches the sender at once
    if (r == MppeDecryptResult::Ok) {
      EXPECT_EQ(data, plain_for(i)) << "packet " << i << " decrypted wrongly";
      ++ok_count;
    }
  }
  EXPECT_GT(ok_count, 590);
  EXPECT_GE(dec.resyncs_unusual(), 2u);
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
