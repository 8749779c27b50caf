// TCP MSS clamping for packets crossing the tunnel: a SYN (or SYN-ACK) whose Maximum Segment
// Size option (RFC 9293 §3.7.1, kind 2, length 4) promises more than the tunnel carries gets
// it lowered to the tunnel MTU less the IP and TCP headers (40 octets for IPv4, 60 for IPv6),
// so neither end sends segments that would be dropped or fragmented on the way ("some web sites
// hang over PPTP"). The TCP checksum is updated incrementally (RFC 1624). Pure functions over
// the packet bytes; every length is checked before a read.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>

#include "util/bytes.hpp"

namespace pptpx::net {

// Where an MSS option to lower sits in a packet, and the value to write.
struct MssClampSite {
  std::size_t tcp_offset = 0;     // TCP header start within the IP packet
  std::size_t option_offset = 0;  // the option's kind octet within the IP packet
  std::uint16_t old_mss = 0;
  std::uint16_t new_mss = 0;
};

// The MSS a tunnel of `mtu` octets allows for this IP version (4 or 6); 0 if mtu is too small.
std::uint16_t mss_for_mtu(std::uint16_t mtu, int ip_version) noexcept;

// nullopt when the packet is not an unfragmented (or first-fragment) IPv4/IPv6 TCP segment with
// SYN set and an MSS option above what `mtu` allows, or when any header or option lies about
// its length (such a packet is left alone: it is not ours to judge).
std::optional<MssClampSite> find_mss_to_clamp(ByteView ip_packet, std::uint16_t mtu) noexcept;

// Writes site.new_mss and fixes the TCP checksum. `ip_packet` must be the packet the site was
// found in.
void apply_mss_clamp(MutableByteView ip_packet, const MssClampSite& site) noexcept;

// Both of the above; true when the packet was changed.
bool clamp_tcp_mss(MutableByteView ip_packet, std::uint16_t mtu) noexcept;

}  // namespace pptpx::net
