#include "ppp/lcp.hpp"

#include <algorithm>

namespace pptpx::ppp {

std::optional<AuthMethod> parse_auth_option(ByteView value) {
  // Catches an Authentication-Protocol option too short for its protocol number.
  if (value.size() < 2) return std::nullopt;
  std::uint16_t proto = load_be16(value.data());
  if (proto == static_cast<std::uint16_t>(Protocol::Pap) && value.size() == 2) return AuthMethod::Pap;
  // RFC 2284 §2.1: EAP has no data in the option; the method is chosen inside EAP (ours: EAP-TLS).
  if (proto == static_cast<std::uint16_t>(Protocol::Eap) && value.size() == 2) return AuthMethod::EapTls;
  // RFC 1994 §3: CHAP carries exactly one Algorithm octet.
  if (proto == static_cast<std::uint16_t>(Protocol::Chap) && value.size() == 3) {
    switch (value[2]) {
      case kChapMd5Algorithm: return AuthMethod::ChapMd5;
      case kMsChapV1Algorithm: return AuthMethod::MsChapV1;
      case kMsChapV2Algorithm: return AuthMethod::MsChapV2;
      default: return std::nullopt;
    }
  }
  return std::nullopt;
}

namespace {
void auth_value(Bytes& v, AuthMethod m) {
  v.clear();
  std::uint8_t b[2];
  store_be16(b, static_cast<std::uint16_t>(m == AuthMethod::Pap      ? Protocol::Pap
                                            : m == AuthMethod::EapTls ? Protocol::Eap
                                                                      : Protocol::Chap));
  v.insert(v.end(), b, b + 2);
  switch (m) {
    case AuthMethod::Pap:
    case AuthMethod::EapTls: break;
    case AuthMethod::ChapMd5: v.push_back(kChapMd5Algorithm); break;
    case AuthMethod::MsChapV1: v.push_back(kMsChapV1Algorithm); break;
    case AuthMethod::MsChapV2: v.push_back(kMsChapV2Algorithm); break;
  }
}
}  // namespace

void append_auth_option(Bytes& options, AuthMethod m) {
  Bytes v;
  auth_value(v, m);
  append_option(options, lcp_option::kAuthProtocol, v);
}

LcpOptions::LcpOptions(const LcpConfig& config, const Policy& policy, bool authenticator, RandomSource& random,
                       int max_failure)
    : config_(config), policy_(policy), authenticator_(authenticator), random_(random), max_failure_(max_failure) {}

std::uint32_t LcpOptions::random_magic() {
  std::uint32_t m = 0;
  while (m == 0 || m == magic_) {
    std::uint8_t b[4];
    random_.fill(b);
    m = load_be32(b);
  }
  return m;
}

std::optional<AuthMethod> LcpOptions::next_untried_method() const {
  for (AuthMethod m : policy_.auth_methods) {
    if (std::find(auth_refused_.begin(), auth_refused_.end(), m) == auth_refused_.end()) return m;
  }
  return std::nullopt;
}

void LcpOptions::reset_request() {
  mru_ = config_.mru;
  send_mru_ = config_.mru != kDefaultMru;
  send_magic_ = true;
  if (magic_ == 0) magic_ = random_magic();
  send_pfc_ = config_.request_pfc;
  send_acfc_ = config_.request_acfc;
  auth_refused_.clear();
  auth_.reset();
  if (authenticator_ && !policy_.auth_methods.empty()) auth_ = policy_.auth_methods.front();
  result_ = LcpResult{};
}

void LcpOptions::build_request(Bytes& options) {
  if (send_mru_) append_option_u16(options, lcp_option::kMru, mru_);
  if (auth_) append_auth_option(options, *auth_);
  if (send_magic_) append_option_u32(options, lcp_option::kMagicNumber, magic_);
  if (send_pfc_) append_option(options, lcp_option::kPfc, {});
  if (send_acfc_) append_option(options, lcp_option::kAcfc, {});
}

OptionVerdict LcpOptions::check_option(std::uint8_t type, ByteView value, Bytes& nak_value) {
  switch (type) {
    case lcp_option::kMru: {
      // Catches an MRU option of the wrong length (RFC 1661 §6.1: Length 4).
      if (value.size() != 2) return OptionVerdict::Reject;
      if (load_be16(value.data()) < kMinimumMru) {
        nak_value.resize(2);
        store_be16(nak_value.data(), kMinimumMru);
        return OptionVerdict::Nak;
      }
      return OptionVerdict::Ack;
    }
    case lcp_option::kAccm:
      // RFC 1662 §7.1: the ACCM only matters on asynchronous links; GRE is synchronous, so any
      // value is acceptable and ignored (as pppd does over PPTP).
      return value.size() == 4 ? OptionVerdict::Ack : OptionVerdict::Reject;
    case lcp_option::kAuthProtocol: {
      // Only the peer role authenticates itself; an authenticator refuses to be authenticated.
      if (authenticator_ || policy_.auth_methods.empty()) return OptionVerdict::Reject;
      auto m = parse_auth_option(value);
      if (m && policy_allows(policy_, *m)) return OptionVerdict::Ack;
      // RFC 1661 §6.2: Nak with the protocol we would prefer.
      auth_value(nak_value, policy_.auth_methods.front());
      return OptionVerdict::Nak;
    }
    case lcp_option::kMagicNumber: {
      if (value.size() != 4) return OptionVerdict::Reject;
      std::uint32_t m = load_be32(value.data());
      if (m == 0 || (send_magic_ && m == magic_)) {
        // RFC 1661 §6.4: equal Magic-Numbers suggest a looped-back link; Nak with a different
        // value and pick a new one of our own. Too many in a row: the link is looped back.
        if (m != 0) {
          ++loopbacks_;
          magic_ = random_magic();
          if (loopbacks_ >= max_failure_) {
            fail("loopback detected: the peer sent our own LCP Magic-Number " + std::to_string(loopbacks_) +
                 " times");
          }
        }
        nak_value.resize(4);
        store_be32(nak_value.data(), random_magic());
        return OptionVerdict::Nak;
      }
      return OptionVerdict::Ack;
    }
    case lcp_option::kPfc:
      if (!value.empty()) return OptionVerdict::Reject;
      return config_.accept_pfc ? OptionVerdict::Ack : OptionVerdict::Reject;
    case lcp_option::kAcfc:
      if (!value.empty()) return OptionVerdict::Reject;
      return config_.accept_acfc ? OptionVerdict::Ack : OptionVerdict::Reject;
    default: return OptionVerdict::Reject;  // Quality-Protocol, Callback, MRRU, ...
  }
}

void LcpOptions::peer_request_acked(ByteView options) {
  result_.peer_mru = kDefaultMru;
  result_.peer_magic = 0;
  result_.send_pfc = result_.send_acfc = false;
  result_.peer_authenticates.reset();
  for_each_option(options, [&](RawOption o) {
    switch (o.type) {
      case lcp_option::kMru: result_.peer_mru = load_be16(o.value.data()); break;
      case lcp_option::kMagicNumber: result_.peer_magic = load_be32(o.value.data()); break;
      case lcp_option::kPfc: result_.send_pfc = true; break;
      case lcp_option::kAcfc: result_.send_acfc = true; break;
      case lcp_option::kAuthProtocol: result_.peer_authenticates = parse_auth_option(o.value); break;
      default: break;
    }
  });
}

void LcpOptions::request_acked(ByteView options) {
  result_.local_mru = kDefaultMru;
  result_.local_magic = 0;
  result_.recv_pfc = result_.recv_acfc = false;
  result_.we_authenticate.reset();
  for_each_option(options, [&](RawOption o) {
    switch (o.type) {
      case lcp_option::kMru: result_.local_mru = load_be16(o.value.data()); break;
      case lcp_option::kMagicNumber: result_.local_magic = load_be32(o.value.data()); break;
      case lcp_option::kPfc: result_.recv_pfc = true; break;
      case lcp_option::kAcfc: result_.recv_acfc = true; break;
      case lcp_option::kAuthProtocol: result_.we_authenticate = parse_auth_option(o.value); break;
      default: break;
    }
  });
}

void LcpOptions::nak_received(std::uint8_t type, ByteView value) {
  switch (type) {
    case lcp_option::kMru:
      if (value.size() == 2) {
        std::uint16_t m = load_be16(value.data());
        // Accept the peer's suggestion only within what we can receive.
        if (m >= kMinimumMru && m <= kDefaultMru) {
          mru_ = m;
          send_mru_ = true;
        }
      }
      break;
    case lcp_option::kMagicNumber:
      // RFC 1661 §6.4: on a Nak, choose a new Magic-Number (not necessarily the suggested one).
      magic_ = random_magic();
      break;
    case lcp_option::kAuthProtocol: {
      if (!authenticator_ || !auth_) break;
      auth_refused_.push_back(*auth_);
      auto suggested = parse_auth_option(value);
      std::optional<AuthMethod> next;
      if (suggested && policy_allows(policy_, *suggested) &&
          std::find(auth_refused_.begin(), auth_refused_.end(), *suggested) == auth_refused_.end()) {
        next = suggested;  // the peer's preferred method, allowed and not tried yet
      } else {
        next = next_untried_method();  // otherwise the next one in policy order
      }
      if (!next) {
        fail("peer refused " + describe_methods(auth_refused_) + " and policy allows no other method");
        break;
      }
      auth_ = next;
      break;
    }
    default: break;  // PFC/ACFC have no value to suggest; others we never send
  }
}

void LcpOptions::reject_received(std::uint8_t type, ByteView /*value*/) {
  switch (type) {
    case lcp_option::kMru: send_mru_ = false; break;
    case lcp_option::kMagicNumber: send_magic_ = false; break;
    case lcp_option::kPfc: send_pfc_ = false; break;
    case lcp_option::kAcfc: send_acfc_ = false; break;
    case lcp_option::kAuthProtocol:
      if (authenticator_ && auth_ && loopbacks_ > 0) {
        // Our own request came back (same Magic-Number) and we, as authenticator, rejected its
        // Authentication-Protocol: the link is looped back, not a peer refusing authentication.
        fail("loopback detected: the peer sent our own LCP Magic-Number and rejected our own "
             "Authentication-Protocol");
      } else if (authenticator_ && auth_) {
        fail("peer rejected the Authentication-Protocol option; policy requires authentication (" +
             describe_methods(policy_.auth_methods) + ")");
      }
      break;
    default: break;
  }
}

std::string LcpOptions::option_name(std::uint8_t type) const {
  switch (type) {
    case lcp_option::kMru: return "MRU";
    case lcp_option::kAccm: return "ACCM";
    case lcp_option::kAuthProtocol: return "Authentication-Protocol";
    case lcp_option::kQualityProtocol: return "Quality-Protocol";
    case lcp_option::kMagicNumber: return "Magic-Number";
    case lcp_option::kPfc: return "Protocol-Field-Compression";
    case lcp_option::kAcfc: return "Address-and-Control-Field-Compression";
    default: return "LCP option " + std::to_string(type);
  }
}

}  // namespace pptpx::ppp
