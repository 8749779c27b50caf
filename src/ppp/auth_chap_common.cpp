#include "ppp/auth_chap_common.hpp"

#include <algorithm>
#include <chrono>

#include <openssl/crypto.h>

namespace pptpx::ppp {

namespace {
std::string_view as_text(ByteView b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }
bool same_bytes(ByteView a, ByteView b) { return std::equal(a.begin(), a.end(), b.begin(), b.end()); }
long long whole_seconds(Duration d) {
  return static_cast<long long>(std::chrono::duration_cast<std::chrono::seconds>(d).count());
}
}  // namespace

std::optional<auth::NtHash> credential_nt_hash(const auth::Credential& credential) {
  if (credential.nt_hash) return credential.nt_hash;
  Bytes utf16;
  if (!credential.password || !auth::password_to_utf16le(*credential.password, utf16)) return std::nullopt;
  return auth::nt_password_hash(*credential.password);
}

std::optional<auth::NtHash> peer_nt_hash(const AuthPeerConfig& config) {
  if (config.password) {
    Bytes utf16;
    if (!auth::password_to_utf16le(*config.password, utf16)) return std::nullopt;
    return auth::nt_password_hash(*config.password);
  }
  return config.nt_hash;
}

bool constant_time_equal(ByteView a, ByteView b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string quoted_user(std::string_view user_name) { return describe_user(user_name); }

namespace {
// Stand-ins for a secret we do not have: any fixed value works, since a refusal is a Failure even
// when the Response happens to match it.
const auth::NtHash kDummyNtHash = {0x5c, 0x1e, 0x93, 0x27, 0xd4, 0x08, 0xb6, 0x7a,
                                   0xe1, 0x42, 0x39, 0xcf, 0x60, 0x8d, 0x15, 0xa3};
constexpr std::string_view kDummyPassword = "dummy-secret-16c";

// The log reason for a user we cannot check, or empty when `credential` is usable.
std::string refusal_for(std::string_view user_name, const std::optional<auth::Credential>& credential) {
  const std::string who = quoted_user(user_name);
  if (!credential) return "unknown " + who;
  if (credential->refused) return who + ": refused: " + *credential->refused;
  return {};
}
}  // namespace

NtHashToCheck nt_hash_to_check(std::string_view user_name, const std::optional<auth::Credential>& credential) {
  NtHashToCheck c;
  c.refusal = refusal_for(user_name, credential);
  std::optional<auth::NtHash> real;
  if (c.refusal.empty()) {
    real = credential_nt_hash(*credential);
    if (!real) c.refusal = quoted_user(user_name) + ": stored password is not valid UTF-8 (or too long) for an NT hash";
  }
  c.nt_hash = real ? *real : kDummyNtHash;
  return c;
}

PasswordToCheck password_to_check(std::string_view user_name, const std::optional<auth::Credential>& credential) {
  PasswordToCheck c;
  c.refusal = refusal_for(user_name, credential);
  if (c.refusal.empty() && !credential->password)
    c.refusal = quoted_user(user_name) + ": user's secret is stored as an NT hash; PAP/CHAP-MD5 need the plaintext";
  c.password = c.refusal.empty() ? *credential->password : std::string(kDummyPassword);
  return c;
}

// ---------------------------------------------------------------- authenticator

std::string_view to_string(ChapAuthenticatorState s) {
  switch (s) {
    case ChapAuthenticatorState::Initial: return "Initial";
    case ChapAuthenticatorState::ChallengeSent: return "ChallengeSent";
    case ChapAuthenticatorState::Verifying: return "Verifying";
    case ChapAuthenticatorState::Accepted: return "Accepted";
    case ChapAuthenticatorState::Refused: return "Refused";
    case ChapAuthenticatorState::GaveUp: return "GaveUp";
  }
  return "unknown";
}

ChapAuthenticator::ChapAuthenticator(AuthMethod method, const AuthenticatorConfig& config,
                                     RandomSource& random, FrameSink& sink)
    : AuthMachineBase(method, AuthRole::Authenticator, sink), config_(config), random_(random) {}

void ChapAuthenticator::start(Time now) {
  if (state_ != ChapAuthenticatorState::Initial) return;
  random_.fill(MutableByteView(&identifier_, 1));
  --identifier_;  // send_challenge() steps it: the first Challenge carries the random octet
  state_ = ChapAuthenticatorState::ChallengeSent;
  send_challenge(now);
}

void ChapAuthenticator::send_challenge(Time now) {
  // RFC 1994 §4.1: Identifier and Value MUST both change with every Challenge sent.
  ++identifier_;
  challenge_.assign(challenge_size(), 0);
  random_.fill(challenge_);
  ++challenges_sent_;
  const Bytes packet = build_chap_challenge_or_response(ChapCode::Challenge, identifier_, challenge_,
                                                        config_.our_name);
  send(Protocol::Chap, packet);
  deadline_ = now + config_.restart_timeout;
}

void ChapAuthenticator::receive(ByteView information, Time now) {
  ++counters_.received;
  const ChapParseResult parsed = parse_chap(information);
  if (parsed.error == ChapParseError::UnknownCode) {
    ++counters_.unknown_code;
    return;
  }
  if (parsed.error != ChapParseError::None) {
    ++counters_.malformed;
    return;
  }
  const ChapPacket& p = parsed.packet;
  if (p.code != ChapCode::Response) {  // Challenge/Success/Failure are for the peer role
    ++counters_.unexpected;
    return;
  }
  if (state_ == ChapAuthenticatorState::Initial || state_ == ChapAuthenticatorState::GaveUp) {
    ++counters_.unexpected;  // RFC 1994 §4.1: Responses in any other phase are discarded
    return;
  }
  // RFC 1994 §4.1: only a Response to the current Challenge counts; others are dropped.
  if (p.identifier != identifier_) {
    ++counters_.wrong_identifier;
    return;
  }
  if (state_ == ChapAuthenticatorState::Verifying) {
    ++counters_.while_verifying;  // the verdict is on its way; it answers this Response too
    return;
  }
  if (state_ != ChapAuthenticatorState::ChallengeSent) {
    // RFC 1994 §4.1: the reply may have been lost; repeat the same reply Code.
    ++counters_.retransmissions;
    send(Protocol::Chap, final_reply_);
    return;
  }
  if (response_size() != 0 && p.value.size() != response_size()) {
    ++counters_.malformed;  // Value of the wrong size for this method
    return;
  }

  result_.user_name = std::string(as_text(p.name));
  if (config_.remote != nullptr) {
    state_ = ChapAuthenticatorState::Verifying;
    pending_value_.assign(p.value.begin(), p.value.end());
    deadline_ = now + config_.remote_timeout;
    pending_.ask(*config_.remote,
                 RemoteAuthRequest{method(), result_.user_name, p.identifier, challenge_, pending_value_}, deadline_);
    return;
  }
  conclude(p.identifier, verify_locally(p.identifier, p.value));
}

ChapVerdict ChapAuthenticator::verify_locally(std::uint8_t identifier, ByteView value) {
  std::optional<auth::Credential> credential;
  if (config_.credentials) credential = config_.credentials->find(result_.user_name);
  return verify(identifier, value, result_.user_name, credential);
}

void ChapAuthenticator::conclude(std::uint8_t identifier, ChapVerdict verdict) {
  // RFC 1994 §4.2: Success when the Value matches, otherwise Failure (and the link goes down).
  final_reply_ = build_chap_status(verdict.accepted ? ChapCode::Success : ChapCode::Failure,
                                   identifier, verdict.reply_message);
  send(Protocol::Chap, final_reply_);
  if (verdict.accepted) {
    state_ = ChapAuthenticatorState::Accepted;
    succeed();
    result_.mppe = verdict.mppe;
  } else {
    state_ = ChapAuthenticatorState::Refused;
    fail(std::move(verdict.reason));
  }
}

void ChapAuthenticator::apply_remote(RemoteAuthVerdict verdict) {
  deadline_.reset();
  if (verdict.outcome == RemoteAuthVerdict::Outcome::Unavailable && config_.fallback_to_credentials &&
      config_.credentials != nullptr) {
    conclude(identifier_, verify_locally(identifier_, pending_value_));
    return;
  }
  conclude(identifier_, chap_verdict_from_remote(method(), challenge_, result_.user_name, verdict));
}

void ChapAuthenticator::on_timer(Time now) {
  if (state_ == ChapAuthenticatorState::Verifying) {
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
  if (state_ != ChapAuthenticatorState::ChallengeSent || !deadline_ || now < *deadline_) return;
  if (challenges_sent_ >= config_.max_challenges) {
    state_ = ChapAuthenticatorState::GaveUp;
    fail("no Response to " + std::to_string(challenges_sent_) + " Challenges");
    return;
  }
  ++counters_.retransmissions;
  send_challenge(now);
}

// ---------------------------------------------------------------- peer

std::string_view to_string(ChapPeerState s) {
  switch (s) {
    case ChapPeerState::Initial: return "Initial";
    case ChapPeerState::WaitChallenge: return "WaitChallenge";
    case ChapPeerState::WaitResult: return "WaitResult";
    case ChapPeerState::Succeeded: return "Succeeded";
    case ChapPeerState::Failed: return "Failed";
  }
  return "unknown";
}

ChapPeer::ChapPeer(AuthMethod method, const AuthPeerConfig& config, FrameSink& sink)
    : AuthMachineBase(method, AuthRole::Peer, sink), config_(config) {
  result_.user_name = config_.user_name;
}

void ChapPeer::start(Time now) {
  if (state_ != ChapPeerState::Initial) return;
  if (auto why = unusable_credentials()) {
    state_ = ChapPeerState::Failed;
    fail(*why);
    return;
  }
  state_ = ChapPeerState::WaitChallenge;
  deadline_ = now + config_.wait_timeout;
}

void ChapPeer::receive(ByteView information, Time now) {
  ++counters_.received;
  const ChapParseResult parsed = parse_chap(information);
  if (parsed.error == ChapParseError::UnknownCode) {
    ++counters_.unknown_code;
    return;
  }
  if (parsed.error != ChapParseError::None) {
    ++counters_.malformed;
    return;
  }
  const ChapPacket& p = parsed.packet;
  if (state_ == ChapPeerState::Initial || state_ == ChapPeerState::Failed) {
    ++counters_.unexpected;
    return;
  }
  switch (p.code) {
    case ChapCode::Response:
      ++counters_.unexpected;  // Responses are for the authenticator role
      return;
    case ChapCode::Challenge: {
      if (challenge_size() != 0 && p.value.size() != challenge_size()) {
        ++counters_.malformed;  // Value of the wrong size for this method
        return;
      }
      if (answered_ && p.identifier == response_id_ && same_bytes(p.value, last_challenge_)) {
        // The authenticator repeated its Challenge (our Response or its reply was lost):
        // answer exactly as before, also after Success.
        ++counters_.retransmissions;
        send(Protocol::Chap, last_response_);
        return;
      }
      // RFC 1994 §4.1: whenever a Challenge is received the peer MUST send a Response.
      const Bytes value = make_response(p.identifier, p.value);
      last_response_ = build_chap_challenge_or_response(ChapCode::Response, p.identifier, value,
                                                        config_.user_name);
      last_challenge_.assign(p.value.begin(), p.value.end());
      response_id_ = p.identifier;
      answered_ = true;
      send(Protocol::Chap, last_response_);
      if (state_ != ChapPeerState::Succeeded) {
        state_ = ChapPeerState::WaitResult;
        deadline_ = now + config_.wait_timeout;
      }
      return;
    }
    case ChapCode::Success:
    case ChapCode::Failure:
      // RFC 1994 §4.2: the reply carries the Identifier of the Response it answers.
      if (!answered_ || p.identifier != response_id_) {
        ++counters_.wrong_identifier;
        return;
      }
      if (p.code == ChapCode::Success) {
        if (state_ == ChapPeerState::Succeeded) return;  // a duplicate Success
        if (auto why = check_success(p.message)) {
          state_ = ChapPeerState::Failed;
          fail(*why);
          return;
        }
        state_ = ChapPeerState::Succeeded;
        succeed();  // keeps the result_.mppe check_success() filled in
        return;
      }
      state_ = ChapPeerState::Failed;
      fail(describe_failure(p.message));
      return;
  }
}

void ChapPeer::on_timer(Time now) {
  if (!deadline_ || now < *deadline_) return;
  const std::string waited = std::to_string(whole_seconds(config_.wait_timeout));
  if (state_ == ChapPeerState::WaitChallenge) {
    state_ = ChapPeerState::Failed;
    fail("no Challenge from the authenticator within " + waited + " s");
  } else if (state_ == ChapPeerState::WaitResult) {
    state_ = ChapPeerState::Failed;
    fail("no Success or Failure within " + waited + " s of our Response");
  }
}

}  // namespace pptpx::ppp
