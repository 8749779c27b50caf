// A CoA-Request's Session-Timeout / Idle-Timeout (RFC 5176 [Note 3]: a value replaces the limit,
// an absent one leaves it) on SessionLimits: Session-Timeout still counts from the link coming up
// (RFC 2865 §5.27), 0 removes a limit, and a call without limits from its Access-Accept gets them.
#include <gtest/gtest.h>

#include "server/session_limits.hpp"

namespace pptpx::server {
namespace {

const Time kUp = Time{} + std::chrono::hours{1};
Time at(int s) { return kUp + std::chrono::seconds{s}; }

TEST(SessionLimitsCoa, ACallWithoutLimitsGetsThemCountedFromLinkUp) {
  SessionLimits l;  // no Session-/Idle-Timeout in the Access-Accept (or no RADIUS at all)
  EXPECT_FALSE(l.any());
  l.change(kUp, 30, std::nullopt);  // a CoA 20 s into the session
  ASSERT_TRUE(l.any());
  EXPECT_FALSE(l.check(at(29), 5));
  const auto e = l.check(at(30), 5);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->end, SessionEnd::SessionTimeout);
  EXPECT_EQ(e->reason, "Session-Timeout of 30 s reached");
}

TEST(SessionLimitsCoa, BelowTheTimeServedEndsAtOnce) {
  SessionLimits l(kUp, std::chrono::seconds{3600}, std::nullopt);
  l.change(kUp, 5, std::nullopt);
  const auto e = l.check(at(60), 0);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->end, SessionEnd::SessionTimeout);
}

TEST(SessionLimitsCoa, AbsentLeavesZeroRemoves) {
  SessionLimits l(kUp, std::chrono::seconds{10}, std::chrono::seconds{100});
  l.change(kUp, std::nullopt, 4);  // only the Idle-Timeout changes
  EXPECT_FALSE(l.check(at(3), 1));
  auto e = l.check(at(7), 1);  // no packet since 3 s: idle 4 s
  ASSERT_TRUE(e);
  EXPECT_EQ(e->end, SessionEnd::IdleTimeout);
  l.change(kUp, 0, 0);
  EXPECT_FALSE(l.any());
  EXPECT_FALSE(l.check(at(1000), 1));
}

TEST(SessionLimitsCoa, TrafficKeepsAnIdleTimeoutFromACoaAway) {
  SessionLimits l;
  l.change(kUp, std::nullopt, 2);
  EXPECT_FALSE(l.check(at(1), 10));  // packets: the idle clock restarts
  EXPECT_FALSE(l.check(at(2), 20));
  EXPECT_FALSE(l.check(at(3), 30));
  EXPECT_TRUE(l.check(at(5), 30));   // 2 s without a packet
}

}  // namespace
}  // namespace pptpx::server
