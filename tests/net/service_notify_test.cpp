// sd_notify messages (via libsystemd) against a real listening AF_UNIX datagram socket, as
// systemd's NOTIFY_SOCKET would be.
#include "net/service_notify.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace pptpx::net {
namespace {

class NotifySocket : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = "/tmp/pptpx-notify-test-" + std::to_string(::getpid());
    ::unlink(path_.c_str());
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(fd_, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strncpy(a.sun_path, path_.c_str(), sizeof a.sun_path - 1);
    ASSERT_EQ(::bind(fd_, reinterpret_cast<const sockaddr*>(&a), sizeof a), 0);
    timeval tv{2, 0};  // bounds every receive below
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setenv("NOTIFY_SOCKET", path_.c_str(), 1);
  }
  void TearDown() override {
    ::unsetenv("NOTIFY_SOCKET");
    ::close(fd_);
    ::unlink(path_.c_str());
  }
  std::string next(int flags = 0) {
    char buf[512];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, flags);
    return n < 0 ? std::string("(nothing)") : std::string(buf, static_cast<std::size_t>(n));
  }
  std::string path_;
  int fd_ = -1;
};

TEST_F(NotifySocket, ReadyReloadingStatusAndStopping) {
  ServiceNotifier n;
  ASSERT_TRUE(n.enabled());
  n.ready("listening on 0.0.0.0:1723, 0 sessions");
  EXPECT_EQ(next(), "READY=1\nSTATUS=listening on 0.0.0.0:1723, 0 sessions");
  n.sessions(1);
  EXPECT_EQ(next(), "STATUS=1 session");
  n.sessions(1);  // unchanged: nothing sent
  n.sessions(3);
  EXPECT_EQ(next(), "STATUS=3 sessions");
  n.reloading();
  EXPECT_EQ(next(), "RELOADING=1\nSTATUS=reloading");
  n.ready("reloaded; 3 sessions");
  EXPECT_EQ(next(), "READY=1\nSTATUS=reloaded; 3 sessions");
  n.stopping();
  EXPECT_EQ(next(), "STOPPING=1\nSTATUS=stopping");
  EXPECT_EQ(next(MSG_DONTWAIT), "(nothing)");
  EXPECT_EQ(n.error(), "");
  // The variable stays set for later messages (and for nothing else to trip on).
  EXPECT_STREQ(std::getenv("NOTIFY_SOCKET"), path_.c_str());
}

TEST(ServiceNotifier, WithoutNotifySocketDoesNothing) {
  ::unsetenv("NOTIFY_SOCKET");
  ServiceNotifier n;
  EXPECT_FALSE(n.enabled());
  n.ready("x");
  n.sessions(2);
  EXPECT_EQ(n.error(), "");
}

}  // namespace
}  // namespace pptpx::net
