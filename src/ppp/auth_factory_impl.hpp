// The concrete authentication machines behind the Link's AuthFactory (auth_factory.hpp), and a
// free function for callers that have no factory object.
#pragma once
#include <memory>
#include <optional>

#include "ppp/auth_config.hpp"
#include "ppp/auth_factory.hpp"
#include "ppp/auth_machine.hpp"

namespace pptpx::ppp {

// Authenticator role needs config.authenticator.credentials (nullptr: every user is unknown).
// config.random nullptr: OpenSSL RAND_bytes. The machine copies the configuration; the
// credential store, random source and sink must outlive it. Never returns nullptr for a known
// method: a machine whose configuration cannot serve the method fails on start() with a reason.
std::unique_ptr<AuthMachine> make_auth_machine(AuthMethod method, AuthRole role, const AuthConfig& config,
                                               FrameSink& sink);

// PAP, CHAP-MD5, MS-CHAPv1 and MS-CHAPv2 in both roles, from one AuthConfig.
class StandardAuthFactory final : public AuthFactory {
 public:
  explicit StandardAuthFactory(AuthConfig config) : config_(std::move(config)) {}
  std::unique_ptr<AuthMachine> create(AuthMethod method, bool authenticator, FrameSink& sink) override {
    return make_auth_machine(method, authenticator ? AuthRole::Authenticator : AuthRole::Peer, config_, sink);
  }
  const AuthConfig& config() const { return config_; }

 private:
  AuthConfig config_;
};

// Which role an authentication packet is addressed to, from its Code: PAP Request, CHAP and EAP
// Response go to the authenticator; PAP Ack/Nak and CHAP Challenge/Success/Failure go to the
// peer. nullopt for other protocols, an empty frame or an unknown Code. For links that run an
// authenticator and a peer of the same protocol at once (mutual CHAP).
std::optional<AuthRole> auth_packet_role(Protocol protocol, ByteView information);

}  // namespace pptpx::ppp
