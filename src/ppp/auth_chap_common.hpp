// The CHAP exchange (RFC 1994 §4) shared by CHAP-MD5, MS-CHAPv1 and MS-CHAPv2; each method
// supplies only its Value formats and checks (auth_chap_md5, auth_mschap_v1, auth_mschap_v2).
//
// Authenticator:
//   Initial ──start/send Challenge──> ChallengeSent ──Response accepted──> Accepted (Succeeded)
//                                        │ ──Response refused─────────────> Refused  (Failed)
//                                        │ ──restart timer, sent < max──> ChallengeSent
//                                        │       (new Identifier and new Value: RFC 1994 §4.1)
//                                        └──restart timer, sent = max──> GaveUp   (Failed)
//   With a RemoteVerifier (AuthenticatorConfig::remote), "Response" first moves to Verifying,
//   where the peer's repeated Responses are dropped (counted) and the Challenge timer is off;
//   the verdict (or remote_timeout) then gives Accepted or Refused as above.
//   Accepted/Refused: a Response carrying the final Identifier gets the same reply again (the
//   Success may have been lost, RFC 1994 §4.1); any other Identifier is dropped.
//
// Peer:
//   Initial ──start──> WaitChallenge ──Challenge/send Response──> WaitResult
//                          │                                         │ ──Success, verified──> Succeeded
//                          │                                         │ ──Success, not verified (v2)──> Failed
//                          │                                         │ ──Failure──> Failed
//                          └──wait_timeout──> Failed                 └──wait_timeout──> Failed
//   A repeated Challenge (same Identifier and Value) gets the very same Response, also after
//   Success; a new Challenge is answered afresh (a retransmission, or a re-challenge after
//   Success, RFC 1994 §4.1).
#pragma once
#include <optional>
#include <string>

#include "auth/credentials.hpp"
#include "ppp/auth_chap_packet.hpp"
#include "ppp/auth_machine_base.hpp"

namespace pptpx::ppp {

// The NT hash behind a stored credential (the stored hash, else derived from the password);
// nullopt when neither is usable (a password that is not valid UTF-8 or is too long).
std::optional<auth::NtHash> credential_nt_hash(const auth::Credential& credential);
// The NT hash our peer proves knowledge of: from the password if configured, else the hash.
std::optional<auth::NtHash> peer_nt_hash(const AuthPeerConfig& config);
// Constant-time equality of equal-length secrets (length itself is not secret here).
bool constant_time_equal(ByteView a, ByteView b);
// `user "name"` with the name made printable, for failure reasons (describe_user()).
std::string quoted_user(std::string_view user_name);

// What a Response is checked against. For an unknown user, a refused one (Credential::refused)
// or a stored secret the method cannot use, a fixed dummy secret stands in, so that a refusal
// does the same work as a wrong password (issue 16: no timing difference a peer can measure
// between an unknown user and a wrong password). `refusal` then holds the reason for the log,
// and the verdict is Failure whatever the Response.
struct NtHashToCheck {
  auth::NtHash nt_hash{};
  std::string refusal;  // empty: the user's real hash
};
NtHashToCheck nt_hash_to_check(std::string_view user_name, const std::optional<auth::Credential>& credential);
struct PasswordToCheck {
  std::string password;
  std::string refusal;  // empty: the user's real plaintext password
};
PasswordToCheck password_to_check(std::string_view user_name, const std::optional<auth::Credential>& credential);

enum class ChapAuthenticatorState : std::uint8_t { Initial, ChallengeSent, Verifying, Accepted, Refused, GaveUp };
std::string_view to_string(ChapAuthenticatorState s);

// What a method decides about one Response.
struct ChapVerdict {
  bool accepted = false;
  std::string reply_message;  // the Success or Failure Message field
  std::string reason;         // local failure reason (AuthResult::failure_reason)
  std::optional<auth::MppeKeyMaterial> mppe;
};

// A remote verdict in a method's terms: CHAP-MD5 "Access granted"/"Access denied"; MS-CHAPv1
// Failure "E=691 R=0" unless relayed; MS-CHAPv2 Success "S=... M=..." from the verdict, Failure
// relayed or "E=691 R=0 C=<challenge> V=3 M=...". (auth_remote_verdict.cpp)
ChapVerdict chap_verdict_from_remote(AuthMethod method, ByteView challenge, std::string_view user_name,
                                     const RemoteAuthVerdict& verdict);

class ChapAuthenticator : public AuthMachineBase {
 public:
  void start(Time now) override;
  void receive(ByteView information, Time now) override;
  void on_timer(Time now) override;
  ChapAuthenticatorState state() const { return state_; }
  // The Value of the Challenge currently outstanding (or last sent).
  ByteView challenge() const { return challenge_; }
  std::uint8_t identifier() const { return identifier_; }

 protected:
  ChapAuthenticator(AuthMethod method, const AuthenticatorConfig& config, RandomSource& random,
                    FrameSink& sink);
  virtual std::size_t challenge_size() const = 0;
  // Response Value size this method requires (0: any). Others are dropped as malformed.
  virtual std::size_t response_size() const = 0;
  // `credential` is nullopt for an unknown user; `user_name` is the Name as sent.
  virtual ChapVerdict verify(std::uint8_t identifier, ByteView response_value, std::string_view user_name,
                             const std::optional<auth::Credential>& credential) = 0;

  AuthenticatorConfig config_;

 private:
  void send_challenge(Time now);
  ChapVerdict verify_locally(std::uint8_t identifier, ByteView value);
  void conclude(std::uint8_t identifier, ChapVerdict verdict);
  void apply_remote(RemoteAuthVerdict verdict);

  RandomSource& random_;
  PendingRemoteVerdict pending_;
  Bytes pending_value_;  // the Response Value under remote verification (for a local fallback)
  ChapAuthenticatorState state_ = ChapAuthenticatorState::Initial;
  std::uint8_t identifier_ = 0;
  unsigned challenges_sent_ = 0;
  Bytes challenge_;
  Bytes final_reply_;  // the Success/Failure packet, resent for a repeated Response
};

enum class ChapPeerState : std::uint8_t { Initial, WaitChallenge, WaitResult, Succeeded, Failed };
std::string_view to_string(ChapPeerState s);

class ChapPeer : public AuthMachineBase {
 public:
  void start(Time now) override;
  void receive(ByteView information, Time now) override;
  void on_timer(Time now) override;
  ChapPeerState state() const { return state_; }

 protected:
  ChapPeer(AuthMethod method, const AuthPeerConfig& config, FrameSink& sink);
  // Why the configured secret cannot serve this method, or nullopt when it can.
  virtual std::optional<std::string> unusable_credentials() const = 0;
  // Challenge Value size this method requires (0: any). Others are dropped as malformed.
  virtual std::size_t challenge_size() const = 0;
  // The Response Value for this Challenge (the method remembers what it needs to check Success).
  virtual Bytes make_response(std::uint8_t identifier, ByteView challenge) = 0;
  // Called for Success: nullopt when accepted (set result_.mppe here), else the failure reason.
  virtual std::optional<std::string> check_success(ByteView message) = 0;
  // The readable reason for a Failure packet's Message.
  virtual std::string describe_failure(ByteView message) const = 0;

  AuthPeerConfig config_;

 private:
  ChapPeerState state_ = ChapPeerState::Initial;
  bool answered_ = false;         // a Response has been sent
  std::uint8_t response_id_ = 0;  // Identifier of the last Challenge answered
  Bytes last_challenge_;
  Bytes last_response_;  // the whole Response packet, resent for a repeated Challenge
};

}  // namespace pptpx::ppp
