// Deadlines of a whole control connection in the server (issue 19 item 3), beyond the session's
// own ([limits] control_setup_seconds until the Start-Control-Connection-Request, and
// network_setup_seconds per call until its link is up). Without them a peer that opens calls and
// never brings a link up (its calls end, it opens new ones, control Echo-Requests keep TCP alive)
// held a [limits] max_handshakes_in_progress slot for ever, so 64 of them locked everyone out.
//   - first link: no link up within control_setup + network_setup of accept -> close;
//   - no call: no call for [limits] no_call_seconds (from accept, or from the end of the last
//     call) -> close. PPTP clients open their call right after the control connection and stop
//     it after the call, so an honest one never meets this.
// Sans-I/O: times in, the next deadline and the reason out. A zero limit is no deadline.
#pragma once
#include <cstddef>
#include <optional>
#include <string>

#include "util/time.hpp"

namespace pptpx::server {

class ConnectionDeadlines {
 public:
  struct Limits {
    Duration first_link{};  // control_setup_seconds + network_setup_seconds
    Duration no_call{};     // no_call_seconds
  };
  enum class Expired { none, first_link, no_call };

  ConnectionDeadlines(Limits limits, Time accepted)
      : limits_(limits), accepted_(accepted), no_call_since_(accepted) {}

  void link_up() { link_up_ = true; }
  // The connection now holds `calls` calls (set up or being set up).
  void set_calls(std::size_t calls, Time now) {
    if (calls == 0 && calls_ > 0) no_call_since_ = now;
    calls_ = calls;
  }

  std::optional<Time> deadline() const {
    std::optional<Time> d;
    if (!link_up_ && limits_.first_link > Duration::zero()) d = accepted_ + limits_.first_link;
    if (calls_ == 0 && limits_.no_call > Duration::zero()) {
      const Time t = no_call_since_ + limits_.no_call;
      if (!d || t < *d) d = t;
    }
    return d;
  }

  Expired expired(Time now) const {
    if (!link_up_ && limits_.first_link > Duration::zero() && now >= accepted_ + limits_.first_link)
      return Expired::first_link;
    if (calls_ == 0 && limits_.no_call > Duration::zero() && now >= no_call_since_ + limits_.no_call)
      return Expired::no_call;
    return Expired::none;
  }

  // The log's sentence for an expiry.
  std::string reason(Expired e) const {
    const auto secs = [](Duration d) { return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(d).count()); };
    if (e == Expired::first_link)
      return "no link up within " + secs(limits_.first_link) +
             " s of the connection ([limits] control_setup_seconds + network_setup_seconds)";
    if (e == Expired::no_call) return "no call for " + secs(limits_.no_call) + " s ([limits] no_call_seconds)";
    return {};
  }

 private:
  Limits limits_;
  Time accepted_;
  Time no_call_since_;
  std::size_t calls_ = 0;
  bool link_up_ = false;
};

}  // namespace pptpx::server
