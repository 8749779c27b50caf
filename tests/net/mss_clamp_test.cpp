#include "net/mss_clamp.hpp"

#include <gtest/gtest.h>

#include "tcp_packet_builder.hpp"

namespace pptpx::net {
namespace {

using test::build_tcp;
using test::get16;
using test::TcpSpec;

constexpr std::uint8_t kSyn = 0x02, kAck = 0x10;

std::vector<std::uint8_t> mss_option(std::uint16_t mss) {
  return {2, 4, static_cast<std::uint8_t>(mss >> 8), static_cast<std::uint8_t>(mss)};
}

// Builds the packet, clamps it, and checks the result against an independently built packet
// with the expected MSS (whose checksum the builder computed from scratch).
void expect_clamped(TcpSpec spec, std::size_t mss_at_in_options, std::uint16_t mtu, std::uint16_t want_mss) {
  std::vector<std::uint8_t> p = build_tcp(spec);
  ASSERT_TRUE(clamp_tcp_mss(p, mtu));
  spec.options[mss_at_in_options + 2] = static_cast<std::uint8_t>(want_mss >> 8);
  spec.options[mss_at_in_options + 3] = static_cast<std::uint8_t>(want_mss);
  const std::vector<std::uint8_t> want = build_tcp(spec);
  EXPECT_EQ(p, want);
}

TEST(MssClamp, MssForMtuSubtractsFixedHeaders) {
  EXPECT_EQ(mss_for_mtu(1400, 4), 1360);  // 20 IPv4 + 20 TCP
  EXPECT_EQ(mss_for_mtu(1400, 6), 1340);  // 40 IPv6 + 20 TCP
  EXPECT_EQ(mss_for_mtu(40, 4), 0);
}

TEST(MssClamp, LowersIpv4SynMssAndFixesChecksum) {
  TcpSpec s;
  s.options = mss_option(1460);
  expect_clamped(s, 0, 1400, 1360);
}

TEST(MssClamp, LowersSynAck) {
  TcpSpec s;
  s.flags = kSyn | kAck;
  s.ack = 77;
  s.options = mss_option(8960);
  s.options.insert(s.options.end(), {1, 1, 4, 2});  // NOP NOP SACK-permitted
  expect_clamped(s, 0, 1400, 1360);
}

TEST(MssClamp, LowersIpv6SynMss) {
  TcpSpec s;
  s.version = 6;
  const std::uint8_t src[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  const std::uint8_t dst[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
  std::copy(std::begin(src), std::end(src), s.src);
  std::copy(std::begin(dst), std::end(dst), s.dst);
  s.options = mss_option(1440);
  expect_clamped(s, 0, 1400, 1340);
}

TEST(MssClamp, MssAtOddOffsetAfterOneNop) {
  TcpSpec s;
  s.options = {1};  // NOP: the MSS value now starts at an odd offset in the TCP header
  auto m = mss_option(1460);
  s.options.insert(s.options.end(), m.begin(), m.end());
  s.options.insert(s.options.end(), {1, 1, 1});
  expect_clamped(s, 1, 1400, 1360);
}

TEST(MssClamp, MssAfterWindowScale) {
  TcpSpec s;
  s.options = {3, 3, 7};  // window scale (3 octets), MSS follows at an odd offset
  auto m = mss_option(65495);
  s.options.insert(s.options.end(), m.begin(), m.end());
  s.options.insert(s.options.end(), {4, 2});
  expect_clamped(s, 3, 1400, 1360);
}

TEST(MssClamp, ChecksumRightForManyValuesAndAlignments) {
  // Sweeps the old MSS, the payload (so the checksum takes many values, 0x0000 and 0xffff
  // included somewhere) and both alignments; each result is compared with a packet built
  // from scratch.
  for (int nops = 0; nops < 2; ++nops) {
    for (std::uint32_t mss = 1361; mss < 65536; mss += 997) {
      for (std::uint8_t b = 0; b < 5; ++b) {
        TcpSpec s;
        s.options.assign(static_cast<std::size_t>(nops), 1);
        auto m = mss_option(static_cast<std::uint16_t>(mss));
        s.options.insert(s.options.end(), m.begin(), m.end());
        s.payload = {b, static_cast<std::uint8_t>(mss), static_cast<std::uint8_t>(b * 37)};
        expect_clamped(s, static_cast<std::size_t>(nops), 1400, 1360);
      }
    }
  }
}

TEST(MssClamp, LeavesSmallerMssAlone) {
  TcpSpec s;
  s.options = mss_option(1200);
  auto p = build_tcp(s);
  const auto before = p;
  EXPECT_FALSE(clamp_tcp_mss(p, 1400));
  EXPECT_EQ(p, before);
  s.options = mss_option(1360);  // exactly the limit
  p = build_tcp(s);
  EXPECT_FALSE(clamp_tcp_mss(p, 1400));
}

TEST(MssClamp, LeavesNonSynAlone) {
  TcpSpec s;
  s.flags = kAck;
  s.options = mss_option(1460);
  auto p = build_tcp(s);
  EXPECT_FALSE(clamp_tcp_mss(p, 1400));
}

TEST(MssClamp, SynWithoutOptionsOrWithoutMss) {
  TcpSpec s;
  auto p = build_tcp(s);
  EXPECT_FALSE(clamp_tcp_mss(p, 1400));
  s.options = {1, 1, 4, 2, 3, 3, 7, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2};  // SACK-perm, wscale, timestamps
  p = build_tcp(s);
  EXPECT_FALSE(clamp_tcp_mss(p, 1400));
}

TEST(MssClamp, MssAfterEndOfOptionListIsIgnored) {
  TcpSpec s;
  s.options = {0, 0, 0, 0};  // End of Option List: what follows is padding (RFC 9293 §3.1)
  auto m = mss_option(1460);
  s.options.insert(s.options.end(), m.begin(), m.end());
  auto p = build_tcp(s);
  EXPECT_FALSE(clamp_tcp_mss(p, 1400));
}

TEST(MssClamp, TruncatedOptionsAreNotReadPastTheHeader) {
  // An MSS option whose value would lie beyond the Data Offset: the option area is 4 octets
  // (NOP NOP then kind 2, length 4 running 2 octets past it). The octets after the header are
  // payload that looks like an MSS value; it must not be read or written.
  TcpSpec s;
  s.options = {1, 1, 2, 4};
  s.payload = {0x05, 0xb4, 0x05, 0xb4};
  auto p = build_tcp(s);
  const auto before = p;
  EXPECT_FALSE(clamp_tcp_mss(p, 1400));
  EXPECT_EQ(p, before);

  // Kind 2 as the very last octet of the option area (no length octet).
  s.options = {1, 1, 1, 2};
  s.payload = {4, 0x05, 0xb4};
  p = build_tcp(s);
  EXPECT_FALSE(clamp_tcp_mss(p, 1400));

  // A length below 2 (a lie that would loop forever) and a wrong MSS length.
  s.options = {8, 0, 2, 4, 0x05, 0xb4, 0, 0};
  s.payload.clear();
  p = build_tcp(s);
  EXPECT_FALSE(clamp_tcp_mss(p, 1400));
  s.options = {2, 3, 0x05, 0xb4};
  p = build_tcp(s);
  EXPECT_FALSE(clamp_tcp_mss(p, 1400));
}

TEST(MssClamp, TruncatedPacketsAreLeftAlone) {
  TcpSpec s;
  s.options = mss_option(1460);
  const auto full = build_tcp(s);
  // Every prefix: the IPv4 Total Length (or, for the shortest, the fixed headers) no longer
  // fits, so nothing is read past the span and nothing changes.
  for (std::size_t n = 0; n < full.size(); ++n) {
    std::vector<std::uint8_t> cut(full.begin(), full.begin() + static_cast<long>(n));
    const auto before = cut;
    EXPECT_FALSE(clamp_tcp_mss(cut, 1400)) << n;
    EXPECT_EQ(cut, before);
  }
  // Data Offset pointing past the IP payload.
  auto p = full;
  p[20 + 12] = 0xf0;
  EXPECT_FALSE(clamp_tcp_mss(p, 1400));
  // IHL below 5.
  p = full;
  p[0] = 0x44;
  EXPECT_FALSE(clamp_tcp_mss(p, 1400));
}

TEST(MssClamp, NotTcpOrLaterFragmentIsLeftAlone) {
  TcpSpec s;
  s.options = mss_option(1460);
  auto p = build_tcp(s);
  p[9] = 17;  // UDP
  EXPECT_FALSE(clamp_tcp_mss(p, 1400));
  p = build_tcp(s);
  p[6] = 0x00;
  p[7] = 0x10;  // fragment offset 128 octets: no TCP header here
  EXPECT_FALSE(clamp_tcp_mss(p, 1400));
  std::vector<std::uint8_t> garbage = {0x15, 0, 0};
  EXPECT_FALSE(clamp_tcp_mss(garbage, 1400));
}

TEST(MssClamp, Ipv6HopByHopHeaderIsSkipped) {
  TcpSpec s;
  s.version = 6;
  s.options = mss_option(1440);
  auto p = build_tcp(s);
  // Insert an 8-octet Hop-by-Hop header (next header TCP, length 0, PadN) after the fixed
  // header; the TCP checksum does not cover it (RFC 8200 §8.1), so it stays right.
  std::vector<std::uint8_t> hbh = {6, 0, 1, 4, 0, 0, 0, 0};
  p.insert(p.begin() + 40, hbh.begin(), hbh.end());
  p[6] = 0;
  test::put16(p, 4, static_cast<std::uint16_t>(get16(p, 4) + 8));
  ASSERT_TRUE(clamp_tcp_mss(p, 1400));
  EXPECT_EQ(get16(p, 48 + 22), 1340);
  std::vector<std::uint8_t> without(p);
  without.erase(without.begin() + 40, without.begin() + 48);
  without[6] = 6;
  test::put16(without, 4, static_cast<std::uint16_t>(get16(without, 4) - 8));
  EXPECT_EQ(get16(without, 40 + 16), test::tcp_checksum_of(without));
}

}  // namespace
}  // namespace pptpx::net
