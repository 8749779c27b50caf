// RADIUS accounting (RFC 2866), sans I/O: Accounting-On when the server starts, Start when a
// session's network layer is up, Interim-Update every interval (the configured one, or the
// session's Acct-Interim-Interval from its Access-Accept, RFC 2869 §5.16), Stop with the
// Acct-Terminate-Cause (terminate_cause.hpp), Accounting-Off when the server stops. The requests
// go through the same radius::Client as authentication (its Identifiers, retransmission with
// Acct-Delay-Time, failover, dead servers) to the servers' accounting ports.
//
// A Stop that no server acknowledged waits in a bounded queue and is sent again every
// `stop_retry_interval` (its Acct-Delay-Time counting from the session's end), so a Stop
// survives a short outage. One pushed out by the bound, or older than `stop_max_age`, is
// dropped and handed to the shell's log with its contents (take_dropped). Starts, Interims and
// On/Off are not queued: a lost Interim is superseded by the next one.
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "radius/client.hpp"
#include "server/radius_auth.hpp"
#include "util/time.hpp"

namespace pptpx::server {

// What every record of one session carries.
struct AcctSessionInfo {
  std::string session_id;        // Acct-Session-Id (AcctSessionIds)
  std::string user;              // User-Name
  std::uint32_t framed_ip = 0;   // Framed-IP-Address, host order; 0: none
  std::string calling_station;   // Calling-Station-Id: the client's IPv4 address
  std::uint32_t nas_port = 0;    // NAS-Port: our Call ID
  std::vector<Bytes> classes;    // Class from the Access-Accept, echoed (RFC 2865 §5.25)
  bool radius_authenticated = false;  // Acct-Authentic RADIUS (1) or Local (2)
  Time started{};                // the network layer came up (Acct-Session-Time counts from it)
};

// IP traffic of the session: input is from the client, output is to it (RFC 2866 §5.3/§5.4).
struct AcctCounters {
  std::uint64_t in_octets = 0, out_octets = 0, in_packets = 0, out_packets = 0;
};

// One Accounting-Request: Acct-Status-Type, the session's attributes, and for Interim-Update and
// Stop its time and traffic (octets with RFC 2869 §5.1/§5.2 Gigawords for the bits above 32),
// and for Stop `cause`.
radius::Request build_accounting_request(radius::AcctStatus status, const AcctSessionInfo& session,
                                         const AcctCounters& counters, const NasIdentity& nas, Time now,
                                         std::optional<radius::TerminateCause> cause = std::nullopt);
// Accounting-On / Accounting-Off (RFC 2866 §5.1): the NAS's identity and `session_id`.
radius::Request build_accounting_on_off(radius::AcctStatus status, const NasIdentity& nas, const std::string& session_id);
// The attributes of a request, for the log: "Acct-Status-Type=Stop Acct-Session-Id=... ...".
std::string describe_accounting(const radius::Request& request);

// Acct-Session-Id values unique across restarts: the start time (UNIX seconds) and 16 random
// bits name this run, a counter the session: "65A1B2C3D4E5-00000001".
class AcctSessionIds {
 public:
  AcctSessionIds(std::uint32_t boot_unix_seconds, std::uint16_t random_bits);
  std::string next();
  const std::string& run_id() const { return run_; }

 private:
  std::string run_;
  std::uint32_t next_ = 1;
};

struct AccountingConfig {
  Duration interim_interval{};               // 0: no Interim-Update unless the Accept asks
  std::size_t stop_queue_limit = 1000;       // Stops waiting for a server to come back
  Duration stop_retry_interval = std::chrono::seconds{30};
  Duration stop_max_age = std::chrono::hours{24};
  Duration min_interim = std::chrono::seconds{1};  // floor for an Acct-Interim-Interval
};

struct AccountingCounters {
  std::uint64_t starts = 0, interims = 0, stops = 0, ons = 0, offs = 0;  // records made
  std::uint64_t sent = 0;               // submissions (a queued Stop sent again counts again)
  std::uint64_t acknowledged = 0;       // Accounting-Response received
  std::uint64_t failed = 0;             // no server answered a submission
  std::uint64_t stops_requeued = 0;     // Stops put back in the queue after a failure
  std::uint64_t stops_dropped = 0;      // Stops given up (queue bound, age, server exit)
};

class Accounting {
 public:
  using Key = std::uint64_t;  // the shell's name for a session
  // The session's traffic now; nullopt: it is gone (no Interim-Update).
  using CountersOf = std::function<std::optional<AcctCounters>(Key)>;

  Accounting(AccountingConfig config, radius::Client& client, NasIdentity nas, CountersOf counters_of);

  void accounting_on(const std::string& session_id, Time now);
  void accounting_off(const std::string& session_id, Time now);
  // `interim`: the Accept's Acct-Interim-Interval, which overrides the configured one.
  void start(Key key, AcctSessionInfo session, std::optional<Duration> interim, Time now);
  // The session ended (no-op for a key never started).
  void stop(Key key, const AcctCounters& counters, radius::TerminateCause cause, Time now);
  bool started(Key key) const { return sessions_.count(key) != 0; }

  // A completion from the client; false: not a request of this machine.
  bool complete(const radius::Completion& completion, Time now);
  void on_timer(Time now);
  std::optional<Time> deadline() const;

  // Stops given up since the last call, described for the log (describe_accounting).
  std::vector<std::string> take_dropped() { return std::exchange(dropped_, {}); }
  // The server exits: every Stop still waiting is dropped (take_dropped has them).
  void give_up_all();

  std::size_t in_flight() const { return in_flight_.size(); }
  std::size_t stops_queued() const { return queue_.size(); }
  std::size_t sessions() const { return sessions_.size(); }
  const AccountingCounters& counters() const { return counters_; }

 private:
  struct Session {
    AcctSessionInfo info;
    Duration interim{};
    std::optional<Time> next_interim;
  };
  struct InFlight {
    radius::AcctStatus status = radius::AcctStatus::Start;
    radius::Request request;  // kept for a Stop, to queue it again
  };
  struct Queued {
    radius::Request request;
    Time retry_at{};
  };

  void submit(radius::AcctStatus status, radius::Request request, Time now);
  void enqueue(radius::Request request, Time now);
  void drop(const radius::Request& request, const std::string& why);

  AccountingConfig config_;
  radius::Client& client_;
  NasIdentity nas_;
  CountersOf counters_of_;
  std::map<Key, Session> sessions_;
  std::set<std::pair<Time, Key>> interims_;  // (next Interim-Update, session): earliest first
  std::map<radius::RequestId, InFlight> in_flight_;
  std::deque<Queued> queue_;  // oldest first
  std::vector<std::string> dropped_;
  AccountingCounters counters_;
};

}  // namespace pptpx::server
