// One side of one PPP authentication protocol (PAP, CHAP-MD5, MS-CHAPv1, MS-CHAPv2, EAP-TLS), in either
// role. The link creates the right machine once LCP has agreed on the Authentication-Protocol
// option, feeds it the packets of its protocol, and watches status().
#pragma once
#include <optional>
#include <string>

#include "auth/mppe_keys.hpp"
#include "ppp/frame_sink.hpp"
#include "util/time.hpp"

namespace pptpx::ppp {

enum class AuthMethod : std::uint8_t { Pap, ChapMd5, MsChapV1, MsChapV2, EapTls };
constexpr std::string_view to_string(AuthMethod m) {
  switch (m) {
    case AuthMethod::Pap: return "PAP";
    case AuthMethod::ChapMd5: return "CHAP-MD5";
    case AuthMethod::MsChapV1: return "MS-CHAPv1";
    case AuthMethod::MsChapV2: return "MS-CHAPv2";
    case AuthMethod::EapTls: return "EAP-TLS";
  }
  return "unknown";
}

enum class AuthStatus : std::uint8_t { Pending, Succeeded, Failed };

struct AuthResult {
  AuthMethod method = AuthMethod::MsChapV2;
  std::string user_name;                             // as sent by the peer
  std::optional<auth::MppeKeyMaterial> mppe;         // set for MS-CHAPv1/v2 and EAP-TLS successes
  std::string failure_reason;                        // readable, e.g. "E=691 authentication failure"
};

class AuthMachine {
 public:
  virtual ~AuthMachine() = default;
  virtual AuthMethod method() const = 0;
  // Authenticator: send the first Challenge/wait for the PAP request. Peer: send PAP request or
  // wait for the challenge.
  virtual void start(Time now) = 0;
  // `information` is the PPP information field of a frame of this machine's protocol.
  virtual void receive(ByteView information, Time now) = 0;
  virtual void on_timer(Time now) = 0;
  virtual std::optional<Time> deadline() const = 0;
  virtual AuthStatus status() const = 0;
  virtual const AuthResult& result() const = 0;
};

}  // namespace pptpx::ppp
