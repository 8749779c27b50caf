// TCP stream reassembly and IPv4 defragmentation on hand-made segments: the delivered bytes must
// be the original stream exactly once, in order; holes that never fill are reported as gaps.
#include <gtest/gtest.h>

#include <numeric>

#include "audit/ip_layer.hpp"
#include "audit/tcp_reassembly.hpp"

namespace pptpx::audit {
namespace {

Bytes stream(std::size_t n) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(i * 7 + 3);
  return b;
}

struct Collector {
  Bytes got;
  std::vector<std::uint64_t> gaps;
  TcpStream::Sink sink() {
    return [this](ByteView d, std::uint64_t gap) {
      if (gap) gaps.push_back(gap);
      got.insert(got.end(), d.begin(), d.end());
    };
  }
};

TcpSegment seg(std::uint32_t isn, const Bytes& s, std::size_t from, std::size_t len) {
  TcpSegment t;
  t.seq = isn + 1 + static_cast<std::uint32_t>(from);
  t.data = ByteView(s).subspan(from, len);
  return t;
}

TEST(TcpStream, OutOfOrderRetransmittedAndOverlappingSegmentsGiveTheStreamOnce) {
  const std::uint32_t isn = 0xFFFFFF00;  // wraps around 2^32 inside the stream
  const Bytes s = stream(1000);
  TcpStream t;
  Collector c;
  TcpSegment syn;
  syn.seq = isn;
  syn.syn = true;
  t.segment(syn, c.sink());
  t.segment(seg(isn, s, 0, 100), c.sink());
  t.segment(seg(isn, s, 300, 200), c.sink());   // ahead of a hole
  t.segment(seg(isn, s, 0, 100), c.sink());     // retransmission
  t.segment(seg(isn, s, 150, 200), c.sink());   // overlaps the held segment
  t.segment(seg(isn, s, 100, 100), c.sink());   // fills the hole, overlaps the next
  t.segment(seg(isn, s, 500, 500), c.sink());
  t.flush(c.sink());
  EXPECT_EQ(c.got, s);
  EXPECT_TRUE(c.gaps.empty());
  EXPECT_GT(t.counters().retransmitted_octets, 0u);
  EXPECT_GT(t.counters().out_of_order, 0u);
}

TEST(TcpStream, AHoleThatNeverFillsIsReportedAsAGap) {
  const Bytes s = stream(600);
  TcpStream t;
  Collector c;
  t.segment(seg(1000, s, 0, 100), c.sink());  // mid-connection start: no SYN
  t.segment(seg(1000, s, 250, 350), c.sink());
  t.flush(c.sink());
  ASSERT_EQ(c.gaps.size(), 1u);
  EXPECT_EQ(c.gaps[0], 150u);
  Bytes expect(s.begin(), s.begin() + 100);
  expect.insert(expect.end(), s.begin() + 250, s.end());
  EXPECT_EQ(c.got, expect);
  EXPECT_EQ(t.counters().gap_octets, 150u);
}

Bytes ipv4_fragment(std::uint16_t id, std::uint16_t offset, bool mf, ByteView payload) {
  Bytes p(20);
  p[0] = 0x45;
  store_be16(&p[2], static_cast<std::uint16_t>(20 + payload.size()));
  store_be16(&p[4], id);
  store_be16(&p[6], static_cast<std::uint16_t>((mf ? 0x2000 : 0) | (offset / 8)));
  p[8] = 64;
  p[9] = 47;
  store_be32(&p[12], 0xC0000203);
  store_be32(&p[16], 0xC0000202);
  p.insert(p.end(), payload.begin(), payload.end());
  return p;
}

TEST(Ipv4Defragmenter, ReassemblesOutOfOrderAndDuplicatedFragments) {
  const Bytes payload = stream(1400);
  Ipv4Defragmenter d;
  const Bytes f1 = ipv4_fragment(7, 0, true, ByteView(payload).subspan(0, 600));
  const Bytes f2 = ipv4_fragment(7, 600, true, ByteView(payload).subspan(600, 600));
  const Bytes f3 = ipv4_fragment(7, 1200, false, ByteView(payload).subspan(1200));
  EXPECT_FALSE(d.add(parse_ipv4(f3).header, 0));
  EXPECT_FALSE(d.add(parse_ipv4(f1).header, 1));
  EXPECT_FALSE(d.add(parse_ipv4(f1).header, 2));  // duplicate
  auto whole = d.add(parse_ipv4(f2).header, 3);
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->storage, payload);
  EXPECT_EQ(whole->header.protocol, 47);
  EXPECT_EQ(d.pending(), 0u);
  EXPECT_EQ(d.counters().overlaps, 1u);
}

TEST(Ipv4Defragmenter, AnIncompleteDatagramExpires) {
  const Bytes payload = stream(100);
  Ipv4Defragmenter d;
  EXPECT_FALSE(d.add(parse_ipv4(ipv4_fragment(9, 0, true, ByteView(payload).subspan(0, 48))).header, 0));
  EXPECT_FALSE(d.add(parse_ipv4(ipv4_fragment(10, 0, true, ByteView(payload).subspan(0, 48))).header,
                     Ipv4Defragmenter::kTimeout + 1));
  EXPECT_EQ(d.counters().expired, 1u);
}

TEST(Ipv4Parse, ASnaplenCutDatagramIsTruncatedNotAccepted) {
  Bytes p = ipv4_fragment(1, 0, false, stream(100));
  p.resize(60);
  EXPECT_EQ(parse_ipv4(p).error, Ipv4Error::Truncated);
  EXPECT_EQ(parse_ipv4(Bytes{0x60, 0, 0}).error, Ipv4Error::NotIpv4);
}

}  // namespace
}  // namespace pptpx::audit
