// `pptpx migrate status`: who still depends on PPTP. Reads pptpx's accounting log (JSON lines,
// docs/control.md), the users.csv that `pptpx migrate wireguard` wrote, and optionally the output
// of `wg show INTERFACE dump` (wg(8)), and says per user: on PPTP (last seen when, how many days
// ago), moved to WireGuard (a WireGuard handshake later than the last PPTP use), or never seen.
// It also plans the secrets-file change that disables users who moved (--disable-after). Pure:
// texts and the current time in, results out.
#pragma once
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "migrate/pptpd_import.hpp"

namespace pptpx::migrate {

struct StatusInput {
  std::vector<SourceText> accounting;    // pptpx accounting logs (any order; rotated files too)
  std::optional<SourceText> users_csv;   // from `pptpx migrate wireguard`
  std::optional<SourceText> wg_dump;     // `wg show wg0 dump` or `wg show all dump`
  std::vector<std::string> pptp_users;   // users of the secrets file (may be empty)
  std::int64_t now = 0;                  // Unix seconds
};

enum class UserState { on_pptp, moved, never_seen };
const char* to_string(UserState s);

struct UserStatus {
  std::string user;
  UserState state = UserState::never_seen;
  std::uint64_t pptp_sessions = 0;           // start lines
  std::optional<std::int64_t> last_pptp;     // Unix seconds of the user's last accounting line
  std::string last_pptp_text;                // that line's time as written
  bool pptp_connected = false;               // the last line is a start (no stop yet)
  std::optional<std::int64_t> days_without_pptp;
  bool wireguard_config = false;             // in users.csv
  std::string wireguard_address;
  std::optional<std::int64_t> wireguard_handshake;  // Unix seconds, from the dump
  bool in_secrets = false;
};

struct StatusResult {
  std::vector<UserStatus> users;    // sorted by user name
  std::vector<std::string> errors;  // "file:line: what is wrong; what to do"
};

StatusResult migration_status(const StatusInput& in);

// The table for people, and the same as a JSON document ({"now": ..., "users": [...]}).
std::string format_status_table(const StatusResult& r);
std::string format_status_json(const StatusResult& r, std::int64_t now);

// RFC 3339 UTC time (`2026-12-07T02:14:33.718Z`, fraction optional, `Z` or `+00:00`) to Unix
// seconds; nullopt if it is not one.
std::optional<std::int64_t> parse_rfc3339_utc(const std::string& text);
std::string format_rfc3339_utc(std::int64_t unix_seconds);

// Comments out every secrets-file line of the given users, with a note saying why.
struct DisablePlan {
  std::string new_text;
  std::string diff;                   // "-old\n+new\n" per changed line, with file:line headers
  std::vector<std::string> disabled;  // users whose lines were changed
};
DisablePlan plan_disable(const SourceText& secrets, const std::set<std::string>& users, const std::string& note);

}  // namespace pptpx::migrate
