// The two facts the server needs from an IP packet read from (or about to be written to) the
// TUN device: its version and addresses, to pick the session by destination and to check a
// client's source address (anti-spoofing). Every length is checked before a read.
#pragma once
#include <netinet/in.h>

#include <optional>

#include "util/bytes.hpp"

namespace pptpx::net {

struct IpAddresses {
  int family = 0;  // AF_INET or AF_INET6
  in_addr src4{}, dst4{};
  in6_addr src6{}, dst6{};
};

// nullopt when the packet is neither a plausible IPv4 nor IPv6 packet (too short for its fixed
// header, or an unknown version nibble). Options and extension headers are not parsed.
std::optional<IpAddresses> ip_addresses(ByteView packet);

}  // namespace pptpx::net
