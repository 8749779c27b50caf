// PPP EAP (RFC 3748, PPP binding RFC 2284 / LCP Authentication-Protocol 0xC227) with one method,
// EAP-TLS (RFC 5216), in both roles.
//
// Authenticator:
//   Initial ──start/Request-Identity──> Identity ──Response-Identity/Request-TLS(Start)──> Tls
//   Tls: each Response-TLS is reassembled (an empty Request-TLS acknowledges each fragment);
//        a whole TLS flight goes to OpenSSL and its answer goes out in Request-TLS fragments (the
//        peer acknowledges each with an empty Response). After our Finished, the peer's empty
//        Response ends it: Success, user = certificate CN, MPPE keys from the key material.
//   A TLS failure or a Nak (the peer does not do EAP-TLS): Failure. Every Request is retransmitted
//   (restart_timeout, at most max_challenges times); the whole exchange is bounded by eap_timeout
//   and eap_max_requests. Responses with another Identifier are dropped and counted (§4.1).
//
// Peer:
//   Answers Identity with the configured user name, Notification with an empty Notification, any
//   other method but EAP-TLS with a Legacy Nak proposing EAP-TLS (§5.3.1), and runs the TLS client
//   over Request-TLS. A repeated Request (same Identifier) gets the very same Response (§4.1).
//   Success counts only once our TLS handshake is complete (the server's certificate verified);
//   before that it is refused as an impostor's. Failure ends it. Bounded by eap_timeout,
//   wait_timeout between Requests, and eap_max_requests.
#pragma once
#include <memory>

#include "auth/eap_tls_session.hpp"
#include "ppp/auth_machine_base.hpp"
#include "ppp/eap_packet.hpp"

namespace pptpx::ppp {

enum class EapAuthenticatorState : std::uint8_t { Initial, Identity, Tls, Accepted, Refused, GaveUp };

class EapAuthenticator final : public AuthMachineBase {
 public:
  EapAuthenticator(const AuthenticatorConfig& config, RandomSource& random, FrameSink& sink);
  void start(Time now) override;
  void receive(ByteView information, Time now) override;
  void on_timer(Time now) override;
  EapAuthenticatorState state() const { return state_; }
  // The EAP Identity the peer gave (informational: the user name comes from the certificate).
  const std::string& identity() const { return identity_; }

 private:
  void send_request(std::uint8_t type, ByteView type_data, Time now);
  void on_tls(const EapTlsFrame& frame, Time now);
  void refuse(std::string reason);
  void accept();

  AuthenticatorConfig config_;
  RandomSource& random_;
  EapAuthenticatorState state_ = EapAuthenticatorState::Initial;
  std::uint8_t identifier_ = 0;
  Bytes last_request_;
  Bytes final_reply_;
  unsigned retransmissions_ = 0;  // of the current Request
  unsigned requests_ = 0;         // distinct Requests sent
  Time give_up_at_{};
  std::string identity_;
  std::unique_ptr<auth::EapTlsSession> tls_;
  EapTlsReassembler reassembler_;
  EapTlsFragmenter fragmenter_;
};

enum class EapPeerState : std::uint8_t { Initial, Waiting, Succeeded, Failed };

class EapPeer final : public AuthMachineBase {
 public:
  EapPeer(const AuthPeerConfig& config, FrameSink& sink);
  void start(Time now) override;
  void receive(ByteView information, Time now) override;
  void on_timer(Time now) override;
  EapPeerState state() const { return state_; }

 private:
  void respond(std::uint8_t identifier, std::uint8_t type, ByteView type_data);
  void on_tls(std::uint8_t identifier, const EapTlsFrame& frame);
  void end(std::string reason);

  AuthPeerConfig config_;
  EapPeerState state_ = EapPeerState::Initial;
  bool answered_ = false;
  std::uint8_t last_identifier_ = 0;
  Bytes last_response_;
  unsigned requests_ = 0;
  Time give_up_at_{};
  std::unique_ptr<auth::EapTlsSession> tls_;
  EapTlsReassembler reassembler_;
  EapTlsFragmenter fragmenter_;
};

}  // namespace pptpx::ppp
