// Two pptpx clients in one network namespace must not hold the same Call ID (their raw GRE
// sockets both see every GRE packet, RFC 2637 §4.1 demultiplexes by Call ID). The candidates here
// come from SequentialCallIdAllocator so that both clients first try the same ID, 1.
#include "client/host_call_id.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

namespace pptpx::client {
namespace {

std::string test_scope() {  // apart from real clients and from parallel runs of this test
  return "pptpx-test-" + std::to_string(::getpid()) + "-" +
         ::testing::UnitTest::GetInstance()->current_test_info()->name();
}

TEST(HostClaimedCallId, SecondClientSkipsTheIdTheFirstHolds) {
  const auto scope = test_scope();
  pptp::SequentialCallIdAllocator a_inner, b_inner;
  HostClaimedCallIdAllocator a(a_inner, scope), b(b_inner, scope);
  const auto ida = a.allocate();
  const auto idb = b.allocate();
  ASSERT_TRUE(ida && idb);
  EXPECT_EQ(*ida, 1);
  EXPECT_TRUE(a.claimed(1));
  EXPECT_EQ(*idb, 2) << "client b was given the Call ID client a holds";
  EXPECT_TRUE(b.claimed(2));
  // b's skipped candidate went back to its own allocator: b holds only 2.
  EXPECT_FALSE(b_inner.in_use(1));
  EXPECT_TRUE(b_inner.in_use(2));
}

TEST(HostClaimedCallId, ReleasedIdCanBeClaimedAgain) {
  const auto scope = test_scope();
  pptp::SequentialCallIdAllocator a_inner, c_inner;
  HostClaimedCallIdAllocator a(a_inner, scope);
  ASSERT_EQ(a.allocate(), std::optional<std::uint16_t>(1));
  a.release(1);
  EXPECT_FALSE(a.claimed(1));
  HostClaimedCallIdAllocator c(c_inner, scope);
  EXPECT_EQ(c.allocate(), std::optional<std::uint16_t>(1)) << "the released claim was not given up";
}

TEST(HostClaimedCallId, ClaimEndsWithTheAllocator) {
  const auto scope = test_scope();
  pptp::SequentialCallIdAllocator a_inner, b_inner;
  {
    HostClaimedCallIdAllocator a(a_inner, scope);
    ASSERT_EQ(a.allocate(), std::optional<std::uint16_t>(1));
  }
  HostClaimedCallIdAllocator b(b_inner, scope);
  EXPECT_EQ(b.allocate(), std::optional<std::uint16_t>(1));
}

TEST(HostClaimedCallId, OtherScopesDoNotCollide) {
  const auto scope = test_scope();
  pptp::SequentialCallIdAllocator a_inner, b_inner;
  HostClaimedCallIdAllocator a(a_inner, scope + "-x"), b(b_inner, scope + "-y");
  EXPECT_EQ(a.allocate(), std::optional<std::uint16_t>(1));
  EXPECT_EQ(b.allocate(), std::optional<std::uint16_t>(1));
}

}  // namespace
}  // namespace pptpx::client
