// Independent IPv4/IPv6 packet builders for tests (not the code under test).
#pragma once
#include <cstdint>

#include "util/bytes.hpp"

namespace pptpx::test {

inline std::uint16_t ipv4_checksum(const std::uint8_t* p, std::size_t n) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i + 1 < n; i += 2) sum += static_cast<std::uint32_t>((p[i] << 8) | p[i + 1]);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

inline Bytes make_ipv4_packet(std::uint32_t src, std::uint32_t dst, std::uint32_t tag, std::size_t total) {
  if (total < 32) total = 32;
  Bytes p(total, 0);
  p[0] = 0x45;
  store_be16(&p[2], static_cast<std::uint16_t>(total));
  store_be16(&p[4], static_cast<std::uint16_t>(tag));
  p[8] = 64;
  p[9] = 17;  // UDP
  store_be32(&p[12], src);
  store_be32(&p[16], dst);
  store_be16(&p[10], ipv4_checksum(p.data(), 20));
  store_be16(&p[20], 40000);
  store_be16(&p[22], 9);
  store_be16(&p[24], static_cast<std::uint16_t>(total - 20));
  store_be32(&p[28], tag);
  for (std::size_t i = 32; i < total; ++i) p[i] = static_cast<std::uint8_t>(i * 7 + tag);
  return p;
}

inline Bytes make_ipv6_packet(std::uint32_t tag, std::size_t total) {
  if (total < 52) total = 52;
  Bytes p(total, 0);
  p[0] = 0x60;
  store_be16(&p[4], static_cast<std::uint16_t>(total - 40));
  p[6] = 17;
  p[7] = 64;
  p[8] = 0xfe;  // fe80::1 -> fe80::2
  p[9] = 0x80;
  p[23] = 1;
  p[24] = 0xfe;
  p[25] = 0x80;
  p[39] = 2;
  store_be16(&p[40], 40000);
  store_be16(&p[42], 9);
  store_be16(&p[44], static_cast<std::uint16_t>(total - 40));
  store_be32(&p[48], tag);
  for (std::size_t i = 52; i < total; ++i) p[i] = static_cast<std::uint8_t>(i * 13 + tag);
  return p;
}

}  // namespace pptpx::test
