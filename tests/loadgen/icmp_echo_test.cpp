// The echo a bench session sends through its tunnel. Checksums are checked against the worked
// IPv4 header example widely used for RFC 1071 (192.168.0.1 -> 192.168.0.199, checksum 0xb861)
// and by re-summing the built packet (a correct checksum makes the one's-complement sum 0xffff).
#include <gtest/gtest.h>

#include <array>

#include "loadgen/icmp_echo.hpp"

namespace pptpx::loadgen {
namespace {

TEST(InternetChecksum, KnownIpv4Header) {
  const std::array<std::uint8_t, 20> h{0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                                       0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
  EXPECT_EQ(internet_checksum(h), 0xb861);
}

TEST(InternetChecksum, OddLengthPadsWithZero) {
  // 0x0102 + 0x0300 = 0x0402 -> ~ = 0xfbfd.
  const std::array<std::uint8_t, 3> b{0x01, 0x02, 0x03};
  EXPECT_EQ(internet_checksum(b), 0xfbfd);
}

TEST(EchoRequest, FieldsAndChecksums) {
  std::array<std::uint8_t, 64> buf{};
  const std::size_t n = build_echo_request(0xC6120010, 0xC6120001, 0x1234, 1, buf);
  ASSERT_EQ(n, kEchoPacketSize);
  EXPECT_EQ(buf[0], 0x45);
  EXPECT_EQ(load_be16(buf.data() + 2), kEchoPacketSize);
  EXPECT_EQ(buf[9], 1);  // ICMP
  EXPECT_EQ(load_be32(buf.data() + 12), 0xC6120010u);
  EXPECT_EQ(load_be32(buf.data() + 16), 0xC6120001u);
  EXPECT_EQ(internet_checksum(ByteView(buf.data(), 20)), 0);       // header checksum verifies
  EXPECT_EQ(buf[20], 8);                                            // Echo Request (RFC 792)
  EXPECT_EQ(internet_checksum(ByteView(buf.data() + 20, n - 20)), 0);
  EXPECT_EQ(load_be16(buf.data() + 24), 0x1234);
  EXPECT_EQ(load_be16(buf.data() + 26), 1);
}

TEST(EchoRequest, RefusesSmallBuffer) {
  std::array<std::uint8_t, kEchoPacketSize - 1> small{};
  EXPECT_EQ(build_echo_request(1, 2, 3, 4, small), 0u);
}

// The reply the server's kernel sends: swap addresses, type 0, fix the ICMP checksum
// (type 8 -> 0 lowers the sum by 0x0800, so the checksum rises by 0x0800: RFC 1624).
std::array<std::uint8_t, kEchoPacketSize> make_reply(std::uint32_t client, std::uint32_t server, std::uint16_t id,
                                                     std::uint16_t seq) {
  std::array<std::uint8_t, kEchoPacketSize> p{};
  build_echo_request(server, client, id, seq, p);  // addresses already swapped; IP checksum matches
  const std::uint16_t old = load_be16(p.data() + 22);
  std::uint32_t c = static_cast<std::uint32_t>(old) + 0x0800;
  c = (c & 0xffff) + (c >> 16);
  p[20] = 0;
  store_be16(p.data() + 22, static_cast<std::uint16_t>(c));
  return p;
}

TEST(EchoReply, Matches) {
  auto r = make_reply(0xC6120010, 0xC6120001, 7, 1);
  EXPECT_TRUE(is_echo_reply(r, 0xC6120001, 0xC6120010, 7, 1));
}

TEST(EchoReply, RejectsOthers) {
  auto r = make_reply(0xC6120010, 0xC6120001, 7, 1);
  EXPECT_FALSE(is_echo_reply(r, 0xC6120001, 0xC6120010, 8, 1));   // other id
  EXPECT_FALSE(is_echo_reply(r, 0xC6120001, 0xC6120010, 7, 2));   // other sequence
  EXPECT_FALSE(is_echo_reply(r, 0xC6120002, 0xC6120010, 7, 1));   // other source
  auto bad = r;
  bad[30] ^= 0x40;  // payload corrupted: the ICMP checksum no longer verifies
  EXPECT_FALSE(is_echo_reply(bad, 0xC6120001, 0xC6120010, 7, 1));
  auto lie = r;
  store_be16(lie.data() + 2, 200);  // total length past the packet
  EXPECT_FALSE(is_echo_reply(lie, 0xC6120001, 0xC6120010, 7, 1));
  EXPECT_FALSE(is_echo_reply(ByteView(r.data(), 19), 0xC6120001, 0xC6120010, 7, 1));  // truncated header
  std::array<std::uint8_t, 64> req{};
  build_echo_request(0xC6120001, 0xC6120010, 7, 1, req);  // a request, not a reply
  EXPECT_FALSE(is_echo_reply(ByteView(req.data(), kEchoPacketSize), 0xC6120001, 0xC6120010, 7, 1));
}

}  // namespace
}  // namespace pptpx::loadgen
