// One PPTP call (a "session" in RFC 2637 §3.2.2 terms: PAC, PNS, Call ID) as seen from one peer.
// The messages that drive it are handled by ControlConnection (control_connection_calls.cpp);
// this file holds the states and what a call remembers.
//
// Outgoing call, PNS side (§3.2.4.2)           Outgoing call, PAC side (§3.2.4.1)
//   place_outgoing_call/OCRQ                     OCRQ ok / OCRP Connected (answered at once)
//   Idle -> WaitReply -OCRP ok-> Established     Idle -> Established
//   WaitReply -OCRP error-> (gone)               Established -CCRQ/send CDN-> (gone)
//   Established -clear_call/CCRQ-> WaitDisconnect -CDN-> (gone)
//   Established -CDN-> (gone)
//
// Incoming call, PAC side (§3.2.3.1)           Incoming call, PNS side (§3.2.3.2)
//   place_incoming_call/ICRQ                     ICRQ ok / ICRP Accept
//   Idle -> PacWaitReply -ICRP accept/ICCN->     Idle -> WaitConnect -ICCN-> Established
//                              Established       WaitConnect -CDN-> (gone)
//   PacWaitReply -ICRP refuse-> (gone)           Established -clear_call/CCRQ-> WaitDisconnect
//   Established -CCRQ or clear_call/CDN-> (gone)
//
// A call not leaving a transient state within Config::call_setup_timeout (60 s, §3.2.1) takes
// the whole control connection down with it, as §3.2.1 asks.
#pragma once
#include <cstdint>
#include <string_view>

#include "util/time.hpp"

namespace pptpx::pptp {

enum class CallState {
  WaitReply,       // PNS: sent Outgoing-Call-Request
  WaitConnect,     // PNS: sent Incoming-Call-Reply (accept), waiting for Incoming-Call-Connected
  PacWaitReply,    // PAC: sent Incoming-Call-Request
  Established,     // data may flow
  WaitDisconnect,  // PNS: sent Call-Clear-Request, waiting for Call-Disconnect-Notify
};
std::string_view to_string(CallState s);
bool is_transient(CallState s);

enum class CallDirection { Outgoing, Incoming };  // as named by the RFC: who rang whom
std::string_view to_string(CallDirection d);

struct Call {
  std::uint16_t local_call_id = 0;  // ours: the peer puts it in the GRE key it sends us
  std::uint16_t peer_call_id = 0;   // theirs: we put it in the GRE key we send (0 until known)
  bool peer_call_id_known = false;
  std::uint16_t call_serial_number = 0;
  CallDirection direction = CallDirection::Outgoing;
  CallState state = CallState::WaitReply;
  Time state_since{};
  bool was_up = false;  // CallUp was emitted
  std::uint16_t peer_recv_window = 0;       // how many packets the peer buffers (§4.2)
  std::uint16_t peer_processing_delay = 0;  // 1/10 s (§4.4)
  std::uint32_t connect_speed = 0;
};

}  // namespace pptpx::pptp
