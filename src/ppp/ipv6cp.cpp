#include "ppp/ipv6cp.hpp"

namespace pptpx::ppp {

std::uint64_t load_be64(const std::uint8_t* p) {
  return (std::uint64_t{load_be32(p)} << 32) | load_be32(p + 4);
}
void store_be64(std::uint8_t* p, std::uint64_t v) {
  store_be32(p, static_cast<std::uint32_t>(v >> 32));
  store_be32(p + 4, static_cast<std::uint32_t>(v));
}

std::uint64_t Ipv6cpOptions::random_id(std::uint64_t avoid) {
  std::uint64_t v = 0;
  // RFC 5072 §4.1: a random identifier, and every suggested one, MUST have the "u" bit zero.
  while (v == 0 || v == avoid || v == id_ || taken(v)) {
    std::uint8_t b[8];
    random_.fill(b);
    v = load_be64(b) & ~kInterfaceIdUniversalBit;
  }
  return v;
}

void Ipv6cpOptions::reset_request() {
  if (id_ == 0) id_ = config_.interface_id != 0 ? config_.interface_id : random_id(0);
  send_id_ = true;
  result_ = Ipv6cpResult{};
}

void Ipv6cpOptions::build_request(Bytes& options) {
  if (!send_id_) return;
  std::uint8_t b[8];
  store_be64(b, id_);
  append_option(options, ipv6cp_option::kInterfaceIdentifier, b);
}

OptionVerdict Ipv6cpOptions::check_option(std::uint8_t type, ByteView value, Bytes& nak_value) {
  if (type != ipv6cp_option::kInterfaceIdentifier) return OptionVerdict::Reject;
  // Catches an Interface-Identifier of the wrong length (RFC 5072 §4.1: Length 10).
  if (value.size() != 8) return OptionVerdict::Reject;
  std::uint64_t peer = load_be64(value.data());
  if (peer == 0 || peer == id_ || taken(peer)) {
    // RFC 5072 §4.1: a zero or identical identifier is Nak'd with a different, non-zero one
    // (and one another link of ours uses, see Ipv6cpConfig::peer_id_taken).
    nak_value.resize(8);
    store_be64(nak_value.data(), random_id(peer));
    return OptionVerdict::Nak;
  }
  return OptionVerdict::Ack;
}

void Ipv6cpOptions::peer_request_acked(ByteView options) {
  for_each_option(options, [&](RawOption o) {
    if (o.type == ipv6cp_option::kInterfaceIdentifier) result_.peer_id = load_be64(o.value.data());
  });
}

void Ipv6cpOptions::request_acked(ByteView options) {
  for_each_option(options, [&](RawOption o) {
    if (o.type == ipv6cp_option::kInterfaceIdentifier && o.value.size() == 8) {
      result_.local_id = load_be64(o.value.data());
    }
  });
}

void Ipv6cpOptions::nak_received(std::uint8_t type, ByteView value) {
  if (type != ipv6cp_option::kInterfaceIdentifier || value.size() != 8) return;
  std::uint64_t suggested = load_be64(value.data());
  // RFC 5072 §4.1: use the suggested identifier if acceptable, else make a new one.
  id_ = (suggested != 0 && suggested != result_.peer_id && suggested != id_) ? suggested : random_id(suggested);
}

void Ipv6cpOptions::reject_received(std::uint8_t type, ByteView /*value*/) {
  if (type == ipv6cp_option::kInterfaceIdentifier) send_id_ = false;
}

std::string Ipv6cpOptions::option_name(std::uint8_t type) const {
  switch (type) {
    case ipv6cp_option::kInterfaceIdentifier: return "Interface-Identifier";
    case ipv6cp_option::kIpv6CompressionProtocol: return "IPv6-Compression-Protocol";
    default: return "IPV6CP option " + std::to_string(type);
  }
}

}  // namespace pptpx::ppp
