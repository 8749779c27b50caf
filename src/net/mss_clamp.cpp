#include "net/mss_clamp.hpp"

#include "net/inet_checksum.hpp"

namespace pptpx::net {

namespace {

constexpr std::uint8_t kProtoTcp = 6;
constexpr std::size_t kIpv4MinHeader = 20;
constexpr std::size_t kIpv6Header = 40;
constexpr std::size_t kTcpMinHeader = 20;
constexpr std::uint8_t kTcpFlagSyn = 0x02;
constexpr std::uint8_t kOptEnd = 0, kOptNop = 1, kOptMss = 2;
constexpr std::size_t kOptMssLen = 4;

// The TCP header's offset and the end of the IP payload, or nullopt.
struct TcpLocation {
  std::size_t tcp = 0, end = 0;
  int version = 0;
};

std::optional<TcpLocation> locate_tcp(ByteView p) noexcept {
  if (p.empty()) return std::nullopt;
  const int version = p[0] >> 4;
  if (version == 4) {
    // A packet shorter than the fixed header, or whose IHL or Total Length point outside what
    // was read, lies about its size.
    if (p.size() < kIpv4MinHeader) return std::nullopt;
    const std::size_t ihl = std::size_t{p[0] & 0x0fu} * 4;
    const std::size_t total = load_be16(p.data() + 2);
    if (ihl < kIpv4MinHeader || total < ihl || total > p.size()) return std::nullopt;
    if (p[9] != kProtoTcp) return std::nullopt;
    if ((load_be16(p.data() + 6) & 0x1fffu) != 0) return std::nullopt;  // not the first fragment
    return TcpLocation{ihl, total, 4};
  }
  if (version == 6) {
    if (p.size() < kIpv6Header) return std::nullopt;
    const std::size_t end = kIpv6Header + load_be16(p.data() + 4);
    if (end == kIpv6Header || end > p.size()) return std::nullopt;  // jumbogram or truncated
    std::uint8_t next = p[6];
    std::size_t at = kIpv6Header;
    // Hop-by-Hop (0), Routing (43), Destination Options (60): length in 8-octet units after
    // the first 8 (RFC 8200 §4.3-4.6); Fragment (44) is 8 octets, only the first fragment has
    // the TCP header (RFC 8200 §4.5). Anything else ends the walk.
    for (int hops = 0; next != kProtoTcp; ++hops) {
      if (hops == 8 || at + 8 > end) return std::nullopt;
      if (next == 0 || next == 43 || next == 60) {
        const std::size_t len = (std::size_t{p[at + 1]} + 1) * 8;
        next = p[at];
        at += len;
      } else if (next == 44) {
        if ((load_be16(p.data() + at + 2) & 0xfff8u) != 0) return std::nullopt;
        next = p[at];
        at += 8;
      } else {
        return std::nullopt;
      }
    }
    if (at > end) return std::nullopt;
    return TcpLocation{at, end, 6};
  }
  return std::nullopt;
}

}  // namespace

std::uint16_t mss_for_mtu(std::uint16_t mtu, int ip_version) noexcept {
  const std::uint16_t headers = ip_version == 6 ? 60 : 40;
  return mtu > headers ? static_cast<std::uint16_t>(mtu - headers) : std::uint16_t{0};
}

std::optional<MssClampSite> find_mss_to_clamp(ByteView p, std::uint16_t mtu) noexcept {
  const auto loc = locate_tcp(p);
  if (!loc) return std::nullopt;
  const std::size_t tcp = loc->tcp;
  // The fixed TCP header and then the Data Offset must fit in the IP payload.
  if (tcp + kTcpMinHeader > loc->end) return std::nullopt;
  if ((p[tcp + 13] & kTcpFlagSyn) == 0) return std::nullopt;
  const std::size_t doff = static_cast<std::size_t>(p[tcp + 12] >> 4) * 4;
  if (doff < kTcpMinHeader || tcp + doff > loc->end) return std::nullopt;
  const std::uint16_t limit = mss_for_mtu(mtu, loc->version);
  if (limit == 0) return std::nullopt;
  const std::size_t opts_end = tcp + doff;
  for (std::size_t at = tcp + kTcpMinHeader; at < opts_end;) {
    const std::uint8_t kind = p[at];
    if (kind == kOptEnd) break;
    if (kind == kOptNop) {
      ++at;
      continue;
    }
    // Every other option has a length octet that counts kind and length: one that is missing,
    // below 2 or runs past the header is a lie; stop reading there.
    if (at + 2 > opts_end) break;
    const std::size_t len = p[at + 1];
    if (len < 2 || at + len > opts_end) break;
    if (kind == kOptMss) {
      if (len != kOptMssLen) break;
      const std::uint16_t mss = load_be16(p.data() + at + 2);
      if (mss <= limit) return std::nullopt;
      return MssClampSite{tcp, at, mss, limit};
    }
    at += len;
  }
  return std::nullopt;
}

void apply_mss_clamp(MutableByteView p, const MssClampSite& site) noexcept {
  const std::size_t value_at = site.option_offset + 2;
  if (value_at + 2 > p.size() || site.tcp_offset + 18 > p.size()) return;
  store_be16(p.data() + value_at, site.new_mss);
  // The checksum sums 16-bit words aligned to the TCP header; a value at an odd offset (after a
  // single NOP, say) straddles two words, which in ones'-complement arithmetic is the same as
  // the byte-swapped value in one word (RFC 1071 §2(B), byte order independence).
  std::uint16_t old_word = site.old_mss, new_word = site.new_mss;
  if ((value_at - site.tcp_offset) % 2 != 0) {
    old_word = static_cast<std::uint16_t>((old_word << 8) | (old_word >> 8));
    new_word = static_cast<std::uint16_t>((new_word << 8) | (new_word >> 8));
  }
  std::uint8_t* check = p.data() + site.tcp_offset + 16;
  store_be16(check, checksum_update16(load_be16(check), old_word, new_word));
}

bool clamp_tcp_mss(MutableByteView p, std::uint16_t mtu) noexcept {
  const auto site = find_mss_to_clamp(p, mtu);
  if (!site) return false;
  apply_mss_clamp(p, *site);
  return true;
}

}  // namespace pptpx::net
