// PPP frame codec (RFC 1661 §2, §6.5, §6.6; RFC 1662 §3.1) and the packet buffer with headroom.
#include <gtest/gtest.h>

#include "ppp/control_packet.hpp"
#include "ppp/frame.hpp"
#include "util/packet_buffer.hpp"

namespace pptpx::ppp {
namespace {

TEST(Frame, FullHeader) {
  Bytes f{0xFF, 0x03, 0xC0, 0x21, 0x01, 0x01, 0x00, 0x04};
  FrameHeader h = parse_frame_header(f);
  EXPECT_EQ(h.error, FrameError::Ok);
  EXPECT_EQ(h.protocol, 0xC021);
  EXPECT_EQ(h.header_size, 4u);
}

TEST(Frame, AddressControlCompressed) {
  Bytes f{0x80, 0x21, 0x01};
  FrameHeader h = parse_frame_header(f);
  EXPECT_EQ(h.error, FrameError::Ok);
  EXPECT_EQ(h.protocol, 0x8021);
  EXPECT_EQ(h.header_size, 2u);
}

TEST(Frame, ProtocolFieldCompressed) {
  Bytes f{0xFF, 0x03, 0x21, 0x45};
  FrameHeader h = parse_frame_header(f);
  EXPECT_EQ(h.error, FrameError::Ok);
  EXPECT_EQ(h.protocol, 0x0021);
  EXPECT_EQ(h.header_size, 3u);
  Bytes both{0xFD, 0x90, 0x00};  // ACFC + PFC: MPPE
  h = parse_frame_header(both);
  EXPECT_EQ(h.protocol, 0x00FD);
  EXPECT_EQ(h.header_size, 1u);
}

TEST(Frame, Errors) {
  EXPECT_EQ(parse_frame_header(Bytes{}).error, FrameError::Empty);
  EXPECT_EQ(parse_frame_header(Bytes{0xFF}).error, FrameError::BadAddressControl);
  EXPECT_EQ(parse_frame_header(Bytes{0xFF, 0x13, 0x00, 0x21}).error, FrameError::BadAddressControl);
  EXPECT_EQ(parse_frame_header(Bytes{0xFF, 0x03}).error, FrameError::TruncatedProtocol);
  EXPECT_EQ(parse_frame_header(Bytes{0xFF, 0x03, 0xC0}).error, FrameError::TruncatedProtocol);
  // RFC 1661 §2: protocol numbers are odd, and the low bit of the high octet is 0.
  EXPECT_EQ(parse_frame_header(Bytes{0xFF, 0x03, 0x00, 0x20}).error, FrameError::BadProtocol);
  EXPECT_EQ(parse_frame_header(Bytes{0xFF, 0x03, 0x02, 0x20}).error, FrameError::BadProtocol);
  // An odd first octet is a compressed (one-octet) protocol, never an invalid two-octet one.
  EXPECT_EQ(parse_frame_header(Bytes{0xFF, 0x03, 0x03, 0x21}).protocol, 0x0003);
}

TEST(Frame, ValidProtocol) {
  EXPECT_TRUE(valid_protocol(0x0021));
  EXPECT_TRUE(valid_protocol(0xC021));
  EXPECT_FALSE(valid_protocol(0x0020));
  EXPECT_FALSE(valid_protocol(0x0121));
}

TEST(Frame, PrependInPlace) {
  PacketBuffer b;
  Bytes ip{0x45, 0x00, 0x00, 0x14};
  ASSERT_TRUE(b.assign(ip));
  std::size_t head = b.headroom();
  ASSERT_TRUE(prepend_frame_header(b, 0x0021, {}));
  EXPECT_EQ(Bytes(b.view().begin(), b.view().end()), (Bytes{0xFF, 0x03, 0x00, 0x21, 0x45, 0x00, 0x00, 0x14}));
  EXPECT_EQ(b.headroom(), head - 4);
  b.assign(ip);
  ASSERT_TRUE(prepend_frame_header(b, 0x0021, {true, true}));
  EXPECT_EQ(Bytes(b.view().begin(), b.view().end()), (Bytes{0x21, 0x45, 0x00, 0x00, 0x14}));
  b.assign(ip);
  // PFC never shortens a protocol whose high octet is non-zero.
  ASSERT_TRUE(prepend_frame_header(b, 0xC021, {true, true}));
  EXPECT_EQ(Bytes(b.view().begin(), b.view().begin() + 2), (Bytes{0xC0, 0x21}));
}

TEST(Frame, PrependFailsCleanlyWithoutHeadroom) {
  PacketBuffer b(0);
  ASSERT_TRUE(b.append(Bytes{1, 2, 3}));
  EXPECT_FALSE(prepend_frame_header(b, 0x0021, {}));
  EXPECT_EQ(b.size(), 3u);
  PacketBuffer c(2);
  ASSERT_TRUE(c.append(Bytes{1}));
  EXPECT_FALSE(prepend_frame_header(c, 0x0021, {}));  // protocol fits, address/control does not
  EXPECT_EQ(c.size(), 1u);
  EXPECT_EQ(c.headroom(), 2u);
}

TEST(PacketBuffer, HeadroomTailroomAndBounds) {
  PacketBuffer b;
  EXPECT_EQ(b.headroom(), PacketBuffer::kDefaultHeadroom);
  EXPECT_EQ(b.tailroom(), PacketBuffer::kCapacity - PacketBuffer::kDefaultHeadroom);
  EXPECT_TRUE(b.empty());
  Bytes big(PacketBuffer::kCapacity - PacketBuffer::kDefaultHeadroom + 1, 0xAB);
  EXPECT_FALSE(b.assign(big));
  big.pop_back();
  EXPECT_TRUE(b.assign(big));
  EXPECT_EQ(b.tailroom(), 0u);
  EXPECT_EQ(b.push_back(1), nullptr);
  EXPECT_NE(b.push_front(PacketBuffer::kDefaultHeadroom), nullptr);
  EXPECT_EQ(b.push_front(1), nullptr);
  EXPECT_EQ(b.size(), PacketBuffer::kCapacity);
  EXPECT_TRUE(b.pull_front(10));
  EXPECT_FALSE(b.pull_front(PacketBuffer::kCapacity));
  EXPECT_TRUE(b.truncate(5));
  EXPECT_FALSE(b.truncate(6));
  b.reset(0);
  EXPECT_EQ(b.headroom(), 0u);
  EXPECT_EQ(b.size(), 0u);
}

TEST(ControlPacket, ParseAndBuild) {
  Bytes out;
  build_control_packet(out, code::kConfigureRequest, 7, Bytes{1, 4, 5, 0xDC});
  EXPECT_EQ(out, (Bytes{1, 7, 0, 8, 1, 4, 5, 0xDC}));
  auto p = parse_control_packet(out);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->code, 1);
  EXPECT_EQ(p->identifier, 7);
  EXPECT_EQ(p->data.size(), 4u);
  EXPECT_FALSE(parse_control_packet(Bytes{1, 7, 0}));
  EXPECT_FALSE(parse_control_packet(Bytes{1, 7, 0, 3}));   // Length below the header
  EXPECT_FALSE(parse_control_packet(Bytes{1, 7, 0, 9, 0}));  // Length beyond the bytes
}

TEST(ControlPacket, OptionsWellFormed) {
  EXPECT_TRUE(options_well_formed(Bytes{}));
  EXPECT_TRUE(options_well_formed(Bytes{7, 2, 8, 2, 1, 4, 5, 0xDC}));
  EXPECT_FALSE(options_well_formed(Bytes{7}));
  EXPECT_FALSE(options_well_formed(Bytes{7, 1}));
  EXPECT_FALSE(options_well_formed(Bytes{1, 4, 5}));
  int n = 0;
  for_each_option(Bytes{7, 2, 1, 4, 5, 0xDC}, [&](RawOption o) {
    ++n;
    if (o.type == 1) {
      EXPECT_EQ(o.value.size(), 2u);
    }
  });
  EXPECT_EQ(n, 2);
}

}  // namespace
}  // namespace pptpx::ppp
