#include "net/ip_packet.hpp"

#include <sys/socket.h>

#include <cstring>

namespace pptpx::net {

std::optional<IpAddresses> ip_addresses(ByteView p) {
  if (p.empty()) return std::nullopt;
  IpAddresses out;
  switch (p[0] >> 4) {
    case 4:
      // Shorter than the 20-byte fixed header: the addresses are not all there.
      if (p.size() < 20) return std::nullopt;
      out.family = AF_INET;
      std::memcpy(&out.src4, p.data() + 12, 4);
      std::memcpy(&out.dst4, p.data() + 16, 4);
      return out;
    case 6:
      // Shorter than the 40-byte IPv6 header (RFC 8200 §3).
      if (p.size() < 40) return std::nullopt;
      out.family = AF_INET6;
      std::memcpy(&out.src6, p.data() + 8, 16);
      std::memcpy(&out.dst6, p.data() + 24, 16);
      return out;
    default:
      return std::nullopt;
  }
}

}  // namespace pptpx::net
