#include "pptp/control_codec.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

#include "pptp/control_codec_layout.hpp"
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

// ---- One field of a layout table (control_codec_layout.hpp), written or read. ----

template <class M, class T>
void put(ByteWriter& w, const M& m, layout::Int<M, T> f) {
  static_assert(std::is_same_v<T, std::uint8_t> || std::is_same_v<T, std::uint16_t> ||
                std::is_same_v<T, std::uint32_t>);
  if constexpr (sizeof(T) == 1) w.u8(m.*f.member);
  if constexpr (sizeof(T) == 2) w.u16(m.*f.member);
  if constexpr (sizeof(T) == 4) w.u32(m.*f.member);
}
template <class M>
void put(ByteWriter& w, const M&, layout::Reserved f) {
  w.zeros(f.size);
}
template <class M>
void put(ByteWriter& w, const M& m, layout::Text<M> f) {
  const std::string& s = m.*f.member;
  const std::size_t n = std::min(s.size(), f.size);
  w.bytes(ByteView(reinterpret_cast<const std::uint8_t*>(s.data()), n));
  w.zeros(f.size - n);
}
template <class M>
void put(ByteWriter& w, const M& m, layout::TextLength<M> f) {
  w.u16(static_cast<std::uint16_t>(std::min((m.*f.member).size(), kNameFieldSize)));
}

template <class M, class T>
void get(Reader& r, M& m, layout::Int<M, T> f) {
  if constexpr (sizeof(T) == 1) m.*f.member = r.u8();
  if constexpr (sizeof(T) == 2) m.*f.member = r.u16();
  if constexpr (sizeof(T) == 4) m.*f.member = r.u32();
}
template <class M>
void get(Reader& r, M&, layout::Reserved f) {
  r.skip(f.size);
}
template <class M>
void get(Reader& r, M& m, layout::Text<M> f) {
  m.*f.member = r.text(f.size);
}
template <class M>
void get(Reader& r, M&, layout::TextLength<M>) {
  r.skip(2);
}

template <class M, class T>
constexpr std::size_t wire_size(layout::Int<M, T>) {
  return sizeof(T);
}
constexpr std::size_t wire_size(layout::Reserved f) { return f.size; }
template <class M>
constexpr std::size_t wire_size(layout::Text<M> f) {
  return f.size;
}
template <class M>
constexpr std::size_t wire_size(layout::TextLength<M>) {
  return 2;
}

// ---- A whole message body: the layout's fields in order. ----

template <std::size_t I>
using MessageAt = std::variant_alternative_t<I, ControlMessage>;

template <class M>
constexpr std::size_t layout_length() {
  return std::apply([](const auto&... f) { return kHeaderSize + (wire_size(f) + ...); },
                    layout::Layout<M>::fields);
}

// Every table adds up to the RFC's figure for its message (variant index + 1 = Control Message
// Type, as type_of() relies on).
template <std::size_t... I>
constexpr bool layouts_match_rfc_lengths(std::index_sequence<I...>) {
  return ((layout_length<MessageAt<I>>() == kLengths[I + 1]) && ...);
}
static_assert(layouts_match_rfc_lengths(
    std::make_index_sequence<std::variant_size_v<ControlMessage>>{}));

template <std::size_t I>
ControlMessage decode_as(Reader& r) {
  MessageAt<I> m;
  // A comma fold reads the fields left to right, in wire order.
  std::apply([&](const auto&... f) { (get(r, m, f), ...); }, layout::Layout<MessageAt<I>>::fields);
  return m;
}

template <std::size_t... I>
constexpr auto make_decoders(std::index_sequence<I...>) {
  return std::array<ControlMessage (*)(Reader&), sizeof...(I)>{&decode_as<I>...};
}
// Indexed by Control Message Type - 1.
constexpr auto kDecoders =
    make_decoders(std::make_index_sequence<std::variant_size_v<ControlMessage>>{});

ControlMessage decode_body(ControlType t, Reader& r) {
  return kDecoders[static_cast<std::size_t>(t) - 1](r);  // type range-checked by decode()
}

void encode_body(const ControlMessage& msg, ByteWriter& w) {
  std::visit(
      [&w](const auto& m) {
        using M = std::decay_t<decltype(m)>;
        std::apply([&](const auto&... f) { (put(w, m, f), ...); }, layout::Layout<M>::fields);
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
