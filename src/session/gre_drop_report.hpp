// What a call's GRE receive window dropped, for the logs of both daemons (issue 19): a summary
// for the line that ends a session, and a rate-limited warning while stale packets are being
// dropped (the sign of a window moved by a forged packet, or of heavy reordering).
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "pptp/gre_window.hpp"
#include "util/time.hpp"

namespace pptpx::session {

// "; GRE dropped 3 out of window (0 resyncs), 12 stale; 40 delivered late after 1 jump" or "" when
// nothing was dropped or delivered late. (The first clause's wording is what scripts parse.)
std::string gre_drop_summary(const pptp::GreReceiveCounters& c);

// At most one warning per `interval`, carrying the stale drops since the last one.
class GreStaleWarning {
 public:
  explicit GreStaleWarning(Duration interval = std::chrono::seconds(10)) : interval_(interval) {}
  // The warning text (without who), or nothing.
  std::optional<std::string> poll(const pptp::GreReceiveCounters& c, Time now);

 private:
  Duration interval_;
  std::uint64_t reported_ = 0;
  bool any_ = false;
  Time next_{};
};

}  // namespace pptpx::session
