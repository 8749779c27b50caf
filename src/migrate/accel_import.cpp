#include "migrate/accel_import.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <sstream>

#include "auth/mschap.hpp"
#include "migrate/accel_conf.hpp"
#include "migrate/import_text.hpp"
#include "server/ip_address.hpp"
#include "server/secrets_file.hpp"

namespace pptpx::migrate {
namespace {

constexpr Outcome kMapped = Outcome::mapped;
constexpr Outcome kNotNeeded = Outcome::not_needed;
constexpr Outcome kNotSupported = Outcome::not_supported;

struct Known {
  const char* key;
  Outcome outcome;
  const char* why;
};

// Sections of other protocols and features pptpx does not have: every line is accounted for
// with the section's reason.
const std::map<std::string, std::pair<Outcome, const char*>>& whole_sections() {
  static const std::map<std::string, std::pair<Outcome, const char*>> m = {
      {"pppoe", {kNotSupported, "PPPoE: pptpx serves PPTP only; keep accel-ppp for PPPoE"}},
      {"l2tp", {kNotSupported, "L2TP: pptpx serves PPTP only; keep accel-ppp for L2TP"}},
      {"sstp", {kNotSupported, "SSTP: pptpx serves PPTP only; keep accel-ppp for SSTP"}},
      {"ipoe", {kNotSupported, "IPoE: pptpx serves PPTP only; keep accel-ppp for IPoE"}},
      {"client-ip-range", {kNotNeeded, "used by IPoE only"}},
      {"wins", {kNotSupported, "pptpx does not push WINS (NBNS) servers; clients set them themselves"}},
      {"ipv6-pool", {kNotSupported, "pptpx's IPV6CP uses one routed prefix; add [ipv6] enabled and prefix by hand"}},
      {"ipv6-dns", {kNotSupported, "IPV6CP carries no DNS servers and pptpx sends no router advertisements"}},
      {"ipv6-nd", {kNotSupported, "pptpx sends no router advertisements; clients get the prefix out of band"}},
      {"ipv6-dhcp", {kNotSupported, "pptpx has no DHCPv6"}},
      {"log-pgsql", {kNotSupported, "pptpx logs to standard error/the journal and sessions to [accounting] file"}},
      {"pppd-compat", {kNotSupported, "pptpx runs no ip-up/ip-down scripts; watch the [accounting] file instead"}},
      {"shaper", {kNotSupported, "pptpx does not shape traffic; use tc on its TUN device"}},
      {"cli", {kNotSupported, "use `pptpx ctl` over the [control] socket instead of accel-cmd"}},
      {"snmp", {kNotSupported, "pptpx has no SNMP agent; scrape [metrics] instead"}},
      {"core", {kNotNeeded, "pptpx logs to standard error/the journal and runs one event loop"}},
  };
  return m;
}

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

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string part;
  while (std::getline(ss, part, sep)) out.push_back(part);
  return out;
}

struct PoolRange {
  std::string pool;  // "" is the default pool
  std::string next;
  server::Ipv4Range range;
  const AccelItem* item = nullptr;
};

class AccelImporter {
 public:
  explicit AccelImporter(const AccelImportInput& in) : in_(in) {}

  AccelImportResult run() {
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

 private:
  void row(const AccelItem& it, Outcome o, std::string key, std::string why, bool weakens = false) {
    res_.report.push_back({it.where(), shown(it), o, std::move(key), std::move(why), weakens});
  }
  void error(const AccelItem& it, const std::string& what) { res_.errors.push_back(it.where() + ": " + what); }
  void set(const std::string& key, std::string value, std::string origin) {
    values_[key] = {std::move(value), std::move(origin)};
  }
  std::optional<long> number(const AccelItem& it, long lo, long hi) {
    auto n = it.value ? parse_int(*it.value) : std::nullopt;
    if (!n || *n < lo || *n > hi) {
      error(it, it.name + " must be a number " + std::to_string(lo) + ".." + std::to_string(hi) + " (pptpx's range)");
      return std::nullopt;
    }
    return n;
  }
  bool has_module(const std::string& m) const { return modules_.count(m) != 0; }

  void read_modules() {
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

  void read_section(const std::string& name) {
    if (name == "modules") return;
    const auto& items = conf_.sections.at(name);
    if (auto w = whole_sections().find(name); w != whole_sections().end()) {
      for (const auto& it : items) row(it, w->second.first, "", w->second.second);
      return;
    }
    for (const auto& it : items) {
      if (name == "common") common(it);
      else if (name == "ppp") ppp(it);
      else if (name == "auth") auth(it);
      else if (name == "pptp") pptp(it);
      else if (name == "ip-pool") ip_pool(it);
      else if (name == "dns") dns(it);
      else if (name == "radius") radius(it);
      else if (name == "log") log(it);
      else if (name == "chap-secrets") chap_secrets(it);
      else if (name == "connlimit") row(it, kNotSupported, "", "pptpx caps concurrent sessions per source "
                                        "([limits] max_sessions_per_source) instead of a connection rate");
      else if (name == "metrics") row(it, kNotSupported, "", "set pptpx's [metrics] listen and allowed by hand");
      else error(it, "unknown accel-ppp section [" + name + "]; remove it or translate it by hand (docs/migrate.md)");
    }
  }

  bool table_row(const AccelItem& it, std::initializer_list<Known> known) {
    for (const auto& k : known) {
      if (it.name == k.key) {
        row(it, k.outcome, "", k.why);
        return true;
      }
    }
    return false;
  }
  void unknown(const AccelItem& it, const char* section) {
    error(it, "unknown option `" + it.name + "` in [" + section + "]; remove it or translate it by hand (docs/migrate.md)");
  }

  void common(const AccelItem& it) {
    if (it.name == "max-sessions") {
      if (auto n = number(it, 0, 65535)) {
        if (*n == 0) return row(it, kNotNeeded, "", "0 is no limit; pptpx's default [limits] max_sessions applies");
        set("limits.max_sessions", std::to_string(*n), it.where());
        row(it, kMapped, "[limits] max_sessions", "the same cap on concurrent sessions");
      }
    } else if (it.name == "max-starting") {
      if (auto n = number(it, 0, 65535)) {
        if (*n == 0) return row(it, kNotNeeded, "", "0 is no limit; pptpx's default applies");
        set("limits.max_handshakes_in_progress", std::to_string(*n), it.where());
        row(it, kMapped, "[limits] max_handshakes_in_progress", "sessions being set up at once");
      }
    } else if (it.name == "session-timeout") {
      if (it.value == "0") row(it, kNotNeeded, "", "0 is no timeout");
      else row(it, kNotSupported, "", "pptpx has no session time limit; sessions end on hang-up or dead peer");
    } else if (it.name == "single-session") {
      row(it, kNotSupported, "", "pptpx allows a user more than one session (a static address allows one)");
    } else if (!table_row(it, {{"single-session-ignore-case", kNotSupported, "see single-session"},
                               {"sid-case", kNotNeeded, "pptpx numbers sessions itself"},
                               {"sid-source", kNotNeeded, "pptpx numbers sessions itself"},
                               {"seq-file", kNotNeeded, "pptpx numbers sessions itself"},
                               {"check-ip", kNotNeeded, "pptpx never gives one address to two sessions"},
                               {"nl-snd-buffer", kNotNeeded, "pptpx uses no netlink session interfaces"},
                               {"nl-rcv-buffer", kNotNeeded, "pptpx uses no netlink session interfaces"},
                               {"netns-run-dir", kNotNeeded, "pptpx puts no sessions in other namespaces"},
                               {"attr-l4-redirect-ipset", kNotNeeded, "IPoE only"}})) {
      unknown(it, "common");
    }
  }

  void ppp(const AccelItem& it) {
    if (it.name == "mtu" || it.name == "mru") {
      mtu(it, "one value for MTU and MRU; the smallest of [ppp] mtu/mru and [pptp] ppp-max-mtu is kept");
    } else if (it.name == "mppe") {
      if (!pptp_mppe_) mppe(it);
      else row(it, kNotNeeded, "", "[pptp] mppe overrides it for PPTP");
    } else if (it.name == "lcp-echo-interval") {
      if (auto n = number(it, 0, 3600)) {
        if (*n == 0) return row(it, kNotSupported, "", "pptpx always sends LCP echoes; its default interval is kept");
        set("echo.lcp_interval_seconds", std::to_string(*n), it.where());
        row(it, kMapped, "[echo] lcp_interval_seconds", "");
      }
    } else if (it.name == "lcp-echo-failure") {
      if (auto n = number(it, 1, 100)) {
        set("echo.lcp_failures", std::to_string(*n), it.where());
        row(it, kMapped, "[echo] lcp_failures", "");
      }
    } else if (it.name == "lcp-echo-timeout") {
      row(it, kNotSupported, "", "pptpx has no adaptive LCP echo; it ends a session after lcp_failures unanswered echoes");
    } else if (it.name == "ccp") {
      if (it.value == "0") error(it, "ccp=0 turns CCP, and with it MPPE, off; pptpx always offers MPPE, so remove it");
      else row(it, kNotNeeded, "", "pptpx always negotiates CCP for MPPE");
    } else if (it.name == "ipv4") {
      if (it.value == "deny") error(it, "ipv4=deny: pptpx always runs IPCP; remove it");
      else row(it, kNotNeeded, "", "pptpx always runs IPCP and gives an address");
    } else if (it.name == "ipv6") {
      if (it.value == "deny" || it.value == "0") row(it, kNotNeeded, "", "pptpx runs no IPV6CP unless [ipv6] is enabled");
      else row(it, kNotSupported, "", "pptpx's IPV6CP needs a routed prefix; add [ipv6] enabled and prefix by hand");
    } else if (!table_row(it, {{"verbose", kNotNeeded, "pptpx's [log] level decides"},
                               {"min-mtu", kNotSupported, "pptpx accepts any MRU of 576 or more (RFC 1661 §6.1 minimum)"},
                               {"max-mtu", kNotNeeded, "[tun] mtu bounds the MTU"},
                               {"accomp", kNotNeeded, "pptpx negotiates address/control field compression itself"},
                               {"pcomp", kNotNeeded, "pptpx negotiates protocol field compression itself"},
                               {"ccp-max-configure", kNotNeeded, "pptpx uses RFC 1661's restart counters"},
                               {"timeout", kNotNeeded, "pptpx uses RFC 1661's restart timer (3 s)"},
                               {"max-configure", kNotNeeded, "pptpx uses RFC 1661's Max-Configure (10)"},
                               {"max-failure", kNotNeeded, "pptpx uses RFC 1661's Max-Failure (5)"},
                               {"max-terminate", kNotNeeded, "pptpx uses RFC 1661's Max-Terminate (2)"},
                               {"check-ip", kNotNeeded, "pptpx never gives one address to two sessions"},
                               {"ipv6-intf-id", kNotSupported, "set [ipv6] server_interface_id by hand with [ipv6]"},
                               {"ipv6-peer-intf-id", kNotNeeded, "pptpx accepts the client's own interface identifier"},
                               {"ipv6-accept-peer-intf-id", kNotNeeded, "pptpx accepts the client's own identifier"},
                               {"unit-cache", kNotNeeded, "pptpx uses one TUN device, not a ppp unit per session"},
                               {"unit-preallocate", kNotNeeded, "pptpx uses one TUN device, not a ppp unit per session"}})) {
      unknown(it, "ppp");
    }
  }

  void mtu(const AccelItem& it, const char* why) {
    auto n = number(it, 576, 1500);
    if (!n) return;
    if (mtu_ == 0 || *n < mtu_) {
      mtu_ = *n;
      set("tun.mtu", std::to_string(*n), it.where());
    }
    row(it, kMapped, "[tun] mtu", why);
  }

  // accel-ppp.conf(5) [ppp] mppe: require drops a client that refuses MPPE; prefer and allow (and
  // no setting: "don't ask client for mppe, but allow it") let sessions run unencrypted; deny
  // never encrypts.
  void mppe(const AccelItem& it) {
    mppe_seen_ = true;
    const std::string v = it.value.value_or("");
    if (v == "require") {
      set("mppe.required", "true", it.where());
      row(it, kMapped, "[mppe] required = true", "MPPE-128 required");
    } else if (v == "prefer" || v == "allow") {
      set("mppe.required", "false", it.where());
      row(it, kMapped, "[mppe] required = false",
          "a client that refuses MPPE gets an unencrypted session; set mppe=require", true);
    } else if (v == "deny") {
      set("mppe.required", "false", it.where());
      row(it, kMapped, "[mppe] required = false",
          "pptpx still offers MPPE; a client that refuses it gets an unencrypted session as before", true);
    } else {
      error(it, "mppe=" + v + " is not one of deny, allow, prefer, require (accel-ppp.conf(5))");
    }
  }

  void auth(const AccelItem& it) {
    if (it.name == "timeout") {
      if (auto n = number(it, 0, 3600)) {
        if (*n == 0) return row(it, kNotNeeded, "", "0 is no timeout; pptpx's default [limits] auth_seconds applies");
        set("limits.auth_seconds", std::to_string(*n), it.where());
        row(it, kMapped, "[limits] auth_seconds", "time allowed for authentication");
      }
    } else if (it.name == "challenge-name") {
      challenge_name_ = it.value.value_or("");
      challenge_where_ = it.where();
      row(it, kMapped, "[auth] server_name", "the Name in CHAP/MS-CHAP Challenges");
    } else if (it.name == "any-login" || it.name == "noauth") {
      if (it.value == "0") row(it, kNotNeeded, "", "pptpx always authenticates");
      else error(it, it.name + "=" + it.value.value_or("") + " lets anyone in; pptpx always authenticates, so remove it");
    } else if (!table_row(it, {{"interval", kNotSupported, "pptpx does not re-authenticate during a session"},
                               {"max-failure", kNotNeeded, "pptpx ends the session at the first failure and locks "
                                                           "out repeated failures ([limits.auth_lockout])"}})) {
      unknown(it, "auth");
    }
  }

  void pptp(const AccelItem& it) {
    if (it.name == "bind") {
      if (!it.value || !server::parse_ipv4(*it.value)) return error(it, "bind is not an IPv4 address");
      set("listen.address", toml_string(*it.value), it.where());
      row(it, kMapped, "[listen] address", "control connections and GRE on this address");
    } else if (it.name == "port") {
      if (auto n = number(it, 1, 65535)) {
        set("listen.port", std::to_string(*n), it.where());
        row(it, kMapped, "[listen] port", "");
      }
    } else if (it.name == "mppe") {
      pptp_mppe_ = true;
      mppe(it);
    } else if (it.name == "echo-interval") {
      if (auto n = number(it, 0, 3600)) {
        if (*n == 0) return row(it, kNotSupported, "", "pptpx always answers and sends control Echo-Requests after "
                                                         "60 s of silence (RFC 2637 §3.1.4); default kept");
        set("echo.control_interval_seconds", std::to_string(*n), it.where());
        row(it, kMapped, "[echo] control_interval_seconds", "Echo-Request after this much silence");
      }
    } else if (it.name == "echo-failure") {
      row(it, kNotNeeded, "", "pptpx closes a control connection whose Echo-Request goes unanswered (RFC 2637 §3.1.4)");
    } else if (it.name == "timeout") {
      if (auto n = number(it, 1, 3600)) {
        set("limits.control_setup_seconds", std::to_string(*n), it.where());
        row(it, kMapped, "[limits] control_setup_seconds", "time allowed for the peer's control replies at setup");
      }
    } else if (it.name == "ppp-max-mtu") {
      mtu(it, "the smallest of [ppp] mtu/mru and [pptp] ppp-max-mtu is kept");
    } else if (it.name == "ip-pool") {
      row(it, kMapped, "[ipv4] pool", "the [ip-pool] pool PPTP sessions take addresses from");
    } else if (it.name == "ifname") {
      row(it, kNotNeeded, "", "pptpx uses one TUN device ([tun] name, default pptpx0); firewall rules naming "
                              "the ppp interfaces must name it instead");
    } else if (it.name == "session-timeout") {
      if (it.value == "0") row(it, kNotNeeded, "", "0 is no timeout");
      else row(it, kNotSupported, "", "pptpx has no session time limit");
    } else if (!table_row(it, {{"verbose", kNotNeeded, "pptpx's [log] level decides"},
                               {"ipv6-pool", kNotSupported, "add [ipv6] enabled and prefix by hand"},
                               {"ipv6-pool-delegate", kNotSupported, "pptpx delegates no prefixes"}})) {
      unknown(it, "pptp");
    }
  }

  void gateway(const AccelItem& it, int rank) {
    auto v = it.value ? it.value->substr(0, it.value->find('/')) : std::string();
    auto a = server::parse_ipv4(v);
    if (!a) return error(it, "gw-ip-address \"" + it.value.value_or("") + "\" is not an IPv4 address");
    if (rank < gw_rank_) {
      gw_rank_ = rank;
      set("ipv4.server_address", toml_string(server::to_string(*a)), it.where());
    }
    gateways_.insert(a->value);
    row(it, kMapped, "[ipv4] server_address", "the server's tunnel address (pptpx has one for every session)");
  }

  void ip_pool(const AccelItem& it) {
    if (it.name == "gw-ip-address") return gateway(it, 0);
    if (it.name == "tunnel" || !it.value || it.name.find(',') != std::string::npos) return range(it);
    if (!table_row(it, {{"shuffle", kNotSupported, "pptpx hands out pool addresses in order"},
                        {"reload-orphan", kNotNeeded, "pptpx keeps running sessions when the pool changes on reload"},
                        {"gw", kNotNeeded, "deprecated and ignored by accel-ppp itself"},
                        {"attr", kNotSupported, "pptpx takes no pool name from RADIUS"},
                        {"vendor", kNotSupported, "pptpx takes no pool name from RADIUS"}})) {
      unknown(it, "ip-pool");
    }
  }

  // x.x.x.x/mask or x.x.x.x-y, then ,name=P or ,P, ,next=P, ,allocator=p2p|net30 (extra/ippool.c).
  void range(const AccelItem& it) {
    auto parts = split(it.name == "tunnel" ? it.value.value_or("") : it.raw, ',');
    if (parts.empty()) return error(it, "an empty pool range");
    PoolRange r;
    r.item = &it;
    const std::string& text = parts[0];
    std::uint32_t lo = 0, hi = 0;
    if (auto slash = text.find('/'); slash != std::string::npos) {
      auto a = server::parse_ipv4(text.substr(0, slash));
      auto m = parse_int(text.substr(slash + 1));
      if (!a || !m || *m < 1 || *m > 32) return error(it, "\"" + text + "\" is not a range like 192.0.2.0/24 or 192.0.2.10-200");
      lo = a->value;
      hi = lo | (*m == 32 ? 0u : (0xFFFFFFFFu >> *m));
    } else if (auto dash = text.find('-'); dash != std::string::npos) {
      auto a = server::parse_ipv4(text.substr(0, dash));
      auto y = parse_int(text.substr(dash + 1));
      if (!a || !y || *y < 0 || *y > 255) return error(it, "\"" + text + "\" is not a range like 192.0.2.10-200");
      lo = a->value;
      hi = (lo & 0xFFFFFF00u) | static_cast<std::uint32_t>(*y);
      if (hi < lo) return error(it, "range \"" + text + "\" ends before it starts");
    } else {
      return error(it, "\"" + text + "\" is not a range like 192.0.2.0/24 or 192.0.2.10-200, nor a known [ip-pool] option");
    }
    r.range = {server::Ipv4Address{lo}, server::Ipv4Address{hi}};
    for (std::size_t i = 1; i < parts.size(); ++i) {
      const std::string& p = parts[i];
      if (p.rfind("name=", 0) == 0) r.pool = p.substr(5);
      else if (p.rfind("next=", 0) == 0) r.next = p.substr(5);
      else if (p == "allocator=p2p") {}
      else if (p.rfind("allocator=", 0) == 0) return error(it, p + ": pptpx gives each client one /32 address; use p2p");
      else if (p.find('=') == std::string::npos && r.pool.empty()) r.pool = p;
      else return error(it, "\"" + p + "\" is not a known pool option (name=, next=, allocator=)");
    }
    ranges_.push_back(r);
  }

  void finish_pool() {
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

  void dns(const AccelItem& it) {
    if (it.name != "dns1" && it.name != "dns2") return unknown(it, "dns");
    if (!it.value || !server::parse_ipv4(*it.value)) return error(it, it.name + " is not an IPv4 address");
    dns_[it.name] = toml_string(*it.value);
    row(it, kMapped, "[ipv4] dns", "DNS server pushed in IPCP (RFC 1877)");
  }

  void log(const AccelItem& it) {
    if (it.name == "level") {
      if (auto n = number(it, 0, 5)) {
        static const char* levels[] = {"off", "error", "warn", "info", "info", "debug"};
        set("log.level", toml_string(levels[*n]), it.where());
        row(it, kMapped, "[log] level", "0 off, 1 error, 2 warn, 3-4 info, 5 debug");
      }
    } else if (!table_row(it, {{"log-file", kNotNeeded, "pptpx logs to standard error (the journal under systemd)"},
                               {"log-emerg", kNotNeeded, "pptpx logs to standard error (the journal under systemd)"},
                               {"log-fail-file", kNotNeeded, "failed logins are in pptpx's log and `pptpx ctl stats`"},
                               {"log-debug", kNotNeeded, "pptpx logs to standard error; use [log] level = \"debug\""},
                               {"syslog", kNotNeeded, "pptpx logs to standard error (the journal under systemd)"},
                               {"log-tcp", kNotSupported, "pptpx does not log over TCP; forward the journal"},
                               {"copy", kNotNeeded, "pptpx writes one log"},
                               {"color", kNotNeeded, "pptpx writes one log"},
                               {"per-session-dir", kNotSupported, "pptpx writes one log; sessions are in [accounting] file"},
                               {"per-user-dir", kNotSupported, "pptpx writes one log; sessions are in [accounting] file"},
                               {"per-session", kNotSupported, "pptpx writes one log; sessions are in [accounting] file"}})) {
      unknown(it, "log");
    }
  }

  void chap_secrets(const AccelItem& it) {
    if (it.name == "gw-ip-address") return gateway(it, 1);
    if (it.name == "chap-secrets") return row(it, kMapped, "[auth] secrets_file", "its users are imported");
    if (it.name == "encrypted") {
      encrypted_ = it.value == "1";
      return row(it, kMapped, "secrets file", encrypted_ ? "NT hashes, written as nthash:" : "plaintext passwords");
    }
    if (it.name == "username-hash") {
      return error(it, "username-hash stores hashed user names, which pptpx cannot look up; import from a file with "
                       "plain user names");
    }
    unknown(it, "chap-secrets");
  }

  void radius(const AccelItem& it) {
    if (it.name == "server" || it.name == "auth-server") return radius_server(it);
    if (it.name == "nas-identifier") {
      set("radius.nas_identifier", toml_string(it.value.value_or("")), it.where());
      return row(it, kMapped, "[radius] nas_identifier", "");
    }
    if (it.name == "nas-ip-address") {
      if (!it.value || !server::parse_ipv4(*it.value)) return error(it, "nas-ip-address is not an IPv4 address");
      set("radius.nas_ip_address", toml_string(*it.value), it.where());
      return row(it, kMapped, "[radius] nas_ip_address", "");
    }
    if (it.name == "gw-ip-address") return gateway(it, 2);
    if (it.name == "timeout") {
      if (auto n = number(it, 1, 60)) {
        set("radius.timeout_seconds", std::to_string(*n), it.where());
        row(it, kMapped, "[radius] timeout_seconds", "");
      }
      return;
    }
    if (it.name == "max-try") {
      if (auto n = number(it, 1, 11)) {
        set("radius.retries", std::to_string(*n - 1), it.where());
        row(it, kMapped, "[radius] retries", "max-try counts the first send; retries does not");
      }
      return;
    }
    if (it.name == "max-fail") {
      if (auto n = number(it, 0, 1000)) {
        if (*n == 0) return row(it, kNotNeeded, "", "0: never mark a server dead; pptpx's default max_fail applies");
        set("radius.max_fail", std::to_string(*n), it.where());
        row(it, kMapped, "[radius] max_fail", "");
      }
      return;
    }
    if (it.name == "fail-timeout" || it.name == "fail-time") {
      if (auto n = number(it, 0, 86400)) {
        if (*n == 0) return row(it, kNotNeeded, "", "0: pptpx's default fail_timeout_seconds applies");
        set("radius.fail_timeout_seconds", std::to_string(*n), it.where());
        row(it, kMapped, "[radius] fail_timeout_seconds", "");
      }
      return;
    }
    if (it.name == "blast-protection") {
      return row(it, kNotNeeded, "", "pptpx always sends Message-Authenticator first in Access-Requests (RFC 3579)");
    }
    if (it.name.rfind("acct-", 0) == 0 || it.name == "interim-verbose") {
      if (it.name == "acct-server") return row(it, kNotSupported, "", "pptpx sends no RADIUS accounting yet; its "
                                                                      "[accounting] file has one JSON line per session");
      return row(it, kNotSupported, "", "pptpx sends no RADIUS accounting yet (docs/server.md)");
    }
    if (it.name == "dae-server" || it.name == "dae-allowed" || it.name == "dm_coa_secret" ||
        it.name == "require-nas-identification") {
      return row(it, kNotSupported, "", "pptpx has no Disconnect/CoA (RFC 5176) yet; end sessions with `pptpx ctl kill`");
    }
    if (!table_row(it, {{"dictionary", kNotNeeded, "pptpx knows the attributes it uses"},
                        {"verbose", kNotNeeded, "pptpx's [log] level decides"},
                        {"req-limit", kNotSupported, "pptpx does not cap requests in flight per server"},
                        {"default-realm", kNotSupported, "pptpx sends the user name as the client gave it"},
                        {"strip-realm", kNotSupported, "pptpx sends the user name as the client gave it"},
                        {"attr-tunnel-type", kNotNeeded, "pptpx sends the standard Tunnel-Type (PPTP)"},
                        {"sid-in-auth", kNotSupported, "pptpx sends no Acct-Session-Id in Access-Requests"},
                        {"nas-port-id-in-req", kNotNeeded, "pptpx sends no NAS-Port-Id"},
                        {"bind", kNotSupported, "pptpx lets the kernel choose the RADIUS source address"},
                        {"framed-route-strict", kNotNeeded, "pptpx takes no Framed-Route from RADIUS"}})) {
      unknown(it, "radius");
    }
  }

  // server=address,secret[,auth-port=1812][,acct-port=1813][,req-limit=0][,fail-timeout=0]
  // [,max-fail=0][,weight=1][,backup][,bind-device=]; auth-server=address:port,secret (obsolete).
  void radius_server(const AccelItem& it) {
    auto parts = split(it.value.value_or(""), ',');
    if (parts.size() < 2 || parts[1].empty()) {
      return error(it, it.name + " needs ADDRESS,SECRET (accel-ppp.conf(5)); fix the line");
    }
    std::string address = parts[0];
    long auth_port = 1812, acct_port = 1813, weight = 1;
    bool backup = false;
    std::vector<std::string> dropped;
    if (it.name == "auth-server") {
      if (auto c = address.find(':'); c != std::string::npos) {
        auto p = parse_int(address.substr(c + 1));
        if (!p || *p < 1 || *p > 65535) return error(it, "auth-server port must be 1..65535");
        auth_port = *p;
        address = address.substr(0, c);
      }
    }
    if (!server::parse_ipv4(address)) return error(it, "RADIUS server \"" + address + "\" is not an IPv4 address");
    for (std::size_t i = 2; i < parts.size(); ++i) {
      const std::string& p = parts[i];
      auto eq = p.find('=');
      const std::string k = p.substr(0, eq);
      long v = -1;  // -1: no number
      if (eq != std::string::npos) {
        if (auto n = parse_int(p.substr(eq + 1)); n && *n >= 0) v = *n;
      }
      if (k == "backup") backup = true;
      else if ((k == "auth-port" || k == "acct-port") && v >= 0 && v <= 65535) (k == "auth-port" ? auth_port : acct_port) = v;
      else if (k == "weight" && v >= 1 && v <= 1000) weight = v;
      else if ((k == "fail-timeout" || k == "fail-time") && v >= 0) {
        if (v > 0) set("radius.fail_timeout_seconds", std::to_string(v), it.where());
      } else if (k == "max-fail" && v >= 0) {
        if (v > 0) set("radius.max_fail", std::to_string(v), it.where());
      } else if (k == "req-limit" || k == "bind-device") dropped.push_back(p);
      else return error(it, "\"" + p + "\" is not a RADIUS server option pptpx knows (accel-ppp.conf(5))");
    }
    if (auth_port == 0) {
      return row(it, kNotNeeded, "", "an accounting-only server (auth-port=0); pptpx sends no RADIUS accounting yet");
    }
    const std::string file = "radius-secret-" + address + (auth_port != 1812 ? "-" + std::to_string(auth_port) : "");
    for (const auto& f : res_.radius_secret_files) {
      if (f.name == file) return error(it, "RADIUS server " + address + " is named twice; keep one line");
    }
    res_.radius_secret_files.push_back({file, parts[1] + "\n", 0600});
    std::ostringstream o;
    o << "\n# from " << it.where() << "\n[[radius.servers]]\naddress = " << toml_string(address)
      << "\nauth_port = " << auth_port << "\nacct_port = " << (acct_port == 0 ? 1813 : acct_port)
      << "\nsecret_file = " << toml_string(in_.out_dir + "/" + file) << "\nweight = " << weight
      << "\nbackup = " << (backup ? "true" : "false") << "\n";
    radius_servers_ += o.str();
    std::string why = "the shared secret is in " + file + " (mode 0600); fail-timeout and max-fail are one "
                      "setting for all servers in pptpx";
    for (const auto& d : dropped) why += "; " + d + " not supported";
    row(it, kMapped, "[[radius.servers]]", why);
  }

  void finish_auth() {
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
      if (has_module("chap-secrets")) {
        res_.report.push_back({in_.conf.name, "(radius and chap-secrets)", kMapped, "[auth] source = \"radius\"",
                               "RADIUS answers every login, as in accel-ppp; the imported chap-secrets are used "
                               "only if you set source = \"radius-then-secrets\""});
      }
    }
  }

  // accel-ppp's chap-secrets (extra/chap-secrets.c): client, server (ignored: any server),
  // secret, then an address or a pool name ("*", "-", "!" or nothing: from the pool), then a
  // shaper rate. Lines whose first character is '#' are comments; lines with fewer than three
  // words are skipped. With encrypted=1 the secret is 32 hex digits of the NT hash.
  void read_secrets() {
    std::ostringstream out;
    SourceText f;
    if (in_.chap_secrets) {
      f = *in_.chap_secrets;
    } else if (has_module("chap-secrets")) {
      const AccelItem* p = conf_.find("chap-secrets", "chap-secrets");
      std::string path = p && p->value ? *p->value : "/etc/ppp/chap-secrets";
      // A relative path is read beside the file that names it, as $include is.
      if (p && path.front() != '/' && p->file.rfind('/') != std::string::npos) {
        path = p->file.substr(0, p->file.rfind('/') + 1) + path;
      }
      auto got = in_.read ? in_.read(path) : std::nullopt;
      if (!got) {
        res_.errors.push_back((p ? p->where() : in_.conf.name) + ": cannot read the chap-secrets file " + path +
                              "; check it or name it with --chap-secrets");
        return;
      }
      f = *got;
    } else {
      res_.secrets = "# chap-secrets for pptpx: accel-ppp used RADIUS only, so this file is empty; users added "
                     "here count only with [auth] source = \"radius-then-secrets\"\n";
      return;
    }
    out << "# chap-secrets for pptpx, imported from " << f.name << " (pppd format; docs/server.md).\n"
        << "# accel-ppp ignores the server column; it is written as *.\n# client server secret addresses\n";
    const bool plaintext_methods = std::find(methods_.begin(), methods_.end(), "pap") != methods_.end() ||
                                   std::find(methods_.begin(), methods_.end(), "chap-md5") != methods_.end();
    const AccelItem* sel = conf_.find("pptp", "ip-pool");
    const std::string pptp_pool = sel && sel->value ? *sel->value : std::string();
    std::vector<std::vector<server::SecretsWord>> lines;
    for (auto& w : server::split_secrets_words(f.text).words) {
      if (w.starts_line || lines.empty()) lines.emplace_back();
      lines.back().push_back(w);
    }
    std::set<std::string> users;
    for (const auto& l : lines) {
      const std::string where = f.name + ":" + std::to_string(l[0].line);
      const std::string user = l[0].text;
      if (l.size() < 3) {
        res_.report.push_back({where, user, kNotNeeded, "", "fewer than 3 columns: accel-ppp skips this line"});
        continue;
      }
      if (user == "*") {
        res_.report.push_back({where, user, kNotNeeded, "", "accel-ppp matches * only as a literal user name, "
                                                            "never as a wildcard; not imported"});
        continue;
      }
      if (!users.insert(user).second) {
        res_.report.push_back({where, user, kNotNeeded, "", "a later line for the same user; accel-ppp uses the first"});
        continue;
      }
      std::string secret;
      if (encrypted_) {
        auto h = server::parse_nthash_secret("nthash:" + l[2].text);
        if (!h || l[2].text.size() != 32) {
          res_.report.push_back({where, user, kNotNeeded, "", "encrypted=1 but the secret is not 32 hex digits; "
                                                              "accel-ppp skips this user too"});
          continue;
        }
        secret = server::format_nthash_secret(*h);
      } else if (in_.hash_secrets && !plaintext_methods) {
        secret = server::format_nthash_secret(auth::nt_password_hash(l[2].text));
      } else {
        secret = secrets_word(l[2].text);
        if (in_.hash_secrets) {
          res_.report.push_back({where, user, kMapped, "secrets file",
                                 "kept in plaintext: PAP or CHAP-MD5 is allowed and needs it", true});
        }
      }
      std::string addr = "*";
      if (l.size() >= 4) {
        const std::string& a = l[3].text;
        if (auto ip = server::parse_ipv4(a)) {
          addr = server::to_string(*ip);
        } else if (a.empty() || a == "*" || a == "-" || a == "!") {
          addr = "*";
        } else if (a != pptp_pool) {
          res_.report.push_back({where, user + " " + a, kNotSupported, "", "pptpx has one pool; this user gets an "
                                                                           "address from [ipv4] pool"});
        }
      }
      if (l.size() >= 5) {
        res_.report.push_back({where, user + " " + l[4].text, kNotSupported, "",
                               "a shaper rate; pptpx does not shape traffic"});
      }
      out << "# " << where << "\n" << secrets_word(user) << " * " << secret << " " << addr << "\n";
    }
    res_.secrets = out.str();
  }

  void write_toml() {
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
    std::string table;
    for (const auto& [key, v] : values_) {
      auto dot = key.find('.');
      std::string t = key.substr(0, dot);
      if (t != table) {
        o << "\n[" << t << "]\n";
        table = t;
      }
      o << "# from " << v.second << "\n" << key.substr(dot + 1) << " = " << v.first << "\n";
    }
    o << radius_servers_;
    res_.server_toml = o.str();
  }

  const AccelImportInput& in_;
  AccelImportResult res_;
  AccelConf conf_;
  std::set<std::string> modules_;
  std::map<std::string, std::pair<std::string, std::string>> values_;  // key -> value, origin
  std::map<std::string, std::string> dns_;
  std::vector<PoolRange> ranges_;
  std::set<std::uint32_t> gateways_;
  std::vector<std::string> methods_;
  std::string challenge_name_;
  std::string challenge_where_;
  std::string radius_servers_;
  long mtu_ = 0;
  int gw_rank_ = 99;
  bool pptp_mppe_ = false;
  bool mppe_seen_ = false;
  bool encrypted_ = false;
};

}  // namespace

AccelImportResult import_accel(const AccelImportInput& in) { return AccelImporter(in).run(); }

}  // namespace pptpx::migrate
