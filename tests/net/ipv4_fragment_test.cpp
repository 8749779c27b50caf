#include "net/ipv4_fragment.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "tcp_packet_builder.hpp"

namespace pptpx::net {
namespace {

using test::get16;

// An option-less IPv4 UDP-like packet of `total` octets, built here with its header checksum.
std::vector<std::uint8_t> packet(std::size_t total, bool df, std::uint16_t flags_offset = 0) {
  std::vector<std::uint8_t> p(total);
  for (std::size_t i = 20; i < total; ++i) p[i] = static_cast<std::uint8_t>(i * 13);
  p[0] = 0x45;
  test::put16(p, 2, static_cast<std::uint16_t>(total));
  test::put16(p, 4, 0xbeef);
  test::put16(p, 6, static_cast<std::uint16_t>(flags_offset | (df ? 0x4000 : 0)));
  p[8] = 64;
  p[9] = 17;
  const std::uint8_t src[4] = {198, 51, 100, 1}, dst[4] = {198, 51, 100, 10};
  std::copy(src, src + 4, p.begin() + 12);
  std::copy(dst, dst + 4, p.begin() + 16);
  test::put16(p, 10, test::ipv4_header_checksum_of(p));
  return p;
}

TEST(Ipv4Fragment, CutsIntoEightOctetAlignedFragments) {
  const auto in = packet(1400, false);
  std::vector<PacketBuffer> out(4);
  const auto r = fragment_ipv4(in, 576, out);
  ASSERT_EQ(r.status, FragmentStatus::Ok);
  // (576 - 20) / 8 * 8 = 552 data octets per fragment: 552 + 552 + 276 = 1380.
  ASSERT_EQ(r.count, 3u);
  const std::size_t sizes[3] = {572, 572, 296};
  const std::uint16_t flags_offsets[3] = {0x2000 | 0, 0x2000 | 69, 138};
  std::vector<std::uint8_t> reassembled;
  for (std::size_t i = 0; i < 3; ++i) {
    const auto v = out[i].view();
    std::vector<std::uint8_t> f(v.begin(), v.end());
    ASSERT_EQ(f.size(), sizes[i]);
    EXPECT_EQ(get16(f, 2), sizes[i]);
    EXPECT_EQ(get16(f, 4), 0xbeef);  // same Identification: the receiver reassembles by it
    EXPECT_EQ(get16(f, 6), flags_offsets[i]);
    EXPECT_EQ(get16(f, 10), test::ipv4_header_checksum_of(f));
    EXPECT_EQ(std::vector<std::uint8_t>(f.begin() + 12, f.begin() + 20), std::vector<std::uint8_t>(in.begin() + 12, in.begin() + 20));
    reassembled.insert(reassembled.end(), f.begin() + 20, f.end());
  }
  EXPECT_EQ(reassembled, std::vector<std::uint8_t>(in.begin() + 20, in.end()));
}

TEST(Ipv4Fragment, FragmentOfAFragmentKeepsOffsetAndMoreFragments) {
  // Already a middle fragment (offset 100 units, MF set): its pieces continue from there, and
  // the last keeps MF because more of the original follows.
  const auto in = packet(1020, false, 0x2000 | 100);
  std::vector<PacketBuffer> out(4);
  const auto r = fragment_ipv4(in, 600, out);
  ASSERT_EQ(r.status, FragmentStatus::Ok);
  ASSERT_EQ(r.count, 2u);  // 576 + 424
  std::vector<std::uint8_t> a(out[0].view().begin(), out[0].view().end()), b(out[1].view().begin(), out[1].view().end());
  EXPECT_EQ(get16(a, 6), 0x2000 | 100);
  EXPECT_EQ(get16(b, 6), 0x2000 | (100 + 576 / 8));
}

TEST(Ipv4Fragment, DontFragmentAndLies) {
  std::vector<PacketBuffer> out(4);
  EXPECT_EQ(fragment_ipv4(packet(1400, true), 576, out).status, FragmentStatus::DontFragment);
  auto fits = fragment_ipv4(packet(500, true), 576, out);
  EXPECT_EQ(fits.status, FragmentStatus::Ok);
  EXPECT_EQ(fits.count, 1u);
  auto bad = packet(1400, false);
  test::put16(bad, 2, 1500);  // Total Length beyond what was read
  EXPECT_EQ(fragment_ipv4(bad, 576, out).status, FragmentStatus::NotPossible);
  bad = packet(1400, false);
  bad[0] = 0x46;  // options: not fragmented by us
  EXPECT_EQ(fragment_ipv4(bad, 576, out).status, FragmentStatus::NotPossible);
  EXPECT_EQ(fragment_ipv4(packet(1400, false), 576, std::span<PacketBuffer>(out.data(), 2)).status,
            FragmentStatus::NotPossible);
  EXPECT_EQ(fragment_ipv4(packet(1400, false), 27, out).status, FragmentStatus::NotPossible);
  EXPECT_EQ(fragment_ipv4(ByteView{}, 576, out).status, FragmentStatus::NotPossible);
}

}  // namespace
}  // namespace pptpx::net
