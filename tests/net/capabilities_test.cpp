#include "net/capabilities.hpp"

#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sys/wait.h>
#include <unistd.h>

namespace pptpx::net {
namespace {

// Runs in a child process so the test runner keeps its own capabilities.
TEST(Capabilities, KeepOnlyLeavesExactlyTheNamedSet) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root (dropping the bounding set needs CAP_SETPCAP)";
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (!keep_only_capabilities({CAP_NET_ADMIN}).empty()) ::_exit(2);
    if (effective_capabilities() != (1ull << CAP_NET_ADMIN)) ::_exit(3);
    // Raising a dropped capability again must fail now.
    if (keep_only_capabilities({CAP_NET_ADMIN, CAP_NET_RAW}).empty()) ::_exit(4);
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "2: drop failed, 3: wrong effective set, 4: regained a capability";
}

}  // namespace
}  // namespace pptpx::net
