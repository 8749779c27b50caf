// Two GRE channels over the simulated lossy wire (tests/support/sim_wire.hpp): drops, duplicates
// and reordering. Whatever the wire does, delivery stays in order without duplicates, every
// offered packet is accounted for, and acknowledgements coming back are always valid.
#include <gtest/gtest.h>

#include <vector>

#include "pptp/gre_channel.hpp"
#include "support/sim_wire.hpp"

namespace pptpx::pptp {
namespace {

struct CounterSink : GreDeliverySink {
  std::vector<std::uint32_t> values;  // the counter each payload carries
  void deliver(std::uint32_t, ByteView p) override {
    ASSERT_EQ(p.size(), 4u);
    values.push_back(load_be32(p.data()));
  }
};

class GreLossy : public ::testing::TestWithParam<std::uint64_t> {};

TEST_P(GreLossy, InOrderNoDuplicatesAllAccounted) {
  test::WireFaults f;
  f.drop = 0.05;
  f.duplicate = 0.05;
  f.reorder = 0.10;
  f.reorder_delay = std::chrono::milliseconds(3);
  f.seed = GetParam();
  test::SimDatagramLink a_to_b(f), b_to_a(f);
  GreChannel a(10, 20, {}, 1), b(20, 10, {}, 0);
  CounterSink at_b, at_a;
  constexpr std::uint32_t kPackets = 2000;
  Time now = Time{} + 1s;
  for (std::uint32_t tick = 0; tick < kPackets + 1000; ++tick, now += 1ms) {
    if (tick < kPackets) {
      std::array<std::uint8_t, 16 + 4> buf{};
      store_be32(buf.data() + 16, tick);
      auto pkt = a.prepare_data(buf, 16, 4);
      ASSERT_TRUE(pkt);
      a_to_b.send(*pkt, now);
    }
    while (auto p = a_to_b.receive(now)) b.receive(*p, now, at_b);
    while (auto p = b_to_a.receive(now)) a.receive(*p, now, at_a);
    if (auto d = b.deadline(); d && *d <= now && b.on_timer(now, at_b)) {
      std::array<std::uint8_t, 16> ack{};
      const std::size_t n = b.write_ack_only(ack);
      ASSERT_EQ(n, 12u);
      b_to_a.send(ByteView(ack.data(), n), now);
    }
    if (auto d = a.deadline(); d && *d <= now) a.on_timer(now, at_a);
  }
  const auto& rc = b.receive_window().counters();
  ASSERT_FALSE(at_b.values.empty());
  for (std::size_t i = 1; i < at_b.values.size(); ++i) {
    ASSERT_LT(at_b.values[i - 1], at_b.values[i]) << "out of order or duplicate at " << i;
  }
  EXPECT_EQ(b.receive_window().held(), 0u);  // timers flushed everything
  EXPECT_EQ(rc.received, rc.delivered + rc.duplicate + rc.stale);
  EXPECT_EQ(rc.received, a_to_b.counters().delivered);
  EXPECT_GT(rc.duplicate, 0u);
  EXPECT_GT(rc.reordered, 0u);
  // Numbers given up (lost) are exactly the ones never delivered, except a trailing drop.
  EXPECT_LE(at_b.values.size() + rc.lost, kPackets);
  EXPECT_GE(at_b.values.size() + rc.lost + 3, kPackets);
  EXPECT_EQ(a.send_window().counters().bad_ack, 0u);
  EXPECT_EQ(a.counters().rx_ack_only, b_to_a.counters().delivered);
  ASSERT_TRUE(a.send_window().last_acked());
  EXPECT_EQ(*a.send_window().last_acked(), *b.receive_window().last_delivered());
}

INSTANTIATE_TEST_SUITE_P(Seeds, GreLossy, ::testing::Values(1u, 2u, 3u, 42u));

}  // namespace
}  // namespace pptpx::pptp
