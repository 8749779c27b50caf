#include "support/sim_wire.hpp"

#include <gtest/gtest.h>

namespace pptpx::test {
namespace {

TEST(SimDatagramLink, PerfectWireDeliversInOrderAfterLatency) {
  SimDatagramLink link;
  Time t0{};
  for (std::uint8_t i = 0; i < 10; ++i) link.send(Bytes{i}, t0);
  EXPECT_FALSE(link.receive(t0).has_value());
  for (std::uint8_t i = 0; i < 10; ++i) {
    auto p = link.receive(t0 + std::chrono::milliseconds(1));
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ((*p)[0], i);
  }
  EXPECT_FALSE(link.receive(t0 + std::chrono::seconds(1)).has_value());
}

TEST(SimDatagramLink, FaultsHappenAtRoughlyTheirRates) {
  WireFaults f;
  f.drop = 0.05;
  f.duplicate = 0.05;
  f.reorder = 0.05;
  f.seed = 42;
  SimDatagramLink link(f);
  Time t{};
  for (int i = 0; i < 10000; ++i) link.send(Bytes{1, 2}, t);
  const auto& c = link.counters();
  EXPECT_GT(c.dropped, 350u);
  EXPECT_LT(c.dropped, 650u);
  EXPECT_GT(c.duplicated, 300u);
  EXPECT_GT(c.reordered, 300u);
  std::uint64_t got = 0;
  while (link.receive(t + std::chrono::seconds(1))) ++got;
  EXPECT_EQ(got, c.sent - c.dropped + c.duplicated);
}

TEST(SimStreamLink, CoalescesWhatIsDue) {
  SimStreamLink s;
  Time t{};
  s.send(Bytes{1, 2}, t);
  s.send(Bytes{3}, t + std::chrono::milliseconds(1));
  EXPECT_TRUE(s.receive(t).empty());
  EXPECT_EQ(s.receive(t + std::chrono::milliseconds(5)), (Bytes{1, 2, 3}));
}

}  // namespace
}  // namespace pptpx::test
