// Why a session ended, in RADIUS terms: the Acct-Terminate-Cause of its accounting Stop (RFC
// 2866 §5.10). Two inputs: what the server itself decided (SessionEnd, set before it ends the
// session: an operator's kill, a RADIUS limit, shutting down), and otherwise the PPP link's
// down reason, the text the session logs ("peer sent LCP Terminate-Request", "peer did not answer
// 5 LCP Echo-Requests", ...). The one place to add a new way for a session to end.
#pragma once
#include <cstdint>
#include <string_view>

#include "radius/dictionary.hpp"

namespace pptpx::server {

// What the server decided when it ended a session itself; None: the link's reason tells.
enum class SessionEnd : std::uint8_t {
  None,
  OperatorKill,      // `pptpx ctl kill`                         -> Admin-Reset
  RadiusDisconnect,  // "disconnected by RADIUS" (RFC 5176 DAE)  -> Admin-Reset
  SessionTimeout,    // Session-Timeout from the Access-Accept    -> Session-Timeout
  IdleTimeout,       // Idle-Timeout from the Access-Accept       -> Idle-Timeout
  ServerShutdown,    // the server stops (SIGTERM)                -> NAS-Reboot
  ServerError,       // the server could not set up the tunnel    -> NAS-Error
};
std::string_view to_string(SessionEnd e);

radius::TerminateCause terminate_cause(SessionEnd decided, std::string_view link_reason);
std::string_view to_string(radius::TerminateCause c);

}  // namespace pptpx::server
