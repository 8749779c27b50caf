// The RADIUS client's request machine, sans I/O: requests in; datagrams for a server out;
// replies matched by Identifier and checked (Response Authenticator, Message-Authenticator,
// Code); retransmission after `timeout`, `retries` times per server; then failover to the
// next server. A server that lets `max_fail` requests in a row time out is dead for
// `fail_timeout` (like accel-ppp's max-fail / fail-timeout) and skipped while others live.
//
// Server choice: the live primary servers (backup = false) by smooth weighted round robin;
// the backups only when no primary is alive; when every server is dead, all are tried anyway
// (a dead mark is a hint, not a verdict).
//
// Identifiers: one space of 256 per server and port (RFC 2865 §3: the Identifier matches a
// reply to its request). A request that finds every Identifier busy waits in a queue.
// Access-Requests are retransmitted byte for byte (same Identifier and Authenticator, RFC 5080
// §2.2.1); Accounting-Requests get a fresh Identifier with Acct-Delay-Time updated (RFC 2866
// §5.2), since the Request Authenticator then changes.
#pragma once
#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "radius/packet.hpp"
#include "util/time.hpp"

namespace pptpx::radius {

struct ServerConfig {
  std::string name;      // for logs, e.g. "127.0.0.1:1812"
  std::string secret;
  unsigned weight = 1;   // among the primaries
  bool backup = false;
  // Refuse Access replies without a Message-Authenticator (the BlastRADIUS defence,
  // CVE-2024-3596). One that is present is always checked. Debian 12's FreeRADIUS 3.2.1 does
  // not put one in every reply, so this is a per-server choice.
  bool require_reply_message_authenticator = false;
};

struct ClientConfig {
  std::vector<ServerConfig> servers;
  Duration timeout = 3s;       // wait for a reply before retransmitting
  unsigned retries = 2;        // retransmissions per server (so 1 + retries sends)
  unsigned max_fail = 3;       // consecutive unanswered requests that mark a server dead
  Duration fail_timeout = 60s; // how long a dead server is skipped
};

enum class Port : std::uint8_t { Auth, Acct };

struct Request {
  Packet packet;                                // Code and attributes; Identifier/Authenticator set here
  std::optional<std::string> user_password;     // PAP: hidden per server (RFC 2865 §5.2)
  // Accounting: when the event it records happened (Acct-Delay-Time counts from then, RFC 2866
  // §5.2, also across a resubmission after an outage); unset: when submitted.
  std::optional<Time> event_time;
};

struct Datagram {
  std::size_t server = 0;
  Port port = Port::Auth;
  Bytes bytes;
};

using RequestId = std::uint64_t;

struct Completion {
  RequestId id = 0;
  // The checked reply, or nullopt when no server answered (every server tried, or cancelled).
  std::optional<Packet> reply;
  std::size_t server = 0;               // which server answered
  Authenticator request_authenticator{};  // of the request it answered (for MS-MPPE keys)
  std::string_view secret;              // that server's secret (valid while the config lives)
};

struct ClientCounters {
  std::uint64_t requests = 0, sent = 0, retransmissions = 0, failovers = 0, replies = 0, unanswered = 0;
  std::uint64_t dropped_malformed = 0;      // did not parse
  std::uint64_t dropped_unknown_id = 0;     // no outstanding request with that Identifier there
  std::uint64_t dropped_bad_authenticator = 0;  // Response/Message-Authenticator wrong or missing
  std::uint64_t dropped_wrong_code = 0;     // a reply Code that does not answer the request
  std::uint64_t servers_marked_dead = 0;
  std::uint64_t queued_for_identifier = 0;
};

class Client {
 public:
  // `random` fills Request Authenticators (RFC 2865 §3: unpredictable); nullptr: OpenSSL.
  explicit Client(ClientConfig config, std::function<void(MutableByteView)> random = {});

  // Sends an Access-Request (Code AccessRequest, Port::Auth) or an Accounting-Request
  // (Port::Acct). Throws std::invalid_argument without servers.
  RequestId submit(Request request, Time now);
  // Forgets the request: no completion, no further sends.
  void cancel(RequestId id);

  // A datagram that arrived from server `server`'s `port` (the shell maps the source address;
  // datagrams from anywhere else never get here and are counted by the shell).
  void receive(std::size_t server, Port port, ByteView datagram, Time now);
  void on_timer(Time now);
  std::optional<Time> deadline() const;

  std::vector<Datagram> take_output() { return std::exchange(output_, {}); }
  std::vector<Completion> take_completions() { return std::exchange(completions_, {}); }

  const ClientCounters& counters() const { return counters_; }
  bool server_alive(std::size_t server, Time now) const { return servers_.at(server).dead_until <= now; }
  std::size_t outstanding() const { return active_.size() + waiting_.size(); }
  const ClientConfig& config() const { return config_; }

 private:
  struct ServerState {
    std::array<std::array<RequestId, 256>, 2> owner{};  // per port and Identifier; 0 = free
    std::array<std::uint8_t, 2> next_id{};
    unsigned consecutive_failures = 0;
    Time dead_until{};
    long current_weight = 0;  // smooth weighted round robin
  };
  struct Active {
    Request request;
    Port port = Port::Auth;
    std::size_t server = 0;
    std::uint8_t identifier = 0;
    Authenticator authenticator{};
    Bytes wire;
    unsigned sends = 0;          // on this server
    Time first_sent{};           // of the whole request (Acct-Delay-Time)
    Time next_timeout{};
    std::vector<bool> tried;     // per server
  };

  std::optional<std::size_t> choose_server(const std::vector<bool>& tried, Time now);
  bool start_on(RequestId id, Active& a, Time now);  // false: no free Identifier on that server
  void send(Active& a, Time now);
  void release_identifier(const Active& a);
  void give_up_on_server(RequestId id, Active& a, Time now);
  // Completes and erases `a` (a reference into active_); `release`: free its Identifier.
  void finish(RequestId id, Active& a, std::optional<Packet> reply, Time now, bool release = true);
  void drain_waiting(Time now);

  ClientConfig config_;
  std::function<void(MutableByteView)> random_;
  std::vector<ServerState> servers_;
  std::map<RequestId, Active> active_;
  std::deque<std::pair<RequestId, Active>> waiting_;  // no free Identifier yet
  RequestId next_request_ = 1;
  std::vector<Datagram> output_;
  std::vector<Completion> completions_;
  ClientCounters counters_;
};

}  // namespace pptpx::radius
