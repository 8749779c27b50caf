// Cumulative session figures since the server started, for `ctl stats` and /metrics: setups by
// result, the time a setup took (a histogram), authentication failures by method and reason,
// and the bytes and packets of sessions that have ended (live sessions are added at read time,
// from the snapshot). Sans-I/O: the daemon reports events; durations are arguments.
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "util/time.hpp"

namespace pptpx::control {

struct Traffic {
  std::uint64_t received_bytes = 0, sent_bytes = 0, received_packets = 0, sent_packets = 0;
  Traffic& operator+=(const Traffic& o) {
    received_bytes += o.received_bytes;
    sent_bytes += o.sent_bytes;
    received_packets += o.received_packets;
    sent_packets += o.sent_packets;
    return *this;
  }
};

class SessionMetrics {
 public:
  // Upper bounds (seconds) of pptpx_session_setup_seconds: a LAN login takes tens of
  // milliseconds, a slow client over a lossy path seconds, and [limits] timeouts cap it at 30 s
  // by default per stage.
  static constexpr std::array<double, 10> kSetupBuckets{0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  // A call's link came up `took` after the call was placed.
  void setup_succeeded(Duration took);
  // A call ended before its link came up; `reason` is the session's reason text.
  void setup_failed(const std::string& reason);
  // An authentication failed; `method` like "MS-CHAPv2" (empty: none negotiated yet), `reason`
  // one of "rejected", "locked_out", "no_response".
  void auth_failed(const std::string& method, const std::string& reason);
  // A session that was up ended with this traffic; `user` for the per-user series.
  void session_ended(const std::string& user, const Traffic& t);

  // The result label of a failed setup: "auth_failed", "timeout", "no_address", "peer_closed" or "failed".
  static std::string classify_failure(const std::string& reason);

  const std::map<std::string, std::uint64_t>& setups() const { return setups_; }  // result -> count
  const std::map<std::pair<std::string, std::string>, std::uint64_t>& auth_failures() const { return auth_failures_; }
  // Cumulative counts per bucket of kSetupBuckets (each includes those below), then the sum.
  const std::array<std::uint64_t, kSetupBuckets.size()>& setup_buckets() const { return buckets_; }
  std::uint64_t setup_count() const { return setup_count_; }
  double setup_sum_seconds() const { return setup_sum_; }
  const Traffic& ended() const { return ended_; }
  const std::map<std::string, Traffic>& ended_by_user() const { return by_user_; }

 private:
  std::map<std::string, std::uint64_t> setups_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> auth_failures_;
  std::array<std::uint64_t, kSetupBuckets.size()> buckets_{};
  std::uint64_t setup_count_ = 0;
  double setup_sum_ = 0;
  Traffic ended_;
  std::map<std::string, Traffic> by_user_;
};

}  // namespace pptpx::control
