// pptpx's own RC4 key schedule (crypto/rc4_ksa.hpp, issue 17) against independent references:
// RFC 6229 §2's keystreams (through OpenSSL's RC4() keystream on the state it leaves), and
// OpenSSL's RC4_set_key on random keys of every length 1..256, compared word for word.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "crypto/rc4_ksa.hpp"

#include <gtest/gtest.h>
#include <openssl/rand.h>
#include <openssl/rc4.h>

#include <cstring>
#include <vector>

#include "crypto/rc4.hpp"
#include "support/hex_literal.hpp"

namespace pptpx::crypto {
namespace {

Bytes keystream_from_own_schedule(ByteView key, std::size_t n) {
  RC4_KEY k;
  detail::rc4_ksa(reinterpret_cast<std::uint32_t*>(&k), key.data(), key.size());
  Bytes out(n, 0);
  RC4(&k, n, out.data(), out.data());
  return out;
}

TEST(Rc4Ksa, Rfc6229Keystreams) {
  // Lines of RFC 6229 §2 (40-bit key 0x0102030405 and 56-bit key 0x01020304050607; the same
  // lines rc4_test.cpp checks through crypto::Rc4), here through the bare key schedule.
  struct V {
    const char* key;
    std::size_t offset;
    const char* bytes;
  };
  const V rfc[] = {
      {"0102030405", 0, "b2396305f03dc027ccc3524a0a1118a8"},
      {"0102030405", 240, "28cb1132c96ce286421dcaadb8b69eae"},
      {"0102030405", 4080, "068326a2118416d21f9d04b2cd1ca050"},
      {"01020304050607", 0, "293f02d47f37c9b633f2af5285feb46b"},
      {"01020304050607", 256, "d0fdb583073ce85ab83917740ec011d5"},
  };
  for (const auto& v : rfc) {
    const Bytes ks = keystream_from_own_schedule(test::hex(v.key), v.offset + 16);
    EXPECT_EQ(Bytes(ks.end() - 16, ks.end()), test::hex(v.bytes)) << "key " << v.key << " offset " << v.offset;
  }
}

TEST(Rc4Ksa, MatchesOpenSslOnRandomKeysOfEveryLength) {
  std::vector<std::uint8_t> key(256);
  for (std::size_t len = 1; len <= 256; ++len) {
    for (int round = 0; round < 8; ++round) {
      ASSERT_EQ(RAND_bytes(key.data(), static_cast<int>(len)), 1);
      RC4_KEY ours, theirs;
      std::memset(&ours, 0x5a, sizeof ours);
      detail::rc4_ksa(reinterpret_cast<std::uint32_t*>(&ours), key.data(), len);
      RC4_set_key(&theirs, static_cast<int>(len), key.data());
      ASSERT_EQ(std::memcmp(&ours, &theirs, sizeof ours), 0) << "key length " << len << " round " << round;
    }
  }
}

TEST(Rc4Ksa, DegenerateKeys) {
  // Every octet equal (each of the 256 values), 1, 2 and 16 octets long: structured keys whose j
  // sequences differ from random keys' (the all-zero key's swap hits i+1 or i+2 at steps 2 and 3),
  // so the read-ahead's re-read path runs at other steps; each compared with OpenSSL.
  for (int v = 0; v < 256; ++v) {
    for (std::size_t len : {1u, 2u, 16u}) {
      std::vector<std::uint8_t> key(len, static_cast<std::uint8_t>(v));
      RC4_KEY ours, theirs;
      detail::rc4_ksa(reinterpret_cast<std::uint32_t*>(&ours), key.data(), len);
      RC4_set_key(&theirs, static_cast<int>(len), key.data());
      ASSERT_EQ(std::memcmp(&ours, &theirs, sizeof ours), 0) << "value " << v << " length " << len;
    }
  }
}

TEST(Rc4Ksa, Rc4UsesItAndMatchesOpenSslStreamsOnRandomKeys) {
  EXPECT_TRUE(Rc4::own_key_schedule()) << "the probe against RC4_set_key failed on this machine";
  std::uint8_t key[16];
  for (int round = 0; round < 200; ++round) {
    ASSERT_EQ(RAND_bytes(key, sizeof key), 1);
    const std::size_t len = round % 2 == 0 ? 16 : 8;
    Rc4 rc4;
    rc4.set_key(ByteView(key, len));
    Bytes ours(1500, 0);
    rc4.apply(ours);
    RC4_KEY theirs;
    RC4_set_key(&theirs, static_cast<int>(len), key);
    Bytes expected(1500, 0);
    RC4(&theirs, expected.size(), expected.data(), expected.data());
    ASSERT_EQ(ours, expected) << "round " << round;
  }
}

}  // namespace
}  // namespace pptpx::crypto
