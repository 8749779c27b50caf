#include "server/address_checks.hpp"

#include <ifaddrs.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace pptpx::server {

namespace {
struct Block {
  std::uint32_t network;
  unsigned length;
  const char* what;
};
// RFC 6890's special-purpose blocks that can never be a point-to-point peer's address.
constexpr Block kSpecial[] = {
    {0x00000000u, 8, "a \"this network\" address (0.0.0.0/8, RFC 1122 §3.2.1.3)"},
    {0x7F000000u, 8, "a loopback address (127.0.0.0/8)"},
    {0xE0000000u, 4, "a multicast address (224.0.0.0/4, RFC 5771)"},
    {0xFFFFFFFFu, 32, "the limited broadcast address (255.255.255.255)"},
    {0xF0000000u, 4, "a reserved address (240.0.0.0/4, RFC 6890)"},
};
std::uint32_t mask(unsigned len) { return len == 0 ? 0 : ~std::uint32_t{0} << (32 - len); }
}  // namespace

std::optional<std::string> special_address(Ipv4Address a) {
  for (const Block& b : kSpecial)
    if ((a.value & mask(b.length)) == b.network) return std::string(b.what);
  return std::nullopt;
}

std::optional<std::pair<Ipv4Address, std::string>> special_address_in(const Ipv4Range& r) {
  for (const Block& b : kSpecial) {
    const std::uint32_t lo = b.network, hi = b.network | ~mask(b.length);
    if (r.first.value <= hi && r.last.value >= lo) {
      const Ipv4Address first{std::max(lo, r.first.value)};
      return std::make_pair(first, std::string(b.what));
    }
  }
  return std::nullopt;
}

std::vector<std::string> check_addresses(const Config& c,
                                         const std::vector<std::pair<std::string, Ipv4Address>>& static_addresses,
                                         const std::vector<std::pair<std::string, Ipv4Address>>& local_addresses) {
  std::vector<std::string> out;
  const std::string file = c.source_file;
  if (auto listen = parse_ipv4(c.listen.address); listen && listen->value != 0) {
    auto why = special_address(*listen);
    if (why && listen->value >> 24 != 127)  // loopback is a fine place to listen
      out.push_back(file + ": [listen] address " + c.listen.address + " is " + *why +
                    "; listen on an address of this host, or 0.0.0.0 for all");
  }
  if (auto why = special_address(c.ipv4.server_address)) {
    out.push_back(file + ": [ipv4] server_address " + to_string(c.ipv4.server_address) + " is " + *why +
                  ", which cannot be a tunnel endpoint; use a unicast address such as 198.51.100.1");
  }
  const std::string pool = to_string(c.ipv4.pool.first) + "-" + to_string(c.ipv4.pool.last);
  if (auto bad = special_address_in(c.ipv4.pool)) {
    out.push_back(file + ": [ipv4] pool " + pool + " contains " + to_string(bad->first) + ", " + bad->second +
                  ", which no client can use; give a unicast range such as 198.51.100.10-198.51.100.20");
  }
  if (auto listen = parse_ipv4(c.listen.address); listen && listen->value != 0 && c.ipv4.pool.contains(*listen)) {
    out.push_back(file + ": [ipv4] pool " + pool + " contains the [listen] address " + c.listen.address +
                  "; a client given it could not reach the server; move the pool or the listen address");
  }
  for (const auto& [ifname, a] : local_addresses) {
    // The server's own tunnel address is on its TUN while it runs; the pool skips it.
    if (a == c.ipv4.server_address || !c.ipv4.pool.contains(a)) continue;
    if (auto listen = parse_ipv4(c.listen.address); listen && *listen == a) continue;  // said above
    out.push_back(file + ": [ipv4] pool " + pool + " contains " + to_string(a) + ", an address of this host (" +
                  ifname + "); a client given it would be unreachable; move the pool off this host's networks");
  }
  for (const auto& [user, a] : static_addresses) {
    if (auto why = special_address(a)) {
      out.push_back(c.auth.secrets_file + ": the static address " + to_string(a) + " of \"" + user + "\" is " + *why +
                    "; give the user a unicast address");
      continue;
    }
    for (const auto& [ifname, l] : local_addresses) {
      if (l == a && !(a == c.ipv4.server_address)) {
        out.push_back(c.auth.secrets_file + ": the static address " + to_string(a) + " of \"" + user +
                      "\" is an address of this host (" + ifname + "); give the user another one");
      }
    }
  }
  return out;
}

std::vector<std::pair<std::string, Ipv4Address>> local_ipv4_addresses() {
  std::vector<std::pair<std::string, Ipv4Address>> out;
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return out;
  std::unique_ptr<ifaddrs, void (*)(ifaddrs*)> guard(list, ::freeifaddrs);
  for (ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
    if (i->ifa_addr == nullptr || i->ifa_addr->sa_family != AF_INET) continue;
    in_addr a{};
    std::memcpy(&a, &reinterpret_cast<const sockaddr_in*>(i->ifa_addr)->sin_addr, sizeof a);
    out.emplace_back(i->ifa_name, from_in_addr(a));
  }
  return out;
}

}  // namespace pptpx::server
