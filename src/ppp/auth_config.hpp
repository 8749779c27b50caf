// Configuration of the authentication machines (auth_pap, auth_chap_md5, auth_mschap_v1,
// auth_mschap_v2), for either role, and the counters every machine keeps.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <memory>

#include "auth/credentials.hpp"
#include "auth/eap_tls_session.hpp"
#include "auth/mschap.hpp"
#include "ppp/auth_random.hpp"
#include "ppp/auth_remote.hpp"
#include "util/time.hpp"

namespace pptpx::ppp {

// Authenticator = the side that demands authentication (our server); peer = the side that proves
// its identity (our client). RFC 1661 §1.3 / RFC 1994 §1 terminology.
enum class AuthRole : std::uint8_t { Authenticator, Peer };
constexpr std::string_view to_string(AuthRole r) {
  return r == AuthRole::Authenticator ? "authenticator" : "peer";
}

// The side that authenticates itself (client).
struct AuthPeerConfig {
  std::string user_name;                // sent as PAP Peer-ID / CHAP Name (may carry DOMAIN\)
  std::optional<std::string> password;  // UTF-8; needed by PAP and CHAP-MD5
  std::optional<auth::NtHash> nt_hash;  // MS-CHAP only, used when `password` is absent
  Duration restart_timeout = 3s;        // PAP: Authenticate-Request retransmission interval
  unsigned max_requests = 10;           // PAP: Authenticate-Requests sent before giving up
  Duration wait_timeout = 30s;          // CHAP family: longest wait for Challenge / Success
  // EAP-TLS (auth_eap.hpp): our certificate, key and CA (nullptr: EAP-TLS fails on start).
  std::shared_ptr<const auth::EapTlsContext> eap_tls;
  std::size_t eap_tls_fragment = 1400;  // TLS octets per EAP-TLS fragment we send
  Duration eap_timeout = 60s;           // EAP: longest whole exchange
  unsigned eap_max_requests = 1000;     // EAP: Requests answered before giving up
};

// The side that demands authentication (server).
struct AuthenticatorConfig {
  const auth::CredentialStore* credentials = nullptr;  // required
  std::string our_name = "pptpx";        // CHAP Challenge Name field
  Duration restart_timeout = 3s;         // CHAP: Challenge retransmission interval
  unsigned max_challenges = 10;          // CHAP: Challenges sent before giving up
  Duration request_timeout = 30s;        // PAP: longest wait for an Authenticate-Request
  // Set: every attempt is decided by this verifier (RADIUS), asynchronously (auth_remote.hpp).
  // `credentials` then serves only as the fallback when the verifier answers Unavailable, and
  // only with `fallback_to_credentials` (never after a Reject).
  RemoteVerifier* remote = nullptr;
  bool fallback_to_credentials = false;
  Duration remote_timeout = 30s;         // longest wait for the verifier's verdict
  // EAP-TLS (auth_eap.hpp): our certificate, key, CA and CRL (nullptr: EAP-TLS fails on start).
  // The user name comes from the peer's certificate as `eap_tls_user_from` says.
  std::shared_ptr<const auth::EapTlsContext> eap_tls;
  auth::EapTlsUserFrom eap_tls_user_from = auth::EapTlsUserFrom::Cn;
  std::size_t eap_tls_fragment = 1400;  // TLS octets per EAP-TLS fragment we send
  Duration eap_timeout = 60s;           // EAP: longest whole exchange (a peer that never finishes)
  unsigned eap_max_requests = 1000;     // EAP: Requests sent (not counting retransmissions) at most
};

struct AuthConfig {
  AuthPeerConfig peer;
  AuthenticatorConfig authenticator;
  RandomSource* random = nullptr;  // nullptr: default_random_source() (OpenSSL)
};

// Per-machine counters. Bad packets are dropped and counted, never thrown.
struct AuthCounters {
  std::uint64_t received = 0;          // every information field handed to receive()
  std::uint64_t malformed = 0;         // a length lie or bad field: dropped
  std::uint64_t unknown_code = 0;      // a Code this protocol does not define: dropped
  std::uint64_t unexpected = 0;        // a valid packet that this role/state does not expect
  std::uint64_t wrong_identifier = 0;  // a reply/response to an Identifier we did not send
  std::uint64_t retransmissions = 0;   // packets we sent again (timer or repeated request)
  std::uint64_t while_verifying = 0;   // a repeated request while the remote verdict is pending
};

}  // namespace pptpx::ppp
