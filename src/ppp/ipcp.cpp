#include "ppp/ipcp.hpp"

namespace pptpx::ppp {

namespace {
std::uint32_t value32(ByteView v) { return load_be32(v.data()); }
void set32(Bytes& out, std::uint32_t v) {
  out.resize(4);
  store_be32(out.data(), v);
}
// Index 0/1 of a DNS or NBNS option, or -1.
int dns_index(std::uint8_t type) {
  if (type == ipcp_option::kPrimaryDns) return 0;
  if (type == ipcp_option::kSecondaryDns) return 1;
  return -1;
}
int nbns_index(std::uint8_t type) {
  if (type == ipcp_option::kPrimaryNbns) return 0;
  if (type == ipcp_option::kSecondaryNbns) return 1;
  return -1;
}
}  // namespace

void IpcpOptions::reset_request() {
  address_ = config_.local_address;
  send_address_ = true;
  dns_ = {};
  nbns_ = {};
  ask_dns_ = {config_.request_dns, config_.request_dns};
  ask_nbns_ = {config_.request_nbns, config_.request_nbns};
  result_ = IpcpResult{};
}

void IpcpOptions::build_request(Bytes& options) {
  if (send_address_) append_option_u32(options, ipcp_option::kIpAddress, address_);
  if (ask_dns_[0]) append_option_u32(options, ipcp_option::kPrimaryDns, dns_[0]);
  if (ask_nbns_[0]) append_option_u32(options, ipcp_option::kPrimaryNbns, nbns_[0]);
  if (ask_dns_[1]) append_option_u32(options, ipcp_option::kSecondaryDns, dns_[1]);
  if (ask_nbns_[1]) append_option_u32(options, ipcp_option::kSecondaryNbns, nbns_[1]);
}

OptionVerdict IpcpOptions::check_option(std::uint8_t type, ByteView value, Bytes& nak_value) {
  if (type == ipcp_option::kIpAddress) {
    // Catches an IP-Address option of the wrong length (RFC 1332 §3.3: Length 6).
    if (value.size() != 4) return OptionVerdict::Reject;
    std::uint32_t a = value32(value);
    if (config_.peer_address != 0) {
      // RFC 1332 §3.3: "...a Configure-Nak with the IP-Address the peer should use".
      if (a == config_.peer_address) return OptionVerdict::Ack;
      set32(nak_value, config_.peer_address);
      return OptionVerdict::Nak;
    }
    // Without an address to assign, accept any the peer names; 0.0.0.0 asks us for one we lack.
    return a != 0 ? OptionVerdict::Ack : OptionVerdict::Reject;
  }
  int d = dns_index(type);
  int n = nbns_index(type);
  if (d >= 0 || n >= 0) {
    if (value.size() != 4) return OptionVerdict::Reject;
    std::uint32_t ours = d >= 0 ? config_.dns[static_cast<std::size_t>(d)] : config_.nbns[static_cast<std::size_t>(n)];
    // RFC 1877 §1: the peer asks with 0 (or a stale value); we Nak with ours, or Reject if we
    // have none to give.
    if (ours == 0) return OptionVerdict::Reject;
    if (value32(value) == ours) return OptionVerdict::Ack;
    set32(nak_value, ours);
    return OptionVerdict::Nak;
  }
  // IP-Compression-Protocol (Van Jacobson, RFC 1332 §3.2), IP-Addresses, anything else.
  return OptionVerdict::Reject;
}

void IpcpOptions::peer_request_acked(ByteView options) {
  result_.peer_address = config_.peer_address;
  for_each_option(options, [&](RawOption o) {
    if (o.value.size() != 4) return;
    std::uint32_t v = value32(o.value);
    if (o.type == ipcp_option::kIpAddress) result_.peer_address = v;
    // Server: the DNS/NBNS values the peer now uses (we Ack only the ones we handed out).
    if (int d = dns_index(o.type); d >= 0) result_.dns[static_cast<std::size_t>(d)] = v;
    if (int n = nbns_index(o.type); n >= 0) result_.nbns[static_cast<std::size_t>(n)] = v;
  });
}

void IpcpOptions::request_acked(ByteView options) {
  for_each_option(options, [&](RawOption o) {
    if (o.value.size() != 4) return;
    std::uint32_t v = value32(o.value);
    if (o.type == ipcp_option::kIpAddress) result_.local_address = v;
    if (int d = dns_index(o.type); d >= 0) result_.dns[static_cast<std::size_t>(d)] = v;
    if (int n = nbns_index(o.type); n >= 0) result_.nbns[static_cast<std::size_t>(n)] = v;
  });
}

void IpcpOptions::nak_received(std::uint8_t type, ByteView value) {
  // Catches a Nak'd value of the wrong length: ignored, our request stays as it was.
  if (value.size() != 4) return;
  std::uint32_t v = value32(value);
  if (type == ipcp_option::kIpAddress) {
    // RFC 1332 §3.3: the client takes the address the server suggests; a configured address is
    // kept (the peer's objection then shows up as non-convergence).
    if (config_.local_address == 0 && v != 0) address_ = v;
    send_address_ = true;
  } else if (int d = dns_index(type); d >= 0) {
    dns_[static_cast<std::size_t>(d)] = v;
    ask_dns_[static_cast<std::size_t>(d)] = true;
  } else if (int n = nbns_index(type); n >= 0) {
    nbns_[static_cast<std::size_t>(n)] = v;
    ask_nbns_[static_cast<std::size_t>(n)] = true;
  }
}

void IpcpOptions::reject_received(std::uint8_t type, ByteView /*value*/) {
  if (type == ipcp_option::kIpAddress) {
    send_address_ = false;
    if (address_ == 0) fail("peer rejected IPCP IP-Address and no local address is configured");
  } else if (int d = dns_index(type); d >= 0) {
    ask_dns_[static_cast<std::size_t>(d)] = false;
  } else if (int n = nbns_index(type); n >= 0) {
    ask_nbns_[static_cast<std::size_t>(n)] = false;
  }
}

std::string IpcpOptions::option_name(std::uint8_t type) const {
  switch (type) {
    case ipcp_option::kIpAddresses: return "IP-Addresses";
    case ipcp_option::kIpCompressionProtocol: return "IP-Compression-Protocol";
    case ipcp_option::kIpAddress: return "IP-Address";
    case ipcp_option::kPrimaryDns: return "Primary-DNS";
    case ipcp_option::kPrimaryNbns: return "Primary-NBNS";
    case ipcp_option::kSecondaryDns: return "Secondary-DNS";
    case ipcp_option::kSecondaryNbns: return "Secondary-NBNS";
    default: return "IPCP option " + std::to_string(type);
  }
}

}  // namespace pptpx::ppp
