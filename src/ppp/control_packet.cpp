#include "ppp/control_packet.hpp"

namespace pptpx::ppp {

std::string_view code_name(std::uint8_t c) {
  switch (c) {
    case code::kConfigureRequest: return "Configure-Request";
    case code::kConfigureAck: return "Configure-Ack";
    case code::kConfigureNak: return "Configure-Nak";
    case code::kConfigureReject: return "Configure-Reject";
    case code::kTerminateRequest: return "Terminate-Request";
    case code::kTerminateAck: return "Terminate-Ack";
    case code::kCodeReject: return "Code-Reject";
    case code::kProtocolReject: return "Protocol-Reject";
    case code::kEchoRequest: return "Echo-Request";
    case code::kEchoReply: return "Echo-Reply";
    case code::kDiscardRequest: return "Discard-Request";
    case code::kIdentification: return "Identification";
    case code::kTimeRemaining: return "Time-Remaining";
    case code::kResetRequest: return "Reset-Request";
    case code::kResetAck: return "Reset-Ack";
    default: return "unknown code";
  }
}

std::optional<ControlPacket> parse_control_packet(ByteView information) noexcept {
  // Catches a packet cut before the end of its Code/Identifier/Length header.
  if (information.size() < kControlHeaderSize) return std::nullopt;
  std::size_t length = load_be16(information.data() + 2);
  // Catches a Length smaller than the header itself, or a Length claiming more bytes than arrived
  // (RFC 1661 §5: "...the packet MUST be silently discarded").
  if (length < kControlHeaderSize || length > information.size()) return std::nullopt;
  ControlPacket p;
  p.code = information[0];
  p.identifier = information[1];
  p.data = information.subspan(kControlHeaderSize, length - kControlHeaderSize);
  return p;
}

void build_control_packet(Bytes& out, std::uint8_t c, std::uint8_t identifier, ByteView data) {
  out.clear();
  ByteWriter w(out);
  w.u8(c);
  w.u8(identifier);
  w.u16(static_cast<std::uint16_t>(kControlHeaderSize + data.size()));
  w.bytes(data);
}

bool options_well_formed(ByteView options) noexcept {
  std::size_t off = 0;
  while (off < options.size()) {
    // Catches an option cut inside its Type/Length header.
    if (off + 2 > options.size()) return false;
    std::size_t len = options[off + 1];
    // Catches Length < 2 (would loop forever) and an option running past the packet.
    if (len < 2 || off + len > options.size()) return false;
    off += len;
  }
  return true;
}

void append_option(Bytes& out, std::uint8_t type, ByteView value) {
  out.push_back(type);
  out.push_back(static_cast<std::uint8_t>(value.size() + 2));
  out.insert(out.end(), value.begin(), value.end());
}

void append_option_u16(Bytes& out, std::uint8_t type, std::uint16_t value) {
  std::uint8_t b[2];
  store_be16(b, value);
  append_option(out, type, b);
}

void append_option_u32(Bytes& out, std::uint8_t type, std::uint32_t value) {
  std::uint8_t b[4];
  store_be32(b, value);
  append_option(out, type, b);
}

}  // namespace pptpx::ppp
