// `pptpx import accel-ppp`: the run, [modules], the PPTP pool, methods and the TOML text
// (migrate/accel_importer.hpp has the steps; accel_sections.cpp and accel_radius_secrets.cpp
// the per-section handlers).
#include "migrate/accel_importer.hpp"

#include <algorithm>

#include "migrate/import_text.hpp"

namespace pptpx::migrate::accel_detail {
namespace {

// Option names shown without their secrets in the report.
std::string shown(const AccelItem& it) {
  static const std::set<std::string> hidden_after_first = {"server", "auth-server", "acct-server", "dae-server"};
  static const std::set<std::string> hidden = {"dm_coa_secret", "password", "secret", "conninfo"};
  if (it.value && hidden.count(it.name)) return it.name + "=(hidden)";
  if (it.value && hidden_after_first.count(it.name)) {
    const std::string& v = *it.value;
    auto c1 = v.find(',');
    if (c1 == std::string::npos) return it.raw;
    auto c2 = v.find(',', c1 + 1);
    return it.name + "=" + v.substr(0, c1) + ",(secret hidden)" + (c2 == std::string::npos ? "" : v.substr(c2));
  }
  return it.raw;
}

}  // namespace

AccelImportResult AccelImporter::run() {
  conf_ = parse_accel_conf(in_.conf, in_.read);
  for (auto& e : conf_.errors) res_.errors.push_back(e);
  if (!res_.errors.empty()) return std::move(res_);
  pptp_mppe_ = conf_.find("pptp", "mppe") != nullptr;
  read_modules();
  for (const auto& name : conf_.order) read_section(name);
  finish_pool();
  finish_auth();
  read_secrets();
  if (res_.errors.empty()) write_toml();
  return std::move(res_);
}

void AccelImporter::row(const AccelItem& it, Outcome o, std::string key, std::string why, bool weakens) {
  res_.report.push_back({it.where(), shown(it), o, std::move(key), std::move(why), weakens});
}

void AccelImporter::set(const std::string& key, std::string value, std::string origin) {
  values_[key] = {std::move(value), std::move(origin)};
}

std::optional<long> AccelImporter::number(const AccelItem& it, long lo, long hi) {
  auto n = it.value ? parse_int(*it.value) : std::nullopt;
  if (!n || *n < lo || *n > hi) {
    error(it, it.name + " must be a number " + std::to_string(lo) + ".." + std::to_string(hi) + " (pptpx's range)");
    return std::nullopt;
  }
  return n;
}

void AccelImporter::read_modules() {
  auto s = conf_.sections.find("modules");
  if (s == conf_.sections.end()) {
    res_.errors.push_back(in_.conf.name + ": no [modules] section; this is not an accel-ppp.conf");
    return;
  }
  static const std::map<std::string, std::pair<Outcome, const char*>> table = {
      {"pptp", {kMapped, "pptpx is the PPTP server"}},
      {"auth_mschap_v2", {kMapped, "[auth] methods: mschapv2"}},
      {"auth_mschap_v1", {kMapped, "[auth] methods: mschap"}},
      {"auth_chap_md5", {kMapped, "[auth] methods: chap-md5"}},
      {"auth_pap", {kMapped, "[auth] methods: pap"}},
      {"radius", {kMapped, "[auth] source = \"radius\" and [radius]"}},
      {"chap-secrets", {kMapped, "[auth] secrets_file"}},
      {"ippool", {kMapped, "[ipv4] pool"}},
      {"log_file", {kNotNeeded, "pptpx logs to standard error (the journal under systemd)"}},
      {"log_syslog", {kNotNeeded, "pptpx logs to standard error (the journal under systemd)"}},
      {"log_tcp", {kNotSupported, "pptpx does not log over TCP; forward the journal instead"}},
      {"log_pgsql", {kNotSupported, "pptpx does not log to PostgreSQL; its [accounting] file has one JSON line per session"}},
      {"logwtmp", {kNotNeeded, "pptpx records sessions in its [accounting] file instead of wtmp"}},
      {"connlimit", {kNotSupported, "pptpx caps sessions and handshakes per source ([limits]) instead of a connection rate"}},
      {"pppd_compat", {kNotSupported, "pptpx runs no ip-up/ip-down scripts"}},
      {"sigchld", {kNotNeeded, "pptpx starts no child processes"}},
      {"shaper", {kNotSupported, "pptpx does not shape traffic; use tc on its TUN device"}},
      {"net-snmp", {kNotSupported, "pptpx has no SNMP agent; scrape [metrics] instead"}},
      {"metrics", {kNotSupported, "set pptpx's [metrics] listen by hand (Prometheus text, docs/control.md)"}},
      {"l2tp", {kNotSupported, "pptpx serves PPTP only; keep accel-ppp for L2TP"}},
      {"sstp", {kNotSupported, "pptpx serves PPTP only; keep accel-ppp for SSTP"}},
      {"pppoe", {kNotSupported, "pptpx serves PPTP only; keep accel-ppp for PPPoE"}},
      {"ipoe", {kNotSupported, "pptpx serves PPTP only; keep accel-ppp for IPoE"}},
      {"ipv6pool", {kNotSupported, "add [ipv6] enabled and prefix by hand (one routed prefix)"}},
      {"ipv6_nd", {kNotSupported, "pptpx sends no router advertisements"}},
      {"ipv6_dhcp", {kNotSupported, "pptpx has no DHCPv6"}},
  };
  for (const auto& it : s->second) {
    auto t = table.find(it.name);
    if (t == table.end()) {
      error(it, "unknown accel-ppp module `" + it.name + "`; remove it or translate it by hand (docs/migrate.md)");
      continue;
    }
    modules_.insert(it.name);
    row(it, t->second.first, t->second.first == kMapped ? "(module)" : "", t->second.second);
  }
  if (!has_module("pptp")) {
    res_.errors.push_back(in_.conf.name + ": [modules] does not load pptp, so this accel-ppp serves no PPTP; "
                                          "nothing to import");
  }
  if (!has_module("radius") && !has_module("chap-secrets")) {
    res_.errors.push_back(in_.conf.name + ": [modules] loads neither chap-secrets nor radius, so there are no users "
                                          "to import; add one of them");
  }
}

void AccelImporter::finish_pool() {
  const AccelItem* sel = conf_.find("pptp", "ip-pool");
  const std::string want = sel && sel->value ? *sel->value : std::string();
  std::vector<std::string> chain{want};
  for (std::size_t i = 0; i < chain.size(); ++i) {
    for (const auto& r : ranges_) {
      if (r.pool == chain[i] && !r.next.empty() &&
          std::find(chain.begin(), chain.end(), r.next) == chain.end()) {
        chain.push_back(r.next);
      }
    }
  }
  std::vector<server::Ipv4Range> used;
  for (const auto& r : ranges_) {
    if (std::find(chain.begin(), chain.end(), r.pool) == chain.end()) {
      row(*r.item, kNotNeeded, "", "pool \"" + r.pool + "\" is not the one PPTP sessions use");
      continue;
    }
    used.push_back(r.range);
    row(*r.item, kMapped, "[ipv4] pool", r.pool == want ? "client addresses" : "client addresses (next= pool)");
  }
  if (used.empty()) {
    if (has_module("ippool") || !ranges_.empty()) {
      res_.errors.push_back(in_.conf.name + ": [ip-pool] has no range for " +
                            (want.empty() ? std::string("the default pool") : "pool \"" + want + "\"") +
                            " that PPTP uses; add one like 192.0.2.10-200");
    } else {
      res_.errors.push_back(in_.conf.name + ": no [ip-pool] ranges (addresses from RADIUS or chap-secrets only); "
                                            "pptpx needs a pool for [ipv4] pool: add an [ip-pool] range");
    }
    return;
  }
  std::sort(used.begin(), used.end(), [](auto& a, auto& b) { return a.first.value < b.first.value; });
  server::Ipv4Range merged = used[0];
  for (std::size_t i = 1; i < used.size(); ++i) {
    if (used[i].first.value > merged.last.value + 1) {
      res_.errors.push_back(in_.conf.name + ": the PPTP pool's ranges " + server::to_string(merged.last) + " and " +
                            server::to_string(used[i].first) + " leave a gap; a pptpx pool is one range, so "
                            "make the ranges contiguous (or keep one) and import again");
      return;
    }
    merged.last.value = std::max(merged.last.value, used[i].last.value);
  }
  set("ipv4.pool", toml_string(server::to_string(merged.first) + "-" + server::to_string(merged.last)),
      in_.conf.name + " [ip-pool]");
}

void AccelImporter::finish_auth() {
  std::vector<std::string> methods;
  for (auto [module, method] : {std::pair{"auth_mschap_v2", "mschapv2"}, std::pair{"auth_mschap_v1", "mschap"},
                                std::pair{"auth_chap_md5", "chap-md5"}, std::pair{"auth_pap", "pap"}}) {
    if (!has_module(module)) continue;
    const bool plain = std::string(method) == "chap-md5" || std::string(method) == "pap";
    if (plain && encrypted_ && !has_module("radius")) continue;  // accel-ppp cannot check them against NT hashes
    methods.emplace_back(method);
  }
  if (methods.empty()) {
    res_.errors.push_back(in_.conf.name + ": [modules] loads no usable auth_* module; add auth_mschap_v2");
    return;
  }
  std::string v;
  for (const auto& m : methods) v += (v.empty() ? "" : ", ") + toml_string(m);
  set("auth.methods", "[" + v + "]", in_.conf.name + " [modules] auth_*");
  methods_ = methods;
  for (const auto& m : methods) {
    if (m != "mschapv2") {
      res_.report.push_back({in_.conf.name, "(methods)", kMapped, "[auth] methods",
                             m + " is allowed: weaker than MS-CHAPv2; drop its auth_ module unless a client needs it",
                             true});
    }
  }
  if (!mppe_seen_) {
    set("mppe.required", "false", in_.conf.name + " (no mppe= in [pptp] or [ppp])");
    res_.report.push_back({in_.conf.name, "(no mppe=)", kMapped, "[mppe] required = false",
                           "accel-ppp's default lets a client go unencrypted; add mppe=require to [pptp]", true});
  }
  // accel-ppp names its Challenges "accel-ppp" unless challenge-name says otherwise; a pppd
  // client without `remotename` looks its secret up under that name, so keep it.
  set("auth.server_name", toml_string(challenge_name_.empty() ? "accel-ppp" : challenge_name_),
      challenge_name_.empty() ? "accel-ppp's default challenge-name" : challenge_where_);
  if (has_module("radius")) {
    if (radius_servers_.empty()) {
      res_.errors.push_back(in_.conf.name + ": the radius module is loaded but [radius] names no server=; add one "
                                            "or remove the module");
      return;
    }
    set("auth.source", "\"radius\"", in_.conf.name + " [modules] radius");
    if (!radius_accounting_) set("radius.accounting", "false", in_.conf.name + " (every server has acct-port=0)");
    if (has_module("chap-secrets")) {
      res_.report.push_back({in_.conf.name, "(radius and chap-secrets)", kMapped, "[auth] source = \"radius\"",
                             "RADIUS answers every login, as in accel-ppp; the imported chap-secrets are used "
                             "only if you set source = \"radius-then-secrets\""});
    }
  }
}

void AccelImporter::write_toml() {
  if (!dns_.empty()) {
    std::string v;
    for (const auto& [k, d] : dns_) v += (v.empty() ? "" : ", ") + d;
    set("ipv4.dns", "[" + v + "]", in_.conf.name + " [dns]");
  }
  if (!values_.count("ipv4.server_address")) {
    res_.errors.push_back(in_.conf.name + ": no gw-ip-address in [ip-pool] (or [chap-secrets], [radius]); add "
                                          "the server's tunnel address there");
    return;
  }
  set("auth.secrets_file", toml_string(in_.out_dir + "/chap-secrets"), "pptpx import (the secrets file it wrote)");
  if (gateways_.size() > 1) {
    res_.report.push_back({in_.conf.name, "(gw-ip-address)", kMapped, "[ipv4] server_address",
                           "more than one gw-ip-address; pptpx has one server address: the [ip-pool] one, else "
                           "[chap-secrets], else [radius]"});
  }
  std::ostringstream o;
  o << "# pptpx server configuration imported by `pptpx import accel-ppp` from " << in_.conf.name << ".\n"
    << "# Each key names the line it came from; unset keys keep pptpx's defaults (docs/server.md).\n";
  o << toml_tables(values_);
  o << radius_servers_;
  res_.server_toml = o.str();
}

}  // namespace pptpx::migrate::accel_detail

namespace pptpx::migrate {

AccelImportResult import_accel(const AccelImportInput& in) { return accel_detail::AccelImporter(in).run(); }

}  // namespace pptpx::migrate
