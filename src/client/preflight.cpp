#include "client/preflight.hpp"

#include <linux/capability.h>
#include <net/if.h>

#include "net/capabilities.hpp"
#include "net/tun_device.hpp"

namespace pptpx::client {

Preflight check_before_dialling(const ClientOptions& o) {
  // The kernel takes IFNAMSIZ - 1 characters (a "%d" counts as written, then expands).
  if (o.tun_name.empty() || o.tun_name.size() >= IFNAMSIZ) {
    return {"--tun-name \"" + o.tun_name + "\" is " + std::to_string(o.tun_name.size()) +
                " characters; Linux interface names have 1 to " + std::to_string(IFNAMSIZ - 1) +
                ", e.g. pptpxc%d",
            2};
  }
  if ((net::effective_capabilities() & (1ULL << CAP_NET_ADMIN)) == 0) {
    return {"this process lacks CAP_NET_ADMIN, which creating the TUN device and its routes needs; run as root "
            "(or grant CAP_NET_ADMIN and CAP_NET_RAW, e.g. AmbientCapabilities= in a systemd unit)",
            1};
  }
  if (std::string e = net::check_tun_access(); !e.empty()) return {e, 1};
  return {};
}

}  // namespace pptpx::client
