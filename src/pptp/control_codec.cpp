#include "pptp/control_codec.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <type_traits>

#include "util/hex.hpp"

namespace pptpx::pptp {
namespace {

// Field offsets shared by every message (RFC 2637 §2, header rows 1-3).
constexpr std::size_t kOffLength = 0;
constexpr std::size_t kOffPptpType = 2;
constexpr std::size_t kOffCookie = 4;
constexpr std::size_t kOffControlType = 8;
constexpr std::size_t kOffBody = kHeaderSize;

// Exact lengths, indexed by Control Message Type (RFC 2637 §2.1-§2.15 figures).
constexpr std::array<std::size_t, 16> kLengths{0,   156, 156, 16, 16, 16,  20, 168,
                                               32,  220, 24,  28, 16, 148, 40, 24};

// Cursor over one message whose total length has already been checked, so reads cannot overrun.
class Reader {
 public:
  explicit Reader(ByteView b) : b_(b), pos_(kOffBody) {}
  std::uint8_t u8() { return b_[pos_++]; }
  std::uint16_t u16() {
    auto v = load_be16(b_.data() + pos_);
    pos_ += 2;
    return v;
  }
  std::uint32_t u32() {
    auto v = load_be32(b_.data() + pos_);
    pos_ += 4;
    return v;
  }
  void skip(std::size_t n) { pos_ += n; }
  // A fixed-size text field: the octets up to the first NUL (§2.1 "remainder ... filled with 0").
  std::string text(std::size_t field_size) {
    const auto* p = b_.data() + pos_;
    const auto* end = std::find(p, p + field_size, std::uint8_t{0});
    pos_ += field_size;
    return std::string(p, end);
  }

 private:
  ByteView b_;
  std::size_t pos_;
};

void text(ByteWriter& w, const std::string& s, std::size_t field_size) {
  const std::size_t n = std::min(s.size(), field_size);
  w.bytes(ByteView(reinterpret_cast<const std::uint8_t*>(s.data()), n));
  w.zeros(field_size - n);
}
std::uint16_t text_len(const std::string& s) {
  return static_cast<std::uint16_t>(std::min(s.size(), kNameFieldSize));
}

ControlMessage decode_body(ControlType t, Reader& r) {
  switch (t) {
    case ControlType::StartControlConnectionRequest: {
      StartControlConnectionRequest m;
      m.protocol_version = r.u16();
      r.skip(2);  // Reserved1
      m.framing_capabilities = r.u32();
      m.bearer_capabilities = r.u32();
      m.maximum_channels = r.u16();
      m.firmware_revision = r.u16();
      m.host_name = r.text(kNameFieldSize);
      m.vendor = r.text(kNameFieldSize);
      return m;
    }
    case ControlType::StartControlConnectionReply: {
      StartControlConnectionReply m;
      m.protocol_version = r.u16();
      m.result_code = r.u8();
      m.error_code = r.u8();
      m.framing_capabilities = r.u32();
      m.bearer_capabilities = r.u32();
      m.maximum_channels = r.u16();
      m.firmware_revision = r.u16();
      m.host_name = r.text(kNameFieldSize);
      m.vendor = r.text(kNameFieldSize);
      return m;
    }
    case ControlType::StopControlConnectionRequest:
      return StopControlConnectionRequest{r.u8()};
    case ControlType::StopControlConnectionReply: {
      StopControlConnectionReply m;
      m.result_code = r.u8();
      m.error_code = r.u8();
      return m;
    }
    case ControlType::EchoRequest:
      return EchoRequest{r.u32()};
    case ControlType::EchoReply: {
      EchoReply m;
      m.identifier = r.u32();
      m.result_code = r.u8();
      m.error_code = r.u8();
      return m;
    }
    case ControlType::OutgoingCallRequest: {
      OutgoingCallRequest m;
      m.call_id = r.u16();
      m.call_serial_number = r.u16();
      m.minimum_bps = r.u32();
      m.maximum_bps = r.u32();
      m.bearer_type = r.u32();
      m.framing_type = r.u32();
      m.packet_recv_window_size = r.u16();
      m.packet_processing_delay = r.u16();
      r.skip(4);  // Phone Number Length (peers disagree on it; the NUL padding is what we trust)
                  // and Reserved1
      m.phone_number = r.text(kNameFieldSize);
      m.subaddress = r.text(kNameFieldSize);
      return m;
    }
    case ControlType::OutgoingCallReply: {
      OutgoingCallReply m;
      m.call_id = r.u16();
      m.peer_call_id = r.u16();
      m.result_code = r.u8();
      m.error_code = r.u8();
      m.cause_code = r.u16();
      m.connect_speed = r.u32();
      m.packet_recv_window_size = r.u16();
      m.packet_processing_delay = r.u16();
      m.physical_channel_id = r.u32();
      return m;
    }
    case ControlType::IncomingCallRequest: {
      IncomingCallRequest m;
      m.call_id = r.u16();
      m.call_serial_number = r.u16();
      m.call_bearer_type = r.u32();
      m.physical_channel_id = r.u32();
      r.skip(4);  // Dialed/Dialing Number Length, as for the Phone Number Length above
      m.dialed_number = r.text(kNameFieldSize);
      m.dialing_number = r.text(kNameFieldSize);
      m.subaddress = r.text(kNameFieldSize);
      return m;
    }
    case ControlType::IncomingCallReply: {
      IncomingCallReply m;
      m.call_id = r.u16();
      m.peer_call_id = r.u16();
      m.result_code = r.u8();
      m.error_code = r.u8();
      m.packet_recv_window_size = r.u16();
      m.packet_transmit_delay = r.u16();
      return m;
    }
    case ControlType::IncomingCallConnected: {
      IncomingCallConnected m;
      m.peer_call_id = r.u16();
      r.skip(2);  // Reserved1
      m.connect_speed = r.u32();
      m.packet_recv_window_size = r.u16();
      m.packet_transmit_delay = r.u16();
      m.framing_type = r.u32();
      return m;
    }
    case ControlType::CallClearRequest:
      return CallClearRequest{r.u16()};
    case ControlType::CallDisconnectNotify: {
      CallDisconnectNotify m;
      m.call_id = r.u16();
      m.result_code = r.u8();
      m.error_code = r.u8();
      m.cause_code = r.u16();
      r.skip(2);  // Reserved1
      m.call_statistics = r.text(kCallStatisticsSize);
      return m;
    }
    case ControlType::WanErrorNotify: {
      WanErrorNotify m;
      m.peer_call_id = r.u16();
      r.skip(2);  // Reserved1
      m.crc_errors = r.u32();
      m.framing_errors = r.u32();
      m.hardware_overruns = r.u32();
      m.buffer_overruns = r.u32();
      m.timeout_errors = r.u32();
      m.alignment_errors = r.u32();
      return m;
    }
    case ControlType::SetLinkInfo: {
      SetLinkInfo m;
      m.peer_call_id = r.u16();
      r.skip(2);  // Reserved1
      m.send_accm = r.u32();
      m.receive_accm = r.u32();
      return m;
    }
  }
  return EchoRequest{};  // unreachable: the type was range-checked by decode()
}

void encode_body(const ControlMessage& msg, ByteWriter& w) {
  std::visit(
      [&w](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, StartControlConnectionRequest>) {
          w.u16(m.protocol_version);
          w.u16(0);
          w.u32(m.framing_capabilities);
          w.u32(m.bearer_capabilities);
          w.u16(m.maximum_channels);
          w.u16(m.firmware_revision);
          text(w, m.host_name, kNameFieldSize);
          text(w, m.vendor, kNameFieldSize);
        } else if constexpr (std::is_same_v<T, StartControlConnectionReply>) {
          w.u16(m.protocol_version);
          w.u8(m.result_code);
          w.u8(m.error_code);
          w.u32(m.framing_capabilities);
          w.u32(m.bearer_capabilities);
          w.u16(m.maximum_channels);
          w.u16(m.firmware_revision);
          text(w, m.host_name, kNameFieldSize);
          text(w, m.vendor, kNameFieldSize);
        } else if constexpr (std::is_same_v<T, StopControlConnectionRequest>) {
          w.u8(m.reason);
          w.zeros(3);
        } else if constexpr (std::is_same_v<T, StopControlConnectionReply>) {
          w.u8(m.result_code);
          w.u8(m.error_code);
          w.zeros(2);
        } else if constexpr (std::is_same_v<T, EchoRequest>) {
          w.u32(m.identifier);
        } else if constexpr (std::is_same_v<T, EchoReply>) {
          w.u32(m.identifier);
          w.u8(m.result_code);
          w.u8(m.error_code);
          w.zeros(2);
        } else if constexpr (std::is_same_v<T, OutgoingCallRequest>) {
          w.u16(m.call_id);
          w.u16(m.call_serial_number);
          w.u32(m.minimum_bps);
          w.u32(m.maximum_bps);
          w.u32(m.bearer_type);
          w.u32(m.framing_type);
          w.u16(m.packet_recv_window_size);
          w.u16(m.packet_processing_delay);
          w.u16(text_len(m.phone_number));
          w.u16(0);
          text(w, m.phone_number, kNameFieldSize);
          text(w, m.subaddress, kNameFieldSize);
        } else if constexpr (std::is_same_v<T, OutgoingCallReply>) {
          w.u16(m.call_id);
          w.u16(m.peer_call_id);
          w.u8(m.result_code);
          w.u8(m.error_code);
          w.u16(m.cause_code);
          w.u32(m.connect_speed);
          w.u16(m.packet_recv_window_size);
          w.u16(m.packet_processing_delay);
          w.u32(m.physical_channel_id);
        } else if constexpr (std::is_same_v<T, IncomingCallRequest>) {
          w.u16(m.call_id);
          w.u16(m.call_serial_number);
          w.u32(m.call_bearer_type);
          w.u32(m.physical_channel_id);
          w.u16(text_len(m.dialed_number));
          w.u16(text_len(m.dialing_number));
          text(w, m.dialed_number, kNameFieldSize);
          text(w, m.dialing_number, kNameFieldSize);
          text(w, m.subaddress, kNameFieldSize);
        } else if constexpr (std::is_same_v<T, IncomingCallReply>) {
          w.u16(m.call_id);
          w.u16(m.peer_call_id);
          w.u8(m.result_code);
          w.u8(m.error_code);
          w.u16(m.packet_recv_window_size);
          w.u16(m.packet_transmit_delay);
          w.u16(0);
        } else if constexpr (std::is_same_v<T, IncomingCallConnected>) {
          w.u16(m.peer_call_id);
          w.u16(0);
          w.u32(m.connect_speed);
          w.u16(m.packet_recv_window_size);
          w.u16(m.packet_transmit_delay);
          w.u32(m.framing_type);
        } else if constexpr (std::is_same_v<T, CallClearRequest>) {
          w.u16(m.call_id);
          w.u16(0);
        } else if constexpr (std::is_same_v<T, CallDisconnectNotify>) {
          w.u16(m.call_id);
          w.u8(m.result_code);
          w.u8(m.error_code);
          w.u16(m.cause_code);
          w.u16(0);
          text(w, m.call_statistics, kCallStatisticsSize);
        } else if constexpr (std::is_same_v<T, WanErrorNotify>) {
          w.u16(m.peer_call_id);
          w.u16(0);
          w.u32(m.crc_errors);
          w.u32(m.framing_errors);
          w.u32(m.hardware_overruns);
          w.u32(m.buffer_overruns);
          w.u32(m.timeout_errors);
          w.u32(m.alignment_errors);
        } else if constexpr (std::is_same_v<T, SetLinkInfo>) {
          w.u16(m.peer_call_id);
          w.u16(0);
          w.u32(m.send_accm);
          w.u32(m.receive_accm);
        }
      },
      msg);
}

DecodeResult fail(DecodeError e, std::string reason) {
  DecodeResult r;
  r.error = e;
  r.reason = std::move(reason);
  return r;
}

}  // namespace

std::string_view to_string(ControlType t) {
  switch (t) {
    case ControlType::StartControlConnectionRequest: return "Start-Control-Connection-Request";
    case ControlType::StartControlConnectionReply: return "Start-Control-Connection-Reply";
    case ControlType::StopControlConnectionRequest: return "Stop-Control-Connection-Request";
    case ControlType::StopControlConnectionReply: return "Stop-Control-Connection-Reply";
    case ControlType::EchoRequest: return "Echo-Request";
    case ControlType::EchoReply: return "Echo-Reply";
    case ControlType::OutgoingCallRequest: return "Outgoing-Call-Request";
    case ControlType::OutgoingCallReply: return "Outgoing-Call-Reply";
    case ControlType::IncomingCallRequest: return "Incoming-Call-Request";
    case ControlType::IncomingCallReply: return "Incoming-Call-Reply";
    case ControlType::IncomingCallConnected: return "Incoming-Call-Connected";
    case ControlType::CallClearRequest: return "Call-Clear-Request";
    case ControlType::CallDisconnectNotify: return "Call-Disconnect-Notify";
    case ControlType::WanErrorNotify: return "WAN-Error-Notify";
    case ControlType::SetLinkInfo: return "Set-Link-Info";
  }
  return "unknown control message";
}

std::string_view to_string(DecodeError e) {
  switch (e) {
    case DecodeError::None: return "none";
    case DecodeError::Truncated: return "truncated";
    case DecodeError::LengthMismatch: return "length mismatch";
    case DecodeError::NotControlMessage: return "not a control message";
    case DecodeError::BadMagicCookie: return "bad magic cookie";
    case DecodeError::UnknownMessageType: return "unknown control message type";
  }
  return "unknown decode error";
}

std::size_t message_length(std::uint16_t control_type) {
  return control_type < kLengths.size() ? kLengths[control_type] : 0;
}

ControlType type_of(const ControlMessage& m) {
  return static_cast<ControlType>(m.index() + 1);
}

DecodeResult decode(ByteView b) {
  // Catches: a fragment handed over as if it were a message (need the whole 12-octet header).
  if (b.size() < kHeaderSize) {
    return fail(DecodeError::Truncated, "control message of " + std::to_string(b.size()) +
                                            " octets is shorter than the 12-octet header");
  }
  const std::uint16_t length = load_be16(b.data() + kOffLength);
  const std::uint16_t pptp_type = load_be16(b.data() + kOffPptpType);
  const std::uint32_t cookie = load_be32(b.data() + kOffCookie);
  const std::uint16_t ctype = load_be16(b.data() + kOffControlType);
  // Catches: a peer speaking something else on port 1723, or a desynchronised stream (§1.4).
  if (cookie != kMagicCookie) {
    return fail(DecodeError::BadMagicCookie,
                "magic cookie is 0x" + to_hex(b.subspan(kOffCookie, 4)) + ", not 0x1a2b3c4d");
  }
  // Catches: management messages (type 2, never specified) or garbage.
  if (pptp_type != kPptpControlMessage) {
    return fail(DecodeError::NotControlMessage,
                "PPTP Message Type is " + std::to_string(pptp_type) + ", only 1 (control) is used");
  }
  const std::size_t expected = message_length(ctype);
  // Catches: a Control Message Type we do not know, so no length to check against.
  if (expected == 0) {
    return fail(DecodeError::UnknownMessageType,
                "Control Message Type " + std::to_string(ctype) + " is not 1..15");
  }
  const auto type_name = std::string(to_string(static_cast<ControlType>(ctype)));
  // Catches: a Length field that lies about the fixed size of this message type (§2.16 Bad-Format).
  if (length != expected) {
    return fail(DecodeError::LengthMismatch, type_name + " Length field is " +
                                                 std::to_string(length) + ", must be " +
                                                 std::to_string(expected));
  }
  // Catches: a caller that handed over fewer (or more) octets than the Length field claims.
  if (b.size() != expected) {
    return fail(DecodeError::Truncated, type_name + " needs " + std::to_string(expected) +
                                            " octets, got " + std::to_string(b.size()));
  }
  Reader r(b);
  DecodeResult out;
  out.message = decode_body(static_cast<ControlType>(ctype), r);
  return out;
}

std::size_t encode(const ControlMessage& m, Bytes& out) {
  const auto ctype = static_cast<std::uint16_t>(type_of(m));
  const std::size_t length = message_length(ctype);
  const std::size_t start = out.size();
  out.reserve(start + length);
  ByteWriter w(out);
  w.u16(static_cast<std::uint16_t>(length));
  w.u16(kPptpControlMessage);
  w.u32(kMagicCookie);
  w.u16(ctype);
  w.u16(0);  // Reserved0
  encode_body(m, w);
  return out.size() - start;
}

Bytes encode(const ControlMessage& m) {
  Bytes out;
  encode(m, out);
  return out;
}

}  // namespace pptpx::pptp
