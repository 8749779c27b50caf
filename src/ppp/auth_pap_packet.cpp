#include "ppp/auth_pap_packet.hpp"

namespace pptpx::ppp {

std::string_view to_string(PapCode c) {
  switch (c) {
    case PapCode::Request: return "Authenticate-Request";
    case PapCode::Ack: return "Authenticate-Ack";
    case PapCode::Nak: return "Authenticate-Nak";
  }
  return "unknown";
}

std::string_view to_string(PapParseError e) {
  switch (e) {
    case PapParseError::None: return "none";
    case PapParseError::Truncated: return "shorter than the PAP header";
    case PapParseError::LengthBelowHeader: return "Length field below the header size";
    case PapParseError::LengthBeyondFrame: return "Length field beyond the frame";
    case PapParseError::NoPeerIdLength: return "no Peer-ID-Length octet";
    case PapParseError::PeerIdBeyondLength: return "Peer-ID-Length beyond Length";
    case PapParseError::NoPasswordLength: return "no Passwd-Length octet";
    case PapParseError::PasswordBeyondLength: return "Passwd-Length beyond Length";
    case PapParseError::MessageBeyondLength: return "Msg-Length beyond Length";
    case PapParseError::UnknownCode: return "unknown Code";
  }
  return "unknown";
}

PapParseResult parse_pap(ByteView in) {
  PapParseResult r;
  // Lie: a frame too short to hold Code, Identifier and Length.
  if (in.size() < kPapHeaderSize) {
    r.error = PapParseError::Truncated;
    return r;
  }
  const std::uint8_t code = in[0];
  const std::uint16_t length = load_be16(in.data() + 2);
  // Lie: a Length that does not cover its own header.
  if (length < kPapHeaderSize) {
    r.error = PapParseError::LengthBelowHeader;
    return r;
  }
  // Lie: a Length promising more octets than arrived.
  if (length > in.size()) {
    r.error = PapParseError::LengthBeyondFrame;
    return r;
  }
  ByteView body = in.subspan(kPapHeaderSize, length - kPapHeaderSize);
  r.packet.identifier = in[1];
  switch (code) {
    case 1: {
      r.packet.code = PapCode::Request;
      // Lie: no room for the Peer-ID-Length octet.
      if (body.empty()) {
        r.error = PapParseError::NoPeerIdLength;
        return r;
      }
      const std::size_t id_len = body[0];
      body = body.subspan(1);
      // Lie: Peer-ID-Length longer than what Length leaves.
      if (id_len > body.size()) {
        r.error = PapParseError::PeerIdBeyondLength;
        return r;
      }
      r.packet.peer_id = body.first(id_len);
      body = body.subspan(id_len);
      // Lie: no room for the Passwd-Length octet.
      if (body.empty()) {
        r.error = PapParseError::NoPasswordLength;
        return r;
      }
      const std::size_t pw_len = body[0];
      body = body.subspan(1);
      // Lie: Passwd-Length longer than what Length leaves.
      if (pw_len > body.size()) {
        r.error = PapParseError::PasswordBeyondLength;
        return r;
      }
      r.packet.password = body.first(pw_len);
      return r;
    }
    case 2:
    case 3: {
      r.packet.code = static_cast<PapCode>(code);
      if (body.empty()) return r;  // no Msg-Length: empty message
      const std::size_t msg_len = body[0];
      // Lie: Msg-Length longer than what Length leaves.
      if (msg_len > body.size() - 1) {
        r.error = PapParseError::MessageBeyondLength;
        return r;
      }
      r.packet.message = body.subspan(1, msg_len);
      return r;
    }
    default:
      r.error = PapParseError::UnknownCode;
      return r;
  }
}

namespace {
ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
}  // namespace

Bytes build_pap_request(std::uint8_t identifier, std::string_view peer_id, std::string_view password) {
  Bytes out;
  ByteWriter w(out);
  w.u8(static_cast<std::uint8_t>(PapCode::Request));
  w.u8(identifier);
  w.u16(static_cast<std::uint16_t>(kPapHeaderSize + 2 + peer_id.size() + password.size()));
  w.u8(static_cast<std::uint8_t>(peer_id.size()));
  w.bytes(as_bytes(peer_id));
  w.u8(static_cast<std::uint8_t>(password.size()));
  w.bytes(as_bytes(password));
  return out;
}

Bytes build_pap_reply(PapCode code, std::uint8_t identifier, std::string_view message) {
  Bytes out;
  ByteWriter w(out);
  w.u8(static_cast<std::uint8_t>(code));
  w.u8(identifier);
  w.u16(static_cast<std::uint16_t>(kPapHeaderSize + 1 + message.size()));
  w.u8(static_cast<std::uint8_t>(message.size()));
  w.bytes(as_bytes(message));
  return out;
}

}  // namespace pptpx::ppp
