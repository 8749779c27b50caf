// The Internet checksum (RFC 1071) and its incremental update (RFC 1624), for the few places
// the data path rewrites an IP or TCP header (MSS clamping, splitting TCP super-segments).
#pragma once
#include <cstdint>

#include "util/bytes.hpp"

namespace pptpx::net {

// Adds `bytes` to a running ones'-complement sum as big-endian 16-bit words (an odd last octet
// is padded with zero, RFC 1071 §4.1). Sums from different calls may be added as long as every
// call but the last covers an even number of octets. 64 bits: no carry is lost below 2^48 words.
inline std::uint64_t checksum_add(std::uint64_t sum, ByteView bytes) noexcept {
  std::size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) sum += load_be16(bytes.data() + i);
  if (i < bytes.size()) sum += std::uint64_t{bytes[i]} << 8;
  return sum;
}

// Folds a running sum to 16 bits (not complemented).
inline std::uint16_t checksum_fold(std::uint64_t sum) noexcept {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(sum);
}

// The checksum field value for data whose running sum (field zeroed) is `sum`.
inline std::uint16_t checksum_finish(std::uint64_t sum) noexcept {
  return static_cast<std::uint16_t>(~checksum_fold(sum));
}

// RFC 1624 §3 eqn. 3: HC' = ~(~HC + ~m + m') when one 16-bit word changes from m to m'.
inline std::uint16_t checksum_update16(std::uint16_t check, std::uint16_t old_word, std::uint16_t new_word) noexcept {
  const std::uint64_t sum = std::uint64_t{static_cast<std::uint16_t>(~check)} +
                            std::uint64_t{static_cast<std::uint16_t>(~old_word)} + new_word;
  return static_cast<std::uint16_t>(~checksum_fold(sum));
}

}  // namespace pptpx::net
