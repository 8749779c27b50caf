#include "net/link_config.hpp"

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <cstring>

namespace pptpx::net {

namespace {
std::string ifname(int ifindex) {
  char buf[IF_NAMESIZE] = {};
  if (::if_indextoname(static_cast<unsigned>(ifindex), buf) == nullptr) return "#" + std::to_string(ifindex);
  return buf;
}
std::string addr_text(int family, const void* a, std::uint8_t prefix_len) {
  char buf[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(family, a, buf, sizeof buf);
  return std::string(buf) + "/" + std::to_string(prefix_len);
}
}  // namespace

std::string LinkConfig::result(int err, int ifindex, const std::string& what) {
  if (err == 0) return {};
  std::string out = "cannot " + what + " on " + ifname(ifindex) + " (" + std::strerror(err) + ")";
  if (err == EPERM) out += "; run as root or with CAP_NET_ADMIN";
  if (err == EEXIST) out += "; it is already configured, remove the old entry first";
  return out;
}

std::string LinkConfig::set_mtu(int ifindex, std::uint32_t mtu) {
  NetlinkMessage m(RTM_NEWLINK, 0);
  ifinfomsg ifi{};
  ifi.ifi_family = AF_UNSPEC;
  ifi.ifi_index = ifindex;
  m.fixed(ifi);
  m.attr_u32(IFLA_MTU, mtu);
  return result(nl_.request(m), ifindex, "set MTU " + std::to_string(mtu));
}

std::string LinkConfig::set_up(int ifindex, bool up) {
  NetlinkMessage m(RTM_NEWLINK, 0);
  ifinfomsg ifi{};
  ifi.ifi_family = AF_UNSPEC;
  ifi.ifi_index = ifindex;
  ifi.ifi_flags = up ? static_cast<unsigned>(IFF_UP) : 0u;
  ifi.ifi_change = IFF_UP;
  m.fixed(ifi);
  return result(nl_.request(m), ifindex, up ? "bring the link up" : "bring the link down");
}

std::string LinkConfig::disable_ipv6_autoconf(int ifindex) {
  NetlinkMessage m(RTM_NEWLINK, 0);
  ifinfomsg ifi{};
  ifi.ifi_family = AF_UNSPEC;
  ifi.ifi_index = ifindex;
  m.fixed(ifi);
  // IFLA_AF_SPEC { AF_INET6 { IFLA_INET6_ADDR_GEN_MODE: u8 } }, each attribute a 4-byte rtattr
  // header (length without padding, type) padded to 4 bytes (RTA_ALIGN).
  std::uint8_t nested[12] = {};
  const auto put_header = [&](std::size_t at, std::uint16_t len, std::uint16_t type) {
    std::memcpy(nested + at, &len, 2);  // host order, like every rtnetlink header field
    std::memcpy(nested + at + 2, &type, 2);
  };
  put_header(0, 12, AF_INET6);
  put_header(4, 5, IFLA_INET6_ADDR_GEN_MODE);
  nested[8] = IN6_ADDR_GEN_MODE_NONE;
  m.attr(IFLA_AF_SPEC, nested, sizeof nested);
  return result(nl_.request(m), ifindex, "turn off IPv6 address autoconfiguration");
}

std::string LinkConfig::add_ipv4_address(int ifindex, in_addr local, std::uint8_t prefix_len, in_addr peer) {
  NetlinkMessage m(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
  ifaddrmsg ifa{};
  ifa.ifa_family = AF_INET;
  ifa.ifa_prefixlen = prefix_len;
  ifa.ifa_scope = RT_SCOPE_UNIVERSE;
  ifa.ifa_index = static_cast<std::uint32_t>(ifindex);
  m.fixed(ifa);
  m.attr(IFA_LOCAL, &local, sizeof local);
  m.attr(IFA_ADDRESS, &peer, sizeof peer);
  return result(nl_.request(m), ifindex, "add address " + addr_text(AF_INET, &local, prefix_len));
}

std::string LinkConfig::add_ipv6_address(int ifindex, const in6_addr& local, std::uint8_t prefix_len) {
  NetlinkMessage m(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
  ifaddrmsg ifa{};
  ifa.ifa_family = AF_INET6;
  ifa.ifa_prefixlen = prefix_len;
  ifa.ifa_flags = IFA_F_NODAD;  // a point-to-point tunnel has no one to collide with
  ifa.ifa_scope = RT_SCOPE_UNIVERSE;
  ifa.ifa_index = static_cast<std::uint32_t>(ifindex);
  m.fixed(ifa);
  m.attr(IFA_LOCAL, &local, sizeof local);
  m.attr(IFA_ADDRESS, &local, sizeof local);
  return result(nl_.request(m), ifindex, "add address " + addr_text(AF_INET6, &local, prefix_len));
}

std::string LinkConfig::route(bool add, int family, int ifindex, const void* dst, std::size_t dst_len,
                              std::uint8_t prefix_len) {
  NetlinkMessage m(add ? RTM_NEWROUTE : RTM_DELROUTE, add ? NLM_F_CREATE | NLM_F_EXCL : 0);
  rtmsg rt{};
  rt.rtm_family = static_cast<unsigned char>(family);
  rt.rtm_dst_len = prefix_len;
  rt.rtm_table = RT_TABLE_MAIN;
  rt.rtm_protocol = RTPROT_STATIC;
  rt.rtm_scope = RT_SCOPE_LINK;
  rt.rtm_type = RTN_UNICAST;
  m.fixed(rt);
  m.attr(RTA_DST, dst, dst_len);
  m.attr_u32(RTA_OIF, static_cast<std::uint32_t>(ifindex));
  return result(nl_.request(m), ifindex,
                std::string(add ? "add" : "remove") + " route " + addr_text(family, dst, prefix_len));
}

std::string LinkConfig::add_ipv4_route(int ifindex, in_addr dst, std::uint8_t prefix_len) {
  return route(true, AF_INET, ifindex, &dst, sizeof dst, prefix_len);
}
std::string LinkConfig::del_ipv4_route(int ifindex, in_addr dst, std::uint8_t prefix_len) {
  return route(false, AF_INET, ifindex, &dst, sizeof dst, prefix_len);
}
std::string LinkConfig::add_ipv6_route(int ifindex, const in6_addr& dst, std::uint8_t prefix_len) {
  return route(true, AF_INET6, ifindex, &dst, sizeof dst, prefix_len);
}
std::string LinkConfig::del_ipv6_route(int ifindex, const in6_addr& dst, std::uint8_t prefix_len) {
  return route(false, AF_INET6, ifindex, &dst, sizeof dst, prefix_len);
}

}  // namespace pptpx::net
