// The ICMP errors a router owes the sender of a packet too big for the next link (here: a
// client's tunnel, whose MTU may be below the shared TUN's): ICMP Destination Unreachable /
// Fragmentation Needed with the next-hop MTU for IPv4 with DF set (RFC 792, RFC 1191 §4) and
// ICMPv6 Packet Too Big for IPv6 (RFC 4443 §3.2, RFC 8201). Without them the sender's path-MTU
// discovery blackholes. Pure and allocation-free: the caller gives the offending packet, the MTU,
// our source address and a buffer; a token bucket (time as an argument) limits the rate
// (RFC 1812 §4.3.2.8, RFC 4443 §2.4 (f)).
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "util/bytes.hpp"
#include "util/time.hpp"

namespace pptpx::net {

// RFC 1812 §4.3.2.3: an ICMPv4 error is at most 576 octets; RFC 4443 §2.4 (c): an ICMPv6
// error at most the IPv6 minimum MTU, 1280.
inline constexpr std::size_t kIcmp4ErrorMax = 576;
inline constexpr std::size_t kIcmp6ErrorMax = 1280;

// Builds, into `out`, an IPv4 packet from `source` (host order) to the offender's source:
// IPv4 header (TTL 64, protocol 1) + ICMP type 3 code 4 with `mtu` as the next-hop MTU + as
// much of `packet` as fits in 576 octets (at least its header and 8 payload octets, RFC 792).
// Returns its length, or 0 when no error is due: not a well-formed IPv4 packet, an ICMP error
// itself (RFC 1812 §4.3.2.7), a non-first fragment, a source or destination that is zero,
// loopback, multicast, broadcast or class E, or `out` below 576 octets.
std::size_t build_icmp4_frag_needed(ByteView packet, std::uint16_t mtu, std::uint32_t source,
                                    std::span<std::uint8_t> out) noexcept;

// Builds, into `out`, an IPv6 packet from `source` to the offender's source: IPv6 header (hop
// limit 64, next header 58) + ICMPv6 type 2 code 0 with `mtu` + as much of `packet` as fits in
// 1280 octets, checksum over the pseudo-header (RFC 4443 §2.3). Returns its length, or 0 when no
// error is due: not a well-formed IPv6 packet, an ICMPv6 error (type < 128) itself or a header
// chain we cannot follow to see (RFC 4443 §2.4 (e.1)), a non-first fragment, a multicast or
// unspecified source, or `out` below 1280 octets. A multicast destination does get one: Packet
// Too Big is the exception of RFC 4443 §2.4 (e.3), so that multicast PMTUD works.
std::size_t build_icmp6_packet_too_big(ByteView packet, std::uint32_t mtu, std::span<const std::uint8_t, 16> source,
                                       std::span<std::uint8_t> out) noexcept;

// A token bucket: `rate` errors a second, bursts of up to `burst`. Starts full.
class IcmpRateLimit {
 public:
  explicit IcmpRateLimit(std::uint32_t rate = 100, std::uint32_t burst = 100) noexcept
      : rate_(rate), burst_(burst), tokens_(burst) {}
  // True (and a token taken) when an error may be sent at `now`.
  bool allow(Time now) noexcept;

 private:
  std::uint32_t rate_;
  std::uint32_t burst_;
  std::uint32_t tokens_;
  bool started_ = false;
  Time last_{};  // time up to which tokens have been credited
};

}  // namespace pptpx::net
