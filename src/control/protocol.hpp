// The control socket's protocol (docs/control.md): JSON lines over a Unix stream socket. Each
// request is one JSON object on one line, {"command": "sessions", ...}; each answer is one line,
// {"ok": true, "result": {...}} or {"ok": false, "error": "one sentence"}. Sans-I/O: a line in,
// a line out, over a Backend (snapshot.hpp) the daemon provides.
#pragma once
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "control/snapshot.hpp"

namespace pptpx::control {

// Longest request line the server reads; a longer one is answered with an error and the
// connection is closed.
constexpr std::size_t kMaxRequestLine = 64 * 1024;

// Answers one request line (without its '\n'); the answer has no '\n' either.
std::string handle_request(std::string_view line, Backend& backend);

// JSON forms of the snapshot (the stable fields of docs/control.md).
nlohmann::json to_json(const SessionInfo& s);
nlohmann::json stats_json(const Snapshot& s);
nlohmann::json pool_json(const PoolInfo& p);
nlohmann::json lockouts_json(const std::vector<LockoutInfo>& l);

// Sessions by state ("negotiating", "up", "closing"), every state present.
std::vector<std::pair<std::string, std::uint64_t>> sessions_by_state(const std::vector<SessionInfo>& s);
// Ended sessions' traffic plus the live sessions'.
Traffic total_traffic(const Snapshot& s);

}  // namespace pptpx::control
