#include "ppp/auth_chap_packet.hpp"

namespace pptpx::ppp {

std::string_view to_string(ChapCode c) {
  switch (c) {
    case ChapCode::Challenge: return "Challenge";
    case ChapCode::Response: return "Response";
    case ChapCode::Success: return "Success";
    case ChapCode::Failure: return "Failure";
  }
  return "unknown";
}

std::string_view to_string(ChapParseError e) {
  switch (e) {
    case ChapParseError::None: return "none";
    case ChapParseError::Truncated: return "shorter than the CHAP header";
    case ChapParseError::LengthBelowHeader: return "Length field below the header size";
    case ChapParseError::LengthBeyondFrame: return "Length field beyond the frame";
    case ChapParseError::NoValueSize: return "no Value-Size octet";
    case ChapParseError::ValueBeyondLength: return "Value-Size beyond Length";
    case ChapParseError::EmptyValue: return "empty Value";
    case ChapParseError::UnknownCode: return "unknown Code";
  }
  return "unknown";
}

ChapParseResult parse_chap(ByteView in) {
  ChapParseResult r;
  // Lie: a frame too short to hold Code, Identifier and Length.
  if (in.size() < kChapHeaderSize) {
    r.error = ChapParseError::Truncated;
    return r;
  }
  const std::uint8_t code = in[0];
  const std::uint16_t length = load_be16(in.data() + 2);
  // Lie: a Length that does not even cover the header it sits in.
  if (length < kChapHeaderSize) {
    r.error = ChapParseError::LengthBelowHeader;
    return r;
  }
  // Lie: a Length promising more octets than arrived (truncated frame).
  if (length > in.size()) {
    r.error = ChapParseError::LengthBeyondFrame;
    return r;
  }
  const ByteView body = in.subspan(kChapHeaderSize, length - kChapHeaderSize);
  r.packet.identifier = in[1];
  switch (code) {
    case 1:
    case 2: {
      r.packet.code = static_cast<ChapCode>(code);
      // Lie: a Challenge/Response whose Length leaves no room for Value-Size.
      if (body.empty()) {
        r.error = ChapParseError::NoValueSize;
        return r;
      }
      const std::size_t value_size = body[0];
      // RFC 1994 §4.1: the Value is one or more octets.
      if (value_size == 0) {
        r.error = ChapParseError::EmptyValue;
        return r;
      }
      // Lie: a Value-Size running past the end the Length field set.
      if (value_size > body.size() - 1) {
        r.error = ChapParseError::ValueBeyondLength;
        return r;
      }
      r.packet.value = body.subspan(1, value_size);
      r.packet.name = body.subspan(1 + value_size);
      return r;
    }
    case 3:
    case 4:
      r.packet.code = static_cast<ChapCode>(code);
      r.packet.message = body;
      return r;
    default:
      r.error = ChapParseError::UnknownCode;
      return r;
  }
}

namespace {
Bytes header(ChapCode code, std::uint8_t identifier, std::size_t body_size) {
  Bytes out;
  out.reserve(kChapHeaderSize + body_size);
  ByteWriter w(out);
  w.u8(static_cast<std::uint8_t>(code));
  w.u8(identifier);
  w.u16(static_cast<std::uint16_t>(kChapHeaderSize + body_size));
  return out;
}
ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
}  // namespace

// Callers keep value <= 255 octets and the whole packet well under 64 KiB (names and messages
// are short strings from configuration), so the narrowing below cannot truncate.
Bytes build_chap_challenge_or_response(ChapCode code, std::uint8_t identifier, ByteView value,
                                       std::string_view name) {
  Bytes out = header(code, identifier, 1 + value.size() + name.size());
  ByteWriter w(out);
  w.u8(static_cast<std::uint8_t>(value.size()));
  w.bytes(value);
  w.bytes(as_bytes(name));
  return out;
}

Bytes build_chap_status(ChapCode code, std::uint8_t identifier, std::string_view message) {
  Bytes out = header(code, identifier, message.size());
  ByteWriter w(out);
  w.bytes(as_bytes(message));
  return out;
}

}  // namespace pptpx::ppp
