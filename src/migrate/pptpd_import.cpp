#include "migrate/pptpd_import.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <sstream>

#include "auth/mschap.hpp"
#include "migrate/import_text.hpp"
#include "migrate/radiusclient_import.hpp"
#include "server/ip_address.hpp"
#include "server/secrets_file.hpp"

namespace pptpx::migrate {
namespace {

struct Line {
  std::uint32_t number = 0;
  std::vector<std::string> words;
};

// pptpd.conf and pppd options: '#' to the end of the line is a comment; words are separated by
// whitespace (our options never need pppd's quoting).
std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> out;
  std::uint32_t n = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    ++n;
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    Line l{n, {}};
    std::istringstream ws{std::string(line)};
    std::string w;
    while (ws >> w) l.words.push_back(w);
    if (!l.words.empty()) out.push_back(std::move(l));
    if (end == text.size()) break;
    pos = end + 1;
  }
  return out;
}

// pptpd's address syntax (pptpd.conf(5)): a comma-separated list of addresses and ranges
// where a range names only the last octet's end, e.g. 192.168.0.234-238,192.168.0.245.
std::optional<std::vector<std::uint32_t>> parse_pptpd_addresses(std::string_view text, std::string& why) {
  std::vector<std::uint32_t> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = text.substr(pos, comma - pos);
    std::string_view first = item;
    std::optional<long> last_octet;
    if (auto dash = item.find('-'); dash != std::string_view::npos) {
      first = item.substr(0, dash);
      last_octet = parse_int(item.substr(dash + 1));
      if (!last_octet || *last_octet < 0 || *last_octet > 255) {
        why = "range \"" + std::string(item) + "\" must end in a last octet 0..255, e.g. 192.168.0.234-238";
        return std::nullopt;
      }
    }
    auto a = server::parse_ipv4(first);
    if (!a) {
      why = "\"" + std::string(item) + "\" is not an address or range like 192.168.0.234-238";
      return std::nullopt;
    }
    std::uint32_t lo = a->value;
    std::uint32_t hi = last_octet ? (lo & 0xFFFFFF00u) | static_cast<std::uint32_t>(*last_octet) : lo;
    if (hi < lo) {
      why = "range \"" + std::string(item) + "\" ends before it starts";
      return std::nullopt;
    }
    for (std::uint32_t v = lo; v <= hi; ++v) out.push_back(v);
    if (comma == text.size()) break;
    pos = comma + 1;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool ends_with(const std::string& s, std::string_view tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

class Importer {
 public:
  explicit Importer(const PptpdImportInput& in) : in_(in) {}

  PptpdImportResult run() {
    read_pptpd_conf();
    read_options();
    read_radius();
    read_secrets();
    if (res_.errors.empty()) write_toml();
    return std::move(res_);
  }

 private:
  std::string where(const SourceText& f, const Line& l) const { return f.name + ":" + std::to_string(l.number); }
  static std::string joined(const Line& l) {
    std::string s;
    for (const auto& w : l.words) s += (s.empty() ? "" : " ") + w;
    return s;
  }
  void row(const SourceText& f, const Line& l, Outcome o, std::string key, std::string why, bool weakens = false) {
    res_.report.push_back({where(f, l), joined(l), o, std::move(key), std::move(why), weakens});
  }
  void error(const SourceText& f, const Line& l, const std::string& what) {
    res_.errors.push_back(where(f, l) + ": " + what);
  }
  bool want_args(const SourceText& f, const Line& l, std::size_t n) {
    if (l.words.size() == n + 1) return true;
    error(f, l, "`" + l.words[0] + "` takes " + std::to_string(n) + " value(s); fix the line");
    return false;
  }
  void set(const std::string& key, std::string value, std::string origin) {
    values_[key] = {std::move(value), std::move(origin)};
  }

  void read_pptpd_conf() {
    const SourceText& f = in_.pptpd_conf;
    for (const Line& l : split_lines(f.text)) {
      const std::string& k = l.words[0];
      if (k == "option") {
        if (want_args(f, l, 1)) row(f, l, Outcome::mapped, "(options file read)", "its pppd options are imported below");
      } else if (k == "localip") {
        if (!want_args(f, l, 1)) continue;
        std::string why;
        auto a = parse_pptpd_addresses(l.words[1], why);
        if (!a) { error(f, l, "localip " + why); continue; }
        set("ipv4.server_address", toml_string(server::to_string(server::Ipv4Address{a->front()})), where(f, l));
        row(f, l, Outcome::mapped, "[ipv4] server_address",
            a->size() == 1 ? "the server's tunnel address"
                           : "first address kept: pptpx uses one server tunnel address for every session");
      } else if (k == "remoteip") {
        if (!want_args(f, l, 1)) continue;
        std::string why;
        auto a = parse_pptpd_addresses(l.words[1], why);
        if (!a) { error(f, l, "remoteip " + why); continue; }
        if (a->back() - a->front() + 1 != a->size()) {
          error(f, l, "remoteip " + l.words[1] + " has gaps; a pptpx pool is one range, so rewrite it as one range "
                      "(e.g. " + server::to_string(server::Ipv4Address{a->front()}) + "-" + server::to_string(server::Ipv4Address{a->back()}) + ") and import again");
          continue;
        }
        set("ipv4.pool", toml_string(server::to_string(server::Ipv4Address{a->front()}) + "-" + server::to_string(server::Ipv4Address{a->back()})), where(f, l));
        row(f, l, Outcome::mapped, "[ipv4] pool", "client addresses, as one range");
      } else if (k == "listen") {
        if (!want_args(f, l, 1)) continue;
        if (!server::parse_ipv4(l.words[1])) { error(f, l, "listen \"" + l.words[1] + "\" is not an IPv4 address"); continue; }
        set("listen.address", toml_string(l.words[1]), where(f, l));
        row(f, l, Outcome::mapped, "[listen] address", "control connections and GRE on this address");
      } else if (k == "connections") {
        if (!want_args(f, l, 1)) continue;
        auto n = parse_int(l.words[1]);
        if (!n || *n < 1 || *n > 65535) { error(f, l, "connections must be 1..65535"); continue; }
        set("limits.max_sessions", std::to_string(*n), where(f, l));
        row(f, l, Outcome::mapped, "[limits] max_sessions", "the same cap on concurrent sessions");
      } else if (k == "stimeout") {
        if (!want_args(f, l, 1)) continue;
        auto n = parse_int(l.words[1]);
        if (!n || *n < 1 || *n > 3600) { error(f, l, "stimeout must be 1..3600 seconds"); continue; }
        set("limits.control_setup_seconds", std::to_string(*n), where(f, l));
        row(f, l, Outcome::mapped, "[limits] control_setup_seconds", "time allowed to set up the control connection");
      } else if (k == "debug") {
        set("log.level", "\"debug\"", where(f, l));
        row(f, l, Outcome::mapped, "[log] level", "debug logging");
      } else if (k == "logwtmp") {
        row(f, l, Outcome::not_needed, "", "pptpx records sessions in its [accounting] log instead of wtmp");
      } else if (k == "noipparam") {
        row(f, l, Outcome::not_needed, "", "there is no pppd to pass an ipparam to");
      } else if (k == "speed") {
        row(f, l, Outcome::not_needed, "", "no serial line: pptpx runs PPP itself over TUN");
      } else if (k == "ppp" || k == "pidfile") {
        row(f, l, Outcome::not_needed, "", "no pppd binary or pid file: pptpx runs PPP itself (systemd tracks the daemon)");
      } else if (k == "bcrelay") {
        row(f, l, Outcome::not_supported, "", "pptpx does not relay broadcasts; clients reach the LAN by routing only");
      } else if (k == "delegate") {
        error(f, l, "delegate (addresses from RADIUS or pppd) cannot be translated; remove it and set remoteip to the "
                    "client address range");
      } else {
        error(f, l, "unknown pptpd option `" + k + "`; remove it or translate it by hand (docs/migrate.md)");
      }
    }
  }

  void read_options() {
    const SourceText& f = in_.options;
    std::set<std::string> required, refused;
    bool mppe_required = false, mppe_stateful = false, no40 = false, no128 = false, want40 = false, want128 = false;
    std::vector<std::string> dns;
    std::optional<Line> mppe_line, auth_line;
    long mtu = 0;
    for (const Line& l : split_lines(f.text)) {
      const std::string& k = l.words[0];
      auto method_of = [](std::string_view m) -> std::string {
        if (m == "pap") return "pap";
        if (m == "chap") return "chap-md5";
        if (m == "mschap") return "mschap";
        if (m == "mschap-v2") return "mschapv2";
        if (m == "eap") return "eap";
        return "";
      };
      if (k.rfind("require-", 0) == 0 && !method_of(k.substr(8)).empty()) {
        required.insert(method_of(k.substr(8)));
        auth_line = l;
        row(f, l, Outcome::mapped, "[auth] methods", "method offered");
        if (k == "require-eap") error(f, l, "pptpx has no EAP; use require-mschap-v2");
      } else if (k.rfind("refuse-", 0) == 0 && !method_of(k.substr(7)).empty()) {
        refused.insert(method_of(k.substr(7)));
        row(f, l, Outcome::mapped, "[auth] methods", "method left out");
      } else if (k == "name") {
        if (!want_args(f, l, 1)) continue;
        name_ = l.words[1];
        set("auth.server_name", toml_string(name_), where(f, l));
        row(f, l, Outcome::mapped, "[auth] server_name", "chap-secrets lines for this name or * are imported");
      } else if (k == "ms-dns") {
        if (!want_args(f, l, 1)) continue;
        if (!server::parse_ipv4(l.words[1])) { error(f, l, "ms-dns \"" + l.words[1] + "\" is not an IPv4 address"); continue; }
        if (dns.size() == 2) { error(f, l, "a third ms-dns; IPCP carries two (RFC 1877), remove one"); continue; }
        dns.push_back(toml_string(l.words[1]));
        set("ipv4.dns", "[" + (dns.size() == 2 ? dns[0] + ", " + dns[1] : dns[0]) + "]", where(f, l));
        row(f, l, Outcome::mapped, "[ipv4] dns", "DNS server pushed in IPCP (RFC 1877)");
      } else if (k == "ms-wins") {
        row(f, l, Outcome::not_supported, "", "pptpx does not push WINS (NBNS) servers; clients set them themselves");
      } else if (k == "require-mppe" || k == "require-mppe-128" || k == "require-mppe-40") {
        mppe_required = true;
        mppe_line = l;
        if (k == "require-mppe-128") want128 = true;
        if (k == "require-mppe-40") want40 = true;
        row(f, l, Outcome::mapped, "[mppe] required, strengths", "MPPE required");
      } else if (k == "nomppe-40" || k == "nomppe-128") {
        (k == "nomppe-40" ? no40 : no128) = true;
        row(f, l, Outcome::mapped, "[mppe] strengths", "key length left out");
      } else if (k == "mppe-stateful") {
        mppe_stateful = true;
        row(f, l, Outcome::mapped, "[mppe] mode", "stateful MPPE", true);
      } else if (k == "nomppe-stateful") {
        row(f, l, Outcome::mapped, "[mppe] mode", "stateless MPPE (pptpx's default)");
      } else if (k == "nomppe") {
        error(f, l, "nomppe turns encryption off, which pptpx does not translate; remove it (pptpx requires MPPE)");
      } else if (k == "mppe") {
        if (!want_args(f, l, 1)) continue;
        mppe_line = l;
        std::stringstream ss(l.words[1]);
        std::string part;
        while (std::getline(ss, part, ',')) {
          if (part == "required") mppe_required = true;
          else if (part == "stateless") {}
          else if (part == "no40") no40 = true;
          else if (part == "no56") {}
          else if (part == "no128") no128 = true;
          else error(f, l, "mppe flag `" + part + "` is not known; use required, stateless, no40, no56, no128");
        }
        row(f, l, Outcome::mapped, "[mppe] required, strengths", "MPPE flags");
      } else if (k == "nobsdcomp" || k == "nodeflate" || k == "novj" || k == "novjccomp" || k == "nopcomp" ||
                 k == "noaccomp" || k == "nopredictor1" || k == "noccp") {
        row(f, l, Outcome::not_needed, "", "pptpx never negotiates this compression");
      } else if (k == "bsdcomp" || k == "deflate") {
        row(f, l, Outcome::not_supported, "", "pptpx offers only MPPE in CCP (RFC 3078); no compression");
      } else if (k == "mtu" || k == "mru") {
        if (!want_args(f, l, 1)) continue;
        auto n = parse_int(l.words[1]);
        if (!n || *n < 576 || *n > 1500) { error(f, l, k + " must be 576..1500 for pptpx's [tun] mtu"); continue; }
        if (mtu == 0 || *n < mtu) {
          mtu = *n;
          set("tun.mtu", std::to_string(*n), where(f, l));
        }
        row(f, l, Outcome::mapped, "[tun] mtu", "one value for MTU and MRU; the smaller is kept");
      } else if (k == "lcp-echo-interval") {
        if (!want_args(f, l, 1)) continue;
        auto n = parse_int(l.words[1]);
        if (!n || *n < 0 || *n > 3600) { error(f, l, "lcp-echo-interval must be 0..3600"); continue; }
        if (*n == 0) {
          row(f, l, Outcome::not_supported, "", "pptpx always sends LCP echoes; default interval kept");
        } else {
          set("echo.lcp_interval_seconds", std::to_string(*n), where(f, l));
          row(f, l, Outcome::mapped, "[echo] lcp_interval_seconds", "");
        }
      } else if (k == "lcp-echo-failure") {
        if (!want_args(f, l, 1)) continue;
        auto n = parse_int(l.words[1]);
        if (!n || *n < 1 || *n > 100) { error(f, l, "lcp-echo-failure must be 1..100"); continue; }
        set("echo.lcp_failures", std::to_string(*n), where(f, l));
        row(f, l, Outcome::mapped, "[echo] lcp_failures", "");
      } else if (k == "debug") {
        set("log.level", "\"debug\"", where(f, l));
        row(f, l, Outcome::mapped, "[log] level", "debug logging");
      } else if (k == "proxyarp") {
        row(f, l, Outcome::not_supported, "",
            "pptpx routes the pool through its TUN; route the pool to this host or set net.ipv4.conf.IF.proxy_arp");
      } else if (k == "lock" || k == "nodetach" || k == "persist") {
        row(f, l, Outcome::not_needed, "", "no serial line or pppd process to lock or keep alive");
      } else if (k == "nodefaultroute" || k == "noipdefault" || k == "ipcp-accept-local" || k == "ipcp-accept-remote" ||
                 k == "noipx") {
        row(f, l, Outcome::not_needed, "", "pptpx never adds routes for clients and assigns addresses from its pool");
      } else if (k == "auth") {
        row(f, l, Outcome::not_needed, "", "pptpx always authenticates its peers");
      } else if (k == "lcp-echo-adaptive" || k == "hide-password" || k == "logfd" || k == "nologfd" || k == "dump") {
        row(f, l, Outcome::not_needed, "", "pppd logging and echo details; pptpx logs to the journal per [log]");
      } else if (k == "idle") {
        row(f, l, Outcome::not_supported, "", "pptpx has no idle timeout; LCP echoes end dead sessions");
      } else if (k == "+ipv6" || k == "ipv6") {
        row(f, l, Outcome::not_supported, "",
            "pptpx's IPV6CP needs a routed prefix; add [ipv6] enabled and prefix by hand");
      } else if (k == "noauth") {
        error(f, l, "noauth lets anyone in; pptpx always authenticates, so remove it");
      } else if (k == "plugin" && l.words.size() == 2 && ends_with(l.words[1], "radius.so")) {
        radius_line_ = l;
        row(f, l, Outcome::mapped, "[auth] source = \"radius\", [radius]", "users from RADIUS, per radiusclient.conf");
      } else if (k == "plugin" && l.words.size() == 2 && ends_with(l.words[1], "radattr.so")) {
        row(f, l, Outcome::not_needed, "", "pptpx writes no radattr files; its [accounting] file records each session");
      } else if (k == "radius-config-file") {
        if (!want_args(f, l, 1)) continue;
        radiusclient_conf_ = l.words[1];
        row(f, l, Outcome::mapped, "[radius]", "radiusclient.conf read below");
      } else if (k == "avpair" || k == "map-to-ifname" || k == "map-to-ttyname") {
        row(f, l, Outcome::not_supported, "", "pptpx adds no extra RADIUS attributes and maps no interface names");
      } else if (k == "plugin") {
        error(f, l, "plugin " + (l.words.size() > 1 ? l.words[1] : std::string()) +
                        " is not translated; import without it and set pptpx's [auth] source by hand (docs/server.md)");
      } else {
        error(f, l, "unknown pppd option `" + k + "`; remove it or translate it by hand (docs/migrate.md)");
      }
    }
    // pppd: require-* options name the methods asked for; without any, every method not refused
    // is allowed (pppd(8) "auth").
    std::vector<std::string> methods;
    for (const char* m : {"mschapv2", "mschap", "chap-md5", "pap"}) {
      bool on = required.empty() ? refused.count(m) == 0 : (required.count(m) != 0 && refused.count(m) == 0);
      if (on) methods.push_back(m);
    }
    if (methods.empty()) {
      res_.errors.push_back(f.name + ": every authentication method is refused; keep require-mschap-v2");
    } else {
      std::string v;
      for (const auto& m : methods) v += (v.empty() ? "" : ", ") + toml_string(m);
      set("auth.methods", "[" + v + "]", f.name + " (require-*/refuse-*)");
      methods_ = methods;
      for (const auto& m : methods) {
        if (m != "mschapv2") {
          res_.report.push_back({f.name, "(methods)", Outcome::mapped, "[auth] methods",
                                 m + " is allowed: weaker than MS-CHAPv2; add refuse-" +
                                     std::string(m == "chap-md5" ? "chap" : m) + " unless a client needs it",
                                 true});
        }
      }
    }
    set("mppe.required", mppe_required ? "true" : "false", mppe_line ? where(f, *mppe_line) : f.name + " (no require-mppe)");
    if (!mppe_required) {
      res_.report.push_back({f.name, "(no require-mppe)", Outcome::mapped, "[mppe] required = false",
                             "sessions may run unencrypted; add require-mppe-128", true});
    }
    std::vector<std::string> strengths;
    if (want128 || want40) {
      if (want128 && !no128) strengths.push_back("128");
      if (want40 && !no40) strengths.push_back("40");
    } else {
      if (!no128) strengths.push_back("128");
      if (!no40) strengths.push_back("40");
    }
    if (strengths.empty()) {
      res_.errors.push_back(f.name + ": every MPPE key length is refused; keep require-mppe-128");
    } else {
      set("mppe.strengths", "[" + strengths[0] + (strengths.size() > 1 ? ", " + strengths[1] : "") + "]",
          mppe_line ? where(f, *mppe_line) : f.name);
      if (std::find(strengths.begin(), strengths.end(), "40") != strengths.end()) {
        res_.report.push_back({f.name, "(40-bit MPPE)", Outcome::mapped, "[mppe] strengths",
                               "40-bit keys allowed; use require-mppe-128", true});
      }
    }
    if (mppe_stateful) set("mppe.mode", "\"stateful\"", f.name);
  }

  // pppd's radius.so: users come from RADIUS only (its hooks replace the chap-secrets check).
  void read_radius() {
    if (!radius_line_) return;
    const std::string path = radiusclient_conf_.empty() ? "/etc/radiusclient/radiusclient.conf" : radiusclient_conf_;
    auto conf = in_.read ? in_.read(path) : std::nullopt;
    if (!conf) {
      error(in_.options, *radius_line_, "cannot read the radius plugin's configuration " + path +
                                            "; check it or name it with radius-config-file");
      return;
    }
    const auto slash = in_.secrets_path.rfind('/');
    const std::string out_dir = slash == std::string::npos ? std::string(".") : in_.secrets_path.substr(0, slash);
    auto r = import_radiusclient(*conf, in_.read, out_dir);
    for (auto& e : r.errors) res_.errors.push_back(e);
    for (auto& row : r.report) res_.report.push_back(row);
    for (std::size_t i = 0; i < r.radius_keys.size(); ++i) {
      set("radius." + r.radius_keys[i].first, r.radius_keys[i].second, r.radius_key_origins[i]);
    }
    set("auth.source", "\"radius\"", where(in_.options, *radius_line_));
    radius_servers_ = r.servers_toml;
    res_.radius_secret_files = r.secret_files;
  }

  void read_secrets() {
    const SourceText& f = in_.chap_secrets;
    auto parsed = server::parse_secrets(f.text, f.name);
    for (auto& e : parsed.errors) res_.errors.push_back(e);
    const bool plaintext_methods = std::find(methods_.begin(), methods_.end(), "pap") != methods_.end() ||
                                   std::find(methods_.begin(), methods_.end(), "chap-md5") != methods_.end();
    std::ostringstream out;
    out << "# chap-secrets for pptpx, imported from " << f.name << " (pppd format; docs/server.md)\n"
        << "# client server secret addresses\n";
    for (const auto& e : parsed.entries) {
      if (!name_.empty() && e.server != "*" && e.server != name_) {
        res_.report.push_back({f.name + ":" + std::to_string(e.line), e.client, Outcome::not_needed, "",
                               "for server \"" + e.server + "\", not this server's name \"" + name_ + "\""});
        continue;
      }
      std::string secret;
      if (e.nt_hash) {
        secret = server::format_nthash_secret(*e.nt_hash);
      } else if (in_.hash_secrets && !plaintext_methods && e.password) {
        secret = server::format_nthash_secret(auth::nt_password_hash(*e.password));
      } else {
        secret = secrets_word(e.password.value_or(""));
        if (in_.hash_secrets) {
          res_.report.push_back({f.name + ":" + std::to_string(e.line), e.client, Outcome::mapped, "secrets file",
                                 "kept in plaintext: PAP or CHAP-MD5 is allowed and needs it", true});
        }
      }
      std::string addrs;
      if (e.addresses == server::AddressPolicy::any) addrs = "*";
      else if (e.addresses == server::AddressPolicy::none) addrs = "-";
      else for (auto a : e.allowed) addrs += (addrs.empty() ? "" : " ") + server::to_string(a);
      out << "# " << f.name << ":" << e.line << "\n"
          << secrets_word(e.client) << " " << secrets_word(e.server) << " " << secret
          << " " << addrs << "\n";
      if (e.client == "*") {
        res_.report.push_back({f.name + ":" + std::to_string(e.line), "*", Outcome::mapped, "secrets file",
                               "one secret for any user name: give each user their own line", true});
      }
      ++users_;
    }
    res_.secrets = out.str();
  }

  void write_toml() {
    std::ostringstream o;
    o << "# pptpx server configuration imported by `pptpx import pptpd` from " << in_.pptpd_conf.name << ", "
      << in_.options.name << " and " << in_.chap_secrets.name << ".\n"
      << "# Each key names the line it came from; unset keys keep pptpx's defaults (docs/server.md).\n";
    set("auth.secrets_file", toml_string(in_.secrets_path), "pptpx import (the secrets file it wrote)");
    if (!values_.count("auth.server_name")) set("auth.server_name", "\"*\"", "no `name` in the options");
    if (!values_.count("ipv4.server_address")) res_.errors.push_back(in_.pptpd_conf.name + ": no localip line; add one");
    if (!values_.count("ipv4.pool")) res_.errors.push_back(in_.pptpd_conf.name + ": no remoteip line; add one");
    o << toml_tables(values_);
    o << radius_servers_;
    res_.server_toml = o.str();
  }

  const PptpdImportInput& in_;
  PptpdImportResult res_;
  ImportedValues values_;  // key -> value, origin
  std::string name_;
  std::vector<std::string> methods_;
  std::optional<Line> radius_line_;
  std::string radiusclient_conf_;
  std::string radius_servers_;
  int users_ = 0;
};

}  // namespace

std::optional<std::string> pptpd_option_file(std::string_view pptpd_conf) {
  for (const Line& l : split_lines(pptpd_conf)) {
    if (l.words[0] == "option" && l.words.size() == 2) return l.words[1];
  }
  return std::nullopt;
}

PptpdImportResult import_pptpd(const PptpdImportInput& in) { return Importer(in).run(); }

std::string format_report(const std::vector<ReportRow>& rows) {
  std::ostringstream o;
  o << "where | option | outcome | pptpx key | why\n";
  for (const auto& r : rows) {
    const char* oc = r.outcome == Outcome::mapped ? "mapped" : r.outcome == Outcome::not_needed ? "not needed" : "not supported";
    o << r.where << " | " << r.option << " | " << oc << " | " << (r.key.empty() ? "-" : r.key) << " | " << r.why
      << (r.weakens ? " [WEAKENS SECURITY]" : "") << "\n";
  }
  return o.str();
}

}  // namespace pptpx::migrate
