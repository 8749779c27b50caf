#include "ppp/auth_eap.hpp"

#include <algorithm>
#include <chrono>
#include <optional>

namespace pptpx::ppp {

namespace {
std::string seconds_text(Duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(d).count()) + " s";
}
std::string_view as_text(ByteView b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }
ByteView text_bytes(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

auth::MppeKeyMaterial mppe_from(const auth::EapTlsKeyMaterial& material, bool is_server) {
  const auth::EapTlsMppeStartKeys keys = auth::eap_tls_mppe_start_keys(material, is_server);
  auth::MppeKeyMaterial m;
  m.method = auth::MppeKeyMaterial::Method::Given;
  m.is_server = is_server;
  m.given_send = keys.send;
  m.given_recv = keys.recv;
  return m;
}

std::string reassembly_problem(EapTlsReassembler::Result r) {
  return r == EapTlsReassembler::Result::TooLarge
             ? "EAP-TLS message larger than " + std::to_string(kEapTlsMaxMessage) + " octets"
             : "EAP-TLS fragments do not add up to the announced TLS message length";
}
// Both roles: every packet counted; an unknown Code or a malformed packet dropped and counted.
std::optional<EapPacket> parse_counted(ByteView information, AuthCounters& counters) {
  ++counters.received;
  const EapParseResult parsed = parse_eap(information);
  if (parsed.error == EapParseError::UnknownCode) {
    ++counters.unknown_code;
    return std::nullopt;
  }
  if (parsed.error != EapParseError::None) {
    ++counters.malformed;
    return std::nullopt;
  }
  return parsed.packet;
}

}  // namespace

// ---------------------------------------------------------------- authenticator

EapAuthenticator::EapAuthenticator(const AuthenticatorConfig& config, RandomSource& random, FrameSink& sink)
    : AuthMachineBase(AuthMethod::EapTls, AuthRole::Authenticator, sink), config_(config), random_(random) {}

void EapAuthenticator::start(Time now) {
  if (state_ != EapAuthenticatorState::Initial) return;
  if (!config_.eap_tls || !config_.eap_tls->server()) {
    state_ = EapAuthenticatorState::GaveUp;
    fail("EAP-TLS is not configured on this server (set [eap_tls] ca, cert and key)");
    return;
  }
  random_.fill(MutableByteView(&identifier_, 1));
  give_up_at_ = now + config_.eap_timeout;
  state_ = EapAuthenticatorState::Identity;
  send_request(eap_type::kIdentity, {}, now);  // RFC 3748 §5.1
}

void EapAuthenticator::send_request(std::uint8_t type, ByteView type_data, Time now) {
  if (++requests_ > config_.eap_max_requests) {
    state_ = EapAuthenticatorState::GaveUp;
    refuse("peer did not finish EAP-TLS within " + std::to_string(config_.eap_max_requests) + " requests");
    return;
  }
  ++identifier_;  // RFC 3748 §4.1: a new Request carries a new Identifier
  last_request_ = build_eap(EapCode::Request, identifier_, type, type_data);
  retransmissions_ = 0;
  send(Protocol::Eap, last_request_);
  deadline_ = std::min(now + config_.restart_timeout, give_up_at_);
}

void EapAuthenticator::refuse(std::string reason) {
  // RFC 3748 §4.2: Failure carries the Identifier of the Response it answers (the last Request's).
  final_reply_ = build_eap(EapCode::Failure, identifier_);
  send(Protocol::Eap, final_reply_);
  if (state_ != EapAuthenticatorState::GaveUp) state_ = EapAuthenticatorState::Refused;
  tls_.reset();
  fail(std::move(reason));
}

void EapAuthenticator::accept() {
  const std::string name = tls_->peer_user_name(config_.eap_tls_user_from);
  if (name.empty()) {
    refuse(config_.eap_tls_user_from == auth::EapTlsUserFrom::Cn
               ? "the peer's certificate has no subject Common Name to take the user name from"
               : "the peer's certificate has no e-mail subjectAltName to take the user name from");
    return;
  }
  const auto material = tls_->key_material();
  if (!material) {
    refuse("EAP-TLS key material could not be exported");
    return;
  }
  result_.user_name = name;
  // The user may be barred in the credential store ("refused"); a certificate does not override it.
  if (config_.credentials) {
    if (auto c = config_.credentials->find(name); c && c->refused) {
      refuse(describe_user(name) + ": refused: " + *c->refused);
      return;
    }
  }
  final_reply_ = build_eap(EapCode::Success, identifier_);
  send(Protocol::Eap, final_reply_);
  state_ = EapAuthenticatorState::Accepted;
  tls_.reset();
  succeed();
  result_.mppe = mppe_from(*material, true);
}

void EapAuthenticator::receive(ByteView information, Time now) {
  const std::optional<EapPacket> parsed = parse_counted(information, counters_);
  if (!parsed) return;
  const EapPacket& p = *parsed;
  if (p.code != EapCode::Response) {
    ++counters_.unexpected;
    return;
  }
  if (state_ == EapAuthenticatorState::Initial || state_ == EapAuthenticatorState::GaveUp) {
    ++counters_.unexpected;
    return;
  }
  // RFC 3748 §4.1: a Response whose Identifier does not match the outstanding Request is discarded.
  if (p.identifier != identifier_) {
    ++counters_.wrong_identifier;
    return;
  }
  if (state_ == EapAuthenticatorState::Accepted || state_ == EapAuthenticatorState::Refused) {
    ++counters_.retransmissions;  // our Success/Failure may have been lost: say it again
    send(Protocol::Eap, final_reply_);
    return;
  }
  if (p.type == eap_type::kNak) {
    // RFC 3748 §5.3.1: the peer does not do the method we asked for (only EAP-TLS here).
    std::string proposed = p.type_data.empty() ? "none" : "type " + std::to_string(p.type_data[0]);
    refuse("peer does not do EAP-TLS (its Nak proposes " + proposed + ")");
    return;
  }
  if (state_ == EapAuthenticatorState::Identity) {
    if (p.type != eap_type::kIdentity) {
      ++counters_.unexpected;
      return;
    }
    identity_ = std::string(as_text(p.type_data));
    result_.user_name = identity_;  // until the certificate names the user
    tls_ = std::make_unique<auth::EapTlsSession>(config_.eap_tls);
    reassembler_.reset();
    fragmenter_.clear();
    state_ = EapAuthenticatorState::Tls;
    const std::uint8_t start_flags[] = {eap_tls_flag::kStart};  // RFC 5216 §2.1.1
    send_request(eap_type::kTls, start_flags, now);
    return;
  }
  if (p.type != eap_type::kTls) {
    ++counters_.unexpected;
    return;
  }
  const auto frame = parse_eap_tls(p.type_data);
  if (!frame) {
    ++counters_.malformed;
    return;
  }
  on_tls(*frame, now);
}

void EapAuthenticator::on_tls(const EapTlsFrame& frame, Time now) {
  if (fragmenter_.pending()) {
    // RFC 5216 §2.1.5: while we send fragments, the peer only acknowledges (an empty Response).
    if (!frame.data.empty()) {
      refuse("peer sent TLS data instead of acknowledging our fragment");
      return;
    }
    const Bytes next = fragmenter_.next();
    send_request(eap_type::kTls, next, now);
    return;
  }
  const auto r = reassembler_.add(frame);
  if (r == EapTlsReassembler::Result::NeedMore) {
    const std::uint8_t ack[] = {0};
    send_request(eap_type::kTls, ack, now);
    return;
  }
  if (r != EapTlsReassembler::Result::Complete) {
    ++counters_.malformed;
    refuse(reassembly_problem(r));
    return;
  }
  const auto status = tls_->advance(reassembler_.message());
  Bytes out = tls_->take_output();
  if (status == auth::EapTlsSession::Status::Failed) {
    refuse("EAP-TLS: " + tls_->failure());
    return;
  }
  if (!out.empty()) {
    fragmenter_.load(std::move(out), config_.eap_tls_fragment);
    const Bytes first = fragmenter_.next();
    send_request(eap_type::kTls, first, now);
    return;
  }
  if (status == auth::EapTlsSession::Status::Established) {
    accept();  // RFC 5216 §2.1.1: the peer's empty Response after our Finished
    return;
  }
  refuse("peer sent an EAP-TLS Response that does not advance the TLS handshake");
}

void EapAuthenticator::on_timer(Time now) {
  if (!deadline_ || now < *deadline_) return;
  if (state_ != EapAuthenticatorState::Identity && state_ != EapAuthenticatorState::Tls) {
    deadline_.reset();
    return;
  }
  if (now >= give_up_at_) {
    state_ = EapAuthenticatorState::GaveUp;
    refuse("peer did not finish EAP-TLS within " + seconds_text(config_.eap_timeout));
    return;
  }
  if (retransmissions_ >= config_.max_challenges) {
    state_ = EapAuthenticatorState::GaveUp;
    refuse("no EAP Response after " + std::to_string(retransmissions_ + 1) + " Requests");
    return;
  }
  // RFC 3748 §4.3: the authenticator retransmits the Request with the same Identifier.
  ++retransmissions_;
  ++counters_.retransmissions;
  send(Protocol::Eap, last_request_);
  deadline_ = std::min(now + config_.restart_timeout, give_up_at_);
}

// ---------------------------------------------------------------- peer

EapPeer::EapPeer(const AuthPeerConfig& config, FrameSink& sink)
    : AuthMachineBase(AuthMethod::EapTls, AuthRole::Peer, sink), config_(config) {
  result_.user_name = config_.user_name;
}

void EapPeer::start(Time now) {
  if (state_ != EapPeerState::Initial) return;
  if (!config_.eap_tls || config_.eap_tls->server()) {
    state_ = EapPeerState::Failed;
    fail("EAP-TLS is not configured on this client (give --cert, --key and --ca)");
    return;
  }
  state_ = EapPeerState::Waiting;
  give_up_at_ = now + config_.eap_timeout;
  deadline_ = std::min(now + config_.wait_timeout, give_up_at_);
}

void EapPeer::end(std::string reason) {
  state_ = EapPeerState::Failed;
  tls_.reset();
  fail(std::move(reason));
}

void EapPeer::respond(std::uint8_t identifier, std::uint8_t type, ByteView type_data) {
  answered_ = true;
  last_identifier_ = identifier;
  // RFC 3748 §4.1: the Response carries the Identifier of the Request it answers.
  last_response_ = build_eap(EapCode::Response, identifier, type, type_data);
  send(Protocol::Eap, last_response_);
}

void EapPeer::receive(ByteView information, Time now) {
  const std::optional<EapPacket> parsed = parse_counted(information, counters_);
  if (!parsed) return;
  const EapPacket& p = *parsed;
  if (state_ != EapPeerState::Waiting || p.code == EapCode::Response) {
    // After Success, a repeated Request of the last exchange still gets its answer (lost Response).
    if (state_ == EapPeerState::Succeeded && p.code == EapCode::Request && answered_ &&
        p.identifier == last_identifier_) {
      ++counters_.retransmissions;
      send(Protocol::Eap, last_response_);
      return;
    }
    ++counters_.unexpected;
    return;
  }
  if (p.code == EapCode::Success) {
    // RFC 5216 §2.1.1 / RFC 3748 §7.2: Success means nothing until our TLS handshake (the
    // server's certificate) has completed; an early Success would skip the server's proof.
    if (!tls_ || tls_->status() != auth::EapTlsSession::Status::Established) {
      end("server sent EAP Success before the TLS handshake completed: possible impostor");
      return;
    }
    const auto material = tls_->key_material();
    if (!material) {
      end("EAP-TLS key material could not be exported");
      return;
    }
    state_ = EapPeerState::Succeeded;
    tls_.reset();
    succeed();
    result_.mppe = mppe_from(*material, false);
    return;
  }
  if (p.code == EapCode::Failure) {
    end(tls_ && !tls_->failure().empty() ? "server sent EAP Failure (" + tls_->failure() + ")"
                                         : "server sent EAP Failure (it refused our certificate or identity)");
    return;
  }
  // A Request.
  if (answered_ && p.identifier == last_identifier_) {
    ++counters_.retransmissions;  // RFC 3748 §4.1: a retransmitted Request gets the same Response
    send(Protocol::Eap, last_response_);
    return;
  }
  if (++requests_ > config_.eap_max_requests) {
    end("server did not finish EAP-TLS within " + std::to_string(config_.eap_max_requests) + " requests");
    return;
  }
  deadline_ = std::min(now + config_.wait_timeout, give_up_at_);
  switch (*p.type) {
    case eap_type::kIdentity:
      respond(p.identifier, eap_type::kIdentity, text_bytes(config_.user_name));  // RFC 3748 §5.1
      return;
    case eap_type::kNotification:
      respond(p.identifier, eap_type::kNotification, {});  // RFC 3748 §5.2: an empty Response
      return;
    case eap_type::kTls: {
      const auto frame = parse_eap_tls(p.type_data);
      if (!frame) {
        ++counters_.malformed;
        return;
      }
      on_tls(p.identifier, *frame);
      return;
    }
    case eap_type::kNak:
      ++counters_.unexpected;  // a Nak is only ever a Response
      return;
    default: {
      // RFC 3748 §5.3.1: a method we do not do gets a Legacy Nak naming the one we do.
      const std::uint8_t wanted[] = {eap_type::kTls};
      respond(p.identifier, eap_type::kNak, wanted);
      return;
    }
  }
}

void EapPeer::on_tls(std::uint8_t identifier, const EapTlsFrame& frame) {
  const std::uint8_t ack[] = {0};
  if (frame.flags & eap_tls_flag::kStart) {
    // RFC 5216 §2.1.1: EAP-TLS Start; our ClientHello answers it.
    tls_ = std::make_unique<auth::EapTlsSession>(config_.eap_tls);
    reassembler_.reset();
    fragmenter_.clear();
    if (tls_->advance({}) == auth::EapTlsSession::Status::Failed) {
      end("EAP-TLS: " + tls_->failure());
      return;
    }
    fragmenter_.load(tls_->take_output(), config_.eap_tls_fragment);
    const Bytes first = fragmenter_.next();
    respond(identifier, eap_type::kTls, first);
    return;
  }
  if (!tls_) {
    ++counters_.unexpected;  // TLS data before Start
    return;
  }
  if (fragmenter_.pending()) {
    if (!frame.data.empty()) {
      end("server sent TLS data instead of acknowledging our fragment");
      return;
    }
    const Bytes next = fragmenter_.next();
    respond(identifier, eap_type::kTls, next);
    return;
  }
  const auto r = reassembler_.add(frame);
  if (r == EapTlsReassembler::Result::NeedMore) {
    respond(identifier, eap_type::kTls, ack);
    return;
  }
  if (r != EapTlsReassembler::Result::Complete) {
    ++counters_.malformed;
    end(reassembly_problem(r));
    return;
  }
  const auto status = tls_->advance(reassembler_.message());
  Bytes out = tls_->take_output();
  if (status == auth::EapTlsSession::Status::Failed) {
    // Tell the server why (our TLS alert), then end: RFC 5216 §2.1.3.
    if (!out.empty()) {
      fragmenter_.load(std::move(out), config_.eap_tls_fragment);
      const Bytes alert = fragmenter_.next();
      respond(identifier, eap_type::kTls, alert);
    }
    end("EAP-TLS: " + tls_->failure());
    return;
  }
  if (out.empty()) {
    respond(identifier, eap_type::kTls, ack);  // e.g. after the server's Finished
    return;
  }
  fragmenter_.load(std::move(out), config_.eap_tls_fragment);
  const Bytes first = fragmenter_.next();
  respond(identifier, eap_type::kTls, first);
}

void EapPeer::on_timer(Time now) {
  if (state_ != EapPeerState::Waiting || !deadline_ || now < *deadline_) return;
  end(now >= give_up_at_ ? "server did not finish EAP-TLS within " + seconds_text(config_.eap_timeout)
                         : "no EAP Request from the server for " + seconds_text(config_.wait_timeout));
}

}  // namespace pptpx::ppp
