// IPv4 fragmentation (RFC 791 §2.3 and "Fragmentation and Reassembly" in §3.2) for a packet
// from the shared TUN that is bigger than the client's MTU: when the Don't Fragment flag is
// clear, the daemon sends it as fragments rather than dropping it. Pure; the caller provides the
// buffers. Packets with IP options are not fragmented (a per-option copy rule we do not need:
// the kernel's own packets through the TUN carry none) and are dropped like DF packets.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

#include "util/bytes.hpp"
#include "util/packet_buffer.hpp"

namespace pptpx::net {

enum class FragmentStatus : std::uint8_t {
  Ok,
  DontFragment,  // DF set: the sender asked for "fragmentation needed" instead (RFC 1191)
  NotPossible,   // not a well-formed option-less IPv4 packet, mtu below 28, or too few buffers
};

struct FragmentResult {
  FragmentStatus status = FragmentStatus::NotPossible;
  std::size_t count = 0;  // buffers of `out` filled, in order
};

// Cuts `packet` into fragments of at most `mtu` octets into out[0..count) (each reset to its
// default headroom). A packet that already fits is copied as one "fragment".
FragmentResult fragment_ipv4(ByteView packet, std::size_t mtu, std::span<PacketBuffer> out) noexcept;

}  // namespace pptpx::net
