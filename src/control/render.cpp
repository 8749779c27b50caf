#include "control/render.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace pptpx::control {

using nlohmann::json;

namespace {

std::string text(const json& j) {
  if (j.is_string()) return j.get<std::string>().empty() ? "-" : j.get<std::string>();
  if (j.is_null()) return "-";
  return j.dump();
}

// Columns padded to their widest cell, two spaces apart; no trailing spaces.
std::string table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& r : rows) {
    if (width.size() < r.size()) width.resize(r.size(), 0);
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  }
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line += std::string(width[i] - r[i].size() + 2, ' ');
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace

std::string format_uptime(std::int64_t s) {
  if (s < 0) s = 0;
  char buf[48];
  const long long d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60, sec = s % 60;
  if (d > 0) std::snprintf(buf, sizeof buf, "%lldd %02lld:%02lld:%02lld", d, h, m, sec);
  else std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", h, m, sec);
  return buf;
}

std::string render_sessions(const json& result) {
  std::vector<std::vector<std::string>> rows{{"ID", "USER", "PEER", "CALL", "IPV4", "IPV6", "IF", "AUTH", "MPPE",
                                              "STATE", "UPTIME", "RX_BYTES", "RX_PKTS", "TX_BYTES", "TX_PKTS"}};
  for (const auto& s : result.value("sessions", json::array())) {
    rows.push_back({text(s["id"]), text(s["user"]), text(s["peer"]) + ":" + text(s["peer_port"]), text(s["call_id"]),
                    text(s["ipv4"]), text(s["ipv6"]), text(s["interface"]), text(s["auth"]), text(s["mppe"]),
                    text(s["state"]), format_uptime(s.value("uptime", std::int64_t{0})), text(s["received_bytes"]),
                    text(s["received_packets"]), text(s["sent_bytes"]), text(s["sent_packets"])});
  }
  std::string out = table(rows);
  out += std::to_string(rows.size() - 1) + " session(s)\n";
  return out;
}

std::string render_stats(const json& r) {
  std::string out;
  auto line = [&](const std::string& k, const std::string& v) { out += k + ": " + v + "\n"; };
  auto pairs = [](const json& obj) {
    std::string s;
    for (const auto& [k, v] : obj.items()) s += (s.empty() ? "" : ", ") + k + " " + text(v);
    return s.empty() ? std::string("none") : s;
  };
  line("uptime", format_uptime(r.value("uptime_seconds", std::int64_t{0})));
  line("control connections", text(r["connections"]));
  line("sessions", pairs(r["sessions"]));
  line("setups", pairs(r["setups"]));
  std::string auth;
  for (const auto& f : r.value("auth_failures", json::array()))
    auth += (auth.empty() ? "" : ", ") + text(f["method"]) + " " + text(f["reason"]) + " " + text(f["count"]);
  line("authentication failures", auth.empty() ? "none" : auth);
  line("lockouts", pairs(r["lockouts"]));
  line("traffic", pairs(r["traffic"]));
  line("GRE dropped", pairs(r["gre_dropped"]));
  line("TUN dropped", pairs(r["tun_dropped"]));
  line("GRE datagrams", "received " + text(r["gre_received"]) + ", sent " + text(r["gre_sent"]));
  line("ICMP too-big sent", text(r["icmp_too_big_sent"]));
  line("MSS clamped", text(r["mss_clamped"]));
  line("connections refused", text(r["connections_refused"]));
  line("connections closed", pairs(r["connections_closed"]));
  if (r.contains("radius")) {
    const json& rad = r["radius"];
    line("RADIUS requests", pairs(rad["requests"]));
    line("RADIUS accounting", pairs(rad["accounting"]));
    line("RADIUS replies dropped", pairs(rad["dropped"]));
    std::string servers;
    for (const auto& x : rad.value("servers", json::array()))
      servers += (servers.empty() ? "" : ", ") + text(x["server"]) + " " + text(x["state"]);
    line("RADIUS servers", servers.empty() ? "none" : servers);
  }
  if (r.contains("radius_dae")) line("RADIUS Disconnect/CoA", pairs(r["radius_dae"]));
  return out;
}

std::string render_lockouts(const json& result) {
  std::vector<std::vector<std::string>> rows{{"KIND", "KEY", "SECONDS_LEFT"}};
  for (const auto& l : result.value("lockouts", json::array()))
    rows.push_back({text(l["kind"]), text(l["key"]), text(l["seconds_left"])});
  if (rows.size() == 1) return "no lockouts\n";
  return table(rows);
}

std::string render_pool(const json& r) {
  std::string out = "pool " + text(r["first"]) + "-" + text(r["last"]) + ", server " + text(r["server_address"]) +
                    ": " + text(r["capacity"]) + " dynamic addresses, " + text(r["free"]) + " free\n";
  std::vector<std::vector<std::string>> rows{{"ADDRESS", "USER", "KIND"}};
  std::vector<std::string> statics;
  for (const auto& s : r.value("static", json::array())) statics.push_back(text(s["address"]));
  for (const auto& a : r.value("in_use", json::array())) {
    const bool st = std::find(statics.begin(), statics.end(), text(a["address"])) != statics.end();
    rows.push_back({text(a["address"]), text(a["user"]), st ? "static, in use" : "in use"});
  }
  for (const auto& s : r.value("static", json::array())) {
    bool used = false;
    for (const auto& a : r.value("in_use", json::array())) used = used || a["address"] == s["address"];
    if (!used) rows.push_back({text(s["address"]), text(s["user"]), "static, free"});
  }
  if (rows.size() > 1) out += table(rows);
  return out;
}

std::string render_reload(const json& r) {
  std::string out;
  for (const auto& a : r.value("applied", json::array())) out += "applied: " + text(a) + "\n";
  for (const auto& n : r.value("needs_restart", json::array()))
    out += "changed, needs a restart to apply: " + text(n) + "\n";
  if (r.value("needs_restart", json::array()).empty()) out += "nothing needs a restart\n";
  return out;
}

}  // namespace pptpx::control
