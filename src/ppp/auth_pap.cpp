#include "ppp/auth_pap.hpp"

#include <algorithm>
#include <chrono>

#include "auth/pap.hpp"
#include "ppp/auth_chap_common.hpp"
#include "ppp/auth_pap_packet.hpp"
#include "ppp/auth_wire_text.hpp"
#include "ppp/mschap_failure.hpp"

namespace pptpx::ppp {

namespace {
constexpr std::size_t kPapFieldMax = 255;  // one-octet length fields (RFC 1334 §2.2.1)

std::string_view as_text(ByteView b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }
long long whole_seconds(Duration d) {
  return static_cast<long long>(std::chrono::duration_cast<std::chrono::seconds>(d).count());
}
}  // namespace

// ---------------------------------------------------------------- authenticator

std::string_view to_string(PapAuthenticatorState s) {
  switch (s) {
    case PapAuthenticatorState::Initial: return "Initial";
    case PapAuthenticatorState::WaitRequest: return "WaitRequest";
    case PapAuthenticatorState::Verifying: return "Verifying";
    case PapAuthenticatorState::Acked: return "Acked";
    case PapAuthenticatorState::Naked: return "Naked";
    case PapAuthenticatorState::TimedOut: return "TimedOut";
  }
  return "unknown";
}

PapAuthenticator::PapAuthenticator(const AuthenticatorConfig& config, FrameSink& sink)
    : AuthMachineBase(AuthMethod::Pap, AuthRole::Authenticator, sink), config_(config) {}

void PapAuthenticator::start(Time now) {
  if (state_ != PapAuthenticatorState::Initial) return;
  state_ = PapAuthenticatorState::WaitRequest;
  deadline_ = now + config_.request_timeout;
}

void PapAuthenticator::reply(PapCode code, std::uint8_t identifier) {
  const Bytes packet = build_pap_reply(code, identifier,
                                       code == PapCode::Ack ? kAuthGrantedText
                                       : nak_text_.empty()  ? kAuthRefusedText
                                                            : std::string_view(nak_text_));
  send(Protocol::Pap, packet);
}

void PapAuthenticator::receive(ByteView information, Time now) {
  ++counters_.received;
  const PapParseResult parsed = parse_pap(information);
  if (parsed.error == PapParseError::UnknownCode) {
    ++counters_.unknown_code;
    return;
  }
  if (parsed.error != PapParseError::None) {
    ++counters_.malformed;
    return;
  }
  const PapPacket& p = parsed.packet;
  if (p.code != PapCode::Request) {  // Ack/Nak are for the peer role
    ++counters_.unexpected;
    return;
  }
  switch (state_) {
    case PapAuthenticatorState::Initial:
    case PapAuthenticatorState::TimedOut:
      // RFC 1334 §2.2.1: Requests outside the Authentication phase are silently discarded.
      ++counters_.unexpected;
      return;
    case PapAuthenticatorState::Acked:
    case PapAuthenticatorState::Naked:
      // RFC 1334 §2.2.1: the Ack may have been lost; a repeated Request MUST get the same
      // reply Code as before.
      ++counters_.retransmissions;
      reply(state_ == PapAuthenticatorState::Acked ? PapCode::Ack : PapCode::Nak, p.identifier);
      return;
    case PapAuthenticatorState::Verifying:
      ++counters_.while_verifying;  // the verdict is on its way
      return;
    case PapAuthenticatorState::WaitRequest: break;
  }

  result_.user_name = std::string(as_text(p.peer_id));
  if (config_.remote != nullptr) {
    state_ = PapAuthenticatorState::Verifying;
    pending_identifier_ = p.identifier;
    pending_password_ = std::string(as_text(p.password));
    deadline_ = now + config_.remote_timeout;
    pending_.ask(*config_.remote,
                 RemoteAuthRequest{method(), result_.user_name, p.identifier, {}, Bytes(p.password.begin(), p.password.end())},
                 deadline_);
    return;
  }
  conclude(p.identifier, verify_locally(as_text(p.password)));
}

std::string PapAuthenticator::verify_locally(std::string_view password) const {
  const auto credential = config_.credentials ? config_.credentials->find(result_.user_name) : std::nullopt;
  // An unknown or refused user is compared with a dummy secret: the same work as a wrong password.
  const PasswordToCheck check = password_to_check(result_.user_name, credential);
  const bool matches = auth::pap_password_matches(password, check.password);
  std::string refusal = check.refusal;
  if (refusal.empty() && !matches) refusal = "wrong password for " + quoted_user(result_.user_name);
  return refusal;
}

void PapAuthenticator::conclude(std::uint8_t identifier, std::string refusal) {
  // RFC 1334 §2.2.2: Ack when the pair is acceptable, otherwise Nak (and the link goes down).
  if (refusal.empty()) {
    state_ = PapAuthenticatorState::Acked;
    reply(PapCode::Ack, identifier);
    succeed();
  } else {
    state_ = PapAuthenticatorState::Naked;
    reply(PapCode::Nak, identifier);
    fail(std::move(refusal));
  }
}

void PapAuthenticator::apply_remote(RemoteAuthVerdict verdict) {
  deadline_.reset();
  const std::string password = std::move(pending_password_);
  pending_password_.clear();
  if (verdict.outcome == RemoteAuthVerdict::Outcome::Unavailable && config_.fallback_to_credentials &&
      config_.credentials != nullptr) {
    conclude(pending_identifier_, verify_locally(password));
    return;
  }
  if (verdict.outcome == RemoteAuthVerdict::Outcome::Accept) {
    conclude(pending_identifier_, {});
    return;
  }
  nak_text_ = verdict.client_text;  // empty unless the operator relays Reply-Message
  const char* what = verdict.outcome == RemoteAuthVerdict::Outcome::Reject ? "rejected" : "not verified";
  conclude(pending_identifier_, "user \"" + printable(result_.user_name) + "\" " + what +
                                    (verdict.reason.empty() ? "" : ": " + verdict.reason));
}

void PapAuthenticator::on_timer(Time now) {
  if (state_ == PapAuthenticatorState::Verifying) {
    if (pending_.ready()) {
      apply_remote(pending_.take());
    } else if (deadline_ && now >= *deadline_) {
      pending_.cancel();
      RemoteAuthVerdict v;
      v.reason = "no verdict within " + std::to_string(whole_seconds(config_.remote_timeout)) + " s";
      apply_remote(std::move(v));
    }
    return;
  }
  if (state_ != PapAuthenticatorState::WaitRequest || !deadline_ || now < *deadline_) return;
  state_ = PapAuthenticatorState::TimedOut;
  fail("no Authenticate-Request from the peer within " +
       std::to_string(whole_seconds(config_.request_timeout)) + " s");
}

// ---------------------------------------------------------------- peer

std::string_view to_string(PapPeerState s) {
  switch (s) {
    case PapPeerState::Initial: return "Initial";
    case PapPeerState::RequestSent: return "RequestSent";
    case PapPeerState::Acked: return "Acked";
    case PapPeerState::Naked: return "Naked";
    case PapPeerState::GaveUp: return "GaveUp";
  }
  return "unknown";
}

PapPeer::PapPeer(const AuthPeerConfig& config, RandomSource& random, FrameSink& sink)
    : AuthMachineBase(AuthMethod::Pap, AuthRole::Peer, sink), config_(config), random_(random) {
  result_.user_name = config_.user_name;
}

void PapPeer::start(Time now) {
  if (state_ != PapPeerState::Initial) return;
  if (!config_.password) {
    state_ = PapPeerState::GaveUp;
    fail("only an NT hash is configured; PAP/CHAP-MD5 need the plaintext password");
    return;
  }
  if (config_.user_name.size() > kPapFieldMax || config_.password->size() > kPapFieldMax) {
    state_ = PapPeerState::GaveUp;
    fail("user name or password longer than 255 octets");
    return;
  }
  std::uint8_t first = 0;
  random_.fill(MutableByteView(&first, 1));
  next_identifier_ = first;
  state_ = PapPeerState::RequestSent;
  send_request(now);
}

void PapPeer::send_request(Time now) {
  // RFC 1334 §2.2.1: the Identifier MUST change with every Authenticate-Request.
  const std::uint8_t id = next_identifier_++;
  sent_identifiers_.push_back(id);
  const Bytes packet = build_pap_request(id, config_.user_name, *config_.password);
  send(Protocol::Pap, packet);
  deadline_ = now + config_.restart_timeout;
}

bool PapPeer::sent_identifier(std::uint8_t id) const {
  return std::find(sent_identifiers_.begin(), sent_identifiers_.end(), id) != sent_identifiers_.end();
}

void PapPeer::receive(ByteView information, Time) {
  ++counters_.received;
  const PapParseResult parsed = parse_pap(information);
  if (parsed.error == PapParseError::UnknownCode) {
    ++counters_.unknown_code;
    return;
  }
  if (parsed.error != PapParseError::None) {
    ++counters_.malformed;
    return;
  }
  const PapPacket& p = parsed.packet;
  if (p.code == PapCode::Request || state_ != PapPeerState::RequestSent) {
    ++counters_.unexpected;  // a Request is for the authenticator; or a reply after the outcome
    return;
  }
  // A reply must answer one of our Requests (a late reply to an earlier retransmission counts).
  if (!sent_identifier(p.identifier)) {
    ++counters_.wrong_identifier;
    return;
  }
  if (p.code == PapCode::Ack) {
    state_ = PapPeerState::Acked;
    succeed();
  } else {
    state_ = PapPeerState::Naked;
    std::string reason = "the authenticator refused user \"" + printable(config_.user_name) + "\"";
    reason += ": " + (p.message.empty() ? std::string(kEmptyFailureExplanation) : printable(p.message));
    fail(std::move(reason));
  }
}

void PapPeer::on_timer(Time now) {
  if (state_ != PapPeerState::RequestSent || !deadline_ || now < *deadline_) return;
  if (sent_identifiers_.size() >= config_.max_requests) {
    state_ = PapPeerState::GaveUp;
    fail("no reply to " + std::to_string(sent_identifiers_.size()) + " Authenticate-Requests");
    return;
  }
  ++counters_.retransmissions;
  send_request(now);
}

}  // namespace pptpx::ppp
