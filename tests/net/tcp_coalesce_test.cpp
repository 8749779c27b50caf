#include "net/tcp_coalesce.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "net/gso_split.hpp"
#include "tcp_packet_builder.hpp"

namespace pptpx::net {
namespace {

using test::build_tcp;
using test::TcpSpec;
using test::tcp_spec;
using Packet = std::vector<std::uint8_t>;

constexpr std::uint8_t kAck = 0x10, kPsh = 0x08, kFin = 0x01;

// `n` consecutive segments of one flow as a Linux sender puts them on the wire: sequence numbers
// and IPv4 Identifications running on, timestamps option, the last one PSH if asked.
std::vector<Packet> flow(int version, std::size_t n, std::size_t mss, std::size_t last_len, bool psh_last) {
  std::vector<Packet> out;
  for (std::size_t i = 0; i < n; ++i) {
    TcpSpec s = tcp_spec(version);
    s.flags = (psh_last && i + 1 == n) ? kAck | kPsh : kAck;
    s.seq = static_cast<std::uint32_t>(0xffffff00u + i * mss);
    s.ack = 4242;
    s.ip_id = static_cast<std::uint16_t>(0xfffe + i);
    s.options = {1, 1, 8, 10, 0, 0, 1, 0, 0, 0, 2, 0};
    const std::size_t len = i + 1 == n ? last_len : mss;
    for (std::size_t k = 0; k < len; ++k) s.payload.push_back(static_cast<std::uint8_t>(i * 31 + k));
    out.push_back(build_tcp(s));
  }
  return out;
}

// Splits a coalesced frame with gso_split (itself checked against independently built
// segments) and compares with the originals: joining lost nothing and changed nothing.
void expect_round_trip(ByteView frame, const std::vector<Packet>& originals, std::size_t mss) {
  const auto h = decode_virtio_net_hdr(frame);
  ASSERT_TRUE(h);
  std::vector<PacketBuffer> bufs(64);
  const auto r = split_gso(*h, frame.subspan(kVirtioNetHdrSize), 1500, bufs);
  ASSERT_EQ(r.status, GsoStatus::Ok);
  ASSERT_EQ(r.count, originals.size());
  EXPECT_EQ(h->gso_size, mss);
  for (std::size_t i = 0; i < r.count; ++i) {
    const auto v = bufs[i].view();
    EXPECT_EQ(Packet(v.begin(), v.end()), originals[i]) << "segment " << i;
  }
}

TEST(TcpCoalesce, JoinsIpv4RunAndSplitsBackToTheOriginals) {
  const auto segs = flow(4, 5, 1348, 700, true);
  TcpCoalescer c;
  ASSERT_TRUE(c.try_start(segs[0]));
  for (std::size_t i = 1; i < segs.size(); ++i) ASSERT_TRUE(c.try_append(segs[i])) << i;
  const ByteView frame = c.finish();
  const auto h = decode_virtio_net_hdr(frame);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->gso_type, kVirtioGsoTcpv4);
  EXPECT_EQ(h->flags, kVirtioNetHdrNeedsCsum);
  EXPECT_EQ(h->csum_start, 20);
  EXPECT_EQ(h->csum_offset, 16);
  EXPECT_EQ(h->hdr_len, 20 + 32);
  const Packet ip(frame.begin() + kVirtioNetHdrSize, frame.end());
  EXPECT_EQ(ip.size(), 52u + 4 * 1348 + 700);
  EXPECT_EQ(test::get16(ip, 2), ip.size());
  EXPECT_EQ(test::get16(ip, 10), test::ipv4_header_checksum_of(ip));
  // The partial checksum: the pseudo-header sum over the whole TCP length, not complemented.
  const std::size_t tcp_len = ip.size() - 20;
  Packet pseudo(ip.begin() + 12, ip.begin() + 20);
  pseudo.insert(pseudo.end(), {0, 6, static_cast<std::uint8_t>(tcp_len >> 8), static_cast<std::uint8_t>(tcp_len)});
  EXPECT_EQ(test::get16(ip, 36), static_cast<std::uint16_t>(~test::plain_checksum(pseudo)));
  EXPECT_EQ(ip[33] & kPsh, kPsh);  // the last segment's PSH is the super-segment's
  expect_round_trip(frame, segs, 1348);
  EXPECT_TRUE(c.empty());
}

TEST(TcpCoalesce, JoinsIpv6Run) {
  const auto segs = flow(6, 4, 1328, 1328, false);
  TcpCoalescer c;
  ASSERT_TRUE(c.try_start(segs[0]));
  for (std::size_t i = 1; i < segs.size(); ++i) ASSERT_TRUE(c.try_append(segs[i]));
  const ByteView frame = c.finish();
  EXPECT_EQ(decode_virtio_net_hdr(frame)->gso_type, kVirtioGsoTcpv6);
  expect_round_trip(frame, segs, 1328);
}

TEST(TcpCoalesce, LoneSegmentGoesOutUnchangedBehindAZeroHeader) {
  const auto segs = flow(4, 1, 1000, 1000, false);
  TcpCoalescer c;
  ASSERT_TRUE(c.try_start(segs[0]));
  const ByteView frame = c.finish();
  ASSERT_EQ(frame.size(), kVirtioNetHdrSize + segs[0].size());
  EXPECT_EQ(Packet(frame.begin(), frame.begin() + kVirtioNetHdrSize), Packet(kVirtioNetHdrSize, 0));
  EXPECT_EQ(Packet(frame.begin() + kVirtioNetHdrSize, frame.end()), segs[0]);
}

TEST(TcpCoalesce, RunEndsWhereGroWouldEndIt) {
  TcpCoalescer c;
  // A shorter segment closes the run; so does PSH.
  auto segs = flow(4, 4, 1000, 1000, false);
  segs[1] = flow(4, 2, 1000, 500, false)[1];
  ASSERT_TRUE(c.try_start(segs[0]));
  ASSERT_TRUE(c.try_append(segs[1]));
  EXPECT_FALSE(c.try_append(flow(4, 3, 1000, 1000, false)[2]));
  c.finish();
  segs = flow(4, 3, 1000, 1000, false);
  auto psh = flow(4, 2, 1000, 1000, true);
  ASSERT_TRUE(c.try_start(psh[0]));
  ASSERT_TRUE(c.try_append(psh[1]));
  EXPECT_FALSE(c.try_append(segs[2]));
  c.finish();
  // A longer segment than the first, a gap in sequence, a PSH or FIN first segment, pure ACKs.
  ASSERT_TRUE(c.try_start(flow(4, 2, 1000, 1000, false)[0]));
  EXPECT_FALSE(c.try_append(flow(4, 2, 1000, 1200, false)[1]));
  EXPECT_FALSE(c.try_append(segs[2]));  // sequence 2000 where 1000 is next
  c.finish();
  EXPECT_FALSE(c.try_start(psh[1]));
  TcpSpec fin;
  fin.flags = kAck | kFin;
  fin.payload = {1, 2, 3};
  EXPECT_FALSE(c.try_start(build_tcp(fin)));
  TcpSpec ack;
  ack.flags = kAck;
  EXPECT_FALSE(c.try_start(build_tcp(ack)));
  EXPECT_TRUE(c.empty());
}

TEST(TcpCoalesce, OtherFlowOrHeadersAreNotJoined) {
  const auto segs = flow(4, 2, 1000, 1000, false);
  TcpCoalescer c;
  ASSERT_TRUE(c.try_start(segs[0]));
  auto other = segs[1];
  other[20 + 1] ^= 1;  // another source port
  test::put16(other, 20 + 16, test::tcp_checksum_of(other));
  EXPECT_FALSE(c.try_append(other));
  other = segs[1];
  other[20 + 11] ^= 1;  // another acknowledgement number
  test::put16(other, 20 + 16, test::tcp_checksum_of(other));
  EXPECT_FALSE(c.try_append(other));
  other = segs[1];
  other[8] = 3;  // another TTL
  test::put16(other, 10, test::ipv4_header_checksum_of(other));
  EXPECT_FALSE(c.try_append(other));
  other = segs[1];
  test::put16(other, 4, 7);  // Identification not the next one
  test::put16(other, 10, test::ipv4_header_checksum_of(other));
  EXPECT_FALSE(c.try_append(other));
  EXPECT_FALSE(c.try_append(flow(6, 2, 1000, 1000, false)[1]));  // IPv6 into IPv4
  EXPECT_TRUE(c.try_append(segs[1]));
}

TEST(TcpCoalesce, CorruptedSegmentIsNeverJoined) {
  // MPPE has no integrity check: a flipped payload bit must leave the TCP checksum to catch it.
  const auto segs = flow(4, 2, 1000, 1000, false);
  TcpCoalescer c;
  auto bad = segs[0];
  bad[100] ^= 0x40;
  EXPECT_FALSE(c.try_start(bad));
  ASSERT_TRUE(c.try_start(segs[0]));
  bad = segs[1];
  bad[500] ^= 0x01;
  EXPECT_FALSE(c.try_append(bad));
  bad = segs[1];
  bad[9] = 6;
  bad[15] ^= 1;  // IPv4 header checksum wrong
  EXPECT_FALSE(c.try_append(bad));
  bad = segs[1];
  test::put16(bad, 2, static_cast<std::uint16_t>(bad.size() - 1));  // Total Length lies
  EXPECT_FALSE(c.try_append(bad));
}

TEST(TcpCoalesce, StopsBelow64KiB) {
  const auto segs = flow(4, 60, 1348, 1348, false);
  TcpCoalescer c;
  ASSERT_TRUE(c.try_start(segs[0]));
  std::size_t joined = 1;
  while (joined < segs.size() && c.try_append(segs[joined])) ++joined;
  // 52 + 48 * 1348 = 64756 fits; one more would pass 65535.
  EXPECT_EQ(joined, 48u);
  const ByteView frame = c.finish();
  expect_round_trip(frame, std::vector<Packet>(segs.begin(), segs.begin() + 48), 1348);
}

}  // namespace
}  // namespace pptpx::net
