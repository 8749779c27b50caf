// Addresses a PPTP server must not hand out or take as its own (issue 12, rough edges 1 and 2):
// "this network" 0.0.0.0/8, loopback 127.0.0.0/8, link-local 169.254.0.0/16 for the server,
// multicast 224.0.0.0/4, reserved 240.0.0.0/4 and the limited broadcast 255.255.255.255
// (RFC 1122 §3.2.1.3, RFC 5771, RFC 6890), and — for the pool and static addresses — any address
// this host already has (the listen address, its interfaces): the first client would get it and
// its traffic would never reach the tunnel.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/config.hpp"
#include "server/ip_address.hpp"

namespace pptpx::server {

// Why `a` cannot be a host's unicast address ("a multicast address (224.0.0.0/4)"), or nullopt.
std::optional<std::string> special_address(Ipv4Address a);

// The first special address in the range, with the reason, or nullopt.
std::optional<std::pair<Ipv4Address, std::string>> special_address_in(const Ipv4Range& r);

// Every problem with [listen] address, [ipv4] server_address and pool, and the secrets file's
// static addresses, given the addresses on this host's interfaces. One sentence each.
std::vector<std::string> check_addresses(const Config& c,
                                         const std::vector<std::pair<std::string, Ipv4Address>>& static_addresses,
                                         const std::vector<std::pair<std::string, Ipv4Address>>& local_addresses);

// The IPv4 addresses on this host's interfaces, as (interface name, address), from getifaddrs(3).
std::vector<std::pair<std::string, Ipv4Address>> local_ipv4_addresses();

}  // namespace pptpx::server
