#include "server/ipv6_addressing.hpp"

#include <algorithm>

namespace pptpx::server {

namespace {
std::uint64_t low64(const Ipv6Address& a) {
  std::uint64_t v = 0;
  for (std::size_t i = 8; i < 16; ++i) v = (v << 8) | a.bytes[i];
  return v;
}
bool same_upper64(const Ipv6Address& a, const Ipv6Address& b) {
  return std::equal(a.bytes.begin(), a.bytes.begin() + 8, b.bytes.begin());
}
}  // namespace

Ipv6Address link_local_address(std::uint64_t id) {
  Ipv6Address a;
  a.bytes[0] = 0xfe;
  a.bytes[1] = 0x80;
  for (std::size_t i = 0; i < 8; ++i) a.bytes[15 - i] = static_cast<std::uint8_t>(id >> (8 * i));
  return a;
}

std::vector<Ipv6Address> Ipv6Addressing::addresses(std::uint64_t id) const {
  std::vector<Ipv6Address> out{link_local_address(id)};
  if (prefix_) {
    Ipv6Address g = prefix_->address;  // a /64 or shorter (config.cpp): the low 64 bits are ours
    for (std::size_t i = 0; i < 8; ++i) g.bytes[15 - i] = static_cast<std::uint8_t>(id >> (8 * i));
    out.push_back(g);
  }
  return out;
}

std::optional<std::uint64_t> Ipv6Addressing::interface_id(const Ipv6Address& a) const {
  const std::uint64_t id = low64(a);
  if (id == 0) return std::nullopt;  // a subnet-router anycast or unspecified address, never an end
  if (same_upper64(a, link_local_address(0))) return id;
  if (prefix_ && same_upper64(a, prefix_->address)) return id;
  return std::nullopt;
}

std::optional<std::uint64_t> Ipv6Addressing::interface_id(ByteView address16) const {
  // Catches a caller handing less than a whole address (the header parser checks 40 bytes).
  if (address16.size() != 16) return std::nullopt;
  Ipv6Address a;
  std::copy(address16.begin(), address16.end(), a.bytes.begin());
  return interface_id(a);
}

}  // namespace pptpx::server
