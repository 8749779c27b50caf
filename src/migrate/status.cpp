#include "migrate/status.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "migrate/import_text.hpp"
#include "server/secrets_file.hpp"

namespace pptpx::migrate {
namespace {

std::vector<std::pair<std::uint32_t, std::string>> lines_of(const std::string& text) {
  std::vector<std::pair<std::uint32_t, std::string>> out;
  std::istringstream in(text);
  std::string line;
  std::uint32_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.emplace_back(n, line);
  }
  return out;
}

// RFC 4180 fields of one line ("..." quotes, "" inside is one quote).
std::optional<std::vector<std::string>> csv_fields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') out.back() += '"', ++i;
      else if (c == '"') quoted = false;
      else out.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  if (quoted) return std::nullopt;
  return out;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace

const char* to_string(UserState s) {
  switch (s) {
    case UserState::on_pptp: return "on PPTP";
    case UserState::moved: return "moved to WireGuard";
    case UserState::never_seen: return "never seen";
  }
  return "?";
}

std::optional<std::int64_t> parse_rfc3339_utc(const std::string& t) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, used = 0;
  if (std::sscanf(t.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &used) != 6 || used != 19) {
    return std::nullopt;
  }
  std::size_t i = 19;
  if (i < t.size() && t[i] == '.') {
    ++i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
  }
  const std::string zone = t.substr(i);
  if (zone != "Z" && zone != "+00:00") return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + s;
}

std::string format_rfc3339_utc(std::int64_t t) {
  std::int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  std::int64_t secs = t - days * 86400;
  // civil_from_days (H. Hinnant)
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  const auto s = static_cast<unsigned>(secs);  // 0..86399
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02uZ", static_cast<long long>(y), m, d, s / 3600,
                s / 60 % 60, s % 60);
  return buf;
}

StatusResult migration_status(const StatusInput& in) {
  StatusResult r;
  std::map<std::string, UserStatus> users;
  auto user = [&](const std::string& name) -> UserStatus& {
    auto& u = users[name];
    u.user = name;
    return u;
  };
  for (const auto& name : in.pptp_users) user(name).in_secrets = true;

  for (const auto& f : in.accounting) {
    for (const auto& [n, line] : lines_of(f.text)) {
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      const std::string where = f.name + ":" + std::to_string(n);
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.is_object() || !j.contains("event") || !j.contains("user") || !j.contains("time") ||
          !j["event"].is_string() || !j["user"].is_string() || !j["time"].is_string()) {
        r.errors.push_back(where + ": not a pptpx accounting line (a JSON object with event, user and time, "
                                   "docs/control.md); name the [accounting] file with --accounting");
        continue;
      }
      const std::string event = j["event"].get<std::string>();
      const std::string time = j["time"].get<std::string>();
      auto t = parse_rfc3339_utc(time);
      if (!t || (event != "start" && event != "stop")) {
        r.errors.push_back(where + ": event \"" + event + "\" at \"" + time +
                           "\" is not a start or stop at an RFC 3339 UTC time; is this pptpx's accounting log?");
        continue;
      }
      auto& u = user(j["user"].get<std::string>());
      if (event == "start") ++u.pptp_sessions;
      // Lines of one file are in time order, but rotated files may come in any order: the
      // latest time decides, and at one instant a stop outranks its start.
      if (!u.last_pptp || *t > *u.last_pptp || (*t == *u.last_pptp && event == "stop")) {
        u.last_pptp = *t;
        u.last_pptp_text = time;
        u.pptp_connected = event == "start";
      }
    }
  }

  std::map<std::string, std::string> key_to_user;
  if (in.users_csv) {
    const auto lines = lines_of(in.users_csv->text);
    if (lines.empty() || lines[0].second != "user,address,config_file,public_key") {
      r.errors.push_back(in.users_csv->name + ":1: not the users.csv of `pptpx migrate wireguard` (its first line is "
                                              "user,address,config_file,public_key)");
    } else {
      for (std::size_t i = 1; i < lines.size(); ++i) {
        if (lines[i].second.empty()) continue;
        auto fields = csv_fields(lines[i].second);
        if (!fields || fields->size() != 4 || (*fields)[0].empty()) {
          r.errors.push_back(in.users_csv->name + ":" + std::to_string(lines[i].first) +
                             ": not 4 CSV fields (user,address,config_file,public_key)");
          continue;
        }
        auto& u = user((*fields)[0]);
        u.wireguard_config = true;
        u.wireguard_address = (*fields)[1];
        key_to_user[(*fields)[3]] = (*fields)[0];
      }
    }
  }

  if (in.wg_dump) {
    // wg(8) dump: an interface line (private-key, public-key, listen-port, fwmark), then one
    // line per peer (public-key, preshared-key, endpoint, allowed-ips, latest-handshake,
    // transfer-rx, transfer-tx, persistent-keepalive); `wg show all dump` prefixes the interface.
    for (const auto& [n, line] : lines_of(in.wg_dump->text)) {
      if (line.empty()) continue;
      std::vector<std::string> f;
      std::stringstream ss(line);
      std::string field;
      while (std::getline(ss, field, '\t')) f.push_back(field);
      if (f.size() == 9) f.erase(f.begin());
      if (f.size() == 4 || f.size() == 5) continue;  // the interface line
      auto hs = f.size() == 8 ? parse_int(f[4]) : std::nullopt;
      if (!hs || *hs < 0) {
        r.errors.push_back(in.wg_dump->name + ":" + std::to_string(n) +
                           ": not a line of `wg show INTERFACE dump` (tab-separated, wg(8)); give its output unchanged");
        continue;
      }
      auto k = key_to_user.find(f[0]);
      if (k == key_to_user.end() || *hs == 0) continue;  // a peer not from users.csv, or no handshake yet
      users[k->second].wireguard_handshake = *hs;
    }
  }

  for (auto& [name, u] : users) {
    if (u.last_pptp) u.days_without_pptp = u.pptp_connected ? 0 : std::max<std::int64_t>(0, (in.now - *u.last_pptp) / 86400);
    if (u.wireguard_handshake && (!u.last_pptp || (*u.wireguard_handshake > *u.last_pptp && !u.pptp_connected))) {
      u.state = UserState::moved;
    } else if (u.last_pptp) {
      u.state = UserState::on_pptp;
    }
    r.users.push_back(u);
  }
  return r;
}

std::string format_status_table(const StatusResult& r) {
  std::ostringstream o;
  o << "user | state | last PPTP use | days without PPTP | PPTP sessions | WireGuard config | last WireGuard handshake\n";
  std::size_t counts[3] = {0, 0, 0};
  for (const auto& u : r.users) {
    ++counts[static_cast<int>(u.state)];
    o << u.user << " | " << to_string(u.state) << " | "
      << (u.pptp_connected ? "connected now" : u.last_pptp ? u.last_pptp_text : "-") << " | "
      << (u.days_without_pptp ? std::to_string(*u.days_without_pptp) : "-") << " | " << u.pptp_sessions << " | "
      << (u.wireguard_config ? u.wireguard_address : "-") << " | "
      << (u.wireguard_handshake ? format_rfc3339_utc(*u.wireguard_handshake) : "-") << "\n";
  }
  o << counts[0] << " on PPTP, " << counts[1] << " moved to WireGuard, " << counts[2] << " never seen\n";
  return o.str();
}

std::string format_status_json(const StatusResult& r, std::int64_t now) {
  nlohmann::json users = nlohmann::json::array();
  for (const auto& u : r.users) {
    nlohmann::json j;
    j["user"] = u.user;
    j["state"] = u.state == UserState::on_pptp ? "pptp" : u.state == UserState::moved ? "wireguard" : "never-seen";
    j["pptp_sessions"] = u.pptp_sessions;
    j["pptp_connected"] = u.pptp_connected;
    j["last_pptp"] = u.last_pptp ? nlohmann::json(u.last_pptp_text) : nlohmann::json(nullptr);
    j["days_without_pptp"] = u.days_without_pptp ? nlohmann::json(*u.days_without_pptp) : nlohmann::json(nullptr);
    j["wireguard_config"] = u.wireguard_config;
    j["wireguard_address"] = u.wireguard_config ? nlohmann::json(u.wireguard_address) : nlohmann::json(nullptr);
    j["last_wireguard_handshake"] =
        u.wireguard_handshake ? nlohmann::json(format_rfc3339_utc(*u.wireguard_handshake)) : nlohmann::json(nullptr);
    j["in_secrets"] = u.in_secrets;
    users.push_back(j);
  }
  nlohmann::json doc;
  doc["now"] = format_rfc3339_utc(now);
  doc["users"] = users;
  return doc.dump(2) + "\n";
}

DisablePlan plan_disable(const SourceText& secrets, const std::set<std::string>& users, const std::string& note) {
  DisablePlan plan;
  auto parsed = server::parse_secrets(secrets.text, secrets.name);
  auto words = server::split_secrets_words(secrets.text).words;
  // The lines each entry spans: from its first word's line to the line before the next entry.
  std::set<std::uint32_t> lines;
  for (std::size_t i = 0; i < parsed.entries.size(); ++i) {
    const auto& e = parsed.entries[i];
    if (users.count(e.client) == 0) continue;
    std::uint32_t last = e.line;
    for (const auto& w : words) {
      if (w.line > e.line && (i + 1 == parsed.entries.size() || w.line < parsed.entries[i + 1].line)) {
        last = std::max(last, w.line);
      }
    }
    for (std::uint32_t l = e.line; l <= last; ++l) lines.insert(l);
    if (std::find(plan.disabled.begin(), plan.disabled.end(), e.client) == plan.disabled.end()) {
      plan.disabled.push_back(e.client);
    }
  }
  std::ostringstream out, diff;
  std::uint32_t n = 0;
  std::size_t pos = 0;
  const std::string& t = secrets.text;
  while (pos < t.size()) {
    auto end = t.find('\n', pos);
    const bool has_nl = end != std::string::npos;
    if (!has_nl) end = t.size();
    const std::string line = t.substr(pos, end - pos);
    ++n;
    if (lines.count(n)) {
      const std::string changed = "# " + note + ": " + line;
      out << changed;
      diff << secrets.name << ":" << n << "\n-" << line << "\n+" << changed << "\n";
    } else {
      out << line;
    }
    if (has_nl) out << '\n';
    pos = end + 1;
  }
  plan.new_text = out.str();
  plan.diff = diff.str();
  return plan;
}

}  // namespace pptpx::migrate
