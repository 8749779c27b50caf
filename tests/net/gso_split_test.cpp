#include "net/gso_split.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "tcp_packet_builder.hpp"

namespace pptpx::net {
namespace {

using test::build_tcp;
using test::TcpSpec;
using test::tcp_spec;

constexpr std::uint8_t kAck = 0x10, kPsh = 0x08, kFin = 0x01, kCwr = 0x80, kEce = 0x40;

std::vector<std::uint8_t> pattern(std::size_t n) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(i * 7 + (i >> 8));
  return v;
}

TcpSpec data_spec(int version, std::size_t payload) {
  TcpSpec s = tcp_spec(version);
  s.flags = kAck | kPsh;
  s.seq = 0xfffff000u;  // wraps within the super-segment
  s.ack = 0x01020304;
  s.options = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2};  // NOP NOP timestamps: Data Offset 8
  s.payload = pattern(payload);
  return s;
}

// The super-segment as the kernel hands it over: one IP + TCP header in front of all the
// payload, the TCP checksum field holding something the split must not rely on.
std::vector<std::uint8_t> super_segment(const TcpSpec& s) {
  auto p = build_tcp(s);
  const std::size_t l4 = s.version == 6 ? 40 : 20;
  p[l4 + 16] = 0xde;
  p[l4 + 17] = 0xad;
  return p;
}

VirtioNetHdr tso_hdr(int version, std::uint16_t gso_size) {
  VirtioNetHdr h;
  h.flags = kVirtioNetHdrNeedsCsum;
  h.gso_type = version == 6 ? kVirtioGsoTcpv6 : kVirtioGsoTcpv4;
  h.gso_size = gso_size;
  h.csum_start = version == 6 ? 40 : 20;
  h.csum_offset = 16;
  h.hdr_len = static_cast<std::uint16_t>(h.csum_start + 32);
  return h;
}

// What the kernel's TCP would have sent, segment by segment, built from scratch.
std::vector<std::vector<std::uint8_t>> expected_segments(const TcpSpec& s, std::size_t seg) {
  std::vector<std::vector<std::uint8_t>> out;
  const std::size_t n = s.payload.empty() ? 1 : (s.payload.size() + seg - 1) / seg;
  for (std::size_t i = 0; i < n; ++i) {
    TcpSpec e = s;
    const std::size_t from = i * seg;
    const std::size_t len = std::min(seg, s.payload.size() - from);
    e.payload.assign(s.payload.begin() + static_cast<long>(from), s.payload.begin() + static_cast<long>(from + len));
    e.seq = static_cast<std::uint32_t>(s.seq + from);
    e.ip_id = static_cast<std::uint16_t>(s.ip_id + i);
    if (i + 1 != n) e.flags = static_cast<std::uint8_t>(e.flags & ~(kFin | kPsh));
    if (i != 0) e.flags = static_cast<std::uint8_t>(e.flags & ~kCwr);
    out.push_back(build_tcp(e));
  }
  return out;
}

void expect_split(const TcpSpec& s, std::uint16_t gso_size, std::size_t max_packet, std::size_t want_seg) {
  const auto in = super_segment(s);
  std::vector<PacketBuffer> bufs(64);
  const auto r = split_gso(tso_hdr(s.version, gso_size), in, max_packet, bufs);
  ASSERT_EQ(r.status, GsoStatus::Ok);
  const auto want = expected_segments(s, want_seg);
  ASSERT_EQ(r.count, want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    const auto v = bufs[i].view();
    EXPECT_EQ(std::vector<std::uint8_t>(v.begin(), v.end()), want[i]) << "segment " << i;
    EXPECT_EQ(bufs[i].headroom(), PacketBuffer::kDefaultHeadroom);
  }
}

TEST(VirtioNetHdr, DecodesLittleEndianFields) {
  const std::uint8_t raw[10] = {1, 1, 0x42, 0, 0x50, 0x05, 0x14, 0, 0x10, 0};
  const auto h = decode_virtio_net_hdr(raw);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->flags, kVirtioNetHdrNeedsCsum);
  EXPECT_EQ(h->gso_type, kVirtioGsoTcpv4);
  EXPECT_EQ(h->hdr_len, 66);
  EXPECT_EQ(h->gso_size, 1360);
  EXPECT_EQ(h->csum_start, 20);
  EXPECT_EQ(h->csum_offset, 16);
  std::uint8_t back[10] = {};
  encode_virtio_net_hdr(*h, back);
  EXPECT_EQ(std::vector<std::uint8_t>(back, back + 10), std::vector<std::uint8_t>(raw, raw + 10));
  EXPECT_FALSE(decode_virtio_net_hdr(ByteView(raw, 9)));
}

TEST(GsoSplit, Ipv4SuperSegmentMatchesKernelSegmentation) {
  auto s = data_spec(4, 5000);
  s.flags = kAck | kPsh | kFin;
  s.ip_id = 0xfffe;  // Identification wraps too
  expect_split(s, 1348, 1400, 1348);  // 4 segments: 3 x 1348 + 956
}

TEST(GsoSplit, Ipv6SuperSegmentMatchesKernelSegmentation) {
  auto s = data_spec(6, 4000);
  expect_split(s, 1328, 1400, 1328);
}

TEST(GsoSplit, ExactMultipleAndOddLastSegment) {
  expect_split(data_spec(4, 3 * 1000), 1000, 1400, 1000);
  expect_split(data_spec(4, 2 * 1000 + 1), 1000, 1400, 1000);
}

TEST(GsoSplit, SegmentsShrinkToMaxPacket) {
  // The kernel's gso_size is 1448 but the tunnel carries at most 1200-octet packets: segments
  // carry 1200 - 20 - 32 = 1148 octets.
  expect_split(data_spec(4, 6000), 1448, 1200, 1148);
}

TEST(GsoSplit, CwrOnlyOnFirstSegmentEceOnAll) {
  auto s = data_spec(4, 3000);
  s.flags = kAck | kCwr | kEce;
  VirtioNetHdr h = tso_hdr(4, 1000);
  h.gso_type |= kVirtioGsoEcn;
  const auto in = super_segment(s);
  std::vector<PacketBuffer> bufs(8);
  const auto r = split_gso(h, in, 1400, bufs);
  ASSERT_EQ(r.status, GsoStatus::Ok);
  const auto want = expected_segments(s, 1000);
  ASSERT_EQ(r.count, 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto v = bufs[i].view();
    EXPECT_EQ(std::vector<std::uint8_t>(v.begin(), v.end()), want[i]);
    EXPECT_EQ(v[20 + 13] & kEce, kEce);
    EXPECT_EQ(v[20 + 13] & kCwr, i == 0 ? kCwr : 0);
  }
}

TEST(GsoSplit, PartialChecksumIsCompleted) {
  // A single packet with CHECKSUM_PARTIAL: the field holds the folded pseudo-header sum, not
  // complemented (what the kernel's csum_tcpudp_magic / tcp_v4_send_check leave there).
  for (int version : {4, 6}) {
    auto s = data_spec(version, 777);
    const auto want = build_tcp(s);
    auto in = want;
    const std::size_t l4 = version == 6 ? 40 : 20;
    std::vector<std::uint8_t> pseudo;
    if (version == 6) {
      pseudo.assign(in.begin() + 8, in.begin() + 40);
    } else {
      pseudo.assign(in.begin() + 12, in.begin() + 20);
    }
    const std::size_t tcp_len = in.size() - l4;
    pseudo.insert(pseudo.end(), {0, 6, static_cast<std::uint8_t>(tcp_len >> 8), static_cast<std::uint8_t>(tcp_len)});
    const std::uint16_t partial = static_cast<std::uint16_t>(~test::plain_checksum(pseudo));
    test::put16(in, l4 + 16, partial);
    VirtioNetHdr h;
    h.flags = kVirtioNetHdrNeedsCsum;
    h.csum_start = static_cast<std::uint16_t>(l4);
    h.csum_offset = 16;
    std::vector<PacketBuffer> bufs(1);
    const auto r = split_gso(h, in, 1400, bufs);
    ASSERT_EQ(r.status, GsoStatus::Ok);
    ASSERT_EQ(r.count, 1u);
    const auto v = bufs[0].view();
    EXPECT_EQ(std::vector<std::uint8_t>(v.begin(), v.end()), want) << "IPv" << version;
  }
}

TEST(GsoSplit, PlainPacketIsCopiedUnchanged) {
  auto s = data_spec(4, 100);
  const auto in = build_tcp(s);
  std::vector<PacketBuffer> bufs(1);
  const auto r = split_gso(VirtioNetHdr{}, in, 1400, bufs);
  ASSERT_EQ(r.status, GsoStatus::Ok);
  ASSERT_EQ(r.count, 1u);
  const auto v = bufs[0].view();
  EXPECT_EQ(std::vector<std::uint8_t>(v.begin(), v.end()), in);
}

TEST(GsoSplit, RefusesLies) {
  const auto s = data_spec(4, 3000);
  const auto in = super_segment(s);
  std::vector<PacketBuffer> bufs(64);
  auto h = tso_hdr(4, 1000);

  auto bad = h;
  bad.csum_start = 24;  // not where the IHL says TCP starts
  EXPECT_EQ(split_gso(bad, in, 1400, bufs).status, GsoStatus::Malformed);
  bad = h;
  bad.flags = 0;  // a super-segment without NEEDS_CSUM
  EXPECT_EQ(split_gso(bad, in, 1400, bufs).status, GsoStatus::Malformed);
  bad = h;
  bad.gso_size = 0;
  EXPECT_EQ(split_gso(bad, in, 1400, bufs).status, GsoStatus::Malformed);
  bad = h;
  bad.gso_type = kVirtioGsoTcpv6;  // says IPv6, is IPv4
  EXPECT_EQ(split_gso(bad, in, 1400, bufs).status, GsoStatus::Malformed);
  bad = h;
  bad.gso_type = kVirtioGsoUdpL4;
  EXPECT_EQ(split_gso(bad, in, 1400, bufs).status, GsoStatus::Unsupported);

  // Data Offset past the end of a packet cut inside the TCP header.
  std::vector<std::uint8_t> cut(in.begin(), in.begin() + 40);
  EXPECT_EQ(split_gso(h, cut, 1400, bufs).status, GsoStatus::Malformed);
  cut.assign(in.begin(), in.begin() + 30);  // not even the fixed TCP header
  EXPECT_EQ(split_gso(h, cut, 1400, bufs).status, GsoStatus::Malformed);
  EXPECT_EQ(split_gso(h, ByteView{}, 1400, bufs).status, GsoStatus::Malformed);
  EXPECT_EQ(split_gso(VirtioNetHdr{}, ByteView{}, 1400, bufs).status, GsoStatus::Malformed);  // found by fuzz_tun_offload

  // A partial checksum whose field lies past the end of a plain packet.
  VirtioNetHdr single;
  single.flags = kVirtioNetHdrNeedsCsum;
  single.csum_start = 20;
  const auto small = build_tcp(data_spec(4, 100));
  single.csum_offset = static_cast<std::uint16_t>(small.size() - 21);  // the field's 2nd octet is 1 past the end
  EXPECT_EQ(split_gso(single, small, 1400, bufs).status, GsoStatus::Malformed);
  single.csum_offset = static_cast<std::uint16_t>(small.size() - 22);  // the last two octets: fine
  EXPECT_EQ(split_gso(single, small, 1400, bufs).status, GsoStatus::Ok);

  // The headers alone exceed the tunnel MTU; too few buffers; a plain packet bigger than a buffer.
  EXPECT_EQ(split_gso(h, in, 52, bufs).status, GsoStatus::TooBig);
  EXPECT_EQ(split_gso(h, in, 1400, std::span<PacketBuffer>(bufs.data(), 2)).status, GsoStatus::TooManySegments);
  EXPECT_EQ(split_gso(VirtioNetHdr{}, in, 1400, bufs).status, GsoStatus::TooBig);
}

}  // namespace
}  // namespace pptpx::net
