#include "server/source_filter.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace pptpx::server {

std::optional<std::pair<std::string, std::uint16_t>> parse_listen_endpoint(std::string_view text) {
  std::string_view host, port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') return std::nullopt;
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) return std::nullopt;  // IPv6 needs brackets
  }
  unsigned p = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
  if (ec != std::errc{} || end != port.data() + port.size() || p == 0 || p > 65535) return std::nullopt;
  const std::string h(host);
  std::uint8_t buf[16];
  if (inet_pton(AF_INET, h.c_str(), buf) != 1 && inet_pton(AF_INET6, h.c_str(), buf) != 1) return std::nullopt;
  return std::make_pair(h, static_cast<std::uint16_t>(p));
}

std::optional<SourceFilter::Prefix> SourceFilter::parse(std::string_view text) {
  Prefix p;
  std::string addr(text.substr(0, text.find('/')));
  if (inet_pton(AF_INET, addr.c_str(), p.bytes.data()) == 1) p.size = 4;
  else if (inet_pton(AF_INET6, addr.c_str(), p.bytes.data()) == 1) p.size = 16;
  else return std::nullopt;
  p.length = static_cast<unsigned>(p.size * 8);
  if (const auto slash = text.find('/'); slash != std::string_view::npos) {
    const std::string_view len = text.substr(slash + 1);
    unsigned n = 0;
    auto [end, ec] = std::from_chars(len.data(), len.data() + len.size(), n);
    if (ec != std::errc{} || end != len.data() + len.size() || len.empty() || n > p.size * 8) return std::nullopt;
    p.length = n;
  }
  return p;
}

bool valid_source_prefix(std::string_view text) { return SourceFilter::parse(text).has_value(); }

SourceFilter::SourceFilter(const std::vector<std::string>& allowed) {
  for (const auto& a : allowed) {
    if (auto p = parse(a)) prefixes_.push_back(*p);
  }
}

bool SourceFilter::allows(const std::uint8_t* address, std::size_t size) const {
  static constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (size == 16 && std::memcmp(address, kMapped, 12) == 0) {
    address += 12;
    size = 4;
  }
  for (const Prefix& p : prefixes_) {
    if (p.size != size) continue;
    const unsigned whole = p.length / 8, rest = p.length % 8;
    if (std::memcmp(p.bytes.data(), address, whole) != 0) continue;
    if (rest != 0) {
      const auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
      if ((p.bytes[whole] & mask) != (address[whole] & mask)) continue;
    }
    return true;
  }
  return false;
}

}  // namespace pptpx::server
