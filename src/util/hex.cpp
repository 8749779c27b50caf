#include "util/hex.hpp"

namespace pptpx {

std::string to_hex(ByteView data, bool upper, char sep) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string s;
  s.reserve(data.size() * (sep ? 3 : 2));
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (sep && i) s.push_back(sep);
    s.push_back(digits[data[i] >> 4]);
    s.push_back(digits[data[i] & 0x0f]);
  }
  return s;
}

static int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<Bytes> from_hex(std::string_view text) {
  Bytes out;
  int hi = -1;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == ':') continue;
    int n = nibble(c);
    if (n < 0) return std::nullopt;
    if (hi < 0) {
      hi = n;
    } else {
      out.push_back(static_cast<std::uint8_t>((hi << 4) | n));
      hi = -1;
    }
  }
  if (hi >= 0) return std::nullopt;
  return out;
}

}  // namespace pptpx
