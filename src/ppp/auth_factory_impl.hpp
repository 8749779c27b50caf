// Creates the authentication machine for the method LCP agreed on and the role we play.
#pragma once
#include <memory>

#include "ppp/auth_config.hpp"
#include "ppp/auth_machine.hpp"

namespace pptpx::ppp {

// Authenticator role needs config.authenticator.credentials (nullptr: every user is unknown).
// config.random nullptr: OpenSSL RAND_bytes. The machine copies the configuration; the
// credential store, random source and sink must outlive it.
std::unique_ptr<AuthMachine> make_auth_machine(AuthMethod method, AuthRole role, const AuthConfig& config,
                                               FrameSink& sink);

}  // namespace pptpx::ppp
