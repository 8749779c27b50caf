#include "session/gre_drop_report.hpp"

namespace pptpx::session {

std::string gre_drop_summary(const pptp::GreReceiveCounters& c) {
  std::string s;
  if (c.out_of_window > 0 || c.resyncs > 0 || c.stale > 0) {
    s += "; GRE dropped " + std::to_string(c.out_of_window) + " out of window (" + std::to_string(c.resyncs) +
         " resyncs), " + std::to_string(c.stale) + " stale";
  }
  if (c.late > 0) {
    s += "; GRE delivered " + std::to_string(c.late) + " late after " + std::to_string(c.jumps) +
         (c.jumps == 1 ? " jump" : " jumps");
  }
  return s;
}

std::optional<std::string> GreStaleWarning::poll(const pptp::GreReceiveCounters& c, Time now) {
  if (c.stale < reported_) reported_ = 0;  // a new call's counters
  if (c.stale == reported_ || (any_ && now < next_)) return std::nullopt;
  const std::uint64_t n = c.stale - reported_;
  reported_ = c.stale;
  any_ = true;
  next_ = now + interval_;
  return "dropped " + std::to_string(n) + " stale GRE packets (behind the receive window, not duplicates: " +
         "a window moved by a forged packet, or heavy reordering; " + std::to_string(c.late) +
         " delivered late, " + std::to_string(c.jumps) + " jumps so far; counted)";
}

}  // namespace pptpx::session
