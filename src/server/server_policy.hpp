// From the server's configuration file to the protocol cores' settings: the PPP policy
// (authentication methods in order, MPPE strengths and mode) and the session template
// (timeouts, keepalives) every control connection starts from.
#pragma once
#include "ppp/auth_config.hpp"
#include "ppp/policy.hpp"
#include "server/config.hpp"
#include "session/session.hpp"

namespace pptpx::server {

ppp::Policy make_policy(const Config& config);
session::SessionConfig make_session_config(const Config& config);
// The authenticator side of ppp::AuthConfig (the credential store is set by the caller). With
// "eap-tls" in [auth] methods it loads the [eap_tls] files: std::runtime_error says which is bad.
ppp::AuthConfig make_auth_config(const Config& config, const auth::CredentialStore& credentials);

}  // namespace pptpx::server
