// One PPTP session, sans-I/O: a control connection (RFC 2637 §3) and its calls, with one PPP
// link per call. TCP bytes, GRE packets, IP packets and the time go in; TCP bytes, GRE packets,
// IP packets, a deadline and events come out. The daemons, the in-memory tests and the load
// generator all drive this same object.
//
//   client (PNS): start -> SCCRQ ... SCCRP -> ControlUp -> OCRQ ... OCRP -> CallUp -> PPP
//                 -> LinkUp ... stop(): Call-Clear-Request -> CDN -> StopCCRQ -> Closed
//   server (PAC): start -> (SCCRQ) SCCRP -> ControlUp -> (OCRQ) OCRP -> CallUp -> PPP -> LinkUp
//                 link down -> CDN; stop(): CDN for every call -> StopCCRQ -> Closed
//
// A call's PPP link going down clears the call; on the client, whose one call is the reason
// for the connection, it also stops the control connection. The control connection closing
// takes every call down first (LinkDown for each, then Closed).
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ppp/auth_factory.hpp"
#include "ppp/link.hpp"
#include "pptp/call_id_allocator.hpp"
#include "pptp/control_connection.hpp"
#include "session/call_link.hpp"
#include "session/session_event.hpp"

namespace pptpx::session {

enum class SessionRole : std::uint8_t { Server, Client };
constexpr std::string_view to_string(SessionRole r) { return r == SessionRole::Server ? "server" : "client"; }

struct SessionConfig {
  SessionRole role = SessionRole::Server;
  pptp::ControlConfig control;     // role and originate are set from `role`
  ppp::LinkConfig link;            // template for each call's link; role set from `role`
  pptp::GreWindowConfig gre;
  pptp::OutgoingCallParams outgoing_call;  // client: the call it places
};

class SessionOutput {
 public:
  virtual ~SessionOutput() = default;
  virtual void send_gre(MutableByteView packet) = 0;  // to this session's peer
  virtual void deliver_ipv4(std::uint16_t call_id, ByteView packet) = 0;
  virtual void deliver_ipv6(std::uint16_t call_id, ByteView packet) = 0;
  virtual void on_event(const SessionEvent& event) = 0;
};

// Server hook: decide per call what the link's configuration is, and learn when the call is
// gone (return the addresses). prepare_call false refuses the call. prepare_network runs when
// the call's PPP authentication has succeeded, with the authenticated user: the place to choose
// the IPCP/IPV6CP addresses (a user's static address or one from the pool); false ends the link.
// It may run more than once per call (LCP renegotiation); call_finished runs once at the end.
class CallHooks {
 public:
  virtual ~CallHooks() = default;
  virtual bool prepare_call(std::uint16_t call_id, ppp::LinkConfig& config, std::string& why) = 0;
  virtual bool prepare_network(std::uint16_t call_id, const std::string& user, ppp::IpcpConfig& ipcp,
                               ppp::Ipv6cpConfig& ipv6cp, std::string& why) {
    (void)call_id, (void)user, (void)ipcp, (void)ipv6cp, (void)why;
    return true;
  }
  virtual void call_finished(std::uint16_t call_id) = 0;
};

struct SessionCounters {
  std::uint64_t gre_unknown_call = 0;  // GRE naming no call of this session: dropped
  std::uint64_t ip_no_call = 0;        // IP packet for a call that is not up: dropped
};

class Session final : private CallOutput {
 public:
  Session(SessionConfig config, pptp::CallIdAllocator& ids, ppp::AuthFactory& auth, SessionOutput& output,
          CallHooks* hooks = nullptr);
  ~Session() override;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start(Time now);                  // the TCP connection is open
  void receive_tcp(ByteView bytes, Time now);
  Bytes take_tcp_output();
  void on_transport_closed(Time now);    // TCP reset or EOF
  // A GRE packet (from the GRE header on) from this session's peer.
  void receive_gre(ByteView packet, Time now);
  // An IP packet for the call `call_id`; false: dropped (call not up, or the link refused it).
  bool send_ipv4(std::uint16_t call_id, PacketBuffer& packet, Time now);
  bool send_ipv6(std::uint16_t call_id, PacketBuffer& packet, Time now);
  // Orderly teardown, from either role (see the sketch above). `code`: the Reason field of the
  // Stop-Control-Connection-Request (RFC 2637 §2.3), e.g. LocalShutdown when the daemon exits.
  void stop(std::string reason, Time now, pptp::StopReason code = pptp::StopReason::None);
  // Server: an operator ends the session. Each call gets a Call-Disconnect-Notify whose Call
  // Statistics carry `reason` (RFC 2637 §2.13; the client shows it), then the control
  // connection stops (Stop-Control-Connection-Request, §2.3). Client: the same as stop().
  void terminate(std::string reason, Time now);

  std::optional<Time> deadline() const;
  void on_timer(Time now);

  bool closed() const { return control_.closed(); }
  const std::string& close_reason() const { return close_reason_; }
  SessionRole role() const { return config_.role; }
  const pptp::ControlConnection& control() const { return control_; }
  // Calls whose PPP link exists (up or negotiating), by our Call ID.
  std::vector<std::uint16_t> call_ids() const;
  const CallLink* call(std::uint16_t call_id) const;
  const SessionCounters& counters() const { return counters_; }

 private:
  // CallOutput
  void send_gre(std::uint16_t local_call_id, MutableByteView packet) override;
  void deliver_ipv4(std::uint16_t local_call_id, ByteView packet) override;
  void deliver_ipv6(std::uint16_t local_call_id, ByteView packet) override;
  void link_event(std::uint16_t local_call_id, const ppp::LinkEvent& event) override;
  bool prepare_network(std::uint16_t local_call_id, const std::string& user, ppp::IpcpConfig& ipcp,
                       ppp::Ipv6cpConfig& ipv6cp, std::string& why) override;

  void pump(Time now);  // handle control events and deferred call removals
  void on_control_event(const pptp::ControlEvent& e, Time now);
  void call_up(const pptp::CallUp& up, Time now);
  void call_down(std::uint16_t call_id, const std::string& reason, Time now);
  void emit(SessionEvent::Kind kind, std::uint16_t call_id, std::string reason);

  SessionConfig config_;
  pptp::ControlConnection control_;
  ppp::AuthFactory& auth_;
  SessionOutput& output_;
  CallHooks* hooks_;
  std::map<std::uint16_t, std::unique_ptr<CallLink>> calls_;
  std::vector<std::uint16_t> links_down_;  // links that ended; their calls are cleared in pump()
  std::string close_reason_;
  bool stopping_ = false;
  bool closed_emitted_ = false;
  SessionCounters counters_;
};

}  // namespace pptpx::session
