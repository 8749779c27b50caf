// PAP (RFC 1334 §2) in both roles.
//
// Authenticator:
//   Initial ──start──> WaitRequest ──Request, credentials ok──> Acked   (Succeeded)
//                          │ ──Request, refused──────────────> Naked   (Failed)
//                          └──request_timeout─────────────────> TimedOut (Failed)
//   With a RemoteVerifier (AuthenticatorConfig::remote) the Request first moves to Verifying
//   (repeated Requests dropped and counted) until the verdict or remote_timeout.
//   In Acked/Naked a repeated Request gets the same reply Code again (RFC 1334 §2.2.1).
//
// Peer:
//   Initial ──start/send Request──> RequestSent ──Ack──> Acked (Succeeded)
//                                      │ ──Nak──────────> Naked (Failed)
//                                      │ ──restart timer, sent < max──> RequestSent (new Id)
//                                      └──restart timer, sent = max──> GaveUp (Failed)
#pragma once
#include <string_view>
#include <vector>

#include "ppp/auth_machine_base.hpp"
#include "ppp/auth_pap_packet.hpp"

namespace pptpx::ppp {

enum class PapAuthenticatorState : std::uint8_t { Initial, WaitRequest, Verifying, Acked, Naked, TimedOut };
std::string_view to_string(PapAuthenticatorState s);

class PapAuthenticator final : public AuthMachineBase {
 public:
  PapAuthenticator(const AuthenticatorConfig& config, FrameSink& sink);
  void start(Time now) override;
  void receive(ByteView information, Time now) override;
  void on_timer(Time now) override;
  PapAuthenticatorState state() const { return state_; }

 private:
  void reply(PapCode code, std::uint8_t identifier);
  std::string nak_text_;  // a RADIUS Reply-Message the operator relays; empty: kAuthRefusedText
  std::string verify_locally(std::string_view password) const;  // the refusal, or empty
  void conclude(std::uint8_t identifier, std::string refusal);
  void apply_remote(RemoteAuthVerdict verdict);

  AuthenticatorConfig config_;
  PapAuthenticatorState state_ = PapAuthenticatorState::Initial;
  PendingRemoteVerdict pending_;
  std::uint8_t pending_identifier_ = 0;
  std::string pending_password_;  // under remote verification (for a local fallback)
};

enum class PapPeerState : std::uint8_t { Initial, RequestSent, Acked, Naked, GaveUp };
std::string_view to_string(PapPeerState s);

class PapPeer final : public AuthMachineBase {
 public:
  PapPeer(const AuthPeerConfig& config, RandomSource& random, FrameSink& sink);
  void start(Time now) override;
  void receive(ByteView information, Time now) override;
  void on_timer(Time now) override;
  PapPeerState state() const { return state_; }

 private:
  void send_request(Time now);
  bool sent_identifier(std::uint8_t id) const;

  AuthPeerConfig config_;
  RandomSource& random_;
  PapPeerState state_ = PapPeerState::Initial;
  std::uint8_t next_identifier_ = 0;
  std::vector<std::uint8_t> sent_identifiers_;  // every Request Identifier of this exchange
};

}  // namespace pptpx::ppp
