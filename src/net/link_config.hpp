// Interface settings and routes through rtnetlink (no `ip` commands): MTU, up/down, IPv4 and
// IPv6 addresses, and routes (a /32 per client, IPv6 prefixes). Each call returns "" on success
// or one sentence naming the interface, the kernel's reason and, where there is one, the fix.
#pragma once
#include <netinet/in.h>

#include <cstdint>
#include <string>

#include "net/netlink.hpp"

namespace pptpx::net {

class LinkConfig {
 public:
  LinkConfig() = default;
  bool ok() const { return nl_.ok(); }
  const std::string& open_error() const { return nl_.error(); }

  std::string set_mtu(int ifindex, std::uint32_t mtu);
  std::string set_up(int ifindex, bool up);
  // No automatic IPv6 link-local address (IFLA_INET6_ADDR_GEN_MODE = none): the kernel gives a
  // TUN device (ARPHRD_NONE) a random fe80:: address when it goes up, and sends router
  // solicitations and MLD reports from it; a PPP link's addresses come from IPV6CP instead
  // (RFC 5072 §5). Call before set_up(). Fails (EAFNOSUPPORT) where IPv6 is disabled.
  std::string disable_ipv6_autoconf(int ifindex);
  // `peer`: for point-to-point links, the far end (IFA_ADDRESS); otherwise pass `local` again.
  std::string add_ipv4_address(int ifindex, in_addr local, std::uint8_t prefix_len, in_addr peer);
  std::string add_ipv6_address(int ifindex, const in6_addr& local, std::uint8_t prefix_len);
  std::string add_ipv4_route(int ifindex, in_addr dst, std::uint8_t prefix_len);
  std::string del_ipv4_route(int ifindex, in_addr dst, std::uint8_t prefix_len);
  std::string add_ipv6_route(int ifindex, const in6_addr& dst, std::uint8_t prefix_len);
  std::string del_ipv6_route(int ifindex, const in6_addr& dst, std::uint8_t prefix_len);

 private:
  std::string route(bool add, int family, int ifindex, const void* dst, std::size_t dst_len, std::uint8_t prefix_len);
  std::string result(int err, int ifindex, const std::string& what);
  Netlink nl_;
};

}  // namespace pptpx::net
