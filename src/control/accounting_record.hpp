// The accounting log's lines ([accounting] file, docs/control.md "Accounting log"): one JSON
// object per line, "start" when a session's link comes up and "stop" when it ends, with who,
// from where, the address, authentication and MPPE, times, traffic and why it ended. Pure
// formatting; server/accounting_log.cpp writes the lines.
#pragma once
#include <chrono>
#include <string>

#include "control/snapshot.hpp"

namespace pptpx::control {

using WallTime = std::chrono::system_clock::time_point;

// "2026-12-07T01:50:03.250Z" (RFC 3339, UTC, milliseconds).
std::string rfc3339(WallTime t);

// `s` describes the session (its traffic is used by the stop line only); `start` is when its
// link came up. No trailing newline.
std::string accounting_start(const SessionInfo& s, WallTime start);
std::string accounting_stop(const SessionInfo& s, WallTime start, WallTime end, const std::string& reason);

}  // namespace pptpx::control
