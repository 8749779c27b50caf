#include "ppp/auth_factory_impl.hpp"

#include "ppp/auth_chap_md5.hpp"
#include "ppp/auth_eap.hpp"
#include "ppp/auth_mschap_v1.hpp"
#include "ppp/auth_mschap_v2.hpp"
#include "ppp/auth_pap.hpp"
#include "ppp/auth_chap_packet.hpp"

namespace pptpx::ppp {

std::unique_ptr<AuthMachine> make_auth_machine(AuthMethod method, AuthRole role, const AuthConfig& config,
                                               FrameSink& sink) {
  RandomSource& random = config.random ? *config.random : default_random_source();
  if (role == AuthRole::Authenticator) {
    const AuthenticatorConfig& a = config.authenticator;
    switch (method) {
      case AuthMethod::Pap: return std::make_unique<PapAuthenticator>(a, sink);
      case AuthMethod::ChapMd5: return std::make_unique<ChapMd5Authenticator>(a, random, sink);
      case AuthMethod::MsChapV1: return std::make_unique<MsChapV1Authenticator>(a, random, sink);
      case AuthMethod::MsChapV2: return std::make_unique<MsChapV2Authenticator>(a, random, sink);
      case AuthMethod::EapTls: return std::make_unique<EapAuthenticator>(a, random, sink);
    }
  } else {
    const AuthPeerConfig& p = config.peer;
    switch (method) {
      case AuthMethod::Pap: return std::make_unique<PapPeer>(p, random, sink);
      case AuthMethod::ChapMd5: return std::make_unique<ChapMd5Peer>(p, sink);
      case AuthMethod::MsChapV1: return std::make_unique<MsChapV1Peer>(p, sink);
      case AuthMethod::MsChapV2: return std::make_unique<MsChapV2Peer>(p, random, sink);
      case AuthMethod::EapTls: return std::make_unique<EapPeer>(p, sink);
    }
  }
  return nullptr;
}

std::optional<AuthRole> auth_packet_role(Protocol protocol, ByteView information) {
  if (information.empty()) return std::nullopt;
  const std::uint8_t code = information[0];
  if (protocol == Protocol::Pap) {
    if (code == static_cast<std::uint8_t>(PapCode::Request)) return AuthRole::Authenticator;
    if (code == static_cast<std::uint8_t>(PapCode::Ack) || code == static_cast<std::uint8_t>(PapCode::Nak)) {
      return AuthRole::Peer;
    }
  } else if (protocol == Protocol::Chap) {
    if (code == static_cast<std::uint8_t>(ChapCode::Response)) return AuthRole::Authenticator;
    if (code == static_cast<std::uint8_t>(ChapCode::Challenge) || code == static_cast<std::uint8_t>(ChapCode::Success) ||
        code == static_cast<std::uint8_t>(ChapCode::Failure)) {
      return AuthRole::Peer;
    }
  } else if (protocol == Protocol::Eap) {
    // RFC 3748 §4: Requests go to the peer, Responses to the authenticator; Success and Failure
    // to the peer.
    return code == 2 ? AuthRole::Authenticator : code >= 1 && code <= 4 ? std::optional(AuthRole::Peer) : std::nullopt;
  }
  return std::nullopt;
}

}  // namespace pptpx::ppp
