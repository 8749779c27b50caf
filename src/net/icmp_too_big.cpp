#include "net/icmp_too_big.hpp"

#include <algorithm>
#include <cstring>

#include "net/inet_checksum.hpp"

namespace pptpx::net {

namespace {

constexpr std::uint8_t kProtoIcmp = 1;
constexpr std::uint8_t kNextIcmp6 = 58;

// RFC 1812 §4.3.2.7: no error about a packet whose source does not name one host (zero,
// loopback 127/8, multicast 224/4, class E 240/4, limited broadcast), nor to such destinations.
bool unicast4(std::uint32_t a) {
  const std::uint32_t top = a >> 24;
  return a != 0 && top != 0 && top != 127 && top < 224;
}

// RFC 792 / RFC 1812 §4.3.2.7: the ICMP error types (3, 4, 5, 11, 12); informational ones
// (echo, timestamp ...) may be answered.
bool icmp4_error_type(std::uint8_t t) { return t == 3 || t == 4 || t == 5 || t == 11 || t == 12; }

}  // namespace

std::size_t build_icmp4_frag_needed(ByteView packet, std::uint16_t mtu, std::uint32_t source,
                                    std::span<std::uint8_t> out) noexcept {
  // The header fields we read: catches a runt or a packet that is not IPv4.
  if (packet.size() < 20 || (packet[0] >> 4) != 4) return 0;
  const std::size_t ihl = std::size_t{packet[0] & 0x0fu} * 4;
  // Catches an IHL below the minimum or beyond the bytes we hold.
  if (ihl < 20 || packet.size() < ihl) return 0;
  if (out.size() < kIcmp4ErrorMax) return 0;
  if ((load_be16(packet.data() + 6) & 0x1fffu) != 0) return 0;  // a non-first fragment
  const std::uint32_t src = load_be32(packet.data() + 12);
  const std::uint32_t dst = load_be32(packet.data() + 16);
  if (!unicast4(src) || !unicast4(dst)) return 0;
  if (packet[9] == kProtoIcmp) {
    // An ICMP message whose type we cannot see is treated as an error: never answer one.
    if (packet.size() < ihl + 1 || icmp4_error_type(packet[ihl])) return 0;
  }
  const std::size_t quoted = std::min(packet.size(), kIcmp4ErrorMax - 28);
  const std::size_t total = 28 + quoted;
  std::uint8_t* o = out.data();
  std::memset(o, 0, 28);
  o[0] = 0x45;
  store_be16(o + 2, static_cast<std::uint16_t>(total));
  o[8] = 64;  // TTL
  o[9] = kProtoIcmp;
  store_be32(o + 12, source);
  store_be32(o + 16, src);
  store_be16(o + 10, checksum_finish(checksum_add(0, ByteView(o, 20))));
  o[20] = 3;  // Destination Unreachable
  o[21] = 4;  // fragmentation needed and DF set
  store_be16(o + 26, mtu);  // RFC 1191 §4: next-hop MTU in the low 16 bits of "unused"
  std::memcpy(o + 28, packet.data(), quoted);
  store_be16(o + 22, checksum_finish(checksum_add(0, ByteView(o + 20, total - 20))));
  return total;
}

std::size_t build_icmp6_packet_too_big(ByteView packet, std::uint32_t mtu, std::span<const std::uint8_t, 16> source,
                                       std::span<std::uint8_t> out) noexcept {
  // The fixed header (RFC 8200 §3): catches a runt or a packet that is not IPv6.
  if (packet.size() < 40 || (packet[0] >> 4) != 6) return 0;
  if (out.size() < kIcmp6ErrorMax) return 0;
  const std::uint8_t* src = packet.data() + 8;
  if (src[0] == 0xff) return 0;  // multicast source
  if (std::all_of(src, src + 16, [](std::uint8_t b) { return b == 0; })) return 0;  // unspecified
  // Follow the extension headers (RFC 8200 §4) to the upper layer: a non-first fragment or an
  // ICMPv6 error gets no answer.
  std::uint8_t next = packet[6];
  std::size_t at = 40;
  for (;;) {
    if (next == 0 || next == 43 || next == 60) {  // hop-by-hop, routing, destination options
      if (packet.size() < at + 2) return 0;  // catches a chain cut short: cannot see what it carries
      const std::uint8_t following = packet[at];
      at += (std::size_t{packet[at + 1]} + 1) * 8;
      next = following;
    } else if (next == 44) {  // fragment header, 8 octets
      if (packet.size() < at + 8) return 0;  // the same lie, for the fragment header
      if ((load_be16(packet.data() + at + 2) & 0xfff8u) != 0) return 0;  // non-first fragment
      next = packet[at];
      at += 8;
    } else {
      break;
    }
  }
  if (next == kNextIcmp6) {
    if (packet.size() < at + 1 || packet[at] < 128) return 0;  // an error, or a type we cannot see
  }
  const std::size_t quoted = std::min(packet.size(), kIcmp6ErrorMax - 48);
  const std::size_t icmp_len = 8 + quoted;
  std::uint8_t* o = out.data();
  std::memset(o, 0, 48);
  o[0] = 0x60;
  store_be16(o + 4, static_cast<std::uint16_t>(icmp_len));
  o[6] = kNextIcmp6;
  o[7] = 64;  // hop limit
  std::memcpy(o + 8, source.data(), 16);
  std::memcpy(o + 24, src, 16);
  o[40] = 2;  // Packet Too Big, code 0
  store_be32(o + 44, mtu);
  std::memcpy(o + 48, packet.data(), quoted);
  // RFC 4443 §2.3 / RFC 8200 §8.1: the pseudo-header is source, destination, upper-layer
  // length (32 bits) and next header (zero-padded to 32 bits).
  std::array<std::uint8_t, 8> tail{};
  store_be32(tail.data(), static_cast<std::uint32_t>(icmp_len));
  tail[7] = kNextIcmp6;
  std::uint64_t sum = checksum_add(0, ByteView(o + 8, 32));
  sum = checksum_add(sum, tail);
  sum = checksum_add(sum, ByteView(o + 40, icmp_len));
  store_be16(o + 42, checksum_finish(sum));
  return 40 + icmp_len;
}

bool IcmpRateLimit::allow(Time now) noexcept {
  if (!started_) {
    started_ = true;
    last_ = now;
  }
  if (now > last_ && rate_ != 0) {
    const auto per_token = std::chrono::duration_cast<Duration>(std::chrono::seconds(1)) / rate_;
    const auto earned = (now - last_) / per_token;
    if (earned > 0) {
      const auto room = static_cast<std::int64_t>(burst_ - tokens_);
      const std::int64_t add = std::min<std::int64_t>(earned, room);
      tokens_ += static_cast<std::uint32_t>(add);
      // Credit only whole tokens' worth of time; a full bucket forgets the rest.
      last_ = tokens_ == burst_ ? now : last_ + per_token * earned;
    }
  }
  if (tokens_ == 0) return false;
  --tokens_;
  return true;
}

}  // namespace pptpx::net
