// The server holds one TCP socket per session (and one TUN fd more with [tun] per_session), so
// the usual soft limit of 1,024 open files would refuse connections long before [limits]
// max_sessions. At start the server raises its soft RLIMIT_NOFILE towards what max_sessions
// needs, up to the hard limit, and warns when even the hard limit is too low.
#pragma once
#include <cstdint>
#include <string>

namespace pptpx::server {

// Open files the server may need: `per_session` fds per session (1, or 2 with a TUN per
// session) for max_sessions sessions, plus a reserve for listeners, sockets, TUN, netlink,
// the secrets file and logs.
std::uint64_t open_files_needed(std::uint32_t max_sessions, bool tun_per_session);

constexpr std::uint64_t kOpenFilesReserve = 64;

struct OpenFilesResult {
  std::uint64_t before = 0, after = 0, hard = 0;
  std::string warning;  // non-empty: the limit stays below what is needed (one sentence with the fix)
};
// Raises the soft limit to min(needed, hard) when it is lower; never lowers it.
OpenFilesResult raise_open_files_limit(std::uint64_t needed);

}  // namespace pptpx::server
