// pptpx client's IPv6 options: --route with an IPv6 network, --ipv6-prefix, and the addresses
// built from an IPV6CP interface identifier (RFC 5072 §5: upper 64 bits from the prefix, lower
// 64 the identifier; fe80::/64 for the link-local one, RFC 4291 §2.5.6). Expected texts are
// written out by hand.
#include <arpa/inet.h>
#include <gtest/gtest.h>

#include "client/client_options.hpp"

namespace pptpx::client {
namespace {

TEST(ClientIpv6Options, RouteCidrClearsHostBits) {
  Ipv6Cidr c;
  ASSERT_EQ(parse_cidr6("2001:db8:1::77/64", c), "");
  EXPECT_EQ(ipv6_text(c.network), "2001:db8:1::");
  EXPECT_EQ(c.prefix_len, 64);
  ASSERT_EQ(parse_cidr6("2001:db8:1:2:3:4:5:6/52", c), "");
  EXPECT_EQ(ipv6_text(c.network), "2001:db8:1::");
  ASSERT_EQ(parse_cidr6("2001:db8::9", c), "");
  EXPECT_EQ(ipv6_text(c.network), "2001:db8::9");
  EXPECT_EQ(c.prefix_len, 128);
  ASSERT_EQ(parse_cidr6("::/0", c), "");
  EXPECT_EQ(c.prefix_len, 0);
}

TEST(ClientIpv6Options, RouteRefusalsNameTheOption) {
  Ipv6Cidr c;
  EXPECT_EQ(parse_cidr6("2001:db8::/129", c), "--route \"2001:db8::/129\": the prefix length must be 0..128, as in 2001:db8:1::/64");
  EXPECT_EQ(parse_cidr6("2001:db8::/", c), "--route \"2001:db8::/\": the prefix length must be 0..128, as in 2001:db8:1::/64");
  EXPECT_EQ(parse_cidr6("2001:zz8::/64", c), "--route \"2001:zz8::/64\" is not an IPv6 network; write it as 2001:db8:1::/64");
}

TEST(ClientIpv6Options, PrefixMustLeave64BitsForTheIdentifier) {
  Ipv6Cidr c;
  ASSERT_EQ(parse_ipv6_prefix("2001:db8:1::/64", c), "");
  ASSERT_EQ(parse_ipv6_prefix("2001:db8:1::/48", c), "");
  EXPECT_NE(parse_ipv6_prefix("2001:db8:1::/80", c).find("/64 or shorter"), std::string::npos);
  EXPECT_NE(parse_ipv6_prefix("2001:db8:1::", c).find("/64 or shorter"), std::string::npos);
  EXPECT_NE(parse_ipv6_prefix("nonsense/64", c).find("--ipv6-prefix"), std::string::npos);
}

TEST(ClientIpv6Options, AddressesFromTheInterfaceIdentifier) {
  EXPECT_EQ(ipv6_text(ipv6_link_local(1)), "fe80::1");
  EXPECT_EQ(ipv6_text(ipv6_link_local(0x0211'22ff'fe33'4455ULL)), "fe80::211:22ff:fe33:4455");
  Ipv6Cidr p;
  ASSERT_EQ(parse_ipv6_prefix("2001:db8:1::/64", p), "");
  EXPECT_EQ(ipv6_text(ipv6_with_interface_id(p.network, 0xdead'beef'0000'0001ULL)), "2001:db8:1:0:dead:beef:0:1");
}

}  // namespace
}  // namespace pptpx::client
