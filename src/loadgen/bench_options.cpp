#include "loadgen/bench_options.hpp"

#include <cmath>

namespace pptpx::loadgen {

std::string validate(const BenchOptions& o) {
  if (o.server.empty()) return "give the server to load: pptpx bench SERVER --sessions N --rate R ...";
  if (o.user.empty()) return "--user is required (a user the server's secrets file knows)";
  if (o.password_file.empty()) return "--password-file is required (the password on its first line)";
  if (o.sessions == 0) return "--sessions must be at least 1";
  if (o.sessions > kMaxSessions)
    return "--sessions " + std::to_string(o.sessions) + " is more than one process can demultiplex by Call ID; use at most " +
           std::to_string(kMaxSessions) + " (run several bench processes for more)";
  if (!std::isfinite(o.rate) || o.rate <= 0) return "--rate must be a positive number of sessions per second, e.g. 500";
  if (o.concurrency == 0) return "--concurrency must be at least 1 (setups in progress at once)";
  if (!std::isfinite(o.hold_seconds) || o.hold_seconds < 0 || o.hold_seconds > 86400)
    return "--hold must be 0..86400 seconds";
  if (!std::isfinite(o.setup_timeout_seconds) || o.setup_timeout_seconds <= 0 || o.setup_timeout_seconds > 3600)
    return "--setup-timeout must be more than 0 and at most 3600 seconds";
  if (!std::isfinite(o.ping_timeout_seconds) || o.ping_timeout_seconds <= 0 || o.ping_timeout_seconds > 600)
    return "--ping-timeout must be more than 0 and at most 600 seconds";
  return {};
}

}  // namespace pptpx::loadgen
