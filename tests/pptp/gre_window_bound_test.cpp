// The GRE receive window's jump bound (issue 6; gre_window.hpp): packets more than max_jump from
// the last accepted number are dropped and counted; the window follows a far stream only after
// resync_packets consistent packets and resync_quiet without in-window traffic. Expected values
// are worked out by hand in the comments, and the fuzzer's input that found the weakness
// (fuzz/corpus/gre/regress-jump-2e31) is replayed through a whole GreChannel.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "pptp/gre_channel.hpp"
#include "pptp/gre_header.hpp"
#include "pptp/gre_window.hpp"
#include "pptp/gre_window_harness.hpp"

namespace pptpx::pptp {
namespace {

using test::Seqs;
using Bound = test::WindowHarness;

TEST(GreWindowBound, DefaultsAreTheDocumentedOnes) {
  const GreWindowConfig c;
  EXPECT_EQ(c.max_jump, 4096u);
  EXPECT_EQ(c.resync_packets, 4u);
  EXPECT_EQ(c.resync_quiet, std::chrono::seconds(1));
}

TEST(GreWindowBound, JumpOfExactlyMaxJumpIsAccepted) {
  Bound f;
  for (std::uint32_t s = 0; s < 10; ++s) f.in(s);
  f.in(9 + 4096);  // 4105: 4096 ahead of the last accepted (9): inside the bound
  EXPECT_EQ(f.sink.seqs.back(), 4105u);
  EXPECT_EQ(f.w.counters().lost, 4095u);  // 10..4104 given up
  EXPECT_EQ(f.w.counters().out_of_window, 0u);
}

TEST(GreWindowBound, OneBeyondMaxJumpIsDroppedAndMovesNothing) {
  Bound f;
  for (std::uint32_t s = 0; s < 10; ++s) f.in(s);
  f.in(9 + 4097);  // 4106: one too far
  EXPECT_EQ(f.sink.seqs.size(), 10u);
  EXPECT_EQ(f.w.counters().out_of_window, 1u);
  EXPECT_EQ(f.w.counters().lost, 0u);
  f.in(10);  // the genuine next packet still goes through
  EXPECT_EQ(f.sink.seqs.back(), 10u);
  EXPECT_EQ(f.w.take_ack(), 10u);
}

TEST(GreWindowBound, HalfTheSequenceSpaceAheadIsDropped) {
  // The fuzzer's case: 7 accepted, then 7 + 2^31 (2147483655), then the genuine 8.
  Bound f;
  f.in(7);
  f.in(2147483655u);
  f.in(8);
  EXPECT_EQ(f.sink.seqs, (Seqs{7, 8}));
  EXPECT_EQ(f.w.counters().out_of_window, 1u);
  EXPECT_EQ(f.w.counters().stale, 0u);
}

TEST(GreWindowBound, FarBehindIsOutOfWindowNearBehindIsStale) {
  Bound f;
  for (std::uint32_t s = 10000; s < 10010; ++s) f.in(s);
  f.in(10009 - 4097);  // 5912: more than 4096 behind 10009
  f.in(10009 - 4096);  // 5913: exactly 4096 behind: an old packet, stale as before
  EXPECT_EQ(f.w.counters().out_of_window, 1u);
  EXPECT_EQ(f.w.counters().stale, 1u);
  EXPECT_EQ(f.sink.seqs.size(), 10u);
}

TEST(GreWindowBound, DistanceIsSerialAcrossTheWrap) {
  Bound f;
  f.in(0xfffffff0u);
  f.in(5);  // 21 ahead across the wrap: an ordinary gap
  EXPECT_EQ(f.sink.seqs, (Seqs{0xfffffff0u, 5}));
  EXPECT_EQ(f.w.counters().lost, 20u);  // 0xfffffff1..0xffffffff (15) and 0..4 (5)
  f.in(0xfffffff0u + 4096 + 22);         // 4098 ahead of 5 (wrapped): dropped
  EXPECT_EQ(f.w.counters().out_of_window, 1u);
}

TEST(GreWindowBound, GenuineJumpIsFollowedAfterConsistentPacketsAndQuiet) {
  Bound f;
  for (std::uint32_t s = 0; s < 5; ++s) f.in(s);
  // A 2-second outage at full rate: the peer resumes 500,000 numbers later.
  f.now += 2s;
  f.in(500000);
  f.in(500001);
  f.in(500002);
  EXPECT_EQ(f.sink.seqs.size(), 5u);  // 3 consistent far packets: not yet
  EXPECT_EQ(f.w.counters().out_of_window, 3u);
  f.in(500003);  // the 4th, and 2 s without in-window traffic: follow
  EXPECT_EQ(f.sink.seqs.back(), 500003u);
  EXPECT_EQ(f.w.counters().resyncs, 1u);
  EXPECT_EQ(f.w.counters().lost, 0u);  // the jump is not counted as loss
  f.in(500004);
  EXPECT_EQ(f.sink.seqs.back(), 500004u);
  EXPECT_EQ(f.w.take_ack(), 500004u);
  f.in(5);  // the old numbering is now the far one
  EXPECT_EQ(f.w.counters().out_of_window, 4u);
}

TEST(GreWindowBound, FarBehindStreamIsFollowedTheSameWay) {
  // What fuzz_gre found (fuzz/corpus/gre/regress-resync-backwards): after 30000..30009, a
  // consistent stream from 7 on, with the old one silent, is followed backwards: the case of a
  // spoofer having moved an idle call's window ahead, and the genuine peer moving it back.
  Bound f;
  for (std::uint32_t s = 30000; s < 30010; ++s) f.in(s);
  f.now += 2s;
  for (std::uint32_t s = 7; s < 11; ++s) f.in(s);  // 30002 behind: far; the 4th resyncs
  EXPECT_EQ(f.sink.seqs.back(), 10u);
  EXPECT_EQ(f.w.counters().resyncs, 1u);
  EXPECT_EQ(f.w.counters().out_of_window, 3u);
  f.in(11);
  EXPECT_EQ(f.sink.seqs.back(), 11u);
  f.in(30010);  // the abandoned numbering is now the far one
  EXPECT_EQ(f.sink.seqs.back(), 11u);
  EXPECT_EQ(f.w.counters().out_of_window, 4u);
}

TEST(GreWindowBound, NoResyncBeforeTheQuietTime) {
  Bound f;
  f.in(0);
  f.now += 999ms;
  for (std::uint32_t i = 0; i < 50; ++i) f.in(1000000 + i);  // consistent, but only 999 ms quiet
  EXPECT_EQ(f.sink.seqs, (Seqs{0}));
  EXPECT_EQ(f.w.counters().out_of_window, 50u);
  f.now += 1ms;
  f.in(1000050);  // 1 s since the last in-window packet, and 51 consistent in a row
  EXPECT_EQ(f.sink.seqs.back(), 1000050u);
  EXPECT_EQ(f.w.counters().resyncs, 1u);
}

TEST(GreWindowBound, AnActiveCallIsNeverMovedBySpoofedBursts) {
  Bound f;
  std::uint32_t genuine = 1;
  std::uint32_t forged = 0x80000000u;
  f.in(genuine++);
  for (int round = 0; round < 20; ++round) {
    f.now += 200ms;  // a ping every 0.2 s
    for (int i = 0; i < 10; ++i) f.in(forged++);  // a consistent forged burst between them
    f.in(genuine++);  // the genuine stream's next packet resets the candidate
  }
  EXPECT_EQ(f.sink.seqs.size(), 21u);
  EXPECT_EQ(f.sink.seqs.back(), 21u);
  EXPECT_EQ(f.w.counters().out_of_window, 200u);
  EXPECT_EQ(f.w.counters().resyncs, 0u);
}

TEST(GreWindowBound, InconsistentFarPacketsNeverResync) {
  Bound f;
  f.in(0);
  f.now += 10s;
  // Each 16,777,216 after the previous: far from it too, so every one starts a new candidate.
  for (std::uint32_t i = 1; i <= 100; ++i) f.in(i * 0x01000000u);
  EXPECT_EQ(f.sink.seqs, (Seqs{0}));
  EXPECT_EQ(f.w.counters().out_of_window, 100u);
  EXPECT_EQ(f.w.counters().resyncs, 0u);
}

TEST(GreWindowBound, ResyncDropsHeldPacketsOfTheOldNumbering) {
  Bound f;
  f.in(0);
  f.in(2);  // held, waiting for 1
  EXPECT_EQ(f.w.held(), 1u);
  f.now += 2s;  // no on_timer in between: the held packet is still there
  for (std::uint32_t s = 90000; s < 90004; ++s) f.in(s);
  EXPECT_EQ(f.sink.seqs, (Seqs{0, 90003}));
  EXPECT_EQ(f.w.held(), 0u);
  EXPECT_EQ(f.w.counters().stale, 1u);
}

TEST(GreWindowBound, ZeroMaxJumpFollowsAnyForwardJump) {
  GreWindowConfig c;
  c.max_jump = 0;  // the bound switched off: the earlier behaviour
  Bound f(c);
  f.in(7);
  f.in(2147483654u);  // 2^31 - 1 ahead
  f.in(8);
  EXPECT_EQ(f.sink.seqs, (Seqs{7, 2147483654u}));
  EXPECT_EQ(f.w.counters().stale, 1u);
}

// fuzz/corpus/gre/regress-jump-2e31, in fuzz_gre's format (fuzz/fuzz_gre.cpp, fuzz_common.hpp):
// byte 0 mode (bit 0: channel, bits 1-3: reorder slots), u16 local Call ID, u16 peer Call ID, then
// records [u16 length][bytes]; length 0 is followed by one op byte (op & 3 == 0: advance
// (op >> 2) * 10 ms, fire the timer). It carries data packets 1, 3, 4, 7 and then 2147483655.
TEST(GreWindowBound, FuzzerRegressionJump2e31) {
  // (From the build's source directory, not __FILE__: a compiler cache may make __FILE__ relative.)
  const auto path = std::filesystem::path(PPTPX_FUZZ_CORPUS) / "gre/regress-jump-2e31";
  std::ifstream file(path, std::ios::binary);
  ASSERT_TRUE(file) << "missing " << path;
  const Bytes input((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  ASSERT_GE(input.size(), 5u);
  GreWindowConfig cfg;
  cfg.reorder_slots = (input[0] >> 1) & 7;
  const auto local = static_cast<std::uint16_t>(input[1] << 8 | input[2]);
  const auto peer = static_cast<std::uint16_t>(input[3] << 8 | input[4]);
  GreChannel ch(local, peer, cfg);
  test::SeqRecorder sink;
  Time now{};
  std::size_t i = 5;
  while (i + 2 <= input.size()) {
    const std::size_t len = static_cast<std::size_t>(input[i] << 8 | input[i + 1]);
    i += 2;
    if (len == 0) {  // an op: only the clock matters to the receive window
      if (i < input.size() && (input[i] & 3) == 0) {  // advance and fire the timer
        now += std::chrono::milliseconds(10 * (input[i] >> 2));
        if (auto d = ch.deadline(); d && *d <= now) (void)ch.on_timer(now, sink);
      } else if (i < input.size() && (input[i] & 3) == 3) {  // jump to the deadline
        if (auto d = ch.deadline()) {
          if (*d > now) now = *d;
          (void)ch.on_timer(now, sink);
        }
      }
      ++i;
      continue;
    }
    if (i + len > input.size()) break;  // the last record runs past the end: ignored
    (void)ch.receive(ByteView(input.data() + i, len), now, sink);
    i += len;
  }
  // 7 arrived 3 ahead of the next expected (5): held until the reorder timeout gives 5-6 up.
  now += 1s;
  (void)ch.on_timer(now, sink);
  ASSERT_FALSE(sink.seqs.empty());
  EXPECT_EQ(sink.seqs.back(), 7u);  // 2147483655 was not delivered...
  EXPECT_EQ(ch.receive_window().counters().out_of_window, 1u);  // ...but dropped and counted
  // The genuine next packet (an enhanced GRE data packet, RFC 2637 §4.1) still goes through.
  const Bytes next{0x30, 0x01, 0x88, 0x0b, 0x00, 0x01, static_cast<std::uint8_t>(local >> 8),
                   static_cast<std::uint8_t>(local), 0x00, 0x00, 0x00, 0x08, 0xab};
  EXPECT_EQ(ch.receive(next, now, sink), GreError::None);
  EXPECT_EQ(sink.seqs.back(), 8u);
  for (std::uint32_t seq : sink.seqs) EXPECT_LE(seq, 8u);
}

}  // namespace
}  // namespace pptpx::pptp