// RC4 known answers (RFC 6229 §2) and streaming/re-keying behaviour.
#include "crypto/rc4.hpp"

#include <gtest/gtest.h>

#include <string_view>

#include "support/hex_literal.hpp"

namespace pptpx::crypto {
namespace {

Bytes keystream(ByteView key, std::size_t n) {
  Rc4 rc4;
  rc4.set_key(key);
  Bytes out(n, 0);
  rc4.apply(out);
  return out;
}

struct Line {
  std::size_t offset;
  const char* bytes;
};

// RFC 6229 §2, "Key length: 40 bits. key: 0x0102030405" (all 18 lines).
const Line kKey40[] = {
    {0, "b2396305f03dc027ccc3524a0a1118a8"},    {16, "6982944f18fc82d589c403a47a0d0919"},
    {240, "28cb1132c96ce286421dcaadb8b69eae"},  {256, "1cfcf62b03eddb641d77dfcf7f8d8c93"},
    {496, "42b7d0cdd918a8a33dd51781c81f4041"},  {512, "6459844432a7da923cfb3eb4980661f6"},
    {752, "ec10327bde2beefd18f9277680457e22"},  {768, "eb62638d4f0ba1fe9fca20e05bf8ff2b"},
    {1008, "45129048e6a0ed0b56b490338f078da5"}, {1024, "30abbcc7c20b01609f23ee2d5f6bb7df"},
    {1520, "3294f744d8f9790507e70f62e5bbceea"}, {1536, "d8729db41882259bee4f825325f5a130"},
    {2032, "1eb14a0c13b3bf47fa2a0ba93ad45b8b"}, {2048, "cc582f8ba9f265e2b1be9112e975d2d7"},
    {3056, "f2e30f9bd102ecbf75aaade9bc35c43c"}, {3072, "ec0e11c479dc329dc8da7968fe965681"},
    {4080, "068326a2118416d21f9d04b2cd1ca050"}, {4096, "ff25b58995996707e51fbdf08b34d875"},
};

TEST(Rc4, Rfc6229Key40AllOffsets) {
  const Bytes ks = keystream(test::hex("0102030405"), 4112);
  for (const auto& l : kKey40) {
    EXPECT_EQ(Bytes(ks.begin() + static_cast<std::ptrdiff_t>(l.offset), ks.begin() + static_cast<std::ptrdiff_t>(l.offset) + 16),
              test::hex(l.bytes))
        << "offset " << l.offset;
  }
}

TEST(Rc4, Rfc6229Key56FirstLines) {
  const Bytes ks = keystream(test::hex("01020304050607"), 272);
  EXPECT_EQ(Bytes(ks.begin(), ks.begin() + 16), test::hex("293f02d47f37c9b633f2af5285feb46b"));
  EXPECT_EQ(Bytes(ks.begin() + 16, ks.begin() + 32), test::hex("e620f1390d19bd84e2e0fd752031afc1"));
  EXPECT_EQ(Bytes(ks.begin() + 240, ks.begin() + 256), test::hex("914f02531c9218810df60f67e338154c"));
  EXPECT_EQ(Bytes(ks.begin() + 256, ks.begin() + 272), test::hex("d0fdb583073ce85ab83917740ec011d5"));
}

TEST(Rc4, ClassicTextVectors) {
  auto enc = [](std::string_view key, std::string_view text) {
    Rc4 rc4;
    rc4.set_key({reinterpret_cast<const std::uint8_t*>(key.data()), key.size()});
    Bytes b(text.begin(), text.end());
    rc4.apply(b);
    return b;
  };
  EXPECT_EQ(enc("Key", "Plaintext"), test::hex("BBF316E8D940AF0AD3"));
  EXPECT_EQ(enc("Wiki", "pedia"), test::hex("1021BF0420"));
  EXPECT_EQ(enc("Secret", "Attack at dawn"), test::hex("45A01F645FC35B383552544B9BF5"));
}

TEST(Rc4, ApplyStreamsAcrossCallsAndSetKeyRestarts) {
  const Bytes key = test::hex("0102030405");
  Rc4 rc4;
  rc4.set_key(key);
  Bytes a(7, 0), b(9, 0);
  rc4.apply(a);
  rc4.apply(b);
  Bytes joined = a;
  joined.insert(joined.end(), b.begin(), b.end());
  EXPECT_EQ(joined, test::hex(kKey40[0].bytes));
  // Re-keying with another length, then back, restarts the keystream each time.
  rc4.set_key(test::hex("0102030405060708090a0b0c0d0e0f10"));
  rc4.set_key(key);
  Bytes c(16, 0);
  rc4.apply(c);
  EXPECT_EQ(c, test::hex(kKey40[0].bytes));
}

TEST(Rc4, MovedFromObjectKeepsTheStream) {
  Rc4 a;
  a.set_key(test::hex("0102030405"));
  Bytes x(8, 0);
  a.apply(x);
  Rc4 b = std::move(a);
  Bytes y(8, 0);
  b.apply(y);
  x.insert(x.end(), y.begin(), y.end());
  EXPECT_EQ(x, test::hex(kKey40[0].bytes));
}

}  // namespace
}  // namespace pptpx::crypto
