// [radius] in server.toml, and where users come from ([auth] source). Parsed by config.cpp;
// used by radius_service.cpp.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/time.hpp"

namespace pptpx::server {

// [auth] source: "secrets" (the chap-secrets file only), "radius" (RADIUS only), or
// "radius-then-secrets" (the secrets file only when no RADIUS server answers; never after a
// Reject).
enum class AuthSource : std::uint8_t { secrets, radius, radius_then_secrets };
std::string_view to_string(AuthSource s);

struct RadiusServerEntry {
  std::string address;          // IPv4 literal
  std::uint16_t auth_port = 1812;
  std::uint16_t acct_port = 1813;
  std::string secret;           // or read from secret_file at start
  std::string secret_file;
  unsigned weight = 1;
  bool backup = false;
  bool require_message_authenticator = false;  // in Access replies (BlastRADIUS)
};

// [radius.dae]: Dynamic Authorization (RFC 5176) — Disconnect-Request and CoA-Request from the
// listed clients (radius/dae.hpp, server/dae_service.cpp). Off unless `listen` is set.
struct DaeClientEntry {
  std::string address;  // IPv4 literal: requests from elsewhere are dropped and counted
  std::string secret;   // or read from secret_file at start
  std::string secret_file;
  bool require_message_authenticator = false;
};

struct DaeServerConfig {
  std::string listen;  // "ADDRESS:PORT" as written; empty: no DAE listener
  std::string address;
  std::uint16_t port = 3799;  // RFC 5176 §3
  std::vector<DaeClientEntry> clients;
  unsigned event_timestamp_window = 300;  // seconds (RFC 5176 §3.5 recommends 300)
  bool require_event_timestamp = false;
};

struct RadiusConfig {
  std::vector<RadiusServerEntry> servers;
  Duration timeout = std::chrono::seconds{3};
  unsigned retries = 2;
  unsigned max_fail = 3;
  Duration fail_timeout = std::chrono::seconds{60};
  std::string nas_identifier = "pptpx";
  std::string nas_ip_address;  // IPv4 literal; empty: not sent
  // Accounting (RFC 2866) to the servers' acct_port: on whenever servers are configured, also
  // with [auth] source = "secrets", unless accounting = false.
  bool accounting = true;
  Duration interim_interval{};  // 0: none unless the Access-Accept sends Acct-Interim-Interval
  std::size_t stop_queue_limit = 1000;  // Stops kept while no server answers
  Duration stop_retry_interval = std::chrono::seconds{30};
  Duration stop_max_age = std::chrono::hours{24};
  // A Reject's Reply-Message goes to the client (PAP Nak, CHAP Failure, MS-CHAPv2 "M="). Off by
  // default: the client then sees the same text for every refusal, so it cannot tell an unknown
  // user from a wrong password even when the RADIUS server's messages differ (issue 16).
  bool reply_message_to_client = false;
  DaeServerConfig dae;
};

}  // namespace pptpx::server
