// Splitting a TCP super-segment read from a TUN device with offloads on (IFF_VNET_HDR +
// TUNSETOFFLOAD TUN_F_TSO4/TSO6) into the IP packets it stands for, as the kernel's own TCP
// segmentation would have sent them (net/ipv4/tcp_offload.c): every segment gets a copy of the
// IP and TCP headers; IPv4 Total Length, Identification (+1 per segment) and header checksum,
// IPv6 Payload Length, TCP Sequence Number and checksum are rewritten; FIN and PSH stay on the
// last segment only, CWR on the first only. A packet that is not a super-segment but carries a
// partial checksum (VIRTIO_NET_HDR_F_NEEDS_CSUM, CHECKSUM_PARTIAL in the kernel) gets that
// checksum completed. Pure functions, no allocation: the caller provides the PacketBuffers.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "net/virtio_net_hdr.hpp"
#include "util/bytes.hpp"
#include "util/packet_buffer.hpp"

namespace pptpx::net {

enum class GsoStatus : std::uint8_t {
  Ok,
  Malformed,        // a header or the virtio_net_hdr lies about a length or an offset
  Unsupported,      // a GSO type we did not enable (UDP), IPv4 options mismatch, IPv6 extension headers
  TooBig,           // a segment (or the unsplit packet) does not fit a PacketBuffer / max_packet
  TooManySegments,  // split_gso only: `out` has too few buffers
};
std::string_view to_string(GsoStatus s) noexcept;

// What cutting one packet from the TUN will produce.
struct GsoPlan {
  GsoStatus status = GsoStatus::Malformed;
  bool gso = false;             // a super-segment to cut; false: one packet, checksum completed if partial
  std::size_t headers = 0;      // IP + TCP header octets copied into every segment
  std::size_t segment_payload = 0;
  std::size_t count = 0;        // packets it yields
  // Copied from the header for write_gso_segment:
  bool needs_csum = false;      // complete the checksum at csum_start + csum_offset (gso == false)
  bool ipv6 = false;
  std::size_t csum_start = 0, csum_offset = 0;
};

// Checks `packet` (the octets after the virtio_net_hdr) against `hdr` and plans segments of at
// most `max_packet` octets of IP packet each (the tunnel MTU; the kernel's gso_size is lowered
// to fit when it is larger).
GsoPlan plan_gso_split(const VirtioNetHdr& hdr, ByteView packet, std::size_t max_packet) noexcept;

// Writes packet `index` (< plan.count) of the plan into `out` (reset to its default headroom).
// False only when the segment does not fit the buffer (plan_gso_split checks that already).
bool write_gso_segment(const GsoPlan& plan, ByteView packet, std::size_t index, PacketBuffer& out) noexcept;

struct GsoSplitResult {
  GsoStatus status = GsoStatus::Malformed;
  std::size_t count = 0;  // buffers of `out` filled
};

// plan_gso_split + write_gso_segment for every segment into out[0..count).
GsoSplitResult split_gso(const VirtioNetHdr& hdr, ByteView packet, std::size_t max_packet,
                         std::span<PacketBuffer> out) noexcept;

}  // namespace pptpx::net
