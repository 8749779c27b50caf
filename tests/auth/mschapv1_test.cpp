// RFC 2433 §B.2 hash example (MS-CHAPv1 NT response); §B.3 is checked in mschapv2_test.cpp.
#include <gtest/gtest.h>

#include "auth/mschap.hpp"
#include "support/hex_literal.hpp"

namespace pptpx::auth {
namespace {

using test::hex_array;

TEST(MsChapV1Rfc2433, HashExample) {
  const auto challenge = hex_array<8>("10 2D B5 DF 08 5D 30 41");
  const NtHash h = nt_password_hash("MyPw");
  EXPECT_EQ(h, hex_array<16>("FC 15 6A F7 ED CD 6C 0E DD E3 33 7D 42 7F 4E AC"));
  EXPECT_EQ(mschapv1_nt_response(challenge, h),
            hex_array<24>("4E 9D 3C 8F 9C FD 38 5D 5B F4 D3 24 67 91 95 6C A4 C3 51 AB 40 9A 3D 61"));
}

}  // namespace
}  // namespace pptpx::auth
