#include "server/open_files_limit.hpp"

#include <sys/resource.h>

#include <algorithm>

namespace pptpx::server {

std::uint64_t open_files_needed(std::uint32_t max_sessions, bool tun_per_session) {
  return static_cast<std::uint64_t>(max_sessions) * (tun_per_session ? 2u : 1u) + kOpenFilesReserve;
}

OpenFilesResult raise_open_files_limit(std::uint64_t needed) {
  OpenFilesResult r;
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
    r.warning = "cannot read the open-files limit (getrlimit)";
    return r;
  }
  r.before = r.after = rl.rlim_cur;
  r.hard = rl.rlim_max;
  if (rl.rlim_cur < needed) {
    rlimit raised = rl;
    raised.rlim_cur = std::min<rlim_t>(rl.rlim_max, needed);
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) r.after = raised.rlim_cur;
  }
  if (r.after < needed)
    r.warning = "the open-files limit is " + std::to_string(r.after) + " (hard " + std::to_string(r.hard) +
                ") but [limits] max_sessions needs about " + std::to_string(needed) +
                "; raise it (LimitNOFILE= in the systemd unit, or ulimit -n) or lower max_sessions";
  return r;
}

}  // namespace pptpx::server
