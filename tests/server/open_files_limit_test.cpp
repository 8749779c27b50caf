// Open-files limit for the server: what max_sessions needs, and that raising never lowers the
// limit and reaches the target when the hard limit allows it.
#include <gtest/gtest.h>

#include <sys/resource.h>

#include "server/open_files_limit.hpp"

namespace pptpx::server {
namespace {

TEST(OpenFilesLimit, NeededPerSession) {
  // One TCP socket per session, plus the 64 reserve; a TUN per session doubles the per-session part.
  EXPECT_EQ(open_files_needed(1000, false), 1064u);
  EXPECT_EQ(open_files_needed(10000, true), 20064u);
  EXPECT_EQ(open_files_needed(0, false), 64u);
}

TEST(OpenFilesLimit, RaisesUpToTheHardLimitAndNeverLowers) {
  rlimit orig{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &orig), 0);
  // A target below the current soft limit changes nothing.
  OpenFilesResult low = raise_open_files_limit(orig.rlim_cur > 1 ? orig.rlim_cur - 1 : 1);
  EXPECT_EQ(low.after, orig.rlim_cur);
  EXPECT_TRUE(low.warning.empty());
  // Lower the soft limit a little (allowed without privileges), then ask for the original back.
  if (orig.rlim_cur > 128) {
    rlimit lowered = orig;
    lowered.rlim_cur = orig.rlim_cur - 16;
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &lowered), 0);
    OpenFilesResult r = raise_open_files_limit(orig.rlim_cur);
    EXPECT_EQ(r.before, lowered.rlim_cur);
    EXPECT_EQ(r.after, orig.rlim_cur);
    EXPECT_TRUE(r.warning.empty());
    rlimit now{};
    ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &now), 0);
    EXPECT_EQ(now.rlim_cur, orig.rlim_cur);
  }
  // More than the hard limit: capped there, with a warning naming the fix.
  if (orig.rlim_max != RLIM_INFINITY) {
    OpenFilesResult r = raise_open_files_limit(static_cast<std::uint64_t>(orig.rlim_max) + 1000);
    EXPECT_EQ(r.after, orig.rlim_max);
    EXPECT_NE(r.warning.find("LimitNOFILE"), std::string::npos);
  }
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &orig), 0);
}

}  // namespace
}  // namespace pptpx::server
