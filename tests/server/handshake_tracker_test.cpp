// HandshakeTracker: counts only connections the predicate still calls handshaking, and forgets
// the others for good.
#include <gtest/gtest.h>

#include <set>

#include "server/handshake_tracker.hpp"

namespace pptpx::server {
namespace {

TEST(HandshakeTracker, CountsOnlyThoseStillHandshaking) {
  HandshakeTracker t;
  std::set<std::uint64_t> handshaking{1, 2, 3, 4};
  for (std::uint64_t id : handshaking) t.add(id);
  auto still = [&handshaking](std::uint64_t id) { return handshaking.count(id) != 0; };
  EXPECT_EQ(t.count(still), 4u);
  handshaking.erase(2);  // came up
  handshaking.erase(4);  // closed
  EXPECT_EQ(t.count(still), 2u);
  t.add(5);
  handshaking.insert(5);
  EXPECT_EQ(t.count(still), 3u);
}

TEST(HandshakeTracker, DroppedIdsAreNotAskedAgain) {
  HandshakeTracker t;
  t.add(7);
  int asked = 0;
  EXPECT_EQ(t.count([&asked](std::uint64_t) { ++asked; return false; }), 0u);
  EXPECT_EQ(asked, 1);
  EXPECT_EQ(t.count([&asked](std::uint64_t) { ++asked; return true; }), 0u);
  EXPECT_EQ(asked, 1);  // 7 was forgotten, nothing left to ask about
}

TEST(HandshakeTracker, ReachedPrunesOnlyAtTheLimit) {
  HandshakeTracker t;
  std::set<std::uint64_t> handshaking{1, 2};
  int asked = 0;
  auto still = [&](std::uint64_t id) { ++asked; return handshaking.count(id) != 0; };
  t.add(1);
  t.add(2);
  EXPECT_FALSE(t.reached(3, still));  // 2 ids < limit 3: nothing to ask
  EXPECT_EQ(asked, 0);
  t.add(3);
  handshaking.insert(3);
  EXPECT_TRUE(t.reached(3, still));   // 3 ids, all still handshaking
  EXPECT_EQ(asked, 3);
  handshaking.erase(1);               // came up
  EXPECT_FALSE(t.reached(3, still));  // pruned to 2
  EXPECT_EQ(t.tracked(), 2u);
}

TEST(HandshakeTracker, Empty) {
  HandshakeTracker t;
  EXPECT_EQ(t.count([](std::uint64_t) { return true; }), 0u);
}

}  // namespace
}  // namespace pptpx::server
