#include "control/protocol.hpp"

#include <set>

#include "control/session_query.hpp"

namespace pptpx::control {

using nlohmann::json;

namespace {

json ok(json result) { return json{{"ok", true}, {"result", std::move(result)}}; }
json fail(const std::string& error) { return json{{"ok", false}, {"error", error}}; }

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// A string argument; absent: empty. Not a string: `error` says so.
std::string arg(const json& req, const char* name, std::string& error) {
  auto it = req.find(name);
  if (it == req.end() || it->is_null()) return {};
  if (!it->is_string()) {
    error = std::string("\"") + name + "\" must be a string";
    return {};
  }
  return it->get<std::string>();
}

json cmd_sessions(const json& req, Backend& b) {
  std::string error;
  SessionQuery q;
  q.user = arg(req, "user", error);
  q.ip = arg(req, "ip", error);
  q.peer = arg(req, "peer", error);
  q.sort = arg(req, "sort", error);
  if (!error.empty()) return fail(error);
  auto r = run_query(b.snapshot().sessions, q);
  if (!r.error.empty()) return fail(r.error);
  json list = json::array();
  for (const auto& s : r.sessions) list.push_back(to_json(s));
  return ok(json{{"sessions", std::move(list)}});
}

json cmd_kill(const json& req, Backend& b) {
  std::string error;
  const std::string user = arg(req, "user", error);
  const std::string ip = arg(req, "ip", error);
  if (!error.empty()) return fail(error);
  const bool has_id = req.contains("id");
  if (int(has_id) + int(!user.empty()) + int(!ip.empty()) != 1)
    return fail("kill needs exactly one of \"id\", \"user\" or \"ip\"");
  std::set<std::uint64_t> ids;
  if (has_id) {
    const json& id = req["id"];
    if (!id.is_number_unsigned()) return fail("\"id\" must be a session id (a positive integer)");
    ids.insert(id.get<std::uint64_t>());
  } else {
    for (const auto& s : b.snapshot().sessions) {
      if ((!user.empty() && s.user == user) || (!ip.empty() && (s.ipv4 == ip || s.ipv6 == ip))) ids.insert(s.id);
    }
    if (ids.empty())
      return fail(!user.empty() ? "no session of user \"" + user + "\"" : "no session with tunnel address " + ip);
  }
  json done = json::array();
  for (std::uint64_t id : ids) {
    if (b.terminate(id, "terminated by operator")) {
      done.push_back(id);
    } else if (has_id) {
      return fail("no session " + std::to_string(id) + " (see pptpx ctl sessions)");
    }
  }
  return ok(json{{"terminated", std::move(done)}});
}

json cmd_unlock(const json& req, Backend& b) {
  std::string error;
  const std::string key = arg(req, "key", error);
  if (!error.empty()) return fail(error);
  if (key.empty()) return fail("unlock needs \"key\": an address or a user name");
  if (!b.unlock(key)) return fail("\"" + key + "\" is not locked out (see pptpx ctl lockouts)");
  return ok(json{{"unlocked", key}});
}

json cmd_reload(Backend& b) {
  const ReloadReport r = b.reload();
  if (!r.errors.empty()) {
    std::string all;
    for (const auto& e : r.errors) all += (all.empty() ? "" : "; ") + e;
    return fail("reload failed, nothing changed: " + all);
  }
  return ok(json{{"applied", r.applied}, {"needs_restart", r.needs_restart}});
}

}  // namespace

json to_json(const SessionInfo& s) {
  return json{{"id", s.id},
              {"user", s.user},
              {"peer", s.peer_address},
              {"peer_port", s.peer_port},
              {"call_id", s.call_id},
              {"ipv4", s.ipv4},
              {"ipv6", s.ipv6},
              {"interface", s.interface},
              {"auth", s.auth},
              {"mppe", s.mppe},
              {"state", s.state},
              {"started", s.started},
              {"uptime", s.uptime_seconds},
              {"received_bytes", s.received_bytes},
              {"sent_bytes", s.sent_bytes},
              {"received_packets", s.received_packets},
              {"sent_packets", s.sent_packets},
              {"acct_session_id", s.acct_session_id}};
}

std::vector<std::pair<std::string, std::uint64_t>> sessions_by_state(const std::vector<SessionInfo>& s) {
  std::vector<std::pair<std::string, std::uint64_t>> out{{"negotiating", 0}, {"up", 0}, {"closing", 0}};
  for (const auto& x : s) {
    for (auto& [state, n] : out) {
      if (state == x.state) ++n;
    }
  }
  return out;
}

Traffic total_traffic(const Snapshot& s) {
  Traffic t = s.metrics ? s.metrics->ended() : Traffic{};
  for (const auto& x : s.sessions) t += Traffic{x.received_bytes, x.sent_bytes, x.received_packets, x.sent_packets};
  return t;
}

json stats_json(const Snapshot& s) {
  json j;
  j["uptime_seconds"] = s.daemon.uptime_seconds;
  j["connections"] = s.daemon.connections;
  json states = json::object();
  for (const auto& [state, n] : sessions_by_state(s.sessions)) states[state] = n;
  j["sessions"] = states;
  json setups = json::object(), failures = json::array();
  json hist = json{{"count", 0}, {"sum", 0.0}};
  if (s.metrics) {
    for (const auto& [result, n] : s.metrics->setups()) setups[result] = n;
    for (const auto& [k, n] : s.metrics->auth_failures())
      failures.push_back(json{{"method", k.first}, {"reason", k.second}, {"count", n}});
    hist = json{{"count", s.metrics->setup_count()}, {"sum", s.metrics->setup_sum_seconds()}};
  }
  j["setups"] = setups;
  j["setup_seconds"] = hist;
  j["auth_failures"] = failures;
  std::uint64_t by_address = 0, by_user = 0;
  for (const auto& l : s.lockouts) ++(l.kind == "user" ? by_user : by_address);
  j["lockouts"] = json{{"address", by_address}, {"user", by_user}};
  const Traffic t = total_traffic(s);
  j["traffic"] = json{{"received_bytes", t.received_bytes},
                      {"sent_bytes", t.sent_bytes},
                      {"received_packets", t.received_packets},
                      {"sent_packets", t.sent_packets}};
  json gre = json::object(), tun = json::object();
  for (const auto& [k, v] : s.daemon.gre_dropped) gre[k] = v;
  for (const auto& [k, v] : s.daemon.tun_dropped) tun[k] = v;
  j["gre_dropped"] = gre;
  j["tun_dropped"] = tun;
  j["gre_received"] = s.daemon.gre_received;
  j["gre_sent"] = s.daemon.gre_sent;
  j["icmp_too_big_sent"] = s.daemon.icmp_too_big_sent;
  j["mss_clamped"] = s.daemon.mss_clamped;
  j["connections_refused"] = s.daemon.connections_refused;
  json closed = json::object();
  for (const auto& [k, v] : s.daemon.connections_closed) closed[k] = v;
  j["connections_closed"] = closed;
  if (s.radius.enabled) {
    json req = json::object(), acct = json::object(), dropped = json::object(), servers = json::array();
    for (const auto& [k, v] : s.radius.requests) req[k] = v;
    for (const auto& [k, v] : s.radius.accounting) acct[k] = v;
    acct["stops_queued"] = s.radius.stops_queued;
    for (const auto& [k, v] : s.radius.dropped) dropped[k] = v;
    for (const auto& [name, alive] : s.radius.servers)
      servers.push_back(json{{"server", name}, {"state", alive ? "alive" : "dead"}});
    j["radius"] = json{{"requests", req}, {"accounting", acct}, {"dropped", dropped}, {"servers", servers}};
  }
  if (!s.daemon.radius_dae.empty()) {
    json dae = json::object();
    for (const auto& [k, v] : s.daemon.radius_dae) dae[k] = v;
    j["radius_dae"] = dae;
  }
  return j;
}

json pool_json(const PoolInfo& p) {
  json in_use = json::array(), reserved = json::array();
  for (const auto& [a, u] : p.in_use) in_use.push_back(json{{"address", a}, {"user", u}});
  for (const auto& [a, u] : p.reserved) reserved.push_back(json{{"address", a}, {"user", u}});
  const std::uint64_t dynamic_in_use = [&] {
    std::uint64_t n = 0;
    for (const auto& [a, u] : p.in_use) {
      bool is_static = false;
      for (const auto& r : p.reserved) is_static = is_static || r.first == a;
      n += is_static ? 0 : 1;
    }
    return n;
  }();
  return json{{"first", p.first},
              {"last", p.last},
              {"server_address", p.server_address},
              {"capacity", p.dynamic_capacity},
              {"free", p.dynamic_capacity >= dynamic_in_use ? p.dynamic_capacity - dynamic_in_use : 0},
              {"in_use", std::move(in_use)},
              {"static", std::move(reserved)}};
}

json lockouts_json(const std::vector<LockoutInfo>& l) {
  json list = json::array();
  for (const auto& x : l) list.push_back(json{{"kind", x.kind}, {"key", x.key}, {"seconds_left", x.seconds_left}});
  return json{{"lockouts", std::move(list)}};
}

std::string handle_request(std::string_view line, Backend& b) {
  if (line.size() > kMaxRequestLine) return dump(fail("request longer than 65536 bytes"));
  const json req = json::parse(line, nullptr, false);
  if (req.is_discarded() || !req.is_object())
    return dump(fail("a request is one JSON object on one line, like {\"command\": \"sessions\"}"));
  std::string error;
  const std::string cmd = arg(req, "command", error);
  if (!error.empty()) return dump(fail(error));
  if (cmd == "sessions") return dump(cmd_sessions(req, b));
  if (cmd == "kill") return dump(cmd_kill(req, b));
  if (cmd == "stats") return dump(ok(stats_json(b.snapshot())));
  if (cmd == "lockouts") return dump(ok(lockouts_json(b.snapshot().lockouts)));
  if (cmd == "unlock") return dump(cmd_unlock(req, b));
  if (cmd == "pool") return dump(ok(pool_json(b.snapshot().pool)));
  if (cmd == "reload") return dump(cmd_reload(b));
  return dump(fail("unknown command \"" + cmd +
                   "\"; use sessions, kill, stats, lockouts, unlock, pool or reload (docs/control.md)"));
}

}  // namespace pptpx::control
