#include "server/address_pool.hpp"

#include <gtest/gtest.h>

#include <set>

namespace pptpx::server {
namespace {

Ipv4Address ip(const char* s) { return *parse_ipv4(s); }
Ipv4Range range(const char* s) {
  std::string why;
  auto r = parse_ipv4_range(s, why);
  EXPECT_TRUE(r.has_value()) << why;
  return *r;
}

TEST(Ipv4Pool, RangeHandsOutEveryAddressOnceThenReportsExhaustion) {
  Ipv4Pool pool(range("198.51.100.10-198.51.100.13"), ip("198.51.100.1"));
  EXPECT_EQ(pool.dynamic_capacity(), 4u);
  std::set<std::string> got;
  for (int i = 0; i < 4; ++i) {
    auto a = pool.allocate("u", std::nullopt);
    ASSERT_TRUE(a.address.has_value()) << a.error;
    got.insert(to_string(*a.address));
  }
  EXPECT_EQ(got, (std::set<std::string>{"198.51.100.10", "198.51.100.11", "198.51.100.12", "198.51.100.13"}));
  auto none = pool.allocate("u", std::nullopt);
  EXPECT_FALSE(none.address.has_value());
  EXPECT_EQ(none.error,
            "the address pool 198.51.100.10-198.51.100.13 is exhausted (4 of 4 addresses in use); widen [ipv4] pool "
            "or lower [limits] max_sessions");
  EXPECT_TRUE(pool.release(ip("198.51.100.12")));
  EXPECT_FALSE(pool.release(ip("198.51.100.12")));
  auto again = pool.allocate("u", std::nullopt);
  ASSERT_TRUE(again.address.has_value());
  EXPECT_EQ(to_string(*again.address), "198.51.100.12");
}

TEST(Ipv4Pool, CidrExcludesNetworkBroadcastAndServer) {
  // 203.0.113.0/29: hosts .1-.6; the server holds .1, so clients get .2-.6 (5 addresses).
  Ipv4Pool pool(range("203.0.113.0/29"), ip("203.0.113.1"));
  EXPECT_EQ(pool.dynamic_capacity(), 5u);
  std::set<std::string> got;
  while (true) {
    auto a = pool.allocate("u", std::nullopt);
    if (!a.address) break;
    got.insert(to_string(*a.address));
  }
  EXPECT_EQ(got, (std::set<std::string>{"203.0.113.2", "203.0.113.3", "203.0.113.4", "203.0.113.5", "203.0.113.6"}));
}

TEST(Ipv4Pool, ReservationsGoOnlyToTheirUser) {
  Ipv4Pool pool(range("198.51.100.10-198.51.100.12"), ip("198.51.100.1"));
  pool.set_reservations({{"bob", ip("198.51.100.11")}, {"carol", ip("192.0.2.77")}});
  EXPECT_EQ(pool.dynamic_capacity(), 2u);  // .11 is bob's; carol's is outside the range
  auto a = pool.allocate("x", std::nullopt);
  auto b = pool.allocate("y", std::nullopt);
  ASSERT_TRUE(a.address && b.address);
  EXPECT_NE(to_string(*a.address), "198.51.100.11");
  EXPECT_NE(to_string(*b.address), "198.51.100.11");
  EXPECT_FALSE(pool.allocate("z", std::nullopt).address.has_value());

  auto bob = pool.allocate("bob", ip("198.51.100.11"));
  ASSERT_TRUE(bob.address.has_value()) << bob.error;
  auto bob2 = pool.allocate("bob", ip("198.51.100.11"));
  EXPECT_FALSE(bob2.address.has_value());
  EXPECT_NE(bob2.error.find("already in use"), std::string::npos);
  auto thief = pool.allocate("mallory", ip("198.51.100.11"));
  EXPECT_NE(thief.error.find("reserved for \"bob\""), std::string::npos) << thief.error;
  auto carol = pool.allocate("carol", ip("192.0.2.77"));
  EXPECT_TRUE(carol.address.has_value());
  EXPECT_FALSE(pool.allocate("eve", ip("198.51.100.1")).address.has_value());  // the server's own
  EXPECT_TRUE(pool.release(ip("198.51.100.11")));
  EXPECT_TRUE(pool.allocate("bob", ip("198.51.100.11")).address.has_value());
}

TEST(Ipv6InterfaceIds, AcceptsGoodProposalsAndReplacesBadOnes) {
  Ipv6InterfaceIds ids(1);
  EXPECT_EQ(ids.allocate(0x1234u, 99), 0x1234u);
  EXPECT_EQ(ids.allocate(0x1234u, 99), 99u);  // taken: falls back to the random value
  EXPECT_EQ(ids.allocate(0u, 7), 7u);         // zero asks us to choose (RFC 5072 §4.1)
  EXPECT_EQ(ids.allocate(1u, 1), 2u);         // the server's id, and the random value hits it too
  EXPECT_EQ(ids.allocate(std::nullopt, 0), 3u);
  // A random identifier has the "u" bit cleared (RFC 5072 §4.1); a proposal is taken as sent.
  EXPECT_EQ(ids.allocate(std::nullopt, 0x0200'0000'0000'0009ULL), 9u);
  EXPECT_EQ(ids.allocate(0x0200'0000'0000'0009ULL, 0), 0x0200'0000'0000'0009ULL);
  EXPECT_TRUE(ids.release(0x1234u));
  EXPECT_EQ(ids.allocate(0x1234u, 5), 0x1234u);
}

TEST(Ipv6InterfaceIds, AddressJoinsPrefixAndId) {
  std::string why;
  auto p = parse_ipv6_prefix("2001:db8:1::/64", why);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(to_string(Ipv6InterfaceIds::address(*p, 0x0200'5efe'0a0b'0c0dULL)), "2001:db8:1:0:200:5efe:a0b:c0d");
}

}  // namespace
}  // namespace pptpx::server

namespace pptpx::server {
namespace {
TEST(IpAddress, KernelTypeConversionsUseNetworkOrder) {
  const in_addr n = to_in_addr(*parse_ipv4("192.0.2.1"));
  const auto* b = reinterpret_cast<const std::uint8_t*>(&n.s_addr);
  EXPECT_EQ(b[0], 192);
  EXPECT_EQ(b[3], 1);
  EXPECT_EQ(to_string(from_in_addr(n)), "192.0.2.1");
  const in6_addr n6 = to_in6_addr(*parse_ipv6("2001:db8::1"));
  EXPECT_EQ(n6.s6_addr[0], 0x20);
  EXPECT_EQ(n6.s6_addr[15], 0x01);
}
}  // namespace
}  // namespace pptpx::server
