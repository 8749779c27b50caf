// What an Access-Accept tells the server to do with the session it accepts (RFC 2865 §5, RFC
// 2869 §5.16, RFC 2548 §2.7, RFC 3162 §2): its address, limits, accounting interval, the Class
// to echo in accounting, DNS servers, MTU, routes. Pure; the daemon applies it.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "radius/packet.hpp"
#include "util/time.hpp"

namespace pptpx::server {

struct RadiusAuthorization {
  // Framed-IP-Address (host order). RFC 2865 §5.8: 255.255.255.255 (the user chooses) and
  // 255.255.255.254 (the NAS chooses) mean "from the pool", so they are left out here.
  std::optional<std::uint32_t> framed_ip;
  std::optional<Duration> session_timeout;   // Session-Timeout (§5.27); 0 is left out (no limit)
  std::optional<Duration> idle_timeout;      // Idle-Timeout (§5.28); 0 is left out
  std::optional<Duration> interim_interval;  // Acct-Interim-Interval (RFC 2869 §5.16); 0 left out
  std::vector<Bytes> classes;                // Class (§5.25), each echoed unmodified in accounting
  std::optional<std::uint16_t> framed_mtu;   // Framed-MTU (§5.12), 64..65535
  std::array<std::optional<std::uint32_t>, 2> dns;  // MS-Primary/Secondary-DNS-Server (host order)
  std::vector<std::string> framed_routes;    // Framed-Route (§5.22), as sent (logged, not installed)
};

// Reads the attributes of an Access-Accept; ones of the wrong length are left out.
RadiusAuthorization authorization_from_accept(const radius::Packet& accept);

// One line for the log: "address 192.0.2.9, Session-Timeout 30 s, ..." (empty: nothing set).
std::string describe(const RadiusAuthorization& a);

}  // namespace pptpx::server
