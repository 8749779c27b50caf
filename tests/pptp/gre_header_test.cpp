// Enhanced GRE header (RFC 2637 §4.1): hand-built packets, round trips, every rejection.
#include <gtest/gtest.h>

#include <array>

#include "pptp/gre_header.hpp"
#include "support/hex_literal.hpp"

namespace pptpx::pptp {
namespace {

using test::hex;

TEST(GreHeader, DecodesDataPacketWithSeqAndAck) {
  // K S | A ver1 | 880b | len 3 | call 0x0102 | seq 5 | ack 4 | payload ff 03 21
  Bytes p = hex("3081 880b 0003 0102 00000005 00000004 ff0321");
  auto d = decode_gre(p);
  ASSERT_TRUE(d.ok()) << to_string(d.error);
  EXPECT_EQ(d.header.payload_length, 3);
  EXPECT_EQ(d.header.call_id, 0x0102);
  EXPECT_EQ(d.header.sequence, 5u);
  EXPECT_EQ(d.header.ack, 4u);
  ASSERT_EQ(d.payload.size(), 3u);
  EXPECT_EQ(d.payload[0], 0xff);
  EXPECT_EQ(d.payload.data(), p.data() + 16);  // a view into the packet, not a copy
}

TEST(GreHeader, DecodesDataWithoutAckAndAckOnly) {
  auto d = decode_gre(hex("3001 880b 0001 0007 00000000 aa"));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.header.sequence, 0u);
  EXPECT_FALSE(d.header.ack);
  EXPECT_EQ(d.payload.size(), 1u);

  auto a = decode_gre(hex("2081 880b 0000 0007 0000002a"));  // K, A: acknowledgement only
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a.header.sequence);
  EXPECT_EQ(a.header.ack, 42u);
  EXPECT_TRUE(a.payload.empty());
}

TEST(GreHeader, IgnoresTrailingPadding) {
  auto d = decode_gre(hex("3001 880b 0001 0007 00000000 aa 0000"));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.payload.size(), 1u);
}

TEST(GreHeader, Rejections) {
  struct Case {
    const char* hex;
    GreError error;
  };
  const Case cases[] = {
      {"3081 880b 0000", GreError::Truncated},
      {"3081 880b 0000 0007 00000001", GreError::Truncated},  // A announced, missing
      {"3080 880b 0000 0007 00000001 00000000", GreError::BadVersion},  // version 0
      {"3082 880b 0000 0007 00000001 00000000", GreError::BadVersion},
      {"3081 0800 0000 0007 00000001 00000000", GreError::BadProtocol},
      {"b081 880b 0000 0007 00000001 00000000", GreError::BadFlags},  // C
      {"7081 880b 0000 0007 00000001 00000000", GreError::BadFlags},  // R
      {"1081 880b 0000 0007 00000001 00000000", GreError::BadFlags},  // K clear
      {"3881 880b 0000 0007 00000001 00000000", GreError::BadFlags},  // s
      {"3181 880b 0000 0007 00000001 00000000", GreError::BadFlags},  // recursion
      {"30c1 880b 0000 0007 00000001 00000000", GreError::BadFlags},  // flags bit 9
      {"3009 880b 0000 0007 00000001", GreError::BadFlags},           // flags bit 12
      {"3001 880b 0005 0007 00000001 aabb", GreError::PayloadTooLong},
      {"2001 880b 0001 0007 aa", GreError::PayloadWithoutSeq},
      {"2001 880b 0000 0007", GreError::Empty},
  };
  for (const auto& c : cases) {
    auto d = decode_gre(hex(c.hex));
    EXPECT_EQ(d.error, c.error) << c.hex << " gave " << to_string(d.error);
    EXPECT_FALSE(d.ok());
  }
}

TEST(GreHeader, EncodeMatchesHandBuiltBytes) {
  std::array<std::uint8_t, 16> buf{};
  GreHeader h{3, 0x0102, 5u, 4u};
  ASSERT_EQ(encode_gre_header(h, buf), 16u);
  EXPECT_EQ(Bytes(buf.begin(), buf.end()), hex("3081 880b 0003 0102 00000005 00000004"));
  GreHeader ack_only{0, 7, std::nullopt, 42u};
  ASSERT_EQ(encode_gre_header(ack_only, buf), 12u);
  EXPECT_EQ(Bytes(buf.begin(), buf.begin() + 12), hex("2081 880b 0000 0007 0000002a"));
  std::array<std::uint8_t, 11> small{};
  EXPECT_EQ(encode_gre_header(h, small), 0u);
}

TEST(GreHeader, PrependInPlaceWithHeadroom) {
  Bytes buf(64, 0xee);
  const std::size_t payload_offset = 32;
  buf[32] = 0xff;
  buf[33] = 0x03;
  GreHeader h{2, 9, 0xffffffffu, std::nullopt};
  auto pkt = gre_prepend(h, buf, payload_offset);
  ASSERT_TRUE(pkt);
  EXPECT_EQ(pkt->data(), buf.data() + 32 - 12);
  EXPECT_EQ(pkt->size(), 14u);
  auto d = decode_gre(*pkt);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.header, h);
  EXPECT_EQ(d.payload[1], 0x03);
  EXPECT_FALSE(gre_prepend(h, buf, 11));  // not enough headroom
  GreHeader big{40, 9, 1u, std::nullopt};
  EXPECT_FALSE(gre_prepend(big, buf, 32));  // payload runs past the buffer
}

TEST(GreHeader, RoundTripAllFlagCombinations) {
  for (bool seq : {false, true}) {
    for (bool ack : {false, true}) {
      if (!seq && !ack) continue;
      GreHeader h;
      h.call_id = 0xbeef;
      h.payload_length = seq ? 4 : 0;
      if (seq) h.sequence = 0x80000000u;
      if (ack) h.ack = 0x7fffffffu;
      Bytes buf(h.size() + h.payload_length, 0x11);
      ASSERT_EQ(encode_gre_header(h, buf), h.size());
      auto d = decode_gre(buf);
      ASSERT_TRUE(d.ok()) << to_string(d.error);
      EXPECT_EQ(d.header, h);
    }
  }
}

}  // namespace
}  // namespace pptpx::pptp
