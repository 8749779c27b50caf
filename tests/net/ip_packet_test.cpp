#include "net/ip_packet.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <sys/socket.h>

namespace pptpx::net {
namespace {

std::string text(int family, const void* a) {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(family, a, buf, sizeof buf);
  return buf;
}

TEST(IpPacket, ReadsIpv4AndIpv6Addresses) {
  // IPv4 header: 192.0.2.1 -> 198.51.100.7 (bytes 12..19).
  Bytes v4(20, 0);
  v4[0] = 0x45;
  const std::uint8_t s4[] = {192, 0, 2, 1}, d4[] = {198, 51, 100, 7};
  std::copy(s4, s4 + 4, v4.begin() + 12);
  std::copy(d4, d4 + 4, v4.begin() + 16);
  auto a = ip_addresses(v4);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->family, AF_INET);
  EXPECT_EQ(text(AF_INET, &a->src4), "192.0.2.1");
  EXPECT_EQ(text(AF_INET, &a->dst4), "198.51.100.7");

  Bytes v6(40, 0);
  v6[0] = 0x60;
  v6[8] = 0x20, v6[9] = 0x01, v6[10] = 0x0d, v6[11] = 0xb8, v6[23] = 0x01;  // 2001:db8::1
  v6[24] = 0x20, v6[25] = 0x01, v6[26] = 0x0d, v6[27] = 0xb8, v6[39] = 0x02;  // 2001:db8::2
  auto b = ip_addresses(v6);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->family, AF_INET6);
  EXPECT_EQ(text(AF_INET6, &b->src6), "2001:db8::1");
  EXPECT_EQ(text(AF_INET6, &b->dst6), "2001:db8::2");
}

TEST(IpPacket, RefusesShortAndUnknownPackets) {
  Bytes v4(19, 0);
  v4[0] = 0x45;
  EXPECT_FALSE(ip_addresses(v4).has_value());
  Bytes v6(39, 0);
  v6[0] = 0x60;
  EXPECT_FALSE(ip_addresses(v6).has_value());
  Bytes v5(40, 0);
  v5[0] = 0x50;
  EXPECT_FALSE(ip_addresses(v5).has_value());
  EXPECT_FALSE(ip_addresses({}).has_value());
}

}  // namespace
}  // namespace pptpx::net
