// Percentiles, failure grouping and the setup rate of `pptpx bench`. Expected values are worked
// out by hand from the nearest-rank definition (rank = ceil(p/100 * n), 1-based), not taken from
// the code.
#include <gtest/gtest.h>

#include "loadgen/bench_stats.hpp"

namespace pptpx::loadgen {
namespace {

TEST(Percentile, OneToHundred) {
  std::vector<double> v;
  for (int i = 1; i <= 100; ++i) v.push_back(i);
  // ceil(0.50 * 100) = 50th value = 50; ceil(0.90 * 100) = 90; ceil(0.99 * 100) = 99.
  EXPECT_EQ(percentile(v, 50), 50);
  EXPECT_EQ(percentile(v, 90), 90);
  EXPECT_EQ(percentile(v, 99), 99);
  EXPECT_EQ(percentile(v, 100), 100);
  EXPECT_EQ(percentile(v, 0), 1);
}

TEST(Percentile, TenValuesNearestRank) {
  const std::vector<double> v{2, 3, 5, 7, 11, 13, 17, 19, 23, 29};
  // n = 10: p50 -> rank 5 -> 11; p90 -> rank 9 -> 23; p99 -> ceil(9.9) = 10 -> 29; p91 -> ceil(9.1) = 10.
  EXPECT_EQ(percentile(v, 50), 11);
  EXPECT_EQ(percentile(v, 90), 23);
  EXPECT_EQ(percentile(v, 99), 29);
  EXPECT_EQ(percentile(v, 91), 29);
  EXPECT_EQ(percentile(v, 10), 2);   // rank 1
  EXPECT_EQ(percentile(v, 11), 3);   // ceil(1.1) = 2
}

TEST(Percentile, EmptyAndSingle) {
  EXPECT_EQ(percentile({}, 50), 0);
  EXPECT_EQ(percentile({4.5}, 1), 4.5);
  EXPECT_EQ(percentile({4.5}, 99), 4.5);
}

TEST(Summarize, SortsUnorderedSamples) {
  // 1..20 shuffled: p50 = 10th = 10, p90 = 18th = 18, p99 = ceil(19.8) = 20th = 20.
  const std::vector<double> v{20, 3, 17, 1, 9, 12, 5, 14, 7, 19, 2, 16, 11, 4, 18, 6, 13, 8, 15, 10};
  const LatencySummary s = summarize(v);
  EXPECT_EQ(s.count, 20u);
  EXPECT_EQ(s.p50, 10);
  EXPECT_EQ(s.p90, 18);
  EXPECT_EQ(s.p99, 20);
  EXPECT_EQ(s.max, 20);
}

TEST(Summarize, Empty) {
  const LatencySummary s = summarize({});
  EXPECT_EQ(s.count, 0u);
  EXPECT_EQ(s.max, 0);
}

TEST(FailureTally, GroupsMostFrequentFirst) {
  FailureTally t;
  t.add("authentication failed");
  t.add("TCP connect failed (Connection refused)");
  t.add("authentication failed");
  t.add("");
  t.add("authentication failed");
  t.add("TCP connect failed (Connection refused)");
  EXPECT_EQ(t.total(), 6u);
  const auto g = t.grouped();
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(g[0].first, "authentication failed");
  EXPECT_EQ(g[0].second, 3u);
  EXPECT_EQ(g[1].first, "TCP connect failed (Connection refused)");
  EXPECT_EQ(g[1].second, 2u);
  EXPECT_EQ(g[2].first, "no reason given");
  EXPECT_EQ(g[2].second, 1u);
}

TEST(SetupRate, SessionsPerSecond) {
  EXPECT_DOUBLE_EQ(setup_rate(10000, 4.0), 2500.0);
  EXPECT_DOUBLE_EQ(setup_rate(3, 0.5), 6.0);
  EXPECT_EQ(setup_rate(0, 1.0), 0);
  EXPECT_EQ(setup_rate(5, 0.0), 0);
}

}  // namespace
}  // namespace pptpx::loadgen
