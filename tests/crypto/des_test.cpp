// DES known answers and the MS-CHAP 7-byte key expansion.
#include "crypto/des.hpp"

#include <gtest/gtest.h>

#include <bit>

#include "support/hex_literal.hpp"

namespace pptpx::crypto {
namespace {

TEST(Des, WellKnownVectors) {
  // The classic worked example (J. Orlin Grabbe, "The DES Algorithm Illustrated").
  EXPECT_EQ(des_encrypt(test::hex_array<8>("133457799BBCDFF1"), test::hex_array<8>("0123456789ABCDEF")),
            test::hex_array<8>("85E813540F0AB405"));
  // FIPS 81 appendix B example: "Now is t".
  EXPECT_EQ(des_encrypt(test::hex_array<8>("0123456789ABCDEF"), test::hex_array<8>("4E6F772069732074")),
            test::hex_array<8>("3FA40E8A984D4815"));
}

TEST(Des, SevenByteKeyIsTheEightByteKeyWithoutParity) {
  // 12695bc9b7b7f8 = the top 7 bits of each byte of 133457799BBCDFF1, concatenated (computed by hand
  // from the bit strings, independently of des_expand_key).
  const auto k7 = test::hex_array<7>("12695bc9b7b7f8");
  const DesKey8 k8 = des_expand_key(k7);
  EXPECT_EQ(k8, test::hex_array<8>("133457799BBCDFF1"));  // that key already has odd parity
  EXPECT_EQ(des_encrypt(k7, test::hex_array<8>("0123456789ABCDEF")), test::hex_array<8>("85E813540F0AB405"));
}

TEST(Des, ExpansionSetsOddParity) {
  EXPECT_EQ(des_expand_key(test::hex_array<7>("00000000000000")), test::hex_array<8>("0101010101010101"));
  EXPECT_EQ(des_expand_key(test::hex_array<7>("FFFFFFFFFFFFFF")), test::hex_array<8>("FEFEFEFEFEFEFEFE"));
  for (std::uint8_t b : des_expand_key(test::hex_array<7>("0123456789abcd"))) {
    EXPECT_EQ(std::popcount(static_cast<unsigned>(b)) % 2, 1) << int(b);
  }
}

}  // namespace
}  // namespace pptpx::crypto
