// One accepted PPTP control connection in the daemon: the TCP stream, the sans-I/O Session
// (control connection + calls + PPP links), its deadline timer, and what the log needs about
// each call (user, address, bytes each way). The daemon (ConnectionHost) owns the shared
// resources: the GRE socket, the TUN device, the address pool and the session table.
//
//   accepted -> start() -> ... Session events ... -> Session closed -> Closing (TCP output
//   drains, at most kDrainLimit) -> TCP closed -> host.connection_done() (the host deletes it)
#pragma once
#include <netinet/in.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <asio/ip/tcp.hpp>

#include "control/snapshot.hpp"
#include "net/event_loop.hpp"
#include "net/tcp_listener.hpp"
#include "ppp/auth_factory.hpp"
#include "session/gre_drop_report.hpp"
#include "pptp/call_id_allocator.hpp"
#include "server/connection_deadlines.hpp"
#include "server/session_limits.hpp"
#include "server/terminate_cause.hpp"
#include "session/gre_drop_report.hpp"
#include "session/session.hpp"
#include "util/packet_buffer.hpp"

namespace pptpx::server {

class Connection;
struct CallTun;  // the call's own TUN device with [tun] per_session (defined by the daemon)
class Ipv6Addressing;

struct CallRecord {
  std::uint16_t call_id = 0;
  std::uint32_t address = 0;  // host order; 0 = none allocated
  bool routed = false;        // a /32 route to `address` is on the TUN device
  bool up = false;
  std::string user;
  std::uint64_t bytes_in = 0, bytes_out = 0;  // IP bytes from / to the client
  std::uint64_t packets_in = 0, packets_out = 0;
  std::uint64_t spoofed = 0;  // packets from the client with a source address not its own
  bool warned_gre_window = false, warned_mppe = false;  // first hostile GRE / MPPE drop logged
  session::GreStaleWarning stale_warning;  // stale GRE drops: logged at most every 10 s
  std::uint16_t mtu = 0;      // largest IP packet the client takes (ppp::LinkUpInfo::mtu); 0 before LinkUp
  // IPv6 ([ipv6] enabled, IPV6CP opened): the client's interface identifier, registered with
  // the daemon (unique among its calls); its /128 routes are on the shared TUN when ipv6_routed.
  std::optional<std::uint64_t> ipv6_id;
  bool ipv6_routed = false;
  std::uint64_t ipv6_unspecified = 0;  // IPv6 from "::" (DAD, early MLD): dropped, not spoofing
  Time up_since{};
  // For `pptpx ctl`, /metrics and the accounting log (server/connection_info.cpp).
  std::string auth, mppe;     // set at LinkUp: "MS-CHAPv2", "128-bit stateless" or "none"
  std::string interface;      // the server's TUN device carrying the call (set by the host at LinkUp)
  Time placed{};              // the call was set up (host_prepare_call): its setup time starts
  std::chrono::system_clock::time_point up_wall{};  // LinkUp, wall clock
  std::shared_ptr<CallTun> tun;  // per_session only; null: the shared TUN device
  // RADIUS: the Acct-Session-Id of its accounting (empty: none), and the Session-Timeout /
  // Idle-Timeout of its Access-Accept.
  std::string acct_session_id;
  SessionLimits limits;
};

// What a connection asks of the daemon.
class ConnectionHost {
 public:
  virtual ~ConnectionHost() = default;
  // Register the call (its address comes later, in host_prepare_network); false (with `why`) refuses it.
  virtual bool host_prepare_call(Connection& c, CallRecord& call, ppp::LinkConfig& config, std::string& why) = 0;
  // PPP authenticated `user`: choose the call's address (the user's static one or one from the
  // pool) and put it in `ipcp`; false (with `why`) ends the link.
  virtual bool host_prepare_network(Connection& c, CallRecord& call, const std::string& user, ppp::IpcpConfig& ipcp,
                                    std::string& why) = 0;
  virtual void host_link_up(Connection& c, CallRecord& call) = 0;
  // IPV6CP opened with these interface identifiers (after host_link_up): register the client's
  // identifier, add its addresses' routes. Called again after an LCP renegotiation.
  virtual void host_ipv6_up(Connection& c, CallRecord& call, std::uint64_t local_id, std::uint64_t peer_id) = 0;
  // Which IPv6 addresses belong to a client (anti-spoofing); see ipv6_addressing.hpp.
  virtual const Ipv6Addressing& host_ipv6_addressing() const = 0;
  // The call's PPP link ended (LinkDown `e`: its reason, and the name a peer that failed
  // authentication gave), before host_auth_failed and host_call_finished; call.up says whether
  // it had come up.
  virtual void host_link_down(Connection& c, CallRecord& call, const session::SessionEvent& e) = 0;
  virtual void host_call_finished(Connection& c, CallRecord& call) = 0;
  virtual void host_send_gre(in_addr peer, ByteView gre) = 0;
  virtual void host_write_tun(CallRecord& call, ByteView packet) = 0;
  virtual void host_mark_dirty(Connection& c) = 0;      // pump() me at the end of this callback
  virtual void host_flush() = 0;                          // pump what is marked, send queued GRE
  virtual void host_connection_done(Connection& c) = 0;  // delete me (later, not from this stack)
  // A call's PPP authentication failed; `user` is the name the peer gave (empty if none).
  virtual void host_auth_failed(Connection& c, const std::string& user) = 0;
};

class Connection final : private session::SessionOutput, private session::CallHooks {
 public:
  static constexpr Duration kDrainLimit = std::chrono::seconds(2);

  // `limits`: the connection's own deadlines (connection_deadlines.hpp), counted from now.
  Connection(ConnectionHost& host, std::uint64_t id, asio::ip::tcp::socket socket, const session::SessionConfig& config,
             pptp::CallIdAllocator& ids, ppp::AuthFactory& auth, asio::io_context& io,
             ConnectionDeadlines::Limits limits);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void start(Time now);
  void receive_gre(ByteView gre, Time now);
  // An IPv4 packet from the TUN device for `call_id`; false when dropped.
  bool send_ipv4(std::uint16_t call_id, PacketBuffer& packet, Time now);
  // The same for an IPv6 packet (PPP protocol 0x0057, RFC 5072 §2).
  bool send_ipv6(std::uint16_t call_id, PacketBuffer& packet, Time now);
  void stop(const std::string& reason, Time now, pptp::StopReason code = pptp::StopReason::None);
  // `pptpx ctl kill`: Call-Disconnect-Notify for each call (carrying `reason`), then
  // Stop-Control-Connection-Request (session::Session::terminate). `why`: what the server
  // decided, for the accounting Stop's Acct-Terminate-Cause (terminate_cause.hpp).
  void terminate(const std::string& reason, Time now, SessionEnd why = SessionEnd::OperatorKill);
  // What the server decided when it ended this connection (the first decision counts).
  void set_end(SessionEnd why) {
    if (end_ == SessionEnd::None) end_ = why;
  }
  SessionEnd end() const { return end_; }
  // Session-Timeout / Idle-Timeout: the first up call whose limit passed (CallRecord::limits).
  std::optional<SessionLimits::Expired> check_limits(Time now);
  // A CoA-Request (RFC 5176): new Session-Timeout / Idle-Timeout seconds for an up call (absent:
  // unchanged; 0: no limit). False when the call is unknown or not up.
  bool change_limits(std::uint16_t call_id, std::optional<std::uint32_t> session_timeout,
                     std::optional<std::uint32_t> idle_timeout);
  const std::map<std::uint16_t, CallRecord>& calls() const { return calls_; }
  const CallRecord* call_record(std::uint16_t call_id) const {
    auto it = calls_.find(call_id);
    return it == calls_.end() ? nullptr : &it->second;
  }
  // One row per call for `pptpx ctl sessions` (server/connection_info.cpp).
  void describe(std::vector<control::SessionInfo>& out, Time now) const;
  control::SessionInfo describe_call(const CallRecord& call, Time now) const;
  // The authentication method LCP agreed for the call ("" if none yet).
  std::string negotiated_auth(std::uint16_t call_id) const;
  // Hands TCP output to the stream, re-arms the timer, starts closing when the session closed.
  void pump(Time now);
  // Runs the session's timers now (an asynchronous verdict arrived for one of its machines).
  void wake(Time now) { on_timer(now); }

  std::uint64_t id() const { return id_; }
  // Still in its handshake: no call has reached LinkUp and the connection is not closing.
  bool handshaking() const { return !ever_up_ && !closing_ && expired_ == ConnectionDeadlines::Expired::none; }
  // Why the server ended it, for the daemon's counters: its send queue passed the bound (the peer
  // does not read), or one of its deadlines passed.
  bool send_queue_overflowed() const { return send_queue_overflowed_; }
  ConnectionDeadlines::Expired expired() const { return expired_; }
  in_addr peer() const { return peer_; }
  // The call's CallRecord::mtu (0: unknown call or not up yet).
  std::uint16_t call_mtu(std::uint16_t call_id) const {
    auto it = calls_.find(call_id);
    return it == calls_.end() ? std::uint16_t{0} : it->second.mtu;
  }
  const std::string& peer_text() const { return peer_text_; }
  bool dirty = false;  // queued for pump() by the host

 private:
  // SessionOutput
  void send_gre(MutableByteView packet) override;
  void deliver_ipv4(std::uint16_t call_id, ByteView packet) override;
  void deliver_ipv6(std::uint16_t call_id, ByteView packet) override;
  void on_event(const session::SessionEvent& event) override;
  // CallHooks
  bool prepare_call(std::uint16_t call_id, ppp::LinkConfig& config, std::string& why) override;
  bool prepare_network(std::uint16_t call_id, const std::string& user, ppp::IpcpConfig& ipcp,
                       ppp::Ipv6cpConfig& ipv6cp, std::string& why) override;
  void call_finished(std::uint16_t call_id) override;

  void on_bytes(ByteView bytes);
  void on_tcp_closed(const std::error_code& why);
  void on_timer(Time now);
  void check_drained(Time now);
  std::string who(const CallRecord* call) const;
  void note_drops(std::uint16_t call_id, Time now);  // log the first GRE-window / MPPE drop of a call
  // Its drop counters (and, for a link never up, its LCP negotiation counters), for the end line.
  std::string drop_summary(std::uint16_t call_id, bool never_up) const;
  bool send_ip(std::uint16_t call_id, PacketBuffer& packet, Time now, bool v6);
  void ipv6_up(CallRecord& call, const ppp::LinkUpInfo& link);

  ConnectionHost& host_;
  std::uint64_t id_;
  in_addr peer_{};
  std::string peer_text_;
  std::shared_ptr<net::TcpStream> stream_;
  net::DeadlineTimer timer_;
  ConnectionDeadlines deadlines_;
  ConnectionDeadlines::Expired expired_ = ConnectionDeadlines::Expired::none;
  bool send_queue_overflowed_ = false;
  std::unique_ptr<session::Session> session_;
  std::map<std::uint16_t, CallRecord> calls_;
  std::uint32_t gre_max_jump_ = 0;  // the GRE window's bound, for the log
  bool tcp_gone_ = false;
  bool ever_up_ = false;
  bool closing_ = false;
  bool done_ = false;
  Time closing_since_{};
  SessionEnd end_ = SessionEnd::None;
};

}  // namespace pptpx::server
