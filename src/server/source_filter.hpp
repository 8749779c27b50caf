// [metrics] listen and allowed: "ADDRESS:PORT" endpoints and the source addresses (exact, or
// CIDR prefixes) the metrics listener answers. Pure parsing and matching.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pptpx::server {

// "127.0.0.1:9612" or "[::1]:9612" -> (address text, port); nullopt when malformed or port 0.
std::optional<std::pair<std::string, std::uint16_t>> parse_listen_endpoint(std::string_view text);

// "192.0.2.7", "192.0.2.0/24", "::1", "2001:db8::/32".
bool valid_source_prefix(std::string_view text);

class SourceFilter {
 public:
  // Entries that do not parse are skipped (the configuration check reports them).
  explicit SourceFilter(const std::vector<std::string>& allowed);
  // `address`: 4 (IPv4) or 16 (IPv6) bytes in network order. An IPv4-mapped IPv6 address
  // (::ffff:a.b.c.d) is matched as IPv4.
  bool allows(const std::uint8_t* address, std::size_t size) const;

  struct Prefix {
    std::array<std::uint8_t, 16> bytes{};
    std::size_t size = 0;  // 4 or 16
    unsigned length = 0;
  };
  static std::optional<Prefix> parse(std::string_view text);

 private:
  std::vector<Prefix> prefixes_;
};

}  // namespace pptpx::server
