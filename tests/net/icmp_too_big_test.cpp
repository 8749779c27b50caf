#include "net/icmp_too_big.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "support/hex_literal.hpp"

namespace pptpx::net {
namespace {

using Buf = std::vector<std::uint8_t>;

// A plain RFC 1071 ones'-complement sum, written here independently of net/inet_checksum.hpp.
std::uint16_t ones_sum(const Buf& b) {
  std::uint32_t s = 0;
  for (std::size_t i = 0; i < b.size(); i += 2) {
    const std::uint32_t hi = b[i];
    const std::uint32_t lo = i + 1 < b.size() ? b[i + 1] : 0;
    s += (hi << 8) | lo;
    s = (s & 0xffff) + (s >> 16);
  }
  return static_cast<std::uint16_t>(s);
}
std::uint16_t checksum(const Buf& b) { return static_cast<std::uint16_t>(~ones_sum(b) & 0xffff); }

Buf cat(Buf a, const Buf& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}
Buf slice(const Buf& b, std::size_t from, std::size_t n) {
  return Buf(b.begin() + static_cast<std::ptrdiff_t>(from), b.begin() + static_cast<std::ptrdiff_t>(from + n));
}
void put16(Buf& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::uint8_t>(v >> 8);
  b[at + 1] = static_cast<std::uint8_t>(v);
}

// 198.51.100.1 -> 203.0.113.10, DF, `total` octets, protocol `proto`, payload bytes i*7.
Buf ipv4(std::size_t total, std::uint8_t proto = 17, std::uint16_t flags = 0x4000,
         const char* src_dst = "c6336401cb00710a") {
  Buf p = cat(test::hex("450000001234400000000000"), test::hex(src_dst));
  p[8] = 63;
  p[9] = proto;
  put16(p, 2, static_cast<std::uint16_t>(total));
  put16(p, 6, flags);
  put16(p, 10, checksum(p));
  for (std::size_t i = 20; i < total; ++i) p.push_back(static_cast<std::uint8_t>(i * 7));
  return p;
}

constexpr std::uint32_t kServer = 0xcb007101;  // 203.0.113.1

TEST(IcmpTooBig, Ipv4FragNeededBytes) {
  const Buf in = ipv4(1328);
  std::array<std::uint8_t, 1280> out{};
  const std::size_t n = build_icmp4_frag_needed(in, 1200, kServer, out);
  ASSERT_EQ(n, 576u);  // RFC 1812 §4.3.2.3: as much as fits in 576
  // IPv4 header: total 576 (0x0240), TTL 64, protocol 1, 203.0.113.1 -> 198.51.100.1.
  Buf ip = test::hex("45000240000000004001 0000 cb007101c6336401");
  put16(ip, 10, checksum(ip));
  // ICMP: type 3 code 4, checksum, unused 0, next-hop MTU 1200 (0x04b0), then the original.
  Buf icmp = cat(test::hex("0304000000 0004b0"), slice(in, 0, 576 - 28));
  put16(icmp, 2, checksum(icmp));
  EXPECT_EQ(Buf(out.begin(), out.begin() + 576), cat(ip, icmp));
  EXPECT_EQ(ones_sum(Buf(out.begin() + 20, out.begin() + 576)), 0xffff);
}

TEST(IcmpTooBig, Ipv4ShortPacketQuotedWhole) {
  const Buf in = ipv4(100);
  std::array<std::uint8_t, 576> out{};
  ASSERT_EQ(build_icmp4_frag_needed(in, 68, kServer, out), 128u);
  EXPECT_EQ(Buf(out.begin() + 28, out.begin() + 128), in);
  EXPECT_EQ(out[26], 0);
  EXPECT_EQ(out[27], 68);
}

TEST(IcmpTooBig, Ipv4NoErrorAboutErrorsFragmentsOrMulticast) {
  std::array<std::uint8_t, 576> out{};
  Buf err = ipv4(600, 1);
  err[20] = 3;  // an ICMP Destination Unreachable: never answered (RFC 1812 §4.3.2.7)
  EXPECT_EQ(build_icmp4_frag_needed(err, 576, kServer, out), 0u);
  err[20] = 11;  // Time Exceeded
  EXPECT_EQ(build_icmp4_frag_needed(err, 576, kServer, out), 0u);
  Buf echo = ipv4(600, 1);
  echo[20] = 8;  // an echo request is answered
  EXPECT_EQ(build_icmp4_frag_needed(echo, 576, kServer, out), 576u);
  EXPECT_EQ(build_icmp4_frag_needed(ipv4(600, 17, 0x4000 | 100), 576, kServer, out), 0u);  // non-first fragment
  EXPECT_NE(build_icmp4_frag_needed(ipv4(600, 17, 0x4000 | 0x2000), 576, kServer, out), 0u);  // first fragment
  EXPECT_EQ(build_icmp4_frag_needed(ipv4(600, 17, 0x4000, "c6336401e0000001"), 576, kServer, out), 0u);  // to 224.0.0.1
  EXPECT_EQ(build_icmp4_frag_needed(ipv4(600, 17, 0x4000, "c6336401ffffffff"), 576, kServer, out), 0u);  // broadcast
  EXPECT_EQ(build_icmp4_frag_needed(ipv4(600, 17, 0x4000, "00000000cb00710a"), 576, kServer, out), 0u);  // from 0
  EXPECT_EQ(build_icmp4_frag_needed(ipv4(600, 17, 0x4000, "e0000001cb00710a"), 576, kServer, out), 0u);  // from mcast
  EXPECT_EQ(build_icmp4_frag_needed(test::hex("4500"), 576, kServer, out), 0u);  // runt
  std::array<std::uint8_t, 575> small{};
  EXPECT_EQ(build_icmp4_frag_needed(ipv4(600), 576, kServer, small), 0u);
}

const Buf kSrc6 = test::hex("20010db8000000000000000000000001");  // 2001:db8::1 (the sender)
const Buf kDst6 = test::hex("20010db8000000010000000000000002");
const Buf kOurs6 = test::hex("20010db800000001000000000000000a");

// An IPv6 packet of `total` octets from kSrc6: next header `next`, then `ext` (extension headers).
Buf ipv6(std::size_t total, std::uint8_t next, const Buf& ext = {}, const Buf& src = kSrc6) {
  Buf p = test::hex("6000000000000000");
  put16(p, 4, static_cast<std::uint16_t>(total - 40));
  p[6] = next;
  p[7] = 64;
  p = cat(cat(cat(p, src), kDst6), ext);
  while (p.size() < total) p.push_back(static_cast<std::uint8_t>(p.size() * 5));
  return p;
}

std::span<const std::uint8_t, 16> addr(const Buf& b) { return std::span<const std::uint8_t, 16>(b.data(), 16); }

TEST(IcmpTooBig, Ipv6PacketTooBigBytes) {
  const Buf in = ipv6(1400, 17);
  std::array<std::uint8_t, 1280> out{};
  ASSERT_EQ(build_icmp6_packet_too_big(in, 1200, addr(kOurs6), out), 1280u);
  // Payload length 1240 (0x04d8), next header 58, hop limit 64, ours -> the sender.
  const Buf ip = cat(cat(test::hex("60000000 04d8 3a 40"), kOurs6), kSrc6);
  Buf icmp = cat(test::hex("02000000 000004b0"), slice(in, 0, 1280 - 48));
  // RFC 4443 §2.3: the pseudo-header of RFC 8200 §8.1.
  const Buf pseudo = cat(cat(kOurs6, kSrc6), test::hex("000004d8 0000003a"));
  put16(icmp, 2, checksum(cat(pseudo, icmp)));
  EXPECT_EQ(Buf(out.begin(), out.end()), cat(ip, icmp));
}

TEST(IcmpTooBig, Ipv6NoErrorAboutErrorsOrFragments) {
  std::array<std::uint8_t, 1280> out{};
  Buf err = ipv6(1400, 58);
  err[40] = 2;  // a Packet Too Big itself: RFC 4443 §2.4 (e.1)
  EXPECT_EQ(build_icmp6_packet_too_big(err, 1280, addr(kOurs6), out), 0u);
  err[40] = 128;  // an echo request is answered
  EXPECT_EQ(build_icmp6_packet_too_big(err, 1280, addr(kOurs6), out), 1280u);
  // Behind a destination-options header (8 octets) and a first fragment header: still an error.
  Buf behind = ipv6(1400, 60, test::hex("2c00000000000000 3a00000100000001 01"));
  EXPECT_EQ(build_icmp6_packet_too_big(behind, 1280, addr(kOurs6), out), 0u);
  behind[56] = 129;  // echo reply behind the same headers
  EXPECT_EQ(build_icmp6_packet_too_big(behind, 1280, addr(kOurs6), out), 1280u);
  // A non-first fragment (offset 8 units): nothing.
  EXPECT_EQ(build_icmp6_packet_too_big(ipv6(1400, 44, test::hex("1100004100000001")), 1280, addr(kOurs6), out), 0u);
  // A multicast or unspecified source: nothing.
  EXPECT_EQ(build_icmp6_packet_too_big(ipv6(1400, 17, {}, test::hex("ff020000000000000000000000000001")), 1280,
                                       addr(kOurs6), out),
            0u);
  EXPECT_EQ(build_icmp6_packet_too_big(ipv6(1400, 17, {}, Buf(16, 0)), 1280, addr(kOurs6), out), 0u);
  // A chain cut short: cannot tell what it carries.
  EXPECT_EQ(build_icmp6_packet_too_big(ipv6(41, 0), 1280, addr(kOurs6), out), 0u);
  EXPECT_EQ(build_icmp6_packet_too_big(ipv4(1400), 1280, addr(kOurs6), out), 0u);
}

TEST(IcmpTooBig, RateLimitBucket) {
  IcmpRateLimit limit(100, 5);
  const Time t0 = Time{} + std::chrono::seconds(5);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limit.allow(t0)) << i;
  EXPECT_FALSE(limit.allow(t0));
  EXPECT_FALSE(limit.allow(t0 + std::chrono::milliseconds(9)));  // 100/s: a token each 10 ms
  EXPECT_TRUE(limit.allow(t0 + std::chrono::milliseconds(10)));
  EXPECT_FALSE(limit.allow(t0 + std::chrono::milliseconds(15)));
  EXPECT_TRUE(limit.allow(t0 + std::chrono::milliseconds(20)));
  // A long quiet spell refills only up to the burst.
  const Time t1 = t0 + std::chrono::seconds(60);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limit.allow(t1)) << i;
  EXPECT_FALSE(limit.allow(t1));
}

}  // namespace
}  // namespace pptpx::net
