// Small IPv4/IPv6 address values for configuration and the address pool (no sockets here).
// IPv4 addresses are held as host-order integers so ranges and masks are plain arithmetic.
#pragma once
#include <netinet/in.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pptpx::server {

struct Ipv4Address {
  std::uint32_t value = 0;  // host order: 192.0.2.1 == 0xC0000201
  friend bool operator==(const Ipv4Address&, const Ipv4Address&) = default;
  friend auto operator<=>(const Ipv4Address&, const Ipv4Address&) = default;
};

struct Ipv6Address {
  std::array<std::uint8_t, 16> bytes{};  // network order
  friend bool operator==(const Ipv6Address&, const Ipv6Address&) = default;
};

// Dotted quad only ("198.51.100.1"); no shorthand forms like "10.1".
std::optional<Ipv4Address> parse_ipv4(std::string_view text);
std::string to_string(Ipv4Address a);
std::optional<Ipv6Address> parse_ipv6(std::string_view text);
// For the net/ shells, which speak the kernel's types.
in_addr to_in_addr(Ipv4Address a);
Ipv4Address from_in_addr(in_addr a);
in6_addr to_in6_addr(const Ipv6Address& a);
std::string to_string(const Ipv6Address& a);

// An inclusive range of IPv4 addresses, written "A-B" or "A/len" (CIDR: for /0../30 the network
// and broadcast addresses are left out, since no host may use them; /31 and /32 keep all).
struct Ipv4Range {
  Ipv4Address first;
  Ipv4Address last;
  std::uint64_t size() const { return std::uint64_t{last.value} - first.value + 1; }
  bool contains(Ipv4Address a) const { return a.value >= first.value && a.value <= last.value; }
};
// On failure returns nullopt and sets `why` to a sentence fragment describing the problem.
std::optional<Ipv4Range> parse_ipv4_range(std::string_view text, std::string& why);

struct Ipv6Prefix {
  Ipv6Address address;  // host bits cleared
  std::uint8_t length = 64;
};
std::optional<Ipv6Prefix> parse_ipv6_prefix(std::string_view text, std::string& why);

}  // namespace pptpx::server
