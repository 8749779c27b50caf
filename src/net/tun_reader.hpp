// Reads IP packets from a TunDevice one at a time, whatever the device hands over: a plain
// packet, or (with offloads) a virtio_net_hdr and a TCP super-segment, which is read once and
// then given out segment by segment (gso_split.hpp) into the caller's PacketBuffer. One reader
// per daemon thread: it owns the one 64 KiB receive buffer; nothing allocates per packet.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "net/gso_split.hpp"
#include "net/tun_device.hpp"
#include "util/packet_buffer.hpp"

namespace pptpx::net {

class TunReader {
 public:
  // Dropped reads, by reason (logged at exit by the daemons).
  struct Counters {
    std::uint64_t super_segments = 0;  // TSO reads split
    std::uint64_t segments = 0;        // packets cut from them
    std::uint64_t bad_header = 0;      // shorter than the virtio_net_hdr
    std::uint64_t malformed = 0;       // GsoStatus::Malformed
    std::uint64_t unsupported = 0;     // GsoStatus::Unsupported
    std::uint64_t too_big = 0;         // GsoStatus::TooBig, or a plain read that filled the buffer
  };

  TunReader();

  // Puts the next IP packet from `tun` in `out` (reset to its default headroom). Segments of a
  // super-segment are at most `max_packet` octets (the tunnel MTU). False when the device has
  // nothing more to read (or a read failed); bad reads are counted and skipped.
  bool next(TunDevice& tun, PacketBuffer& out, std::size_t max_packet);

  const Counters& counters() const { return counters_; }

 private:
  std::vector<std::uint8_t> buffer_;
  int pending_fd_ = -1;  // the device the planned super-segment came from
  GsoPlan plan_;
  std::size_t next_index_ = 0, packet_size_ = 0;
  Counters counters_;
};

}  // namespace pptpx::net
