// The GRE receive window's open gaps (issue 19; gre_window.hpp "Jumps stay undoable"): a forged
// packet a few thousand numbers ahead moves the window, but the genuine stream behind it is
// still delivered (late, each number once), so one spoofed packet per Call ID no longer cuts a
// call off. Real jumps (loss bursts) behave as before once the stream confirms them, and small
// gaps (reordering) are given up as before, so ordinary delivery stays in order. Expected values
// are worked out by hand in the comments.
#include <gtest/gtest.h>

#include <vector>

#include "pptp/gre_window.hpp"
#include "pptp/gre_window_harness.hpp"

namespace pptpx::pptp {
namespace {

using test::Seqs;
using Win = test::WindowHarness;

TEST(GreWindowJump, OneForgedPacketDoesNotCutTheStreamOff) {
  Win f;
  f.run(0, 100);
  f.in(99 + 4000);  // the spray's packet: 4000 ahead (under max_jump 4096), delivered
  EXPECT_EQ(f.sink.seqs.back(), 4099u);
  EXPECT_EQ(f.w.counters().jumps, 1u);
  f.run(100, 4099);  // the genuine stream goes on: all 3,999 delivered (behind the window)
  EXPECT_EQ(f.sink.seqs.size(), 100u + 1 + 3999);
  EXPECT_EQ(f.w.counters().late, 3999u);
  EXPECT_EQ(f.w.counters().stale, 0u);
  EXPECT_EQ(f.w.counters().lost, 0u);  // every skipped number arrived after all
  f.in(4099);  // the one number the forger took: a duplicate
  EXPECT_EQ(f.w.counters().duplicate, 1u);
  f.run(4100, 4110);  // and in order from there
  EXPECT_EQ(f.sink.seqs.back(), 4109u);
  EXPECT_EQ(f.w.take_ack(), 4109u);
}

TEST(GreWindowJump, LateDeliveryKeepsTheGenuineOrder) {
  Win f;
  f.run(1000, 1010);
  f.in(1009 + 3000);
  f.run(1010, 1020);
  const Seqs want{4009, 1010, 1011, 1012, 1013, 1014, 1015, 1016, 1017, 1018, 1019};
  EXPECT_EQ(Seqs(f.sink.seqs.begin() + 10, f.sink.seqs.end()), want);
}

TEST(GreWindowJump, EachSkippedNumberIsDeliveredOnce) {
  Win f;
  f.run(0, 10);
  f.in(500);  // a jump of 491 (> 64): its gap stays open
  f.in(200);
  f.in(200);  // again: no longer in the gap, and not within 64 of the window's top
  EXPECT_EQ(f.sink.seqs, (Seqs{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 500, 200}));
  EXPECT_EQ(f.w.counters().late, 1u);
  EXPECT_EQ(f.w.counters().stale, 1u);
  EXPECT_EQ(f.w.counters().lost, 489u);  // 10..499 less the late 200
}

TEST(GreWindowJump, AJumpTheStreamConfirmsClosesTheGap) {
  Win f;
  f.run(0, 10);
  f.run(300, 304);  // a loss burst, then 4 in order (resync_packets): the jump is confirmed
  f.in(150);        // a straggler from the gap: stale, as before this change
  EXPECT_EQ(f.w.counters().late, 0u);
  EXPECT_EQ(f.w.counters().stale, 1u);
  EXPECT_EQ(f.sink.seqs.back(), 303u);
  EXPECT_EQ(f.w.counters().lost, 290u);  // 10..299
}

TEST(GreWindowJump, ThreeForgedPacketsInARowDoNotConfirm) {
  Win f;
  f.run(0, 10);
  f.run(3009, 3012);  // 3 consistent forged packets: one short of resync_packets
  f.run(10, 20);
  EXPECT_EQ(f.w.counters().late, 10u);
  EXPECT_EQ(f.w.counters().stale, 0u);
}

TEST(GreWindowJump, SmallGapsAreGivenUpAsBefore) {
  Win f;
  f.run(0, 10);
  f.in(74);  // 64 skipped (10..73): not a jump, given up
  f.in(40);
  EXPECT_EQ(f.w.counters().jumps, 0u);
  EXPECT_EQ(f.w.counters().stale, 1u);
  EXPECT_EQ(f.sink.seqs.back(), 74u);
}

TEST(GreWindowJump, TwoSpraysStillLeaveTheStreamInTheGaps) {
  Win f;
  f.run(0, 100);
  f.in(4099);       // spray 1
  f.run(100, 110);  // genuine, late
  f.in(4099 + 4000);  // spray 2, 4000 beyond the first: the genuine stream is 7,989 behind
  f.run(110, 120);
  EXPECT_EQ(f.w.counters().late, 20u);
  EXPECT_EQ(f.w.counters().stale, 0u);
}

TEST(GreWindowJump, ConfirmedForgeryIsUndoneByTheGenuineStream) {
  // A forger that sends resync_packets consistent packets (a spray 4 times over) confirms its
  // jump: the genuine packets are stale. They are a consistent stream, and nothing is taken for
  // resync_quiet, so the window follows them back (the same rule as for far packets).
  Win f;
  f.run(0, 10);
  f.run(3009, 3013);  // 4 in order: confirmed
  f.now += 200ms;
  f.run(10, 14);  // genuine: stale (only 200 ms quiet)
  EXPECT_EQ(f.w.counters().stale, 4u);
  f.now += 1s;
  f.run(14, 18);  // 4 consistent stale packets after 1.2 s with nothing taken: follow
  EXPECT_EQ(f.w.counters().resyncs, 1u);
  EXPECT_EQ(f.sink.seqs.back(), 17u);
  f.in(18);
  EXPECT_EQ(f.sink.seqs.back(), 18u);
}

TEST(GreWindowJump, WorksAcrossTheWrap) {
  Win f;
  f.run(0xFFFFFF00u, 0xFFFFFF10u);
  f.in(0xFFFFFF0Fu + 4000);  // 3,744 after the wrap
  f.run(0xFFFFFF10u, 0xFFFFFF20u);
  EXPECT_EQ(f.w.counters().late, 16u);
  EXPECT_EQ(f.w.counters().stale, 0u);
}

TEST(GreWindowJump, MoreThanTheLateWindowBehindIsStale) {
  GreWindowConfig c;
  c.max_jump = 20000;
  Win f(c);
  f.run(0, 10);
  f.in(9 + 10000);  // a gap of 9,999: only the newest 8,192 numbers (1817..10008) stay open
  f.in(500);        // older than that: stale
  f.in(2000);       // inside: late
  EXPECT_EQ(f.w.counters().stale, 1u);
  EXPECT_EQ(f.w.counters().late, 1u);
}

TEST(GreWindowJump, ReorderingAroundAJumpStillDeliversInOrderAfterIt) {
  Win f;
  f.run(0, 10);
  f.in(200);
  f.in(202);  // held: within the slots of the new window
  f.in(201);
  EXPECT_EQ(f.sink.seqs, (Seqs{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 200, 201, 202}));
  EXPECT_EQ(f.w.counters().reordered, 1u);
}

}  // namespace
}  // namespace pptpx::pptp
