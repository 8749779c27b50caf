#include "pptp/call.hpp"

namespace pptpx::pptp {

std::string_view to_string(CallState s) {
  switch (s) {
    case CallState::WaitReply: return "wait-reply";
    case CallState::WaitConnect: return "wait-connect";
    case CallState::PacWaitReply: return "pac-wait-reply";
    case CallState::Established: return "established";
    case CallState::WaitDisconnect: return "wait-disconnect";
  }
  return "unknown";
}

bool is_transient(CallState s) { return s != CallState::Established; }

std::string_view to_string(CallDirection d) {
  return d == CallDirection::Outgoing ? "outgoing" : "incoming";
}

}  // namespace pptpx::pptp
