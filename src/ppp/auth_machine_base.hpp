// What every concrete authentication machine shares: status, result, deadline, counters, and the
// sink it writes to. The protocol logic lives in auth_pap, auth_chap_common and the per-method
// files.
#pragma once
#include <string>

#include "ppp/auth_config.hpp"
#include "ppp/auth_machine.hpp"

namespace pptpx::ppp {

class AuthMachineBase : public AuthMachine {
 public:
  AuthMethod method() const override { return result_.method; }
  std::optional<Time> deadline() const override { return deadline_; }
  AuthStatus status() const override { return status_; }
  const AuthResult& result() const override { return result_; }

  AuthRole role() const { return role_; }
  const AuthCounters& counters() const { return counters_; }

 protected:
  AuthMachineBase(AuthMethod method, AuthRole role, FrameSink& sink) : role_(role), sink_(sink) {
    result_.method = method;
  }
  void succeed();
  void fail(std::string reason);
  void send(Protocol protocol, ByteView information) { sink_.send_frame(protocol, information); }

  AuthRole role_;
  FrameSink& sink_;
  AuthStatus status_ = AuthStatus::Pending;
  AuthResult result_;
  std::optional<Time> deadline_;
  AuthCounters counters_;
};

// The counters of a machine made by make_auth_machine (nullptr for foreign implementations).
const AuthCounters* auth_counters(const AuthMachine& machine);

// A user-supplied name or message made safe for logs and failure reasons: printable ASCII kept,
// everything else as \xNN, cut at `max` characters (with "..." appended).
std::string printable(std::string_view text, std::size_t max = 128);
// For logs: `user "alice"`, or `user "CORP\alice" (account "alice")` when the peer sent a
// domain (auth/user_name.hpp: the account is what follows the last backslash). Control
// characters are escaped. Never for the wire (ppp/auth_wire_text.hpp).
std::string describe_user(std::string_view sent_name);
inline std::string printable(ByteView bytes, std::size_t max = 128) {
  return printable(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), max);
}

}  // namespace pptpx::ppp
