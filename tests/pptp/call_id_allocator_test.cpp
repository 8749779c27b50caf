// The server's Call ID allocator (RFC 2637 §3.2.2 Call IDs; issue 19 item 6): unique, never a
// live one twice, 0 never, exhaustion at 65,535, a released ID quarantined, and not sequential.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <vector>

#include "pptp/call_id_allocator.hpp"

namespace pptpx::pptp {
namespace {

RandomCallIdAllocator::Random seeded(std::uint32_t seed) {
  auto rng = std::make_shared<std::mt19937>(seed);
  return [rng] { return static_cast<std::uint32_t>((*rng)()); };
}

TEST(RandomCallIdAllocator, AllIdsOnceThenExhausted) {
  RandomCallIdAllocator ids(seeded(1));
  std::vector<bool> seen(65536, false);
  for (int n = 0; n < 65535; ++n) {
    const auto id = ids.allocate();
    ASSERT_TRUE(id.has_value()) << "after " << n;
    ASSERT_NE(*id, 0) << "0 reads as \"none\" to some peers";
    ASSERT_FALSE(seen[*id]) << "ID " << *id << " handed out twice while live";
    seen[*id] = true;
    ASSERT_TRUE(ids.in_use(*id));
  }
  EXPECT_EQ(ids.used(), 65535u);
  EXPECT_FALSE(ids.allocate().has_value());  // exhausted: nullopt, no spin, no duplicate
  EXPECT_FALSE(ids.in_use(0));
}

TEST(RandomCallIdAllocator, ExhaustedThenReleasedGivesThatIdBack) {
  RandomCallIdAllocator ids(seeded(2));
  for (int n = 0; n < 65535; ++n) ASSERT_TRUE(ids.allocate().has_value());
  ids.release(4242);
  EXPECT_FALSE(ids.in_use(4242));
  EXPECT_EQ(ids.used(), 65534u);
  // The only ID not live is quarantined: with nothing else free it is the one handed out.
  EXPECT_EQ(ids.allocate(), std::optional<std::uint16_t>(4242));
  EXPECT_FALSE(ids.allocate().has_value());
}

TEST(RandomCallIdAllocator, NoLiveIdTwiceUnderChurn) {
  RandomCallIdAllocator ids(seeded(3), 16);
  std::set<std::uint16_t> live;
  std::mt19937 pick(99);
  for (int step = 0; step < 50000; ++step) {
    if (live.size() < 3000 && (live.empty() || pick() % 3 != 0)) {
      const auto id = ids.allocate();
      ASSERT_TRUE(id.has_value());
      ASSERT_TRUE(live.insert(*id).second) << "live ID " << *id << " handed out again";
    } else {
      auto it = live.begin();
      std::advance(it, static_cast<long>(pick() % live.size()));
      ids.release(*it);
      live.erase(it);
    }
    ASSERT_EQ(ids.used(), live.size());
  }
  const std::uint16_t once = *ids.allocate();
  ids.release(once);
  ids.release(once);  // a double release changes nothing
  ids.release(0);     // never allocated: ignored
  EXPECT_EQ(ids.used(), live.size());
}

TEST(RandomCallIdAllocator, ReleasedIdWaitsInQuarantine) {
  RandomCallIdAllocator ids(seeded(4), 3);
  const std::uint16_t first = *ids.allocate();
  ids.release(first);
  // 3 more releases are needed before `first` may be picked again; until then it never comes back.
  std::vector<std::uint16_t> others;
  for (int n = 0; n < 3000; ++n) {
    const std::uint16_t id = *ids.allocate();
    ASSERT_NE(id, first);
    others.push_back(id);
  }
  for (int n = 0; n < 3; ++n) ids.release(others[static_cast<std::size_t>(n)]);
  // Now `first` is free again (the oldest of 4 quarantined, over the limit of 3).
  bool back = false;
  for (int n = 0; n < 65535 - 3000 && !back; ++n) back = *ids.allocate() == first;
  EXPECT_TRUE(back);
}

TEST(RandomCallIdAllocator, NotSequentialAndSpread) {
  RandomCallIdAllocator ids(seeded(5));
  std::vector<std::uint16_t> got;
  for (int n = 0; n < 1000; ++n) got.push_back(*ids.allocate());
  int successors = 0, low = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (i > 0 && got[i] == static_cast<std::uint16_t>(got[i - 1] + 1)) ++successors;
    if (got[i] <= 32767) ++low;
  }
  // Uniform picks: P(next == previous + 1) is about 1/65,535 per pair, so ~0.015 in 999 pairs.
  EXPECT_LE(successors, 1);
  // Binomial(1000, 1/2): 400..600 is more than 6 standard deviations wide.
  EXPECT_GT(low, 400);
  EXPECT_LT(low, 600);
  EXPECT_NE(got[0], 1);  // the sequential allocator's first ID
}

TEST(RandomCallIdAllocator, RejectsBiasedDraws) {
  // 2^32 mod 65535 is 1, so a draw of 0xFFFFFFFF would favour free_[0]: it is drawn again.
  std::vector<std::uint32_t> script{0xFFFFFFFFu, 65535u + 7u};
  std::size_t next = 0;
  RandomCallIdAllocator ids([&] { return script[std::min(next++, script.size() - 1)]; });
  const auto id = ids.allocate();
  EXPECT_EQ(next, 2u);
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(*id, 8);  // index 7 of the initial free list 1..65535
}

}  // namespace
}  // namespace pptpx::pptp
