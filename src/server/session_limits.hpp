// A session's time limits from RADIUS (RFC 2865 §5.27 Session-Timeout, §5.28 Idle-Timeout),
// sans I/O: the daemon checks every up call once a second with its traffic so far (IP packets
// either way); a limit that passed names the SessionEnd (terminate_cause.hpp) and the reason the
// session ends with.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "server/terminate_cause.hpp"
#include "util/time.hpp"

namespace pptpx::server {

class SessionLimits {
 public:
  SessionLimits() = default;
  SessionLimits(Time up, std::optional<Duration> session_timeout, std::optional<Duration> idle_timeout)
      : up_(up), session_timeout_(session_timeout), idle_timeout_(idle_timeout), last_activity_(up) {}

  bool any() const { return session_timeout_ || idle_timeout_; }

  // A CoA-Request (RFC 5176 [Note 3]): a value given replaces the limit (0: no limit), an absent
  // one leaves it. Session-Timeout still counts from `up` (RFC 2865 §5.27); the idle clock goes on.
  void change(Time up, std::optional<std::uint32_t> session_seconds, std::optional<std::uint32_t> idle_seconds) {
    if (!any()) {
      up_ = up;
      last_activity_ = up;
    }
    const auto limit = [](std::uint32_t s) {
      return s == 0 ? std::optional<Duration>() : std::optional<Duration>(std::chrono::seconds{s});
    };
    if (session_seconds) session_timeout_ = limit(*session_seconds);
    if (idle_seconds) idle_timeout_ = limit(*idle_seconds);
  }

  struct Expired {
    SessionEnd end = SessionEnd::None;
    std::string reason;
  };
  // `traffic`: a count that grows with every packet (the idle clock restarts when it changed).
  std::optional<Expired> check(Time now, std::uint64_t traffic) {
    if (traffic != traffic_) {
      traffic_ = traffic;
      last_activity_ = now;
    }
    if (session_timeout_ && now - up_ >= *session_timeout_)
      return Expired{SessionEnd::SessionTimeout, "Session-Timeout of " + seconds(*session_timeout_) + " reached"};
    if (idle_timeout_ && now - last_activity_ >= *idle_timeout_)
      return Expired{SessionEnd::IdleTimeout, "Idle-Timeout of " + seconds(*idle_timeout_) + " reached (no traffic)"};
    return std::nullopt;
  }

 private:
  static std::string seconds(Duration d) {
    return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(d).count()) + " s";
  }
  Time up_{};
  std::optional<Duration> session_timeout_, idle_timeout_;
  Time last_activity_{};
  std::uint64_t traffic_ = 0;
};

}  // namespace pptpx::server
