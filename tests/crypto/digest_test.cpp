// Known-answer tests: RFC 1320 §A.5 (MD4), RFC 1321 §A.5 (MD5), RFC 3174 §7.3 (SHA-1).
#include "crypto/digest.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "support/hex_literal.hpp"

namespace pptpx::crypto {
namespace {

ByteView sv(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }
Bytes arr(ByteView v) { return Bytes(v.begin(), v.end()); }

struct Vector {
  std::string input;
  const char* digest;
};

const std::string kAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
std::string digits80() {
  std::string s;
  for (int i = 0; i < 8; ++i) s += "1234567890";
  return s;
}

TEST(Md4, Rfc1320TestSuite) {
  const Vector v[] = {
      {"", "31d6cfe0d16ae931b73c59d7e0c089c0"},
      {"a", "bde52cb31de33e46245e05fbdbd6fb24"},
      {"abc", "a448017aaf21d8525fc10ae87aa6729d"},
      {"message digest", "d9130a8164549fe818874806e1c7014b"},
      {"abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9"},
      {kAlnum, "043f8582f241db351ce627e153e7f0e4"},
      {digits80(), "e33b4ddc9c38f2199c3e7b164fcc0536"},
  };
  for (const auto& t : v) EXPECT_EQ(arr(md4({sv(t.input)})), test::hex(t.digest)) << '"' << t.input << '"';
}

TEST(Md5, Rfc1321TestSuite) {
  const Vector v[] = {
      {"", "d41d8cd98f00b204e9800998ecf8427e"},
      {"a", "0cc175b9c0f1b6a831c399e269772661"},
      {"abc", "900150983cd24fb0d6963f7d28e17f72"},
      {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
      {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
      {kAlnum, "d174ab98d277d9f5a5611c2c9f419d9f"},
      {digits80(), "57edf4a22be3c955ac49da2e2107b67a"},
  };
  for (const auto& t : v) EXPECT_EQ(arr(md5({sv(t.input)})), test::hex(t.digest)) << '"' << t.input << '"';
}

TEST(Sha1, Rfc3174TestSuite) {
  EXPECT_EQ(arr(sha1({sv("abc")})), test::hex("a9993e364706816aba3e25717850c26c9cd0d89d"));
  EXPECT_EQ(arr(sha1({sv("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")})),
            test::hex("84983e441c3bd26ebaae4aa1f95129e5e54670f1"));
  EXPECT_EQ(arr(sha1({sv(std::string(1000000, 'a'))})), test::hex("34aa973cd4c4daa4f61eeb2bdbad27316534016f"));
  std::string ten;
  for (int i = 0; i < 80; ++i) ten += "01234567";
  EXPECT_EQ(arr(sha1({sv(ten)})), test::hex("dea356a2cddd90c7a7ecedc5ebb563934f460452"));
}

TEST(Digests, PartsHashAsTheirConcatenation) {
  EXPECT_EQ(md4({sv("ab"), sv(""), sv("c")}), md4({sv("abc")}));
  EXPECT_EQ(md5({sv("message "), sv("digest")}), md5({sv("message digest")}));
  EXPECT_EQ(sha1({sv("abcdbcdecdefdefgefgh"), sv("fghighijhijkijkljklmklmnlmnomnopnopq")}),
            sha1({sv("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")}));
}

}  // namespace
}  // namespace pptpx::crypto
