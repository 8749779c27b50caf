// Dynamic Authorization (RFC 5176, which obsoletes RFC 3576): the NAS side of Disconnect-Request
// and CoA-Request. Sans-I/O: a datagram, its source address and the time in; the reply datagram
// (or a counted drop) out, with the matched sessions acted on through a DaeTarget the daemon
// implements. The UDP socket lives in server/dae_service.cpp.
//
// Dropped silently and counted (RFC 5176 §2.3, §3.5, RFC 2865 §3):
//   - a source address that is no configured client ("RADIUS clients MUST use the source IP
//     address ... to decide which shared secret to use"),
//   - a packet that does not parse, or is not a Disconnect-Request / CoA-Request,
//   - a bad Request Authenticator (MD5 over the packet with a zero Authenticator and the secret,
//     RFC 5176 §2.3 / RFC 2866 §3), a bad Message-Authenticator, or none when the client is
//     configured to require one (RFC 5176 §3.5 / RFC 3579 §3.2),
//   - an Event-Timestamp outside the window (RFC 5176 §3.5 "MUST be silently discarded"; default
//     300 s as recommended there), or none when configured to require one.
// Answered with a NAK and an Error-Cause (RFC 5176 §3.5, §3.6):
//   401 Unsupported Attribute  an attribute we do not act on (all attributes are mandatory,
//                              RFC 5176 §3: "MUST respond ... with a NAK"),
//   402 Missing Attribute      no session identification attribute at all,
//   403 NAS Identification Mismatch  a NAS-IP-Address / NAS-Identifier that is not ours,
//   405 Unsupported Service    a Service-Type other than Framed (Authorize Only MUST be NAKed),
//   407 Invalid Attribute Value  a malformed value (an address that is not 4 octets, ...),
//   503 Session Context Not Found  no session matches.
// Sessions are matched by Acct-Session-Id, User-Name, Framed-IP-Address and Calling-Station-Id;
// when several are given, a session must match all of them; every matching session is acted on.
// A retransmission (same client, port, Identifier and Request Authenticator, RFC 5176 §2.3) gets
// the reply the first copy got, without acting again.
#pragma once
#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "radius/packet.hpp"
#include "util/time.hpp"

namespace pptpx::radius {

// RFC 5176 §3.5 Error-Cause values.
enum class ErrorCause : std::uint32_t {
  UnsupportedAttribute = 401,
  MissingAttribute = 402,
  NasIdentificationMismatch = 403,
  InvalidRequest = 404,
  UnsupportedService = 405,
  InvalidAttributeValue = 407,
  SessionContextNotFound = 503,
};

inline constexpr std::uint32_t kServiceTypeAuthorizeOnly = 17;  // RFC 5176 §3.2
inline constexpr std::uint8_t kAttrNasIpv6Address = 95;         // RFC 3162 §2.1

struct DaeClient {
  std::uint32_t address = 0;  // IPv4, host order
  std::string secret;
  bool require_message_authenticator = false;
};

struct DaeConfig {
  std::vector<DaeClient> clients;
  std::chrono::seconds event_timestamp_window{300};
  bool require_event_timestamp = false;
  // Our NAS identification: a request naming another NAS is NAKed with 403.
  std::string nas_identifier;
  std::optional<std::uint32_t> nas_ip_address;  // host order
  Duration duplicate_memory = std::chrono::seconds{30};
};

// What a request can be matched against: one session (call) of the NAS.
struct DaeSession {
  std::uint64_t key = 0;            // the target's own handle
  std::string acct_session_id;
  std::string user_name;
  std::uint32_t framed_ip = 0;      // host order; 0: none
  std::string calling_station_id;
};

struct SessionMatch {
  std::optional<std::string> acct_session_id, user_name, calling_station_id;
  std::optional<std::uint32_t> framed_ip;
  bool empty() const { return !acct_session_id && !user_name && !calling_station_id && !framed_ip; }
  bool matches(const DaeSession& s) const;
};

// A CoA's authorization changes (seconds; 0: no limit).
struct CoaChange {
  std::optional<std::uint32_t> session_timeout, idle_timeout;
};

class DaeTarget {
 public:
  virtual ~DaeTarget() = default;
  virtual std::vector<DaeSession> dae_sessions() const = 0;
  virtual void dae_disconnect(const DaeSession& session) = 0;
  virtual void dae_change(const DaeSession& session, const CoaChange& change) = 0;
};

enum class DaeDrop : std::uint8_t {
  UnknownClient,
  Malformed,
  NotARequest,
  BadAuthenticator,
  BadMessageAuthenticator,
  EventTimestamp,
};
std::string_view to_string(DaeDrop d);

struct DaeCounters {
  std::uint64_t received = 0;
  std::uint64_t dropped_unknown_client = 0, dropped_malformed = 0, dropped_not_request = 0,
                dropped_bad_authenticator = 0, dropped_bad_message_authenticator = 0, dropped_event_timestamp = 0;
  std::uint64_t disconnect_ack = 0, disconnect_nak = 0, coa_ack = 0, coa_nak = 0;
  std::uint64_t duplicates = 0;     // retransmissions answered from memory
  std::uint64_t sessions_disconnected = 0, sessions_changed = 0;
};

struct DaeOutcome {
  std::optional<DaeDrop> dropped;
  Bytes reply;                            // the datagram to send back; empty when dropped
  Code request = Code::DisconnectRequest;
  Code reply_code = Code::DisconnectNak;
  std::optional<ErrorCause> error;
  std::size_t matched = 0;
  bool duplicate = false;
  std::string detail;                     // for the log: which attribute, ...
};

class DaeServer {
 public:
  explicit DaeServer(DaeConfig config) : config_(std::move(config)) {}

  // `unix_now`: wall-clock seconds (for Event-Timestamp); `now`: monotonic (duplicate memory).
  DaeOutcome receive(std::uint32_t source_address, std::uint16_t source_port, ByteView datagram,
                     std::int64_t unix_now, Time now, DaeTarget& target);

  const DaeCounters& counters() const { return counters_; }
  const DaeConfig& config() const { return config_; }

 private:
  struct Remembered {
    std::uint32_t address;
    std::uint16_t port;
    std::uint8_t identifier;
    Authenticator authenticator;
    Time until;
    DaeOutcome outcome;
  };
  DaeOutcome drop(DaeDrop why, std::string detail);

  DaeConfig config_;
  DaeCounters counters_;
  std::deque<Remembered> recent_;
};

}  // namespace pptpx::radius
