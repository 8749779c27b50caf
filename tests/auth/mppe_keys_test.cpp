// RFC 3079 §2.5 (MS-CHAPv1) and §3.5 (MS-CHAPv2) sample key derivations: every printed value.
// Known misprints in RFC 3079, tested with the correct values:
//  - §2.5.3 step 3 prints InitialSessionKey "... cf c0 ac ca ..."; step 4 (a plain copy of it)
//    shows the correct "... cf c0 ac c1 ...".
//  - §3.5.2 prints the 56-bit sample ciphertext as "3F 10 68 33 FA 44 8D A8 42 BC 57 58"; the
//    correct last octet is B8 (…42 BC 57 B8), cross-checked below with an independent RC4.
#include <gtest/gtest.h>

#include <string_view>

#include "auth/mppe_keys.hpp"
#include "auth/mschap.hpp"
#include "crypto/des.hpp"
#include "crypto/rc4.hpp"
#include "support/hex_literal.hpp"

namespace pptpx::auth {
namespace {

using test::hex;
using test::hex_array;

Bytes key_bytes(const MppeKey& k) { return Bytes(k.bytes.begin(), k.bytes.begin() + static_cast<std::ptrdiff_t>(k.length)); }

MppeKey make_key(const Bytes& b) {
  MppeKey k;
  k.length = b.size();
  for (std::size_t i = 0; i < b.size(); ++i) k.bytes[i] = b[i];
  return k;
}

Bytes rc4_test_message(const MppeKey& k) {
  constexpr std::string_view msg = "test message";
  Bytes b(msg.begin(), msg.end());
  crypto::Rc4 rc4;
  rc4.set_key(key_bytes(k));
  rc4.apply(b);
  return b;
}

// LmPasswordHash (RFC 2433 §A.2/§A.3), computed here only to check RFC 3079 §2.5.1/§2.5.2 step 1:
// upper-case, zero-pad to 14 octets, DES-encrypt "KGS!@#$%" under each 7-octet half.
Bytes lm_password_hash(std::string_view password) {
  std::array<std::uint8_t, 14> p{};
  for (std::size_t i = 0; i < password.size() && i < 14; ++i) {
    char c = password[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    p[i] = static_cast<std::uint8_t>(c);
  }
  const crypto::DesBlock kgs{'K', 'G', 'S', '!', '@', '#', '$', '%'};
  Bytes out;
  for (std::size_t half = 0; half < 2; ++half) {
    crypto::DesKey7 k{};
    for (std::size_t i = 0; i < 7; ++i) k[i] = p[half * 7 + i];
    const auto block = crypto::des_encrypt(k, kgs);
    out.insert(out.end(), block.begin(), block.end());
  }
  return out;
}

TEST(MppeKeysRfc3079V1, Sample40And56BitFromLmHash) {
  // §2.5.1 / §2.5.2, steps 1-4.
  const Bytes lm = lm_password_hash("clientPass");
  EXPECT_EQ(lm, hex("76 a1 52 93 60 96 d7 83 0e 23 90 22 74 04 af d2"));
  const MppeKey basis = make_key(Bytes(lm.begin(), lm.begin() + 8));  // "SessionKey" of 8 octets
  EXPECT_EQ(key_bytes(mppe_get_new_key_from_sha(basis, basis)), hex("d8 08 01 53 8c ec 4a 08"));  // step 3
  EXPECT_EQ(key_bytes(mppe_initial_session_key(basis, MppeStrength::Bits40)), hex("d1 26 9e 53 8c ec 4a 08"));
  EXPECT_EQ(key_bytes(mppe_initial_session_key(basis, MppeStrength::Bits56)), hex("d1 08 01 53 8c ec 4a 08"));
}

TEST(MppeKeysRfc3079V1, Sample128Bit) {
  // §2.5.3
  const auto challenge = hex_array<8>("10 2d b5 df 08 5d 30 41");
  const NtHash h = nt_password_hash("clientPass");
  EXPECT_EQ(h, hex_array<16>("44 eb ba 8d 53 12 b8 d6 11 47 44 11 f5 69 89 ae"));
  const NtHash hh = hash_nt_password_hash(h);
  EXPECT_EQ(hh, hex_array<16>("41 c0 0c 58 4b d2 d9 1c 40 17 a2 a1 2f a5 9f 3f"));
  // Step 3/4: the RFC's step 3 misprints "ac ca"; "ac c1" (step 4) is right.
  EXPECT_EQ(mppe_get_start_key(challenge, hh), hex_array<16>("a8 94 78 50 cf c0 ac c1 d1 78 9f b6 2d dc dd b0"));
  const MppeKeys keys = mppe_keys_from_mschapv1(h, challenge, MppeStrength::Bits128);
  EXPECT_EQ(key_bytes(keys.send), hex("a8 94 78 50 cf c0 ac c1 d1 78 9f b6 2d dc dd b0"));
  EXPECT_EQ(keys.send, keys.recv);  // §2: same key both ways
  // Step 5
  EXPECT_EQ(key_bytes(mppe_initial_session_key(keys.send, MppeStrength::Bits128)),
            hex("59 d1 59 bc 09 f7 6f 1d a2 a8 6a 28 ff ec 0b 1e"));
}

struct V2Fixture : ::testing::Test {
  const Challenge16 auth_challenge = hex_array<16>("5B 5D 7C 7D 7B 3F 2F 3E 3C 2C 60 21 32 26 26 28");
  const Challenge16 peer_challenge = hex_array<16>("21 40 23 24 25 5E 26 2A 28 29 5F 2B 3A 33 7C 7E");
  const NtResponse nt_response =
      hex_array<24>("82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54 42 33 11 4A 3D 85 D6 DF");
  const NtHash h = nt_password_hash("clientPass");
};

TEST_F(V2Fixture, CommonSteps) {
  // §3.5.x initial values and steps 1-3 (identical in the three samples).
  EXPECT_EQ(challenge_hash(peer_challenge, auth_challenge, "User"), hex_array<8>("D0 2E 43 86 BC E9 12 26"));
  EXPECT_EQ(mschapv2_nt_response(auth_challenge, peer_challenge, "User", h), nt_response);
  EXPECT_EQ(h, hex_array<16>("44 EB BA 8D 53 12 B8 D6 11 47 44 11 F5 69 89 AE"));
  const NtHash hh = hash_nt_password_hash(h);
  EXPECT_EQ(hh, hex_array<16>("41 C0 0C 58 4B D2 D9 1C 40 17 A2 A1 2F A5 9F 3F"));
  EXPECT_EQ(mppe_get_master_key(hh, nt_response), hex_array<16>("FD EC E3 71 7A 8C 83 8C B3 88 E5 27 AE 3C DD 31"));
}

TEST_F(V2Fixture, Sample40Bit) {
  // §3.5.1. The RFC's "send" keys are the server's (Magic3).
  const MppeKeys server = mppe_keys_from_mschapv2(h, nt_response, MppeStrength::Bits40, /*is_server=*/true);
  EXPECT_EQ(key_bytes(server.send), hex("8B 7C DC 14 9B 99 3A 1B"));
  const MppeKey session = mppe_initial_session_key(server.send, MppeStrength::Bits40);
  EXPECT_EQ(key_bytes(session), hex("D1 26 9E C4 9F A6 2E 3E"));
  EXPECT_EQ(rc4_test_message(session), hex("92 91 37 91 7E 58 03 D6 68 D7 58 98"));
}

TEST_F(V2Fixture, Sample56Bit) {
  // §3.5.2; ciphertext with the corrected last octet (B8, not 58).
  const MppeKeys server = mppe_keys_from_mschapv2(h, nt_response, MppeStrength::Bits56, true);
  EXPECT_EQ(key_bytes(server.send), hex("8B 7C DC 14 9B 99 3A 1B"));
  const MppeKey session = mppe_initial_session_key(server.send, MppeStrength::Bits56);
  EXPECT_EQ(key_bytes(session), hex("D1 5C 00 C4 9F A6 2E 3E"));
  EXPECT_EQ(rc4_test_message(session), hex("3F 10 68 33 FA 44 8D A8 42 BC 57 B8"));
}

TEST_F(V2Fixture, Sample128Bit) {
  // §3.5.3
  const MppeKeys server = mppe_keys_from_mschapv2(h, nt_response, MppeStrength::Bits128, true);
  EXPECT_EQ(key_bytes(server.send), hex("8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB"));
  const MppeKey session = mppe_initial_session_key(server.send, MppeStrength::Bits128);
  EXPECT_EQ(key_bytes(session), hex("40 5C B2 24 7A 79 56 E6 E2 11 00 7A E2 7B 22 D4"));
  EXPECT_EQ(rc4_test_message(session), hex("81 84 83 17 DF 68 84 62 72 FB 5A BE"));
}

TEST_F(V2Fixture, DirectionsMirrorBetweenServerAndClient) {
  for (auto s : {MppeStrength::Bits40, MppeStrength::Bits56, MppeStrength::Bits128}) {
    const MppeKeys server = mppe_keys_from_mschapv2(h, nt_response, s, true);
    const MppeKeys client = mppe_keys_from_mschapv2(h, nt_response, s, false);
    EXPECT_EQ(server.send, client.recv);
    EXPECT_EQ(server.recv, client.send);
    EXPECT_NE(server.send, server.recv);
    EXPECT_EQ(server.send.length, mppe_key_length(s));
    // derive_mppe_keys is the same computation.
    MppeKeyMaterial m;
    m.method = MppeKeyMaterial::Method::MsChapV2;
    m.nt_hash = h;
    m.nt_response = nt_response;
    m.is_server = false;
    EXPECT_EQ(derive_mppe_keys(m, s).send, client.send);
  }
}

TEST(MppeKeyChange, NextKeyFollowsRfc3078Section73) {
  // Independent restatement of RFC 3078 §7.3 with the building blocks: interim = SHA part,
  // then RC4(interim) under key interim, then salt.
  const MppeKey start = make_key(hex("8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB"));
  const MppeKey s0 = mppe_initial_session_key(start, MppeStrength::Bits128);
  const MppeKey interim = mppe_get_new_key_from_sha(start, s0);
  Bytes expected = key_bytes(interim);
  crypto::Rc4 rc4;
  rc4.set_key(expected);
  rc4.apply(expected);
  const MppeKey s1 = mppe_next_key(start, s0, MppeStrength::Bits128);
  EXPECT_EQ(key_bytes(s1), expected);
  EXPECT_NE(s1, s0);
  // 40-bit keys stay salted after a change.
  const MppeKey start40 = make_key(hex("8B 7C DC 14 9B 99 3A 1B"));
  const MppeKey k40 = mppe_next_key(start40, mppe_initial_session_key(start40, MppeStrength::Bits40), MppeStrength::Bits40);
  EXPECT_EQ(Bytes(k40.bytes.begin(), k40.bytes.begin() + 3), hex("D1 26 9E"));
  EXPECT_EQ(k40.length, 8u);
  const MppeKey k56 = mppe_next_key(start40, mppe_initial_session_key(start40, MppeStrength::Bits56), MppeStrength::Bits56);
  EXPECT_EQ(k56.bytes[0], 0xD1);
}

}  // namespace
}  // namespace pptpx::auth
