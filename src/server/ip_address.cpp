#include "server/ip_address.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace pptpx::server {

std::optional<Ipv4Address> parse_ipv4(std::string_view text) {
  // inet_pton(AF_INET) accepts exactly the dotted-quad form, which is what we want.
  if (text.size() >= INET_ADDRSTRLEN) return std::nullopt;
  char buf[INET_ADDRSTRLEN] = {};
  std::memcpy(buf, text.data(), text.size());
  in_addr a{};
  if (inet_pton(AF_INET, buf, &a) != 1) return std::nullopt;
  return Ipv4Address{ntohl(a.s_addr)};
}

in_addr to_in_addr(Ipv4Address a) {
  in_addr n{};
  n.s_addr = htonl(a.value);
  return n;
}

Ipv4Address from_in_addr(in_addr a) { return Ipv4Address{ntohl(a.s_addr)}; }

in6_addr to_in6_addr(const Ipv6Address& a) {
  in6_addr n{};
  std::memcpy(&n, a.bytes.data(), a.bytes.size());
  return n;
}

std::string to_string(Ipv4Address a) {
  in_addr n{};
  n.s_addr = htonl(a.value);
  char buf[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &n, buf, sizeof buf);
  return buf;
}

std::optional<Ipv6Address> parse_ipv6(std::string_view text) {
  if (text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char buf[INET6_ADDRSTRLEN] = {};
  std::memcpy(buf, text.data(), text.size());
  Ipv6Address out;
  if (inet_pton(AF_INET6, buf, out.bytes.data()) != 1) return std::nullopt;
  return out;
}

std::string to_string(const Ipv6Address& a) {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(AF_INET6, a.bytes.data(), buf, sizeof buf);
  return buf;
}

namespace {
std::optional<unsigned> parse_prefix_length(std::string_view text, unsigned max) {
  unsigned v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || p != text.data() + text.size() || text.empty() || v > max) return std::nullopt;
  return v;
}
}  // namespace

std::optional<Ipv4Range> parse_ipv4_range(std::string_view text, std::string& why) {
  if (auto dash = text.find('-'); dash != std::string_view::npos) {
    auto a = parse_ipv4(text.substr(0, dash));
    auto b = parse_ipv4(text.substr(dash + 1));
    if (!a || !b) {
      why = "is not a range of two dotted-quad IPv4 addresses (write it like \"198.51.100.10-198.51.100.20\")";
      return std::nullopt;
    }
    if (b->value < a->value) {
      why = "ends before it starts (write the lower address first)";
      return std::nullopt;
    }
    return Ipv4Range{*a, *b};
  }
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    auto a = parse_ipv4(text.substr(0, slash));
    auto len = parse_prefix_length(text.substr(slash + 1), 32);
    if (!a || !len) {
      why = "is not an IPv4 CIDR block (write it like \"198.51.100.0/24\")";
      return std::nullopt;
    }
    const std::uint32_t mask = *len == 0 ? 0 : ~std::uint32_t{0} << (32 - *len);
    if ((a->value & ~mask) != 0) {
      why = "has host bits set after the prefix length (write the network address, e.g. \"" +
            to_string(Ipv4Address{a->value & mask}) + "/" + std::to_string(*len) + "\")";
      return std::nullopt;
    }
    Ipv4Range r{Ipv4Address{a->value}, Ipv4Address{a->value | ~mask}};
    if (*len <= 30) {  // network and broadcast addresses are not host addresses
      r.first.value += 1;
      r.last.value -= 1;
    }
    return r;
  }
  why = "is neither a range \"A-B\" nor a CIDR block \"A/len\"";
  return std::nullopt;
}

std::optional<Ipv6Prefix> parse_ipv6_prefix(std::string_view text, std::string& why) {
  auto slash = text.find('/');
  std::optional<Ipv6Address> a;
  std::optional<unsigned> len;
  if (slash != std::string_view::npos) {
    a = parse_ipv6(text.substr(0, slash));
    len = parse_prefix_length(text.substr(slash + 1), 128);
  }
  if (!a || !len) {
    why = "is not an IPv6 prefix (write it like \"2001:db8:1::/64\")";
    return std::nullopt;
  }
  if (*len > 64) {
    why = "is longer than /64, which leaves no room for 64-bit interface identifiers (RFC 5072 §4.1); use a /64";
    return std::nullopt;
  }
  Ipv6Prefix p{*a, static_cast<std::uint8_t>(*len)};
  for (unsigned bit = *len; bit < 128; ++bit) {
    p.address.bytes[bit / 8] = static_cast<std::uint8_t>(p.address.bytes[bit / 8] & ~(0x80u >> (bit % 8)));
  }
  if (p.address != *a) {
    why = "has bits set after the prefix length (write the prefix itself, e.g. \"" + to_string(p.address) + "/" +
          std::to_string(*len) + "\")";
    return std::nullopt;
  }
  return p;
}

}  // namespace pptpx::server
