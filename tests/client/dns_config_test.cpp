#include "client/dns_config.hpp"

#include <gtest/gtest.h>

#include "client/run_command.hpp"

namespace pptpx::client {
namespace {

TEST(DnsState, RoundTripsThroughItsFile) {
  DnsState s{"resolvconf", "pptpxc0", "pptpxc0.pptpx", 4242, 4026531992ull};
  const std::string text = format_dns_state(s);
  EXPECT_EQ(text, "backend=resolvconf\ninterface=pptpxc0\nrecord=pptpxc0.pptpx\npid=4242\nnetns=4026531992\n");
  const auto back = parse_dns_state(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->backend, "resolvconf");
  EXPECT_EQ(back->interface, "pptpxc0");
  EXPECT_EQ(back->record, "pptpxc0.pptpx");
  EXPECT_EQ(back->pid, 4242);
  EXPECT_EQ(back->netns, 4026531992ull);
  EXPECT_FALSE(parse_dns_state("backend=bind\ninterface=x\n"));
  EXPECT_FALSE(parse_dns_state("backend=resolved\n"));
}

TEST(RunCommand, PassesInputEnvironmentAndReportsFailures) {
  auto r = run_command({"/bin/sh", "-c", "read line; [ \"$line\" = nameserver ] && [ \"$IFNAME\" = tun7 ]"},
                       "nameserver\n", {{"IFNAME", "tun7"}});
  EXPECT_TRUE(r.ok()) << r.error;
  r = run_command({"/bin/sh", "-c", "echo 'no such record' >&2; exit 3"});
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.exit_status, 3);
  EXPECT_EQ(r.error, "/bin/sh exited 3: no such record");
  r = run_command({"/nonexistent/program"});
  EXPECT_FALSE(r.ran);
  EXPECT_EQ(r.error, "cannot run /nonexistent/program (No such file or directory)");
  r = run_command({"/bin/sleep", "5"}, {}, {}, std::chrono::milliseconds(200));
  EXPECT_TRUE(r.timed_out);
  EXPECT_FALSE(r.ok());
}

TEST(RunCommand, FindsProgramsInTheSystemDirectories) {
  EXPECT_EQ(find_program("sh").empty(), false);
  EXPECT_EQ(find_program("no-such-program-pptpx"), "");
}

}  // namespace
}  // namespace pptpx::client
