// The one packet a bench session sends through its tunnel to prove data flows: an IPv4 ICMP
// Echo Request (RFC 792) from the session's tunnel address to the server's, which the server's
// kernel answers through its TUN device; and the check that a delivered packet is its reply.
#pragma once
#include <cstddef>
#include <cstdint>

#include "util/bytes.hpp"

namespace pptpx::loadgen {

constexpr std::size_t kEchoPayload = 16;
constexpr std::size_t kEchoPacketSize = 20 + 8 + kEchoPayload;  // IPv4 header + ICMP header + payload

// RFC 1071 Internet checksum (one's complement of the one's-complement sum of 16-bit words).
std::uint16_t internet_checksum(ByteView bytes);

// Writes an Echo Request (addresses host order) into `out` (at least kEchoPacketSize bytes);
// returns the packet's size, or 0 when `out` is too small.
std::size_t build_echo_request(std::uint32_t src, std::uint32_t dst, std::uint16_t id, std::uint16_t seq,
                               MutableByteView out);

// True when `packet` is an IPv4 ICMP Echo Reply (type 0) from `from` to `to` with this id and
// sequence number. Any packet that lies about its lengths is simply not the reply.
bool is_echo_reply(ByteView packet, std::uint32_t from, std::uint32_t to, std::uint16_t id, std::uint16_t seq);

}  // namespace pptpx::loadgen
