#include "ppp/frame.hpp"

namespace pptpx::ppp {

std::string_view to_string(FrameError e) {
  switch (e) {
    case FrameError::Ok: return "ok";
    case FrameError::Empty: return "empty frame";
    case FrameError::BadAddressControl: return "bad address/control field";
    case FrameError::TruncatedProtocol: return "truncated protocol field";
    case FrameError::BadProtocol: return "invalid protocol number";
  }
  return "unknown";
}

FrameHeader parse_protocol_field(ByteView bytes) noexcept {
  FrameHeader h;
  // Catches a frame that ends before its protocol field.
  if (bytes.empty()) {
    h.error = FrameError::TruncatedProtocol;
    return h;
  }
  if ((bytes[0] & 0x01) != 0) {
    // RFC 1661 §6.5: a compressed protocol field is one odd octet.
    h.protocol = bytes[0];
    h.header_size = 1;
    return h;
  }
  // Catches a two-byte protocol field cut after its first octet.
  if (bytes.size() < 2) {
    h.error = FrameError::TruncatedProtocol;
    return h;
  }
  h.protocol = load_be16(bytes.data());
  h.header_size = 2;
  if (!valid_protocol(h.protocol)) h.error = FrameError::BadProtocol;
  return h;
}

FrameHeader parse_frame_header(ByteView frame) noexcept {
  FrameHeader h;
  if (frame.empty()) {
    h.error = FrameError::Empty;
    return h;
  }
  std::size_t off = 0;
  if (frame[0] == kAllStationsAddress) {
    // Catches a frame that claims an address field but carries no (or the wrong) control field.
    if (frame.size() < 2 || frame[1] != kUiControl) {
      h.error = FrameError::BadAddressControl;
      return h;
    }
    off = 2;
  }
  FrameHeader p = parse_protocol_field(frame.subspan(off));
  p.header_size += off;
  return p;
}

bool prepend_protocol(PacketBuffer& buf, std::uint16_t protocol, bool compress) noexcept {
  if (compress && protocol < 0x100) {
    std::uint8_t* p = buf.push_front(1);
    if (p == nullptr) return false;
    p[0] = static_cast<std::uint8_t>(protocol);
    return true;
  }
  std::uint8_t* p = buf.push_front(2);
  if (p == nullptr) return false;
  store_be16(p, protocol);
  return true;
}

bool prepend_frame_header(PacketBuffer& buf, std::uint16_t protocol, FrameCompression c) noexcept {
  if (!prepend_protocol(buf, protocol, c.protocol)) return false;
  if (c.address_control) return true;
  std::uint8_t* p = buf.push_front(2);
  if (p == nullptr) {
    buf.pull_front(protocol < 0x100 && c.protocol ? 1 : 2);
    return false;
  }
  p[0] = kAllStationsAddress;
  p[1] = kUiControl;
  return true;
}

}  // namespace pptpx::ppp
