// PPP frame codec for frames carried in GRE (RFC 2637 §4.4: the GRE payload is a PPP frame
// without HDLC flags, FCS or byte stuffing).
//
//   [FF 03]        Address/Control (RFC 1662 §3.1); absent when ACFC was negotiated (RFC 1661 §6.6)
//   [pp] or [pp pp] Protocol (RFC 1661 §2); one byte when PFC was negotiated (RFC 1661 §6.5)
//   information...
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "util/bytes.hpp"
#include "util/packet_buffer.hpp"

namespace pptpx::ppp {

constexpr std::uint8_t kAllStationsAddress = 0xFF;  // RFC 1662 §3.1
constexpr std::uint8_t kUiControl = 0x03;           // RFC 1662 §3.1

enum class FrameError : std::uint8_t { Ok, Empty, BadAddressControl, TruncatedProtocol, BadProtocol };
std::string_view to_string(FrameError e);

struct FrameHeader {
  FrameError error = FrameError::Ok;
  std::uint16_t protocol = 0;
  std::size_t header_size = 0;  // information starts here
};

// Parses address/control (optional) and the protocol field (1 or 2 bytes). Accepts compressed
// forms even when not negotiated, as RFC 1661 §6.5/§6.6 recommend ("robust in what it accepts").
FrameHeader parse_frame_header(ByteView frame) noexcept;

// Parses only a protocol field (used on the plaintext of an MPPE packet, whose inner protocol
// may be compressed).
FrameHeader parse_protocol_field(ByteView bytes) noexcept;

// True if `protocol` is a valid PPP protocol number (RFC 1661 §2: odd; the least significant bit
// of the most significant octet is 0).
constexpr bool valid_protocol(std::uint16_t protocol) {
  return (protocol & 0x0001) != 0 && (protocol & 0x0100) == 0;
}

struct FrameCompression {
  bool address_control = false;  // ACFC: omit FF 03
  bool protocol = false;         // PFC: one-byte protocol field where the high byte is 0
};

// Prepends the protocol field into the buffer's headroom; false if there is no room.
bool prepend_protocol(PacketBuffer& buf, std::uint16_t protocol, bool compress) noexcept;
// Prepends protocol and, unless compressed, FF 03. LCP frames must be sent with neither
// compression (RFC 1661 §6.6: "ACFC ... MUST NOT be applied to LCP packets"), callers pass {}.
bool prepend_frame_header(PacketBuffer& buf, std::uint16_t protocol, FrameCompression c) noexcept;

}  // namespace pptpx::ppp
