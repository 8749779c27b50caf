// A control connection's own deadlines (issue 19 item 3): the first link within
// control_setup + network_setup of accept, and no stretch of no_call_seconds without a call.
#include <gtest/gtest.h>

#include "server/connection_deadlines.hpp"

namespace pptpx::server {
namespace {

using E = ConnectionDeadlines::Expired;
const Time t0 = Time{} + std::chrono::hours(1);

ConnectionDeadlines make(Duration first_link = 60s, Duration no_call = 30s) {
  return ConnectionDeadlines({first_link, no_call}, t0);
}

TEST(ConnectionDeadlines, NoCallFromAccept) {
  auto d = make();
  EXPECT_EQ(d.deadline(), t0 + 30s);  // the earlier of 60 s (first link) and 30 s (no call)
  EXPECT_EQ(d.expired(t0 + 29s), E::none);
  EXPECT_EQ(d.expired(t0 + 30s), E::no_call);
  EXPECT_EQ(d.reason(E::no_call), "no call for 30 s ([limits] no_call_seconds)");
}

TEST(ConnectionDeadlines, CallsThatNeverComeUpHitTheFirstLinkDeadline) {
  auto d = make();
  d.set_calls(1, t0 + 1s);
  EXPECT_EQ(d.deadline(), t0 + 60s);
  // Its call ends and another is opened at once, again and again: the connection's clock runs on.
  for (int i = 1; i < 6; ++i) {
    d.set_calls(0, t0 + std::chrono::seconds(10 * i));
    d.set_calls(1, t0 + std::chrono::seconds(10 * i));
  }
  EXPECT_EQ(d.expired(t0 + 59s), E::none);
  EXPECT_EQ(d.expired(t0 + 60s), E::first_link);
  EXPECT_EQ(d.reason(E::first_link),
            "no link up within 60 s of the connection ([limits] control_setup_seconds + network_setup_seconds)");
}

TEST(ConnectionDeadlines, LinkUpEndsTheFirstLinkDeadline) {
  auto d = make();
  d.set_calls(1, t0 + 1s);
  d.link_up();
  EXPECT_EQ(d.deadline(), std::nullopt);
  EXPECT_EQ(d.expired(t0 + 3600s), E::none);
}

TEST(ConnectionDeadlines, NoCallCountsFromTheLastCallsEnd) {
  auto d = make();
  d.set_calls(2, t0 + 1s);
  d.link_up();
  d.set_calls(1, t0 + 100s);  // one of two ends: still a call
  EXPECT_EQ(d.deadline(), std::nullopt);
  d.set_calls(0, t0 + 200s);
  EXPECT_EQ(d.deadline(), t0 + 230s);
  EXPECT_EQ(d.expired(t0 + 229s), E::none);
  EXPECT_EQ(d.expired(t0 + 230s), E::no_call);
  d.set_calls(0, t0 + 220s);  // no change: the clock is not restarted
  EXPECT_EQ(d.deadline(), t0 + 230s);
}

TEST(ConnectionDeadlines, ZeroMeansNone) {
  auto d = make(Duration::zero(), Duration::zero());
  EXPECT_EQ(d.deadline(), std::nullopt);
  EXPECT_EQ(d.expired(t0 + 100000s), E::none);
}

}  // namespace
}  // namespace pptpx::server
