// The IPv6 addresses of a tunnel's two ends, from the 64-bit interface identifiers IPV6CP
// negotiated (RFC 5072 §5): the link-local fe80::<id> (RFC 4291 §2.5.6) and, when [ipv6] prefix
// is set, <prefix>::<id> (the prefix's upper 64 bits, the identifier below). Pure functions: the
// daemon uses them for its TUN addresses, the per-client /128 routes, the choice of session for
// an IPv6 packet read from the TUN (by destination) and the check of a client's source address.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "server/ip_address.hpp"
#include "util/bytes.hpp"

namespace pptpx::server {

// fe80::<id> (RFC 4291 §2.5.6: fe80::/10 with 54 zero bits, then the interface identifier).
Ipv6Address link_local_address(std::uint64_t id);

class Ipv6Addressing {
 public:
  explicit Ipv6Addressing(std::optional<Ipv6Prefix> prefix) : prefix_(prefix) {}

  // The addresses of the end with identifier `id`: link-local first, then the prefix one.
  std::vector<Ipv6Address> addresses(std::uint64_t id) const;
  // The interface identifier of `a` when `a` is one of ours: in fe80::/64 or in the prefix's
  // /64; nullopt otherwise (another network, multicast, the unspecified address ...).
  std::optional<std::uint64_t> interface_id(const Ipv6Address& a) const;
  // The same for 16 address bytes as they sit in an IPv6 header (RFC 8200 §3).
  std::optional<std::uint64_t> interface_id(ByteView address16) const;
  const std::optional<Ipv6Prefix>& prefix() const { return prefix_; }

 private:
  std::optional<Ipv6Prefix> prefix_;
};

}  // namespace pptpx::server
