// RFC 2759 §9.2 (hash example) and §9.3 (DES key generation): every printed value.
#include <gtest/gtest.h>

#include "auth/mschap.hpp"
#include "crypto/des.hpp"
#include "support/hex_literal.hpp"

namespace pptpx::auth {
namespace {

using test::hex;
using test::hex_array;

const auto kAuthChallenge = hex_array<16>("5B 5D 7C 7D 7B 3F 2F 3E 3C 2C 60 21 32 26 26 28");
const auto kPeerChallenge = hex_array<16>("21 40 23 24 25 5E 26 2A 28 29 5F 2B 3A 33 7C 7E");

TEST(MsChapV2Rfc2759, UserNameAndPasswordEncodings) {
  const std::string_view user = "User";
  EXPECT_EQ(Bytes(user.begin(), user.end()), hex("55 73 65 72"));
  Bytes unicode;
  ASSERT_TRUE(password_to_utf16le("clientPass", unicode));
  EXPECT_EQ(unicode, hex("63 00 6C 00 69 00 65 00 6E 00 74 00 50 00 61 00 73 00 73 00"));
}

TEST(MsChapV2Rfc2759, ChallengeHash) {
  EXPECT_EQ(challenge_hash(kPeerChallenge, kAuthChallenge, "User"), hex_array<8>("D0 2E 43 86 BC E9 12 26"));
}

TEST(MsChapV2Rfc2759, PasswordHashAndHashHash) {
  const NtHash h = nt_password_hash("clientPass");
  EXPECT_EQ(h, hex_array<16>("44 EB BA 8D 53 12 B8 D6 11 47 44 11 F5 69 89 AE"));
  EXPECT_EQ(hash_nt_password_hash(h), hex_array<16>("41 C0 0C 58 4B D2 D9 1C 40 17 A2 A1 2F A5 9F 3F"));
}

TEST(MsChapV2Rfc2759, NtResponse) {
  const auto expected = hex_array<24>("82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54 42 33 11 4A 3D 85 D6 DF");
  const NtHash h = nt_password_hash("clientPass");
  EXPECT_EQ(mschapv2_nt_response(kAuthChallenge, kPeerChallenge, "User", h), expected);
  EXPECT_EQ(challenge_response(hex_array<8>("D0 2E 43 86 BC E9 12 26"), h), expected);
}

TEST(MsChapV2Rfc2759, AuthenticatorResponse) {
  const NtHash h = nt_password_hash("clientPass");
  const auto nt = mschapv2_nt_response(kAuthChallenge, kPeerChallenge, "User", h);
  const auto r = mschapv2_authenticator_response(h, nt, kPeerChallenge, kAuthChallenge, "User");
  EXPECT_EQ(format_authenticator_response(r), "S=407A5589115FD0D6209F510FE9C04566932CDA56");
  EXPECT_TRUE(check_authenticator_response("S=407A5589115FD0D6209F510FE9C04566932CDA56", r));
}

TEST(MsChapV2Rfc2759, DomainIsStrippedBeforeHashing) {
  const NtHash h = nt_password_hash("clientPass");
  EXPECT_EQ(mschap_strip_domain("CORP\\User"), "User");
  EXPECT_EQ(mschap_strip_domain("User"), "User");
  EXPECT_EQ(mschap_strip_domain("A\\B\\User"), "User");
  EXPECT_EQ(challenge_hash(kPeerChallenge, kAuthChallenge, "CORP\\User"), hex_array<8>("D0 2E 43 86 BC E9 12 26"));
  EXPECT_EQ(mschapv2_nt_response(kAuthChallenge, kPeerChallenge, "CORP\\User", h),
            mschapv2_nt_response(kAuthChallenge, kPeerChallenge, "User", h));
  // A different name changes the hash (the name really is an input).
  EXPECT_NE(challenge_hash(kPeerChallenge, kAuthChallenge, "user"), hex_array<8>("D0 2E 43 86 BC E9 12 26"));
}

TEST(MsChapV2Rfc2759, CheckAuthenticatorResponseRejectsAnythingElse) {
  const auto r = hex_array<20>("407A5589115FD0D6209F510FE9C04566932CDA56");
  EXPECT_TRUE(check_authenticator_response("S=407a5589115fd0d6209f510fe9c04566932cda56", r));
  EXPECT_TRUE(check_authenticator_response("S=407A5589115FD0D6209F510FE9C04566932CDA56 M=Access granted", r));
  EXPECT_FALSE(check_authenticator_response("S=407A5589115FD0D6209F510FE9C04566932CDA57", r));
  EXPECT_FALSE(check_authenticator_response("S=407A5589115FD0D6209F510FE9C04566932CDA5", r));
  EXPECT_FALSE(check_authenticator_response("S=407A5589115FD0D6209F510FE9C04566932CDA56X", r));
  EXPECT_FALSE(check_authenticator_response("S=407A5589115FD0D6209F510FE9C04566932CDAG6", r));
  EXPECT_FALSE(check_authenticator_response("s=407A5589115FD0D6209F510FE9C04566932CDA56", r));
  EXPECT_FALSE(check_authenticator_response("", r));
  // Every single-byte change of the expected value is noticed.
  for (std::size_t i = 0; i < r.size(); ++i) {
    auto other = r;
    other[i] ^= 0x01;
    EXPECT_FALSE(check_authenticator_response("S=407A5589115FD0D6209F510FE9C04566932CDA56", other)) << i;
  }
}

TEST(MsChapRfc2759, DesKeyGenerationExample) {
  // RFC 2759 §9.3 (the same values as RFC 2433 §B.3).
  const NtHash h = nt_password_hash("MyPw");
  EXPECT_EQ(h, hex_array<16>("FC 15 6A F7 ED CD 6C 0E DD E3 33 7D 42 7F 4E AC"));
  Bytes unicode;
  ASSERT_TRUE(password_to_utf16le("MyPw", unicode));
  EXPECT_EQ(unicode, hex("4D 00 79 00 50 00 77 00"));
  const crypto::DesKey7 raw1{h[0], h[1], h[2], h[3], h[4], h[5], h[6]};
  const crypto::DesKey7 raw2{h[7], h[8], h[9], h[10], h[11], h[12], h[13]};
  EXPECT_EQ(raw1, hex_array<7>("FC 15 6A F7 ED CD 6C"));
  EXPECT_EQ(raw2, hex_array<7>("0E DD E3 33 7D 42 7F"));
  EXPECT_EQ(crypto::des_expand_key(raw1), hex_array<8>("FD 0B 5B 5E 7F 6E 34 D9"));
  EXPECT_EQ(crypto::des_expand_key(raw2), hex_array<8>("0E 6E 79 67 37 EA 08 FE"));
}

}  // namespace
}  // namespace pptpx::auth
