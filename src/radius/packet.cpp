#include "radius/packet.hpp"

#include <stdexcept>

namespace pptpx::radius {

std::string_view to_string(Code c) {
  switch (c) {
    case Code::AccessRequest: return "Access-Request";
    case Code::AccessAccept: return "Access-Accept";
    case Code::AccessReject: return "Access-Reject";
    case Code::AccountingRequest: return "Accounting-Request";
    case Code::AccountingResponse: return "Accounting-Response";
    case Code::AccessChallenge: return "Access-Challenge";
    case Code::DisconnectRequest: return "Disconnect-Request";
    case Code::DisconnectAck: return "Disconnect-ACK";
    case Code::DisconnectNak: return "Disconnect-NAK";
    case Code::CoaRequest: return "CoA-Request";
    case Code::CoaAck: return "CoA-ACK";
    case Code::CoaNak: return "CoA-NAK";
  }
  return "unknown";
}

bool is_known_code(std::uint8_t c) {
  switch (c) {
    case 1: case 2: case 3: case 4: case 5: case 11: case 40: case 41: case 42: case 43: case 44: case 45:
      return true;
    default: return false;
  }
}

std::string_view to_string(ParseError e) {
  switch (e) {
    case ParseError::None: return "none";
    case ParseError::TooShort: return "shorter than its Length field";
    case ParseError::BadLength: return "Length field outside 20..4096";
    case ParseError::UnknownCode: return "unknown Code";
    case ParseError::BadAttribute: return "attribute length runs past the packet";
  }
  return "unknown";
}

const Attribute* Packet::find(std::uint8_t type) const {
  for (const Attribute& a : attributes) {
    if (a.type == type) return &a;
  }
  return nullptr;
}

std::optional<Bytes> Packet::find_vendor(std::uint32_t vendor, std::uint8_t vendor_type) const {
  for (const Attribute& a : attributes) {
    if (a.type != attr::VendorSpecific) continue;
    std::uint32_t id = 0;
    auto subs = parse_vendor_specific(a.value, id);
    if (!subs || id != vendor) continue;
    for (VendorAttribute& s : *subs) {
      if (s.type == vendor_type) return std::move(s.value);
    }
  }
  return std::nullopt;
}

std::optional<std::string> Packet::find_string(std::uint8_t type) const {
  const Attribute* a = find(type);
  if (!a) return std::nullopt;
  return std::string(a->value.begin(), a->value.end());
}

std::optional<std::uint32_t> Packet::find_u32(std::uint8_t type) const {
  const Attribute* a = find(type);
  if (!a || a->value.size() != 4) return std::nullopt;
  return load_be32(a->value.data());
}

void Packet::add(std::uint8_t type, ByteView value) {
  attributes.push_back(Attribute{type, Bytes(value.begin(), value.end())});
}

void Packet::add_string(std::uint8_t type, std::string_view value) {
  add(type, ByteView(reinterpret_cast<const std::uint8_t*>(value.data()), value.size()));
}

void Packet::add_u32(std::uint8_t type, std::uint32_t value) {
  std::uint8_t b[4];
  store_be32(b, value);
  add(type, b);
}

void Packet::add_vendor(std::uint32_t vendor, std::uint8_t vendor_type, ByteView value) {
  if (value.size() > kMaxAttributeValue - 6) throw std::length_error("RADIUS vendor attribute value too long");
  Bytes v;
  ByteWriter w(v);
  w.u32(vendor);
  w.u8(vendor_type);
  w.u8(static_cast<std::uint8_t>(value.size() + 2));
  w.bytes(value);
  attributes.push_back(Attribute{attr::VendorSpecific, std::move(v)});
}

ParseResult parse(ByteView d) {
  ParseResult r;
  if (d.size() < kMinPacket) {
    r.error = ParseError::TooShort;
    return r;
  }
  const std::size_t length = load_be16(d.data() + 2);
  if (length < kMinPacket || length > kMaxPacket) {
    r.error = ParseError::BadLength;
    return r;
  }
  // RFC 2865 §3: a packet shorter than its Length field MUST be silently discarded; octets
  // outside the range of the Length field MUST be treated as padding and ignored.
  if (d.size() < length) {
    r.error = ParseError::TooShort;
    return r;
  }
  if (!is_known_code(d[0])) {
    r.error = ParseError::UnknownCode;
    return r;
  }
  r.packet.code = static_cast<Code>(d[0]);
  r.packet.identifier = d[1];
  std::copy(d.begin() + 4, d.begin() + 20, r.packet.authenticator.begin());
  std::size_t pos = kHeaderSize;
  while (pos < length) {
    if (length - pos < 2) {
      r.error = ParseError::BadAttribute;
      return r;
    }
    const std::uint8_t type = d[pos];
    const std::size_t alen = d[pos + 1];
    if (alen < 2 || alen > length - pos) {
      r.error = ParseError::BadAttribute;
      return r;
    }
    r.packet.attributes.push_back(Attribute{type, Bytes(d.begin() + static_cast<std::ptrdiff_t>(pos + 2),
                                                        d.begin() + static_cast<std::ptrdiff_t>(pos + alen))});
    pos += alen;
  }
  return r;
}

Bytes encode(const Packet& p) {
  Bytes out;
  out.reserve(kHeaderSize + 64);
  ByteWriter w(out);
  w.u8(static_cast<std::uint8_t>(p.code));
  w.u8(p.identifier);
  w.u16(0);  // length, filled in below
  w.bytes(p.authenticator);
  for (const Attribute& a : p.attributes) {
    if (a.value.size() > kMaxAttributeValue) throw std::length_error("RADIUS attribute value too long");
    w.u8(a.type);
    w.u8(static_cast<std::uint8_t>(a.value.size() + 2));
    w.bytes(a.value);
  }
  if (out.size() > kMaxPacket) throw std::length_error("RADIUS packet longer than 4096 octets");
  store_be16(out.data() + 2, static_cast<std::uint16_t>(out.size()));
  return out;
}

std::optional<std::vector<VendorAttribute>> parse_vendor_specific(ByteView v, std::uint32_t& vendor) {
  if (v.size() < 4) return std::nullopt;
  vendor = load_be32(v.data());
  std::vector<VendorAttribute> out;
  std::size_t pos = 4;
  while (pos < v.size()) {
    if (v.size() - pos < 2) return std::nullopt;
    const std::size_t len = v[pos + 1];
    if (len < 2 || len > v.size() - pos) return std::nullopt;
    out.push_back(VendorAttribute{v[pos], Bytes(v.begin() + static_cast<std::ptrdiff_t>(pos + 2),
                                                v.begin() + static_cast<std::ptrdiff_t>(pos + len))});
    pos += len;
  }
  return out;
}

}  // namespace pptpx::radius
