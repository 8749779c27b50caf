// Authentication decided elsewhere (a RADIUS server): the authenticator machines hand the
// peer's proof to a RemoteVerifier and stay Pending, with every timer of the session still
// running, until the verdict comes back. The machine never blocks; the verifier calls back
// later, from the event loop, never from inside ask().
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "auth/mppe_keys.hpp"
#include "ppp/auth_machine.hpp"
#include "util/bytes.hpp"

namespace pptpx::ppp {

// What the peer sent, as the remote party needs it.
struct RemoteAuthRequest {
  AuthMethod method = AuthMethod::MsChapV2;
  std::string user_name;        // as the peer sent it (with any DOMAIN\ prefix)
  std::uint8_t identifier = 0;  // CHAP Identifier of the Response (CHAP-Password carries it)
  Bytes challenge;              // our CHAP Challenge Value (16 octets; 8 for MS-CHAPv1)
  Bytes response;               // the CHAP Response Value (49 octets for MS-CHAP), or the PAP password
};

struct RemoteAuthVerdict {
  enum class Outcome : std::uint8_t {
    Accept,
    Reject,
    Unavailable,  // no remote party answered: a local fallback may decide instead
  };
  Outcome outcome = Outcome::Unavailable;
  // MS-CHAPv2 Accept: the "S=<40 hex>" authenticator response (MS-CHAP2-Success) for the client.
  // MS-CHAP Reject: the Failure text ("E=691 R=0 ...", MS-CHAP-Error) to relay; empty: our own.
  std::string message;
  std::string reason;  // for the log: why (Reply-Message, "no RADIUS server answered", ...)
  // Reject: a text for the client (the RADIUS Reply-Message), put in the PAP Nak / CHAP Failure
  // message / MS-CHAPv2 "M=". Empty by default: auth_wire_text.hpp's texts, the same for every
  // refusal (issue 16); only an operator's [radius] reply_message_to_client fills it.
  std::string client_text;
  std::optional<auth::MppeKeyMaterial> mppe;  // MPPE start keys (MS-MPPE-Send/Recv-Key)
  // MS-CHAPv1 Accept: the NT-Key of MS-CHAP-MPPE-Keys (RFC 2548 §2.4.1), which RADIUS servers
  // fill with NtPasswordHashHash (FreeRADIUS's rlm_mschap notes RFC 2548 says "NT hash" but
  // peers need the hash's hash); the authenticator, which knows its challenge, derives the start
  // key from it (RFC 3079 §2.4 GetStartKey).
  std::optional<std::array<std::uint8_t, 16>> mschapv1_nt_key;
};

// The deadline a machine reports once a verdict is ready: already due.
inline constexpr Time kDueNow{};

// Destroying the ticket withdraws the question: the callback is then never called.
class RemoteAuthTicket {
 public:
  virtual ~RemoteAuthTicket() = default;
};

class RemoteVerifier {
 public:
  virtual ~RemoteVerifier() = default;
  // Starts deciding `request`. `done` is called exactly once, later, unless the ticket is
  // destroyed first. The verifier bounds its own wait (timeouts, retries: Unavailable).
  virtual std::unique_ptr<RemoteAuthTicket> ask(RemoteAuthRequest request,
                                                std::function<void(RemoteAuthVerdict)> done) = 0;
};

// A verdict waiting in a machine for its next on_timer(): the callback stores it and makes the
// machine's deadline due, so the owner's ordinary timer path applies it (no re-entrant output).
class PendingRemoteVerdict {
 public:
  // On arrival the verdict is stored and `deadline` set to kDueNow.
  void ask(RemoteVerifier& verifier, RemoteAuthRequest request, std::optional<Time>& deadline);
  bool waiting() const { return ticket_ != nullptr && !verdict_; }
  bool ready() const { return verdict_.has_value(); }
  // The verdict, once; resets the holder.
  RemoteAuthVerdict take();
  void cancel() {
    ticket_.reset();
    verdict_.reset();
  }

 private:
  std::unique_ptr<RemoteAuthTicket> ticket_;
  std::optional<RemoteAuthVerdict> verdict_;
};

}  // namespace pptpx::ppp
