// What `pptpx ctl` and /metrics read: a copy of the daemon's state at one moment, in plain
// values (no pointers into the daemon), so the protocol and handlers in this folder stay
// sans-I/O and testable without a server. The daemon fills it (server/operations.cpp).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "control/session_metrics.hpp"

namespace pptpx::control {

// One call (a PPP session) of one control connection. Field names match the JSON (docs/control.md).
struct SessionInfo {
  std::uint64_t id = 0;            // the control connection's number ("#12" in the server log)
  std::string user;                // empty until PPP authentication succeeded
  std::string peer_address;        // the client's IPv4 address
  std::uint16_t peer_port = 0;
  std::uint16_t call_id = 0;       // our Call ID (RFC 2637 §2.8)
  std::string ipv4;                // tunnel address handed to the client; empty: none yet
  std::string ipv6;                // the client's link-local IPv6 address; empty: none
  std::string interface;           // the server's TUN device carrying it
  std::string auth;                // "MS-CHAPv2", ...; empty before authentication
  std::string mppe;                // "128-bit stateless"; "none" when unencrypted; empty before
  std::string state;               // "negotiating", "up" or "closing"
  std::int64_t started = 0;        // UNIX seconds when the link came up (0: not up)
  std::int64_t uptime_seconds = 0; // since the link came up
  std::uint64_t received_bytes = 0, sent_bytes = 0;      // IP bytes from / to the client
  std::uint64_t received_packets = 0, sent_packets = 0;
  std::string acct_session_id;     // RADIUS Acct-Session-Id; empty: no RADIUS accounting
};

struct LockoutInfo {
  std::string kind;  // "address" or "user"
  std::string key;   // the address or the user name
  std::int64_t seconds_left = 0;
};

struct PoolInfo {
  std::string first, last, server_address;
  std::uint64_t dynamic_capacity = 0;                           // addresses the pool can hand out
  std::vector<std::pair<std::string, std::string>> in_use;      // (address, user)
  std::vector<std::pair<std::string, std::string>> reserved;    // static: (address, user)
};

// Named counters of the daemon itself (drops by reason, refusals, ...): (name, value).
using NamedCounters = std::vector<std::pair<std::string, std::uint64_t>>;

struct DaemonCounters {
  std::int64_t uptime_seconds = 0;
  NamedCounters gre_dropped;   // reason -> packets (pptpx_gre_dropped_total{reason})
  NamedCounters tun_dropped;   // reason -> packets (pptpx_tun_dropped_total{reason})
  std::uint64_t gre_received = 0, gre_sent = 0;  // datagrams on the raw GRE socket
  std::uint64_t icmp_too_big_sent = 0;
  std::uint64_t mss_clamped = 0;
  std::uint64_t connections_refused = 0;
  NamedCounters connections_closed;  // reason -> control connections the server closed itself
  std::uint64_t connections = 0;  // control connections open now
  // RADIUS Dynamic Authorization (RFC 5176), empty without [radius.dae]: "received",
  // "dropped_<reason>", "disconnect_ack", "disconnect_nak", "coa_ack", "coa_nak", ...
  // (pptpx_radius_dae_total{event})
  NamedCounters radius_dae;
};

// The RADIUS client ([radius]): filled only when RADIUS is in use.
struct RadiusCounters {
  bool enabled = false;
  NamedCounters requests;    // "access_requests", "accepts", "rejects", "retransmissions", "timeouts", ...
  NamedCounters accounting;  // "starts", "interims", "stops", "sent", "acknowledged", "failed", ...
  NamedCounters dropped;     // replies dropped by reason (malformed, unknown_id, bad_authenticator, ...)
  std::uint64_t stops_queued = 0;  // Stops waiting for a server now
  std::vector<std::pair<std::string, bool>> servers;  // (address:port, alive)
};

struct Snapshot {
  std::vector<SessionInfo> sessions;
  std::vector<LockoutInfo> lockouts;
  PoolInfo pool;
  DaemonCounters daemon;
  RadiusCounters radius;
  const SessionMetrics* metrics = nullptr;  // cumulative counters (never null from the daemon)
};

// What `ctl reload` did: applied changes, and the changed settings only a restart applies.
struct ReloadReport {
  std::vector<std::string> errors;         // non-empty: nothing was applied
  std::vector<std::string> applied;        // e.g. "secrets file: 12 users"
  std::vector<std::string> needs_restart;  // e.g. "[listen] port"
};

// What the daemon lets the control socket do.
class Backend {
 public:
  virtual ~Backend() = default;
  virtual Snapshot snapshot() = 0;
  // Ends control connection `id` (Call-Disconnect-Notify for its calls, then
  // Stop-Control-Connection-Request). False: no such connection.
  virtual bool terminate(std::uint64_t id, const std::string& reason) = 0;
  // Clears an address or user lockout; false: `key` is not locked out.
  virtual bool unlock(const std::string& key) = 0;
  virtual ReloadReport reload() = 0;
};

}  // namespace pptpx::control
