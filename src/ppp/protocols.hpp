// PPP protocol numbers (RFC 1661 §2 and the documents that assign each).
#pragma once
#include <cstdint>
#include <string_view>

namespace pptpx::ppp {

enum class Protocol : std::uint16_t {
  Ipv4 = 0x0021,        // RFC 1332
  Ipv6 = 0x0057,        // RFC 5072
  Compressed = 0x00FD,  // RFC 1962 / RFC 3078: MPPE-encrypted datagram
  Ipcp = 0x8021,        // RFC 1332
  Ipv6cp = 0x8057,      // RFC 5072
  Ccp = 0x80FD,         // RFC 1962
  Lcp = 0xC021,         // RFC 1661
  Pap = 0xC023,         // RFC 1334
  Chap = 0xC223,        // RFC 1994 (MD5, MS-CHAPv1 0x80, MS-CHAPv2 0x81)
  Eap = 0xC227,         // RFC 2284 / RFC 3748 (EAP-TLS only)
};

constexpr std::string_view to_string(Protocol p) {
  switch (p) {
    case Protocol::Ipv4: return "IPv4";
    case Protocol::Ipv6: return "IPv6";
    case Protocol::Compressed: return "MPPE";
    case Protocol::Ipcp: return "IPCP";
    case Protocol::Ipv6cp: return "IPV6CP";
    case Protocol::Ccp: return "CCP";
    case Protocol::Lcp: return "LCP";
    case Protocol::Pap: return "PAP";
    case Protocol::Chap: return "CHAP";
    case Protocol::Eap: return "EAP";
  }
  return "unknown";
}

}  // namespace pptpx::ppp
