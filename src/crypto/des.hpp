// Single DES in ECB mode, one 8-byte block at a time, keyed the MS-CHAP way (RFC 2759 §8.6
// DesEncrypt, RFC 2433 §A.8): a 7-byte (56-bit) key is spread over 8 bytes, 7 key bits per byte,
// with the low bit of each byte set for odd parity.
#pragma once
#include <array>
#include <cstdint>

namespace pptpx::crypto {

using DesKey7 = std::array<std::uint8_t, 7>;
using DesKey8 = std::array<std::uint8_t, 8>;
using DesBlock = std::array<std::uint8_t, 8>;

// 7 key bytes -> 8 DES key bytes with odd parity in bit 0 of each.
DesKey8 des_expand_key(const DesKey7& key7) noexcept;
// DES-ECB encryption of one block with an 8-byte key (parity bits ignored by DES).
DesBlock des_encrypt(const DesKey8& key, const DesBlock& clear);
// DES-ECB encryption with a 7-byte MS-CHAP key.
DesBlock des_encrypt(const DesKey7& key7, const DesBlock& clear);

}  // namespace pptpx::crypto
