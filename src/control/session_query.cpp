#include "control/session_query.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <tuple>

namespace pptpx::control {

const std::vector<std::string> kSortColumns{"id",       "user",           "peer",       "call_id",        "ipv4",
                                            "ipv6",     "interface",      "auth",       "mppe",           "state",
                                            "uptime",   "received_bytes", "sent_bytes", "received_packets",
                                            "sent_packets"};

namespace {

bool matches(const SessionInfo& s, const SessionQuery& q) {
  if (!q.user.empty() && s.user != q.user) return false;
  if (!q.ip.empty() && s.ipv4 != q.ip && s.ipv6 != q.ip) return false;
  if (!q.peer.empty() && s.peer_address != q.peer && s.peer_address + ":" + std::to_string(s.peer_port) != q.peer)
    return false;
  return true;
}

// An IPv4 dotted quad as a number for ordering; text that is not one sorts after.
std::uint64_t ipv4_order(const std::string& a) {
  unsigned b[4];
  char tail = 0;
  if (std::sscanf(a.c_str(), "%u.%u.%u.%u%c", &b[0], &b[1], &b[2], &b[3], &tail) != 4) return 1ULL << 32;
  return (std::uint64_t{b[0]} << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
}

}  // namespace

QueryResult run_query(std::vector<SessionInfo> sessions, const SessionQuery& q) {
  QueryResult r;
  const std::string col = q.sort.empty() ? "id" : q.sort;
  if (std::find(kSortColumns.begin(), kSortColumns.end(), col) == kSortColumns.end()) {
    std::string all;
    for (const auto& c : kSortColumns) all += (all.empty() ? "" : ", ") + c;
    r.error = "cannot sort by \"" + col + "\"; use one of: " + all;
    return r;
  }
  std::erase_if(sessions, [&](const SessionInfo& s) { return !matches(s, q); });
  using Num = std::function<std::uint64_t(const SessionInfo&)>;
  using Text = std::function<std::string(const SessionInfo&)>;
  // Numbers: largest first (the busiest, the oldest); ties and text: ascending, then by id and call.
  Num num;
  Text text;
  if (col == "id") num = [](const SessionInfo& s) { return ~s.id; };
  else if (col == "call_id") num = [](const SessionInfo& s) { return ~std::uint64_t{s.call_id}; };
  else if (col == "uptime") num = [](const SessionInfo& s) { return static_cast<std::uint64_t>(s.uptime_seconds); };
  else if (col == "received_bytes") num = [](const SessionInfo& s) { return s.received_bytes; };
  else if (col == "sent_bytes") num = [](const SessionInfo& s) { return s.sent_bytes; };
  else if (col == "received_packets") num = [](const SessionInfo& s) { return s.received_packets; };
  else if (col == "sent_packets") num = [](const SessionInfo& s) { return s.sent_packets; };
  else if (col == "ipv4") num = [](const SessionInfo& s) { return ~ipv4_order(s.ipv4); };
  else if (col == "peer") num = [](const SessionInfo& s) { return ~((ipv4_order(s.peer_address) << 16) | s.peer_port); };
  else if (col == "user") text = [](const SessionInfo& s) { return s.user; };
  else if (col == "ipv6") text = [](const SessionInfo& s) { return s.ipv6; };
  else if (col == "interface") text = [](const SessionInfo& s) { return s.interface; };
  else if (col == "auth") text = [](const SessionInfo& s) { return s.auth; };
  else if (col == "mppe") text = [](const SessionInfo& s) { return s.mppe; };
  else text = [](const SessionInfo& s) { return s.state; };
  std::stable_sort(sessions.begin(), sessions.end(), [&](const SessionInfo& a, const SessionInfo& b) {
    if (num) {
      const auto x = num(a), y = num(b);
      if (x != y) return x > y;
    } else {
      const auto x = text(a), y = text(b);
      if (x != y) return x < y;
    }
    return std::tie(a.id, a.call_id) < std::tie(b.id, b.call_id);
  });
  r.sessions = std::move(sessions);
  return r;
}

}  // namespace pptpx::control
