#include "util/hex.hpp"

#include <gtest/gtest.h>

#include "util/bytes.hpp"

namespace pptpx {
namespace {

TEST(Hex, RoundTripsAndFormats) {
  auto b = from_hex("00 0a FF 7f");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(*b, (Bytes{0x00, 0x0a, 0xff, 0x7f}));
  EXPECT_EQ(to_hex(*b), "000aff7f");
  EXPECT_EQ(to_hex(*b, true, ' '), "00 0A FF 7F");
}

TEST(Hex, RejectsOddLengthAndNonHex) {
  EXPECT_FALSE(from_hex("abc").has_value());
  EXPECT_FALSE(from_hex("zz").has_value());
}

TEST(Bytes, BigEndianLoadsAndStores) {
  std::uint8_t buf[4] = {};
  store_be32(buf, 0x1a2b3c4d);
  EXPECT_EQ(buf[0], 0x1a);
  EXPECT_EQ(buf[3], 0x4d);
  EXPECT_EQ(load_be32(buf), 0x1a2b3c4dU);
  store_be16(buf, 0xbeef);
  EXPECT_EQ(load_be16(buf), 0xbeef);
  Bytes out;
  ByteWriter w(out);
  w.u8(1);
  w.u16(0x0203);
  w.u32(0x04050607);
  EXPECT_EQ(out, (Bytes{1, 2, 3, 4, 5, 6, 7}));
}

}  // namespace
}  // namespace pptpx
