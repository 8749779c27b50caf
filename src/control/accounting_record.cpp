#include "control/accounting_record.hpp"

#include <cstdio>
#include <ctime>

#include <nlohmann/json.hpp>

namespace pptpx::control {

using nlohmann::json;

std::string rfc3339(WallTime t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000 - (ms % 1000 < 0 ? 1 : 0));
  const long frac = static_cast<long>(((ms % 1000) + 1000) % 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
  return buf;
}

namespace {

json common(const char* event, const SessionInfo& s, WallTime start) {
  return json{{"event", event},
              {"session", s.id},
              {"call_id", s.call_id},
              {"user", s.user},
              {"peer", s.peer_address},
              {"peer_port", s.peer_port},
              {"ipv4", s.ipv4},
              {"ipv6", s.ipv6},
              {"interface", s.interface},
              {"auth", s.auth},
              {"mppe", s.mppe},
              {"start", rfc3339(start)}};
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

std::string accounting_start(const SessionInfo& s, WallTime start) {
  json j = common("start", s, start);
  j["time"] = rfc3339(start);
  return dump(j);
}

std::string accounting_stop(const SessionInfo& s, WallTime start, WallTime end, const std::string& reason) {
  json j = common("stop", s, start);
  j["time"] = rfc3339(end);
  j["end"] = rfc3339(end);
  j["duration_seconds"] = std::chrono::duration<double>(end - start).count();
  j["received_bytes"] = s.received_bytes;
  j["sent_bytes"] = s.sent_bytes;
  j["received_packets"] = s.received_packets;
  j["sent_packets"] = s.sent_packets;
  j["reason"] = reason;
  return dump(j);
}

}  // namespace pptpx::control
