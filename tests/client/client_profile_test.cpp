#include "client/client_profile.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "client/preflight.hpp"
#include "support/temp_dir.hpp"

namespace pptpx::client {
namespace {

TEST(ClientProfile, EveryKeyReachesItsOption) {
  ClientOptions o;
  const auto errors = parse_client_profile(R"(
server = "vpn.example.net"
port = 1724
user = "bob"
password_file = "/etc/pptpx/client/work.password"
auth = ["mschapv2", "mschapv1"]
mppe = [128, 40]
mppe_stateful = true
mppe_optional = true
tun_name = "work%d"
mtu = 1300
mss_clamp = false
offload = false
routes = ["203.0.113.0/24", "2001:db8:5::/48"]
ipv6 = false
ipv6_prefix = "2001:db8:1::/64"
default_route = true
persist = true
max_backoff = 60
connect_timeout = 5
log_level = "debug"
log_format = "json"
use_dns = true
up_script = "/etc/pptpx/up"
down_script = "/etc/pptpx/down"
echo_interval = 10
echo_failures = 3
cert = "/etc/pptpx/client/bob.pem"
key = "/etc/pptpx/client/bob.key"
ca = "/etc/pptpx/client/ca.pem"
server_name = "vpn.example.net"
)", "work.toml", o);
  ASSERT_TRUE(errors.empty()) << errors.front();
  EXPECT_EQ(o.server, "vpn.example.net");
  EXPECT_EQ(o.port, 1724);
  EXPECT_EQ(o.user, "bob");
  EXPECT_EQ(o.password_file, "/etc/pptpx/client/work.password");
  EXPECT_EQ(o.auth, "mschapv2,mschapv1");
  EXPECT_EQ(o.mppe, "128,40");
  EXPECT_TRUE(o.mppe_stateful);
  EXPECT_TRUE(o.mppe_optional);
  EXPECT_EQ(o.tun_name, "work%d");
  EXPECT_EQ(o.mtu, 1300u);
  EXPECT_FALSE(o.mss_clamp);
  EXPECT_FALSE(o.offload);
  EXPECT_EQ(o.routes, (std::vector<std::string>{"203.0.113.0/24", "2001:db8:5::/48"}));
  EXPECT_FALSE(o.ipv6);
  EXPECT_EQ(o.ipv6_prefix, "2001:db8:1::/64");
  EXPECT_TRUE(o.default_route);
  EXPECT_TRUE(o.persist);
  EXPECT_EQ(o.max_backoff_seconds, 60u);
  EXPECT_EQ(o.connect_timeout_seconds, 5u);
  EXPECT_EQ(o.log_level, "debug");
  EXPECT_EQ(o.log_format, "json");
  EXPECT_TRUE(o.use_dns);
  EXPECT_EQ(o.up_script, "/etc/pptpx/up");
  EXPECT_EQ(o.down_script, "/etc/pptpx/down");
  EXPECT_EQ(o.echo_interval_seconds, 10u);
  EXPECT_EQ(o.echo_failures, 3u);
  EXPECT_EQ(o.cert, "/etc/pptpx/client/bob.pem");
  EXPECT_EQ(o.key, "/etc/pptpx/client/bob.key");
  EXPECT_EQ(o.ca, "/etc/pptpx/client/ca.pem");
  EXPECT_EQ(o.server_name, "vpn.example.net");
  EXPECT_EQ(profile_keys().size(), 30u);
}

TEST(ClientProfile, ProblemsNameFileLineAndColumn) {
  ClientOptions o;
  const auto errors = parse_client_profile("user = 7\nmtu = 9000\npasword_file = \"x\"\nroutes = \"a\"\n", "p.toml", o);
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0].rfind("p.toml:3:16: unknown key 'pasword_file'", 0), 0u) << errors[0];
  EXPECT_EQ(errors[1], "p.toml:1:8: user must be a string in quotes");
  EXPECT_EQ(errors[2], "p.toml:2:7: mtu = 9000 is out of range; use 576 to 1500");
  EXPECT_EQ(errors[3].rfind("p.toml:4:10: routes must be an array", 0), 0u) << errors[3];
  EXPECT_EQ(o.mtu, 1400u);  // untouched
}

TEST(ClientProfile, SyntaxErrorAndMissingFile) {
  ClientOptions o;
  auto errors = parse_client_profile("server = vpn\n", "p.toml", o);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind("p.toml:1:", 0), 0u) << errors[0];
  errors = load_client_profile("/nonexistent/pptpx.toml", o);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind("cannot read the profile /nonexistent/pptpx.toml (No such file", 0), 0u) << errors[0];
}

TEST(ClientPreflight, TunNameLongerThan15IsABadOption) {
  ClientOptions o;
  o.tun_name = "a-very-long-name%d";
  const Preflight p = check_before_dialling(o);
  EXPECT_EQ(p.exit_code, 2);
  EXPECT_EQ(p.problem, "--tun-name \"a-very-long-name%d\" is 18 characters; Linux interface names have 1 to 15, e.g. "
                       "pptpxc%d");
}

TEST(ClientRoutes, HostBitsAreClearedAndFlagged) {
  Ipv4Cidr c;
  ASSERT_EQ(parse_cidr("203.0.113.5/24", c), "");
  EXPECT_TRUE(c.had_host_bits);
  EXPECT_EQ(cidr_text(c), "203.0.113.0/24");
  ASSERT_EQ(parse_cidr("203.0.113.0/24", c), "");
  EXPECT_FALSE(c.had_host_bits);
  Ipv6Cidr c6;
  ASSERT_EQ(parse_cidr6("2001:db8:1::77/64", c6), "");
  EXPECT_TRUE(c6.had_host_bits);
  EXPECT_EQ(cidr_text(c6), "2001:db8:1::/64");
}

}  // namespace
}  // namespace pptpx::client
