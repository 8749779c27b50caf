#include "server/terminate_cause.hpp"

#include <array>
#include <utility>

namespace pptpx::server {

using radius::TerminateCause;

std::string_view to_string(SessionEnd e) {
  switch (e) {
    case SessionEnd::None: return "none";
    case SessionEnd::OperatorKill: return "operator kill";
    case SessionEnd::RadiusDisconnect: return "disconnected by RADIUS";
    case SessionEnd::SessionTimeout: return "Session-Timeout";
    case SessionEnd::IdleTimeout: return "Idle-Timeout";
    case SessionEnd::ServerShutdown: return "server shutdown";
    case SessionEnd::ServerError: return "server error";
  }
  return "unknown";
}

namespace {
bool contains(std::string_view text, std::string_view what) { return text.find(what) != std::string_view::npos; }
}  // namespace

TerminateCause terminate_cause(SessionEnd decided, std::string_view reason) {
  switch (decided) {
    case SessionEnd::OperatorKill:
    case SessionEnd::RadiusDisconnect: return TerminateCause::AdminReset;
    case SessionEnd::SessionTimeout: return TerminateCause::SessionTimeout;
    case SessionEnd::IdleTimeout: return TerminateCause::IdleTimeout;
    case SessionEnd::ServerShutdown: return TerminateCause::NasReboot;
    case SessionEnd::ServerError: return TerminateCause::NasError;
    case SessionEnd::None: break;
  }
  // The link's down reason (ppp/link.cpp, ppp/fsm.cpp, pptp/control_connection*.cpp), first match.
  static constexpr std::array<std::pair<std::string_view, TerminateCause>, 18> kByReason{{
      // The client hung up: LCP Terminate-Request (RFC 1661 §5.5), PPTP Call-Clear-Request
      // (RFC 2637 §2.12) or Stop-Control-Connection-Request (§2.3).
      {"Terminate-Request", TerminateCause::UserRequest},
      {"peer sent Call-Clear-Request", TerminateCause::UserRequest},
      {"peer sent Call-Disconnect-Notify", TerminateCause::UserRequest},
      {"peer sent Stop-Control-Connection-Request", TerminateCause::UserRequest},
      // The server ended it.
      {"the server is shutting down", TerminateCause::NasReboot},
      {"disconnected by RADIUS", TerminateCause::AdminReset},
      {"could not set up the tunnel interface", TerminateCause::NasError},
      {"address setup failed", TerminateCause::NasError},
      // The peer vanished: keepalives unanswered, TCP gone.
      {"LCP Echo-Requests", TerminateCause::LostCarrier},
      {"no Echo-Reply", TerminateCause::LostCarrier},
      {"TCP", TerminateCause::LostCarrier},
      {"does not read its control messages", TerminateCause::LostCarrier},
      // The peer broke the protocol or refused what policy requires.
      {"authentication failed", TerminateCause::UserError},
      {"re-authentication named", TerminateCause::UserError},
      {"MPPE", TerminateCause::UserError},
      {"policy requires", TerminateCause::UserError},
      {"malformed", TerminateCause::PortError},
      {"peer rejected", TerminateCause::UserError},
  }};
  for (const auto& [text, cause] : kByReason) {
    if (contains(reason, text)) return cause;
  }
  return TerminateCause::NasError;  // a reason not classified above: the server's side ended it
}

std::string_view to_string(TerminateCause c) {
  switch (c) {
    case TerminateCause::UserRequest: return "User-Request";
    case TerminateCause::LostCarrier: return "Lost-Carrier";
    case TerminateCause::LostService: return "Lost-Service";
    case TerminateCause::IdleTimeout: return "Idle-Timeout";
    case TerminateCause::SessionTimeout: return "Session-Timeout";
    case TerminateCause::AdminReset: return "Admin-Reset";
    case TerminateCause::AdminReboot: return "Admin-Reboot";
    case TerminateCause::PortError: return "Port-Error";
    case TerminateCause::NasError: return "NAS-Error";
    case TerminateCause::NasRequest: return "NAS-Request";
    case TerminateCause::NasReboot: return "NAS-Reboot";
    case TerminateCause::PortUnneeded: return "Port-Unneeded";
    case TerminateCause::PortPreempted: return "Port-Preempted";
    case TerminateCause::PortSuspended: return "Port-Suspended";
    case TerminateCause::ServiceUnavailable: return "Service-Unavailable";
    case TerminateCause::Callback: return "Callback";
    case TerminateCause::UserError: return "User-Error";
    case TerminateCause::HostRequest: return "Host-Request";
  }
  return "unknown";
}

}  // namespace pptpx::server
