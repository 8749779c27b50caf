#include "client/gateway_route.hpp"

#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "net/netlink.hpp"

namespace pptpx::client {

std::optional<PathToServer> find_path_to(in_addr server, std::string& error) {
  std::ifstream in("/proc/net/route");
  if (!in) {
    error = "cannot read /proc/net/route to find the way to the server";
    return std::nullopt;
  }
  std::string line;
  std::getline(in, line);  // header
  std::optional<PathToServer> best;
  int best_len = -1;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string iface, dst_hex, gw_hex, flags_hex, refcnt, use, metric, mask_hex;
    if (!(f >> iface >> dst_hex >> gw_hex >> flags_hex >> refcnt >> use >> metric >> mask_hex)) continue;
    // The kernel prints the addresses as the hex of their in-memory (network-order) value.
    const auto dst = static_cast<std::uint32_t>(std::stoul(dst_hex, nullptr, 16));
    const auto gw = static_cast<std::uint32_t>(std::stoul(gw_hex, nullptr, 16));
    const auto mask = static_cast<std::uint32_t>(std::stoul(mask_hex, nullptr, 16));
    if ((server.s_addr & mask) != dst) continue;
    const int len = __builtin_popcount(mask);
    if (len <= best_len) continue;
    const unsigned idx = if_nametoindex(iface.c_str());
    if (idx == 0) continue;
    best_len = len;
    PathToServer p;
    p.ifindex = static_cast<int>(idx);
    p.gateway.s_addr = gw;
    best = p;
  }
  if (!best) {
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &server, text, sizeof text);
    error = std::string("no route to the server ") + text + "; --default-route needs one to keep";
  }
  return best;
}

std::string pin_host_route(in_addr server, const PathToServer& path, bool add) {
  net::Netlink nl;
  if (!nl.ok()) return nl.error();
  net::NetlinkMessage m(add ? RTM_NEWROUTE : RTM_DELROUTE,
                        static_cast<std::uint16_t>(add ? (NLM_F_CREATE | NLM_F_EXCL) : 0));
  rtmsg rt{};
  rt.rtm_family = AF_INET;
  rt.rtm_dst_len = 32;
  rt.rtm_table = RT_TABLE_MAIN;
  rt.rtm_protocol = RTPROT_BOOT;
  rt.rtm_scope = path.gateway.s_addr == 0 ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
  rt.rtm_type = RTN_UNICAST;
  m.fixed(rt);
  m.attr(RTA_DST, &server.s_addr, 4);
  if (path.gateway.s_addr != 0) m.attr(RTA_GATEWAY, &path.gateway.s_addr, 4);
  m.attr_u32(RTA_OIF, static_cast<std::uint32_t>(path.ifindex));
  const int err = nl.request(m);
  if (err == 0 || (add && err == EEXIST) || (!add && err == ESRCH)) return {};
  return std::string("cannot ") + (add ? "add" : "remove") + " the host route to the server (" + std::strerror(err) +
         ")";
}

}  // namespace pptpx::client
