// How the Link obtains an authentication machine once LCP has agreed on a method. The "ppp-auth"
// side provides the concrete factory (PAP, CHAP-MD5, MS-CHAPv1/v2 in either role); tests provide
// fakes.
#pragma once
#include <memory>

#include "ppp/auth_machine.hpp"
#include "ppp/frame_sink.hpp"

namespace pptpx::ppp {

class AuthFactory {
 public:
  virtual ~AuthFactory() = default;
  // `authenticator`: true for the side that demands authentication (server), false for the side
  // that proves itself (client). The machine sends its packets through `sink`.
  // nullptr: the method cannot be served (the Link goes down with a reason).
  virtual std::unique_ptr<AuthMachine> create(AuthMethod method, bool authenticator, FrameSink& sink) = 0;
};

}  // namespace pptpx::ppp
