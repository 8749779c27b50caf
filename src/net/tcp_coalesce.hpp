// Receive coalescing for the TUN (the reverse of gso_split.hpp): in-order TCP segments of one
// flow, decrypted from one batch of GRE packets, are joined into one super-segment written to
// the TUN with a virtio_net_hdr (gso_type TCPV4/TCPV6, gso_size = the segments' payload size,
// NEEDS_CSUM), so the kernel's TCP takes them as one packet, as its own GRO would
// (net/ipv4/tcp_offload.c tcp_gro_receive). Only what GRO itself would join is joined: the same
// addresses, ports, TTL/TOS (hop limit/traffic class), DF, TCP header length and option bytes,
// acknowledgement number and window; consecutive sequence numbers (and IPv4 Identifications);
// flags ACK, with PSH only on the last; every segment of the same payload size but the last,
// which may be shorter; at most 64 KiB. Every segment's checksums are verified before it is
// joined: MPPE carries no integrity check, and the super-segment's checksum is the kernel's to
// complete, so a corrupted segment must not be folded in unseen (it is written alone instead,
// for the kernel to drop). No allocation: one buffer, made once.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "net/virtio_net_hdr.hpp"
#include "util/bytes.hpp"

namespace pptpx::net {

class TcpCoalescer {
 public:
  static constexpr std::size_t kMaxPacket = 65535;  // IPv4 Total Length / IPv6 Payload Length limit

  TcpCoalescer();

  bool empty() const { return count_ == 0; }
  std::size_t segments() const { return count_; }

  // With nothing open: starts a super-segment with `packet` if it may begin one. False: write
  // the packet alone.
  bool try_start(ByteView packet) noexcept;
  // With one open: appends `packet` if it continues it (see above). False: finish() the open one
  // first, then try_start() the packet.
  bool try_append(ByteView packet) noexcept;
  // The frame to write (virtio_net_hdr + IP packet) for what is open; a lone segment goes out
  // unchanged behind a zeroed header. Empties the coalescer; the view is valid until the next call.
  ByteView finish() noexcept;

  struct Segment;  // what a segment's headers say (tcp_coalesce.cpp)

 private:
  std::vector<std::uint8_t> buf_;  // [virtio_net_hdr][IP + TCP headers][payload ...]
  std::size_t size_ = 0;           // octets of IP packet in buf_ after the header
  std::size_t count_ = 0;
  std::size_t headers_ = 0, l4_ = 0;
  std::size_t gso_size_ = 0;
  bool ipv6_ = false, closed_ = false, psh_ = false;
  std::uint32_t next_seq_ = 0;
  std::uint16_t next_id_ = 0;
};

}  // namespace pptpx::net
