// What a session tells its shell: the control connection came up or closed, a call's PPP link
// came up (with everything negotiated) or went down (with why), and things worth a log line.
#pragma once
#include <cstdint>
#include <string>

#include "ppp/link.hpp"

namespace pptpx::session {

struct SessionEvent {
  enum class Kind : std::uint8_t {
    ControlUp,   // Start-Control-Connection exchange done
    CallUp,      // a PPTP call is connected; PPP starts on it
    LinkUp,      // PPP is in the Network phase with data flowing (`link` filled)
    Ipv6Up,      // IPV6CP opened after LinkUp (`link` filled)
    LinkDown,    // the call's PPP link ended (`reason`)
    Closed,      // the control connection is closed (`reason`); close TCP after take_tcp_output()
    Warning,     // something was dropped or odd; log it (`reason`)
  } kind = Kind::Warning;
  std::uint16_t call_id = 0;  // our Call ID (GRE from the peer carries it), for call events
  ppp::LinkUpInfo link;
  std::string reason;
};

constexpr std::string_view to_string(SessionEvent::Kind k) {
  switch (k) {
    case SessionEvent::Kind::ControlUp: return "control-up";
    case SessionEvent::Kind::CallUp: return "call-up";
    case SessionEvent::Kind::LinkUp: return "link-up";
    case SessionEvent::Kind::Ipv6Up: return "ipv6-up";
    case SessionEvent::Kind::LinkDown: return "link-down";
    case SessionEvent::Kind::Closed: return "closed";
    case SessionEvent::Kind::Warning: return "warning";
  }
  return "unknown";
}

}  // namespace pptpx::session
