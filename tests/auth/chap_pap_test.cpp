// CHAP-MD5 (RFC 1994 §4.1) and PAP comparison. CHAP expected values computed independently with
// Python: hashlib.md5(bytes([id]) + secret + challenge).
#include <gtest/gtest.h>

#include "auth/chap_md5.hpp"
#include "auth/pap.hpp"
#include "support/hex_literal.hpp"

namespace pptpx::auth {
namespace {

TEST(ChapMd5, ResponseIsMd5OfIdSecretChallenge) {
  EXPECT_EQ(chap_md5_response(1, "Tunnel-Lab-7", test::hex("00112233445566778899aabbccddeeff")),
            test::hex_array<16>("70f5f6fb5e198eb92012e50a35784046"));
  EXPECT_EQ(chap_md5_response(0x2a, "", test::hex("0102")), test::hex_array<16>("7fa24cb97ca6b80076b6cc80eaef77b3"));
  EXPECT_NE(chap_md5_response(2, "Tunnel-Lab-7", test::hex("00112233445566778899aabbccddeeff")),
            test::hex_array<16>("70f5f6fb5e198eb92012e50a35784046"));
}

TEST(Pap, ComparesExactly) {
  EXPECT_TRUE(pap_password_matches("Tunnel-Lab-7", "Tunnel-Lab-7"));
  EXPECT_TRUE(pap_password_matches("", ""));
  EXPECT_FALSE(pap_password_matches("Tunnel-Lab-8", "Tunnel-Lab-7"));
  EXPECT_FALSE(pap_password_matches("Tunnel-Lab-7 ", "Tunnel-Lab-7"));
  EXPECT_FALSE(pap_password_matches("tunnel-lab-7", "Tunnel-Lab-7"));
  EXPECT_FALSE(pap_password_matches("", "Tunnel-Lab-7"));
}

}  // namespace
}  // namespace pptpx::auth
