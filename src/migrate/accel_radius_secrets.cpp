// [radius] (servers into [[radius.servers]], their secrets in files) and accel-ppp's chap-secrets
// file.
#include "migrate/accel_importer.hpp"

#include <algorithm>
#include <set>
#include <sstream>

#include "auth/mschap.hpp"
#include "migrate/import_text.hpp"
#include "server/secrets_file.hpp"

namespace pptpx::migrate::accel_detail {
namespace {

// One chap-secrets line as accel-ppp splits it (extra/chap-secrets.c split()/skip_word()): up to
// five words separated by blanks; a word that starts with ' or " runs to the same quote, with \c
// inside quotes standing for c; elsewhere '#' and '\' are ordinary characters.
std::vector<std::string> accel_secrets_words(const std::string& line) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (out.size() < 5) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    if (i >= line.size()) break;
    std::string w;
    if (line[i] == '"' || line[i] == '\'') {
      const char q = line[i++];
      while (i < line.size() && line[i] != q) {
        if (line[i] == '\\' && i + 1 < line.size()) ++i;
        w += line[i++];
      }
      if (i < line.size()) ++i;
    } else {
      while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') w += line[i++];
    }
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace

void AccelImporter::radius(const AccelItem& it) {
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
  if (it.name == "acct-interim-interval") {
    if (auto n = number(it, 0, 86400)) {
      set("radius.interim_interval_seconds", std::to_string(*n), it.where());
      row(it, kMapped, "[radius] interim_interval_seconds", "Interim-Update period (RFC 2866)");
    }
    return;
  }
  if (it.name == "acct-on") {
    return row(it, kNotNeeded, "", "pptpx always sends Accounting-On at start and Accounting-Off at exit");
  }
  if (it.name == "acct-server") {
    return row(it, kNotSupported, "", "pptpx sends accounting to each [[radius.servers]] acct_port, not to a "
                                      "separate accounting server");
  }
  if (it.name.rfind("acct-", 0) == 0 || it.name == "interim-verbose") {
    return row(it, kNotSupported, "", "pptpx has no such accounting setting; see [radius] stop_retry_seconds and "
                                      "stop_max_age_seconds (docs/server.md)");
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
void AccelImporter::radius_server(const AccelItem& it) {
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
    return row(it, kNotSupported, "", "an accounting-only server (auth-port=0): pptpx sends accounting to the "
                                      "acct_port of its authentication servers only");
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
  if (acct_port != 0) radius_accounting_ = true;
  std::string why = "the shared secret is in " + file + " (mode 0600); fail-timeout and max-fail are one "
                    "setting for all servers in pptpx";
  for (const auto& d : dropped) why += "; " + d + " not supported";
  row(it, kMapped, "[[radius.servers]]", why);
}

// accel-ppp's chap-secrets (extra/chap-secrets.c): client, server (ignored: any server),
// secret, then an address or a pool name ("*", "-", "!" or nothing: from the pool), then a
// shaper rate. Lines whose first character is '#' are comments; lines with fewer than three
// words are skipped. With encrypted=1 the secret is 32 hex digits of the NT hash.
void AccelImporter::read_secrets() {
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
  std::set<std::string> users;
  std::istringstream text(f.text);
  std::string raw;
  std::uint32_t n = 0;
  while (std::getline(text, raw)) {
    ++n;
    const auto l = accel_secrets_words(raw);
    if (l.empty() || raw[0] == '#') continue;  // only a '#' in the first column starts a comment
    const std::string where = f.name + ":" + std::to_string(n);
    if (l[0].rfind('#', 0) == 0) {
      res_.report.push_back({where, l[0], kNotNeeded, "", "an indented '#' line: accel-ppp reads it as a user "
                                                          "of that name, but it is surely a comment; not imported"});
      continue;
    }
    const std::string user = l[0];
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
      auto h = server::parse_nthash_secret("nthash:" + l[2]);
      if (!h || l[2].size() != 32) {
        res_.report.push_back({where, user, kNotNeeded, "", "encrypted=1 but the secret is not 32 hex digits; "
                                                            "accel-ppp skips this user too"});
        continue;
      }
      secret = server::format_nthash_secret(*h);
    } else if (in_.hash_secrets && !plaintext_methods) {
      secret = server::format_nthash_secret(auth::nt_password_hash(l[2]));
    } else {
      secret = secrets_word(l[2]);
      if (in_.hash_secrets) {
        res_.report.push_back({where, user, kMapped, "secrets file",
                               "kept in plaintext: PAP or CHAP-MD5 is allowed and needs it", true});
      }
    }
    std::string addr = "*";
    if (l.size() >= 4) {
      const std::string& a = l[3];
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
      res_.report.push_back({where, user + " " + l[4], kNotSupported, "",
                             "a shaper rate; pptpx does not shape traffic"});
    }
    out << "# " << where << "\n" << secrets_word(user) << " * " << secret << " " << addr << "\n";
  }
  res_.secrets = out.str();
}

}  // namespace pptpx::migrate::accel_detail
