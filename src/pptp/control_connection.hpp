// A PPTP control connection (RFC 2637 §3.1) and the calls it carries (§3.2), sans-I/O: TCP bytes
// and the time go in; TCP bytes to send, a deadline and events come out. The shell writes
// take_output() to the socket, arms a timer for deadline(), and closes the TCP connection once a
// Closed event has been taken (after writing the last output: a Stop-Control-Connection-Reply
// may be in it, §3.1.1 "making sure that the final TCP information has been pushed").
//
//   originator:  Idle -start/send SCCRQ-> WaitCtlReply -SCCRP success, version ok-> Established
//                WaitCtlReply -SCCRP refused-> Closed
//                WaitCtlReply -SCCRP version too old/send StopCCRQ-> WaitStopReply
//   receiver:    Idle -start-> WaitCtlRequest -SCCRQ/send SCCRP success-> Established
//                WaitCtlRequest -SCCRQ bad version/send SCCRP error-> Closed
//   both:        Established -stop()/send StopCCRQ-> WaitStopReply -StopCCRP or timeout-> Closed
//                any -StopCCRQ/send StopCCRP-> Closed
//                any -malformed message, setup or echo timeout, transport closed-> Closed
//
// Timers (§3.1.4): setup_timeout waiting for SCCRQ/SCCRP; in Established an Echo-Request after
// echo_interval without any received message, Closed if its Echo-Reply is not in within
// echo_reply_timeout; stop_timeout for the Stop-Control-Connection-Reply; call_setup_timeout for
// calls in a transient state (§3.2.1). All calls go down (CallDown events, IDs released) before
// the Closed event, whatever closed the connection.
//
// Collision (§3.1.3): two TCP connections between the same pair are the shell's business: it
// asks wins_collision(our address, peer address) and abandon()s the connection it opened if it
// loses. Within one connection, an SCCRQ arriving while we wait for our SCCRP is settled by the
// same rule using Config::local_ipv4/peer_ipv4.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "pptp/call.hpp"
#include "pptp/call_id_allocator.hpp"
#include "pptp/control_message.hpp"
#include "pptp/control_stream.hpp"
#include "pptp/result_codes.hpp"
#include "util/bytes.hpp"
#include "util/time.hpp"

namespace pptpx::pptp {

enum class Role { Pns, Pac };  // PNS: network server / "client" side; PAC: access concentrator
std::string_view to_string(Role r);

enum class ControlState { Idle, WaitCtlRequest, WaitCtlReply, Established, WaitStopReply, Closed };
std::string_view to_string(ControlState s);

// §3.1.3: the peer with the higher IPv4 address (unsigned, network order) wins.
constexpr bool wins_collision(std::uint32_t our_ipv4, std::uint32_t peer_ipv4) {
  return our_ipv4 > peer_ipv4;
}

struct ControlConfig {
  Role role = Role::Pac;
  bool originate = false;  // true: we opened the TCP connection and send SCCRQ
  Duration setup_timeout = std::chrono::seconds(60);       // §3.1.4 item 1
  Duration echo_interval = std::chrono::seconds(60);       // §3.1.4 item 2; zero disables
  Duration echo_reply_timeout = std::chrono::seconds(60);  // §3.1.4 item 2
  Duration stop_timeout = std::chrono::seconds(60);        // §3: "expected reply ... 60 seconds"
  Duration call_setup_timeout = std::chrono::seconds(60);  // §3.2.1
  std::string host_name = "pptpx";
  std::string vendor = "pptpx";
  std::uint16_t firmware_revision = 1;
  std::uint32_t framing_capabilities = 1;  // async (what PPP over GRE is treated as)
  std::uint32_t bearer_capabilities = 1;   // analog
  std::uint16_t maximum_channels = 0;      // PAC: advertised; PNS: SHOULD be 0 (§2.1)
  std::size_t max_calls = 4;               // calls this control connection may carry
  std::uint16_t recv_window = 64;          // our Packet Recv. Window Size (§4.2)
  std::uint16_t processing_delay = 0;      // our Packet Processing Delay, 1/10 s
  std::uint32_t connect_speed = 100000000; // reported in OCRP/ICCN (bits/s)
  std::uint32_t local_ipv4 = 0;            // only for the in-connection collision rule
  std::uint32_t peer_ipv4 = 0;
};

// ---- Events ----
struct Established {
  std::uint16_t peer_protocol_version = 0;
  std::string peer_host_name;
  std::string peer_vendor;
  std::uint16_t peer_firmware_revision = 0;
  std::uint16_t peer_maximum_channels = 0;
};
struct CallUp {
  std::uint16_t local_call_id = 0;  // GRE packets from the peer carry this in their key
  std::uint16_t peer_call_id = 0;   // our GRE packets carry this
  CallDirection direction = CallDirection::Outgoing;
  std::uint16_t call_serial_number = 0;
  std::uint16_t peer_recv_window = 0;
  std::uint16_t peer_processing_delay = 0;
  std::uint32_t connect_speed = 0;
};
struct CallDown {
  std::uint16_t local_call_id = 0;
  std::uint16_t peer_call_id = 0;
  bool was_up = false;  // a CallUp had been emitted for it
  std::string reason;
};
struct LinkInfo {  // Set-Link-Info received (§2.15)
  std::uint16_t local_call_id = 0;
  std::uint32_t send_accm = 0xFFFFFFFF;
  std::uint32_t receive_accm = 0xFFFFFFFF;
};
struct WanError {  // WAN-Error-Notify received (§2.14)
  std::uint16_t local_call_id = 0;
  WanErrorNotify counters;
};
struct Warning {  // a message was dropped or something odd happened; log it
  std::string reason;
};
struct Closed {
  std::string reason;
  bool orderly = false;  // Stop-Control-Connection exchange completed
};
using ControlEvent =
    std::variant<Established, CallUp, CallDown, LinkInfo, WanError, Warning, Closed>;

struct ControlCounters {
  std::uint64_t messages_in = 0;
  std::uint64_t messages_out = 0;
  std::uint64_t unexpected_message = 0;  // valid message, wrong state or role: dropped
  std::uint64_t unknown_call_id = 0;     // call message naming no call of ours: dropped
  std::uint64_t echo_requests_sent = 0;
  std::uint64_t echo_replies_sent = 0;
  std::uint64_t echo_reply_mismatch = 0;  // Echo-Reply with an identifier we did not send
  std::uint64_t calls_refused = 0;        // we answered a call request with an error
  std::uint64_t collisions = 0;
};

struct OutgoingCallParams {  // §2.7, for place_outgoing_call (PNS)
  std::uint16_t call_serial_number = 0;
  std::uint32_t minimum_bps = 300;
  std::uint32_t maximum_bps = 100000000;
  std::uint32_t bearer_type = 3;
  std::uint32_t framing_type = 3;
  std::string phone_number;
  std::string subaddress;
};
struct IncomingCallParams {  // §2.9, for place_incoming_call (PAC)
  std::uint16_t call_serial_number = 0;
  std::uint32_t call_bearer_type = 1;
  std::uint32_t physical_channel_id = 0;
  std::string dialed_number;
  std::string dialing_number;
  std::string subaddress;
};

class ControlConnection {
 public:
  ControlConnection(ControlConfig config, CallIdAllocator& ids);
  ~ControlConnection();
  ControlConnection(const ControlConnection&) = delete;
  ControlConnection& operator=(const ControlConnection&) = delete;

  void start(Time now);                       // TCP is open
  void receive(ByteView tcp_bytes, Time now);  // bytes read from TCP
  void on_timer(Time now);                    // call at (or after) deadline()
  void on_transport_closed(Time now);         // peer closed TCP, or it broke
  std::optional<Time> deadline() const;
  Bytes take_output();
  std::vector<ControlEvent> take_events();

  // PNS: send Outgoing-Call-Request. nullopt (and a Warning) when not established, wrong role,
  // over max_calls or out of Call IDs. CallUp or CallDown follows on the reply.
  std::optional<std::uint16_t> place_outgoing_call(const OutgoingCallParams& p, Time now);
  // PAC: send Incoming-Call-Request (the NAS-initiated compulsory tunnel, §3.2.3).
  std::optional<std::uint16_t> place_incoming_call(const IncomingCallParams& p, Time now);
  // PNS: Call-Clear-Request, CallDown when the Call-Disconnect-Notify arrives.
  // PAC: Call-Disconnect-Notify with `result` and CallDown at once. False for an unknown ID.
  bool clear_call(std::uint16_t local_call_id, std::string reason, Time now,
                  DisconnectResult result = DisconnectResult::AdminShutdown);
  // PNS: tell the PAC the PPP-negotiated ACCMs (§2.15).
  bool send_set_link_info(std::uint16_t local_call_id, std::uint32_t send_accm,
                          std::uint32_t receive_accm);
  // Orderly stop (§3.1.1 "Local Terminate"): all calls go down, Stop-Control-Connection-Request
  // is sent, Closed follows on the reply or stop_timeout. Before Established: closes at once.
  void stop(StopReason reason, std::string why, Time now);
  // Close without sending anything (§3.1.3 collision loser, or the shell gives up).
  void abandon(std::string why);

  ControlState state() const { return state_; }
  bool closed() const { return state_ == ControlState::Closed; }
  const ControlConfig& config() const { return cfg_; }
  const ControlCounters& counters() const { return counters_; }
  const std::vector<Call>& calls() const { return calls_; }
  const Call* find_call(std::uint16_t local_call_id) const;

 private:
  void handle(const ControlMessage& m, Time now);
  void handle_setup(const ControlMessage& m, Time now);
  void handle_established(const ControlMessage& m, Time now);
  void handle_call_message(const ControlMessage& m, Time now);
  void on_sccrq(const StartControlConnectionRequest& m, Time now);
  void on_sccrp(const StartControlConnectionReply& m, Time now);
  void on_stop_request(const StopControlConnectionRequest& m, Time now);
  // control_connection_calls.cpp
  void on_outgoing_call_request(const OutgoingCallRequest& m, Time now);
  void on_outgoing_call_reply(const OutgoingCallReply& m, Time now);
  void on_incoming_call_request(const IncomingCallRequest& m, Time now);
  void on_incoming_call_reply(const IncomingCallReply& m, Time now);
  void on_incoming_call_connected(const IncomingCallConnected& m, Time now);
  void on_call_clear_request(const CallClearRequest& m, Time now);
  void on_call_disconnect_notify(const CallDisconnectNotify& m, Time now);
  void on_set_link_info(const SetLinkInfo& m);
  void on_wan_error_notify(const WanErrorNotify& m);
  // Shared by both call directions (control_connection_calls.cpp): a peer's call request admitted
  // or refused with `reply`; our own call opened, awaiting the peer; the peer's reply taken.
  template <class Request, class Reply>
  Call* admit_call_request(const Request& m, Reply& reply, std::uint8_t refused_result,
                           CallDirection d);
  std::optional<std::uint16_t> open_call(Role placer, CallDirection d, CallState waiting,
                                         std::uint16_t serial, Time now);
  template <class Reply>
  bool take_call_reply(Call& c, const Reply& m);
  void no_such_call(std::string_view message, std::string_view id_label, std::uint16_t id,
                    std::string_view which);

  void send(const ControlMessage& m);
  // Constructed in place: a moved std::variant temporary trips g++ 12's -Wmaybe-uninitialized
  // at -O3 (a false positive).
  template <typename T>
  void emit(T&& e) {
    events_.emplace_back(std::in_place_type<std::decay_t<T>>, std::forward<T>(e));
  }
  void warn(std::string reason);
  void unexpected(const ControlMessage& m, std::string_view why);
  void close(std::string reason, bool orderly);
  void enter_established(Time now);
  Call* call_by_local(std::uint16_t id);
  Call* call_by_peer(std::uint16_t peer_id);
  void call_up(Call& c, Time now);
  void remove_call(std::uint16_t local_call_id, std::string reason);
  void drop_all_calls(const std::string& reason);
  std::optional<Time> earliest_call_deadline() const;

  ControlConfig cfg_;
  CallIdAllocator& ids_;
  ControlState state_ = ControlState::Idle;
  ControlStream stream_;
  Bytes out_;
  std::vector<ControlEvent> events_;
  std::vector<Call> calls_;
  ControlCounters counters_;
  Time state_deadline_{};  // setup or stop timeout, depending on state_
  Time last_rx_{};
  bool echo_outstanding_ = false;
  std::uint32_t echo_id_ = 0;
  Time echo_sent_{};
};

}  // namespace pptpx::pptp
