#include "pptp/gre_header.hpp"

namespace pptpx::pptp {

std::string_view to_string(GreError e) {
  switch (e) {
    case GreError::None: return "none";
    case GreError::Truncated: return "truncated";
    case GreError::BadVersion: return "bad GRE version";
    case GreError::BadProtocol: return "bad GRE protocol type";
    case GreError::BadFlags: return "bad GRE flags";
    case GreError::PayloadTooLong: return "payload length exceeds packet";
    case GreError::PayloadWithoutSeq: return "payload without sequence number";
    case GreError::Empty: return "neither payload nor acknowledgement";
    case GreError::WrongCallId: return "Call ID names another call";
  }
  return "unknown";
}

GreDecoded decode_gre(ByteView p) {
  GreDecoded d;
  // Catches: runt packets; the fixed part (flags, protocol, key) is 8 octets.
  if (p.size() < kGreBaseSize) {
    d.error = GreError::Truncated;
    return d;
  }
  const std::uint8_t f0 = p[0];
  const std::uint8_t f1 = p[1];
  // Catches: RFC 1701 GRE (version 0) or anything else sharing IP protocol 47.
  if ((f1 & kGreVersionMask) != kGreVersion) {
    d.error = GreError::BadVersion;
    return d;
  }
  if (load_be16(p.data() + 2) != kGreProtocolPpp) {
    d.error = GreError::BadProtocol;
    return d;
  }
  // Catches: checksum/routing/strict-route/recursion/reserved flags that would change the
  // header layout, and a missing key (no Call ID to demultiplex on). RFC 2637 §4.1.
  if ((f0 & (kGreFlagC | kGreFlagR | kGreFlagStrict | kGreRecurMask)) != 0 ||
      (f0 & kGreFlagK) == 0 || (f1 & kGreFlagsMask) != 0) {
    d.error = GreError::BadFlags;
    return d;
  }
  const bool has_seq = (f0 & kGreFlagS) != 0;
  const bool has_ack = (f1 & kGreFlagA) != 0;
  const std::size_t hlen = kGreBaseSize + (has_seq ? 4 : 0) + (has_ack ? 4 : 0);
  // Catches: S or A announced but the packet ends before those fields.
  if (p.size() < hlen) {
    d.error = GreError::Truncated;
    return d;
  }
  d.header.payload_length = load_be16(p.data() + 4);
  d.header.call_id = load_be16(p.data() + 6);
  std::size_t off = kGreBaseSize;
  if (has_seq) {
    d.header.sequence = load_be32(p.data() + off);
    off += 4;
  }
  if (has_ack) d.header.ack = load_be32(p.data() + off);
  // Catches: a key that claims more payload than the packet carries.
  if (d.header.payload_length > p.size() - hlen) {
    d.error = GreError::PayloadTooLong;
    return d;
  }
  if (d.header.payload_length > 0 && !has_seq) {
    d.error = GreError::PayloadWithoutSeq;
    return d;
  }
  if (d.header.payload_length == 0 && !has_ack && !has_seq) {
    d.error = GreError::Empty;
    return d;
  }
  d.payload = p.subspan(hlen, d.header.payload_length);
  return d;
}

std::size_t encode_gre_header(const GreHeader& h, MutableByteView out) {
  const std::size_t n = h.size();
  if (out.size() < n) return 0;
  out[0] = static_cast<std::uint8_t>(kGreFlagK | (h.sequence ? kGreFlagS : 0));
  out[1] = static_cast<std::uint8_t>((h.ack ? kGreFlagA : 0) | kGreVersion);
  store_be16(out.data() + 2, kGreProtocolPpp);
  store_be16(out.data() + 4, h.payload_length);
  store_be16(out.data() + 6, h.call_id);
  std::size_t off = kGreBaseSize;
  if (h.sequence) {
    store_be32(out.data() + off, *h.sequence);
    off += 4;
  }
  if (h.ack) store_be32(out.data() + off, *h.ack);
  return n;
}

std::optional<MutableByteView> gre_prepend(const GreHeader& h, MutableByteView buffer,
                                           std::size_t payload_offset) {
  const std::size_t n = h.size();
  if (payload_offset < n || payload_offset > buffer.size() ||
      buffer.size() - payload_offset < h.payload_length) {
    return std::nullopt;
  }
  auto packet = buffer.subspan(payload_offset - n, n + h.payload_length);
  encode_gre_header(h, packet);
  return packet;
}

}  // namespace pptpx::pptp
