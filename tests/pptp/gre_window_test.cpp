// GRE receive/send windows (RFC 2637 §4.2-§4.4) under a fake clock.
#include <gtest/gtest.h>

#include <vector>

#include "pptp/gre_window.hpp"

namespace pptpx::pptp {
namespace {

struct Recorder : GreDeliverySink {
  std::vector<std::uint32_t> seqs;
  std::vector<Bytes> payloads;
  void deliver(std::uint32_t seq, ByteView payload) override {
    seqs.push_back(seq);
    payloads.emplace_back(payload.begin(), payload.end());
  }
};

// A one-octet payload naming its packet, so a mixed-up copy would show.
Bytes body(std::uint32_t seq) { return Bytes{static_cast<std::uint8_t>(seq * 7 + 1)}; }

struct Fixture {
  explicit Fixture(GreWindowConfig c = {}) : w(c) {}
  void in(std::uint32_t seq) {
    Bytes b = body(seq);
    w.on_data(seq, b, now, sink);
  }
  GreReceiveWindow w;
  Recorder sink;
  Time now = Time{} + 10s;
};

using Seqs = std::vector<std::uint32_t>;

TEST(GreWindow, InOrderFromZero) {
  Fixture f;
  for (std::uint32_t s = 0; s < 5; ++s) f.in(s);
  EXPECT_EQ(f.sink.seqs, (Seqs{0, 1, 2, 3, 4}));
  EXPECT_EQ(f.sink.payloads[3], body(3));
  EXPECT_EQ(f.w.counters().delivered, 5u);
  EXPECT_EQ(f.w.held_storage_bytes(), 0u);  // never reordered: no buffer allocated
}

TEST(GreWindow, InOrderFromOne) {
  Fixture f;
  for (std::uint32_t s = 1; s < 5; ++s) f.in(s);
  EXPECT_EQ(f.sink.seqs, (Seqs{1, 2, 3, 4}));
  EXPECT_EQ(f.w.counters().lost, 0u);
  EXPECT_EQ(f.w.take_ack(), 4u);
}

TEST(GreWindow, ReordersWithinSlots) {
  Fixture f;
  f.in(0);
  f.in(2);
  f.in(3);
  EXPECT_EQ(f.sink.seqs, (Seqs{0}));
  EXPECT_EQ(f.w.held(), 2u);
  f.in(1);
  EXPECT_EQ(f.sink.seqs, (Seqs{0, 1, 2, 3}));
  EXPECT_EQ(f.sink.payloads[2], body(2));  // held copy intact
  EXPECT_EQ(f.w.counters().reordered, 2u);
  EXPECT_EQ(f.w.held(), 0u);
  EXPECT_EQ(f.w.held_storage_bytes(), 4u * 1600u);
}

TEST(GreWindow, DuplicatesDropped) {
  Fixture f;
  f.in(0);
  f.in(1);
  f.in(1);
  f.in(0);
  f.in(3);
  f.in(3);  // duplicate of a held packet
  EXPECT_EQ(f.sink.seqs, (Seqs{0, 1}));
  EXPECT_EQ(f.w.counters().duplicate, 3u);
  EXPECT_EQ(f.w.counters().stale, 0u);
}

TEST(GreWindow, GapGivenUpAfterTimeoutThenLatePacketIsStale) {
  Fixture f;
  f.in(0);
  f.in(2);
  ASSERT_TRUE(f.w.deadline());
  const Time reorder_deadline = f.now + 50ms;
  EXPECT_EQ(*f.w.deadline(), std::min(reorder_deadline, f.now + 100ms));
  f.w.on_timer(f.now + 49ms, f.sink);
  EXPECT_EQ(f.sink.seqs, (Seqs{0}));
  f.w.on_timer(f.now + 50ms, f.sink);
  EXPECT_EQ(f.sink.seqs, (Seqs{0, 2}));
  EXPECT_EQ(f.w.counters().lost, 1u);
  f.in(1);  // arrives after its gap was given up
  EXPECT_EQ(f.w.counters().stale, 1u);
  EXPECT_EQ(f.sink.seqs, (Seqs{0, 2}));
}

TEST(GreWindow, JumpBeyondSlotsFlushesHeldInOrder) {
  Fixture f;
  f.in(10);
  f.in(12);
  f.in(13);
  f.in(30);  // too far ahead to hold: give the gaps up
  EXPECT_EQ(f.sink.seqs, (Seqs{10, 12, 13, 30}));
  EXPECT_EQ(f.w.counters().lost, 1u + 16u);
  f.in(31);
  EXPECT_EQ(f.sink.seqs.back(), 31u);
}

TEST(GreWindow, FullBufferForcesProgress) {
  GreWindowConfig c;
  c.reorder_slots = 2;
  Fixture f(c);
  f.in(0);
  f.in(2);
  f.in(3);
  EXPECT_EQ(f.w.held(), 2u);
  f.in(4);  // no slot left (and beyond the 2 slots anyway)
  EXPECT_EQ(f.sink.seqs, (Seqs{0, 2, 3, 4}));
  EXPECT_EQ(f.w.held(), 0u);
}

TEST(GreWindow, OversizedPayloadIsNotHeld) {
  GreWindowConfig c;
  c.max_held_payload = 4;
  Fixture f(c);
  f.in(0);
  Bytes big(5, 0xab);
  f.w.on_data(2, big, f.now, f.sink);
  EXPECT_EQ(f.sink.seqs, (Seqs{0, 2}));
  EXPECT_EQ(f.w.counters().lost, 1u);
}

TEST(GreWindow, WrapsAround) {
  Fixture f;
  const std::uint32_t top = 0xfffffffe;
  f.in(top);
  f.in(top + 1);
  f.in(1);  // 0 missing, held
  f.in(0);
  f.in(2);
  EXPECT_EQ(f.sink.seqs, (Seqs{0xfffffffe, 0xffffffff, 0, 1, 2}));
  EXPECT_EQ(f.w.counters().lost, 0u);
  f.in(0xffffffff);
  EXPECT_EQ(f.w.counters().duplicate, 1u);
  EXPECT_EQ(f.w.take_ack(), 2u);
}

TEST(GreWindow, OldPacketsFarBehindAreStale) {
  Fixture f;
  for (std::uint32_t s = 100; s < 200; ++s) f.in(s);
  f.in(5);
  f.in(120);  // delivered, but more than 64 back: no record, so counted stale
  EXPECT_EQ(f.w.counters().stale, 2u);
}

TEST(GreWindow, AckOnlyAfterDelayWhenNoDataGoesBack) {
  Fixture f;
  EXPECT_FALSE(f.w.deadline());
  EXPECT_FALSE(f.w.take_ack());
  f.in(7);
  ASSERT_TRUE(f.w.deadline());
  EXPECT_EQ(*f.w.deadline(), f.now + 100ms);
  EXPECT_FALSE(f.w.on_timer(f.now + 99ms, f.sink));
  EXPECT_TRUE(f.w.on_timer(f.now + 100ms, f.sink));
  EXPECT_EQ(f.w.take_ack(), 7u);
  EXPECT_FALSE(f.w.deadline());  // acknowledged: nothing pending
  EXPECT_FALSE(f.w.on_timer(f.now + 1s, f.sink));
}

TEST(GreWindow, PiggybackedAckCancelsAckOnly) {
  Fixture f;
  f.in(0);
  f.in(1);
  EXPECT_EQ(f.w.take_ack(), 1u);  // our data packet carried it
  EXPECT_FALSE(f.w.on_timer(f.now + 1s, f.sink));
  EXPECT_FALSE(f.w.take_ack());  // nothing new
  f.in(2);
  EXPECT_EQ(f.w.take_ack(), 2u);
}

TEST(GreSendWindow, NumbersAndAcks) {
  GreSendWindow s(1);
  EXPECT_EQ(s.in_flight(), 0u);
  EXPECT_FALSE(s.on_ack(0));  // nothing sent yet
  EXPECT_EQ(s.next_sequence(), 1u);
  EXPECT_EQ(s.next_sequence(), 2u);
  EXPECT_EQ(s.next_sequence(), 3u);
  EXPECT_EQ(s.in_flight(), 3u);
  EXPECT_TRUE(s.on_ack(2));
  EXPECT_EQ(s.in_flight(), 1u);
  EXPECT_FALSE(s.on_ack(4));  // never sent
  EXPECT_FALSE(s.on_ack(1));  // goes backwards
  EXPECT_EQ(s.counters().bad_ack, 3u);
  EXPECT_TRUE(s.on_ack(3));
  EXPECT_EQ(s.in_flight(), 0u);
  EXPECT_EQ(s.last_acked(), 3u);
}

TEST(GreSendWindow, WindowClosesAtPeerWindowSize) {
  GreSendWindow s(0);
  EXPECT_TRUE(s.window_open(2));
  s.next_sequence();
  s.next_sequence();
  EXPECT_FALSE(s.window_open(2));  // two unacknowledged, peer buffers two
  EXPECT_TRUE(s.window_open(0));   // no window given
  EXPECT_TRUE(s.on_ack(0));
  EXPECT_TRUE(s.window_open(2));
}

TEST(GreSendWindow, WrapsAround) {
  GreSendWindow s(0xffffffff);
  EXPECT_EQ(s.next_sequence(), 0xffffffffu);
  EXPECT_EQ(s.next_sequence(), 0u);
  EXPECT_TRUE(s.on_ack(0xffffffff));
  EXPECT_EQ(s.in_flight(), 1u);
  EXPECT_TRUE(s.on_ack(0));
  EXPECT_EQ(s.in_flight(), 0u);
}

}  // namespace
}  // namespace pptpx::pptp
