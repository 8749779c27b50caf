// UTF-8 password -> UTF-16LE (what NtPasswordHash hashes). Expected bytes computed independently
// with Python's str.encode("utf-16-le").
#include <gtest/gtest.h>

#include <stdexcept>

#include "auth/mschap.hpp"
#include "crypto/digest.hpp"
#include "support/hex_literal.hpp"

namespace pptpx::auth {
namespace {

TEST(Password, NonAsciiIncludingSurrogatePair) {
  Bytes out;
  // "pässwörd😀": U+00E4, U+00F6 as single units, U+1F600 as the pair D83D DE00.
  ASSERT_TRUE(password_to_utf16le("p\xc3\xa4sswo\xcc\x88rd", out));  // o + combining diaeresis stays 2 units
  EXPECT_EQ(out, test::hex("7000e4007300730077006f000803720064 00"));
  ASSERT_TRUE(password_to_utf16le("p\xc3\xa4ssw\xc3\xb6rd\xf0\x9f\x98\x80", out));
  EXPECT_EQ(out, test::hex("7000e400730073007700f600720064003dd800de"));
  EXPECT_EQ(nt_password_hash("p\xc3\xa4ssw\xc3\xb6rd\xf0\x9f\x98\x80"), crypto::md4({out}));
}

TEST(Password, EmptyPasswordIsValid) {
  Bytes out{1, 2};
  ASSERT_TRUE(password_to_utf16le("", out));
  EXPECT_TRUE(out.empty());
  // MD4 of the empty string (RFC 1320).
  EXPECT_EQ(nt_password_hash(""), test::hex_array<16>("31d6cfe0d16ae931b73c59d7e0c089c0"));
}

TEST(Password, InvalidUtf8IsRejected) {
  const char* bad[] = {
      "\x80",                  // stray continuation byte
      "abc\xc3",               // truncated 2-byte sequence
      "\xe2\x82",              // truncated 3-byte sequence
      "\xc0\xaf",              // overlong '/'
      "\xe0\x80\xaf",          // overlong '/', 3 bytes
      "\xed\xa0\x80",          // UTF-16 surrogate U+D800 encoded in UTF-8
      "\xf4\x90\x80\x80",      // U+110000, beyond Unicode
      "\xff",                  // never valid
      "\xc3\x28",              // lead byte followed by a non-continuation
  };
  for (const char* s : bad) {
    Bytes out{9};
    EXPECT_FALSE(password_to_utf16le(s, out)) << s;
    EXPECT_TRUE(out.empty());
    EXPECT_THROW((void)nt_password_hash(s), std::invalid_argument);
  }
}

TEST(Password, LengthLimitIs256Utf16Units) {
  Bytes out;
  EXPECT_TRUE(password_to_utf16le(std::string(256, 'x'), out));
  EXPECT_EQ(out.size(), 512u);
  EXPECT_FALSE(password_to_utf16le(std::string(257, 'x'), out));
  // 128 emoji = 256 units: fits; one more does not.
  std::string emoji;
  for (int i = 0; i < 128; ++i) emoji += "\xf0\x9f\x98\x80";
  EXPECT_TRUE(password_to_utf16le(emoji, out));
  EXPECT_FALSE(password_to_utf16le(emoji + "x", out));
}

}  // namespace
}  // namespace pptpx::auth
