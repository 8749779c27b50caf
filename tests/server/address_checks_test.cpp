#include "server/address_checks.hpp"

#include <gtest/gtest.h>

namespace pptpx::server {
namespace {

Ipv4Address ip(const char* s) { return *parse_ipv4(s); }

Config base() {
  Config c;
  c.source_file = "server.toml";
  c.listen.address = "192.0.2.1";
  c.ipv4.server_address = ip("198.51.100.1");
  std::string why;
  c.ipv4.pool = *parse_ipv4_range("198.51.100.10-198.51.100.20", why);
  c.auth.secrets_file = "chap-secrets";
  return c;
}

using Named = std::vector<std::pair<std::string, Ipv4Address>>;

TEST(AddressChecks, SpecialAddressesPerRfc6890) {
  EXPECT_TRUE(special_address(ip("0.0.0.0")));
  EXPECT_TRUE(special_address(ip("0.1.2.3")));
  EXPECT_TRUE(special_address(ip("127.0.0.1")));
  EXPECT_TRUE(special_address(ip("224.0.0.1")));
  EXPECT_TRUE(special_address(ip("239.255.255.255")));
  EXPECT_TRUE(special_address(ip("240.0.0.1")));
  EXPECT_NE(special_address(ip("255.255.255.255"))->find("broadcast"), std::string::npos);
  EXPECT_NE(special_address(ip("224.0.0.1"))->find("multicast"), std::string::npos);
  EXPECT_FALSE(special_address(ip("198.51.100.1")));
  EXPECT_FALSE(special_address(ip("223.255.255.255")));
  EXPECT_FALSE(special_address(ip("1.0.0.0")));
}

TEST(AddressChecks, GoodConfigHasNoProblems) {
  EXPECT_TRUE(check_addresses(base(), {}, Named{{"eth0", ip("192.0.2.1")}, {"lo", ip("127.0.0.1")}}).empty());
  // The server's own tunnel address on its TUN (while it runs) is no clash either.
  EXPECT_TRUE(check_addresses(base(), {}, Named{{"pptpx0", ip("198.51.100.1")}}).empty());
}

TEST(AddressChecks, MulticastLoopbackBroadcastAndZeroAreRejected) {
  Config c = base();
  c.ipv4.server_address = ip("224.0.0.1");
  std::string why;
  c.ipv4.pool = *parse_ipv4_range("224.0.0.1-224.0.0.9", why);
  auto p = check_addresses(c, {}, {});
  ASSERT_EQ(p.size(), 2u);
  EXPECT_NE(p[0].find("[ipv4] server_address 224.0.0.1 is a multicast address"), std::string::npos) << p[0];
  EXPECT_NE(p[1].find("[ipv4] pool 224.0.0.1-224.0.0.9 contains 224.0.0.1, a multicast"), std::string::npos) << p[1];
  c = base();
  c.ipv4.pool = *parse_ipv4_range("126.255.255.250-127.0.0.5", why);
  p = check_addresses(c, {}, {});
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("contains 127.0.0.0, a loopback address"), std::string::npos) << p[0];
  c = base();
  c.ipv4.server_address = ip("0.0.0.0");
  p = check_addresses(c, Named{{"bob", ip("255.255.255.255")}, {"eve", ip("127.0.0.2")}}, {});
  ASSERT_EQ(p.size(), 3u);
  EXPECT_NE(p[0].find("server_address 0.0.0.0 is a \"this network\" address"), std::string::npos) << p[0];
  EXPECT_NE(p[1].find("chap-secrets: the static address 255.255.255.255 of \"bob\" is the limited broadcast"),
            std::string::npos) << p[1];
  EXPECT_NE(p[2].find("127.0.0.2 of \"eve\" is a loopback address"), std::string::npos) << p[2];
  c = base();
  c.listen.address = "224.0.0.5";
  EXPECT_EQ(check_addresses(c, {}, {}).size(), 1u);
  c.listen.address = "127.0.0.1";  // loopback is a fine place to listen
  EXPECT_TRUE(check_addresses(c, {}, {}).empty());
}

TEST(AddressChecks, PoolHoldingTheListenOrAnyLocalAddressIsRejected) {
  Config c = base();
  c.listen.address = "198.51.100.15";
  auto p = check_addresses(c, {}, Named{{"veth0", ip("198.51.100.15")}});
  ASSERT_EQ(p.size(), 1u);  // said once, as the listen address
  EXPECT_NE(p[0].find("pool 198.51.100.10-198.51.100.20 contains the [listen] address 198.51.100.15"),
            std::string::npos) << p[0];
  c = base();
  p = check_addresses(c, Named{{"carol", ip("198.51.100.77")}},
                      Named{{"eth1", ip("198.51.100.12")}, {"eth2", ip("198.51.100.77")}});
  ASSERT_EQ(p.size(), 2u);
  EXPECT_NE(p[0].find("contains 198.51.100.12, an address of this host (eth1)"), std::string::npos) << p[0];
  EXPECT_NE(p[1].find("198.51.100.77 of \"carol\" is an address of this host (eth2)"), std::string::npos) << p[1];
}

TEST(AddressChecks, LocalAddressesIncludeLoopback) {
  bool lo = false;
  for (const auto& [name, a] : local_ipv4_addresses()) lo = lo || a == ip("127.0.0.1");
  EXPECT_TRUE(lo);
}

}  // namespace
}  // namespace pptpx::server
