// accel-ppp.conf sections, one handler each (accel-ppp.conf(5)); [radius] is in
// accel_radius_secrets.cpp.
#include "migrate/accel_importer.hpp"

#include "migrate/import_text.hpp"

namespace pptpx::migrate::accel_detail {
namespace {

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

}  // namespace

void AccelImporter::read_section(const std::string& name) {
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

bool AccelImporter::table_row(const AccelItem& it, std::initializer_list<Known> known) {
  for (const auto& k : known) {
    if (it.name == k.key) {
      row(it, k.outcome, "", k.why);
      return true;
    }
  }
  return false;
}

void AccelImporter::unknown(const AccelItem& it, const char* section) {
  error(it, "unknown option `" + it.name + "` in [" + section + "]; remove it or translate it by hand (docs/migrate.md)");
}

void AccelImporter::common(const AccelItem& it) {
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

void AccelImporter::ppp(const AccelItem& it) {
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

void AccelImporter::mtu(const AccelItem& it, const char* why) {
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
void AccelImporter::mppe(const AccelItem& it) {
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

void AccelImporter::auth(const AccelItem& it) {
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

void AccelImporter::pptp(const AccelItem& it) {
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

void AccelImporter::gateway(const AccelItem& it, int rank) {
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

void AccelImporter::ip_pool(const AccelItem& it) {
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
void AccelImporter::range(const AccelItem& it) {
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

void AccelImporter::dns(const AccelItem& it) {
  if (it.name != "dns1" && it.name != "dns2") return unknown(it, "dns");
  if (!it.value || !server::parse_ipv4(*it.value)) return error(it, it.name + " is not an IPv4 address");
  dns_[it.name] = toml_string(*it.value);
  row(it, kMapped, "[ipv4] dns", "DNS server pushed in IPCP (RFC 1877)");
}

void AccelImporter::log(const AccelItem& it) {
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

void AccelImporter::chap_secrets(const AccelItem& it) {
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

}  // namespace pptpx::migrate::accel_detail
