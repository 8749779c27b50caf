#include "control/session_metrics.hpp"

namespace pptpx::control {

void SessionMetrics::setup_succeeded(Duration took) {
  ++setups_["success"];
  const double s = std::chrono::duration<double>(took).count();
  ++setup_count_;
  setup_sum_ += s;
  for (std::size_t i = 0; i < kSetupBuckets.size(); ++i) {
    if (s <= kSetupBuckets[i]) ++buckets_[i];
  }
}

void SessionMetrics::setup_failed(const std::string& reason) { ++setups_[classify_failure(reason)]; }

void SessionMetrics::auth_failed(const std::string& method, const std::string& reason) {
  ++auth_failures_[{method.empty() ? "none" : method, reason}];
}

void SessionMetrics::session_ended(const std::string& user, const Traffic& t) {
  ended_ += t;
  by_user_[user] += t;
}

std::string SessionMetrics::classify_failure(const std::string& reason) {
  auto has = [&](const char* s) { return reason.find(s) != std::string::npos; };
  if (reason.rfind("authentication failed", 0) == 0) return "auth_failed";
  if (has("no address") || has("pool") || has("no address (")) return "no_address";
  if (has("timed out") || has("timeout") || has("no answer") || has("no reply")) return "timeout";
  if (has("peer sent") || has("closed") || has("TCP")) return "peer_closed";
  return "failed";
}

}  // namespace pptpx::control
