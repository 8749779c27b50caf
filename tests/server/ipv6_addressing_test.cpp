#include "server/ipv6_addressing.hpp"

#include <gtest/gtest.h>

#include "server/session_table.hpp"

namespace pptpx::server {
namespace {

Ipv6Address ip6(const char* s) {
  auto a = parse_ipv6(s);
  EXPECT_TRUE(a.has_value()) << s;
  return a.value_or(Ipv6Address{});
}
Ipv6Prefix prefix(const char* s) {
  std::string why;
  auto p = parse_ipv6_prefix(s, why);
  EXPECT_TRUE(p.has_value()) << why;
  return p.value_or(Ipv6Prefix{});
}

// Expected addresses are written out by hand from RFC 4291 §2.5.6 (fe80::/64 + identifier).
TEST(Ipv6Addressing, LinkLocalIsFe80PlusTheIdentifier) {
  EXPECT_EQ(to_string(link_local_address(1)), "fe80::1");
  EXPECT_EQ(to_string(link_local_address(0x0211'22ff'fe33'4455ULL)), "fe80::211:22ff:fe33:4455");
  EXPECT_EQ(to_string(link_local_address(0xffff'ffff'ffff'ffffULL)), "fe80::ffff:ffff:ffff:ffff");
}

TEST(Ipv6Addressing, WithoutPrefixOnlyTheLinkLocalAddress) {
  Ipv6Addressing a(std::nullopt);
  auto v = a.addresses(0x2a);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(to_string(v[0]), "fe80::2a");
  EXPECT_EQ(a.interface_id(ip6("fe80::2a")), 0x2au);
  EXPECT_EQ(a.interface_id(ip6("2001:db8:1::2a")), std::nullopt);
}

TEST(Ipv6Addressing, PrefixAddressTakesTheUpper64BitsOfThePrefix) {
  Ipv6Addressing a(prefix("2001:db8:1::/64"));
  auto v = a.addresses(0x1234'5678'9abc'def0ULL);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(to_string(v[0]), "fe80::1234:5678:9abc:def0");
  EXPECT_EQ(to_string(v[1]), "2001:db8:1:0:1234:5678:9abc:def0");
  // A /48 puts the identifier after 16 zero bits of subnet id.
  Ipv6Addressing b(prefix("2001:db8:2::/48"));
  EXPECT_EQ(to_string(b.addresses(5).at(1)), "2001:db8:2::5");
}

TEST(Ipv6Addressing, InterfaceIdOnlyForOurTwoNetworks) {
  Ipv6Addressing a(prefix("2001:db8:1::/64"));
  EXPECT_EQ(a.interface_id(ip6("fe80::7")), 7u);
  EXPECT_EQ(a.interface_id(ip6("2001:db8:1::7")), 7u);
  EXPECT_EQ(a.interface_id(ip6("2001:db8:1:0:ffff::1")), 0xffff'0000'0000'0001ULL);
  EXPECT_EQ(a.interface_id(ip6("2001:db8:1:1::7")), std::nullopt);  // another /64 of the same /48
  EXPECT_EQ(a.interface_id(ip6("fe80:0:0:1::7")), std::nullopt);    // not in fe80::/64
  EXPECT_EQ(a.interface_id(ip6("ff02::1")), std::nullopt);          // multicast
  EXPECT_EQ(a.interface_id(ip6("::")), std::nullopt);               // unspecified
  EXPECT_EQ(a.interface_id(ip6("2001:db8:1::")), std::nullopt);     // subnet-router anycast
  EXPECT_EQ(a.interface_id(ip6("2001:db8:9::7")), std::nullopt);
}

TEST(Ipv6Addressing, InterfaceIdFromHeaderBytes) {
  Ipv6Addressing a(prefix("2001:db8:1::/64"));
  const Ipv6Address x = ip6("2001:db8:1::abcd");
  EXPECT_EQ(a.interface_id(ByteView(x.bytes.data(), 16)), 0xabcdu);
  EXPECT_EQ(a.interface_id(ByteView(x.bytes.data(), 15)), std::nullopt);
}

struct FakeConnection {};

// The daemon's dispatch: destination address -> identifier -> (connection, call).
TEST(Ipv6Addressing, SessionTableDispatchesByIdentifierOfEitherAddress) {
  Ipv6Addressing a(prefix("2001:db8:1::/64"));
  SessionTable<FakeConnection> t;
  FakeConnection c1, c2;
  t.add_ipv6(0x11, &c1, 7);
  t.add_ipv6(0x22, &c2, 9);
  for (const char* dst : {"fe80::11", "2001:db8:1::11"}) {
    auto id = a.interface_id(ip6(dst));
    ASSERT_TRUE(id.has_value()) << dst;
    const auto* r = t.find_ipv6(*id);
    ASSERT_NE(r, nullptr) << dst;
    EXPECT_EQ(r->connection, &c1);
    EXPECT_EQ(r->call_id, 7);
  }
  EXPECT_EQ(t.find_ipv6(*a.interface_id(ip6("2001:db8:1::22")))->call_id, 9);
  EXPECT_EQ(t.find_ipv6(*a.interface_id(ip6("2001:db8:1::33"))), nullptr);
  t.remove_ipv6(0x11);
  EXPECT_EQ(t.find_ipv6(0x11), nullptr);
  EXPECT_NE(t.find_ipv6(0x22), nullptr);
}

}  // namespace
}  // namespace pptpx::server
