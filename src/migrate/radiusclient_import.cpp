#include "migrate/radiusclient_import.hpp"

#include <map>
#include <sstream>

#include "migrate/import_text.hpp"
#include "server/ip_address.hpp"

namespace pptpx::migrate {
namespace {

struct Words {
  std::uint32_t line = 0;
  std::vector<std::string> words;
};

std::vector<Words> word_lines(const std::string& text) {
  std::vector<Words> out;
  std::istringstream in(text);
  std::string line;
  std::uint32_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream ws(line);
    Words w{n, {}};
    std::string word;
    while (ws >> word) w.words.push_back(word);
    if (!w.words.empty()) out.push_back(std::move(w));
  }
  return out;
}

}  // namespace

RadiusclientResult import_radiusclient(const SourceText& conf,
                                       const std::function<std::optional<SourceText>(const std::string&)>& read,
                                       const std::string& out_dir) {
  RadiusclientResult r;
  auto where = [&](const Words& w) { return conf.name + ":" + std::to_string(w.line); };
  auto joined = [](const Words& w) {
    std::string s;
    for (const auto& x : w.words) s += (s.empty() ? "" : " ") + x;
    return s;
  };
  auto row = [&](const Words& w, Outcome o, std::string key, std::string why) {
    r.report.push_back({where(w), joined(w), o, std::move(key), std::move(why), false});
  };
  auto key = [&](const Words& w, const std::string& k, std::string v) {
    r.radius_keys.emplace_back(k, std::move(v));
    r.radius_key_origins.push_back(where(w));
  };
  std::vector<std::pair<std::string, unsigned long>> servers;  // address, port
  std::map<std::string, unsigned long> acct;                   // acctserver address -> port
  std::string servers_file = "/etc/radiusclient/servers";
  std::string servers_where = conf.name;
  for (const auto& w : word_lines(conf.text)) {
    const std::string& k = w.words[0];
    const std::string v = w.words.size() > 1 ? w.words[1] : std::string();
    auto number = [&](long lo, long hi) -> std::optional<long> {
      auto n = parse_int(v);
      if (!n || *n < lo || *n > hi) {
        r.errors.push_back(where(w) + ": " + k + " must be a number " + std::to_string(lo) + ".." + std::to_string(hi));
        return std::nullopt;
      }
      return n;
    };
    if (k == "authserver") {
      // host[:port], several separated by commas.
      std::stringstream ss(v);
      std::string item;
      while (std::getline(ss, item, ',')) {
        auto colon = item.find(':');
        const std::string host = item.substr(0, colon);
        unsigned long port = 1812;
        if (colon != std::string::npos) {
          auto p = parse_int(item.substr(colon + 1));
          if (!p || *p < 1 || *p > 65535) {
            r.errors.push_back(where(w) + ": authserver port in \"" + item + "\" must be 1..65535");
            continue;
          }
          port = static_cast<unsigned long>(*p);
        }
        if (!server::parse_ipv4(host)) {
          r.errors.push_back(where(w) + ": authserver \"" + host + "\" is not an IPv4 address; pptpx's [[radius.servers]] "
                                        "take addresses, so write the server's address there and import again");
          continue;
        }
        servers.emplace_back(host, port);
      }
      row(w, Outcome::mapped, "[[radius.servers]]", "one server each; its secret from the servers file");
    } else if (k == "servers") {
      servers_file = v;
      servers_where = where(w);
      row(w, Outcome::mapped, "[[radius.servers]] secret_file", "the shared secrets are copied into mode-0600 files");
    } else if (k == "radius_timeout") {
      if (auto n = number(1, 60)) {
        key(w, "timeout_seconds", std::to_string(*n));
        row(w, Outcome::mapped, "[radius] timeout_seconds", "");
      }
    } else if (k == "radius_retries") {
      if (auto n = number(0, 10)) {
        key(w, "retries", std::to_string(*n));
        row(w, Outcome::mapped, "[radius] retries", "");
      }
    } else if (k == "radius_deadtime") {
      if (auto n = number(0, 86400)) {
        if (*n == 0) {
          row(w, Outcome::not_needed, "", "0: never skip a dead server; pptpx's default fail_timeout_seconds applies");
        } else {
          key(w, "fail_timeout_seconds", std::to_string(*n));
          row(w, Outcome::mapped, "[radius] fail_timeout_seconds", "how long a server that did not answer is skipped");
        }
      }
    } else if (k == "acctserver") {
      // pptpx sends accounting to the acct_port of its authentication servers.
      std::stringstream ss(v);
      std::string item;
      while (std::getline(ss, item, ',')) {
        auto colon = item.find(':');
        auto p = colon == std::string::npos ? std::optional<long>(1813) : parse_int(item.substr(colon + 1));
        if (!p || *p < 1 || *p > 65535) {
          r.errors.push_back(where(w) + ": acctserver port in \"" + item + "\" must be 1..65535");
          continue;
        }
        acct[item.substr(0, colon)] = static_cast<unsigned long>(*p);
      }
      row(w, Outcome::mapped, "[[radius.servers]] acct_port", "RADIUS accounting (RFC 2866) to the servers that "
                                                                "also authenticate");
    } else if (k == "bindaddr") {
      row(w, Outcome::not_supported, "", "pptpx lets the kernel choose the RADIUS source address");
    } else if (k == "default_realm") {
      row(w, Outcome::not_supported, "", "pptpx sends the user name as the client gave it");
    } else if (k == "auth_order" || k == "login_tries" || k == "login_timeout" || k == "nologin" || k == "issue" ||
               k == "login_radius" || k == "login_local" || k == "seqfile" || k == "mapfile" || k == "dictionary") {
      row(w, Outcome::not_needed, "", "login(1) and radiusclient file settings; pptpx needs none of them");
    } else {
      r.errors.push_back(where(w) + ": unknown radiusclient.conf keyword `" + k +
                         "`; remove it or translate it by hand (docs/migrate.md)");
    }
  }
  if (servers.empty()) {
    r.errors.push_back(conf.name + ": no authserver with an IPv4 address; pptpx needs at least one RADIUS server");
    return r;
  }
  auto sf = read ? read(servers_file) : std::nullopt;
  if (!sf) {
    r.errors.push_back(servers_where + ": cannot read the servers file " + servers_file + "; check the path");
    return r;
  }
  std::map<std::string, std::string> secrets;  // server (host or host:port) -> secret
  for (const auto& w : word_lines(sf->text)) {
    if (w.words.size() != 2) {
      r.errors.push_back(sf->name + ":" + std::to_string(w.line) + ": a servers line is `server secret`; fix it");
      continue;
    }
    secrets.emplace(w.words[0], w.words[1]);
  }
  std::ostringstream o;
  int accounting_servers = 0;
  std::vector<std::string> no_acct;  // authservers that are not acctservers
  for (const auto& [address, port] : servers) {
    auto s = secrets.find(address + ":" + std::to_string(port));
    if (s == secrets.end()) s = secrets.find(address);
    if (s == secrets.end()) {
      r.errors.push_back(sf->name + ": no secret for authserver " + address + "; add a line `" + address + " SECRET`");
      continue;
    }
    const std::string file = "radius-secret-" + address + (port != 1812 ? "-" + std::to_string(port) : "");
    r.secret_files.push_back({file, s->second + "\n", 0600});
    auto a = acct.find(address);
    o << "\n# from " << conf.name << " (authserver) and " << sf->name << "\n[[radius.servers]]\naddress = "
      << toml_string(address) << "\nauth_port = " << port
      << (a != acct.end() ? "\nacct_port = " + std::to_string(a->second) : std::string())
      << "\nsecret_file = " << toml_string(out_dir + "/" + file) << "\n";
    if (a != acct.end()) {
      acct.erase(a);
      ++accounting_servers;
    } else {
      no_acct.push_back(address);
    }
  }
  for (const auto& [address, port] : acct) {
    r.report.push_back({conf.name, "acctserver " + address, Outcome::not_supported, "",
                        "not also an authserver: pptpx sends accounting only to its authentication servers", false});
  }
  if (accounting_servers == 0) {
    r.radius_keys.emplace_back("accounting", "false");
    r.radius_key_origins.push_back(conf.name + " (no acctserver that is also an authserver)");
  } else {
    for (const auto& address : no_acct) {
      r.report.push_back({conf.name, "authserver " + address, Outcome::mapped, "[[radius.servers]] acct_port",
                          "not an acctserver, but pptpx sends accounting to every server's acct_port (1813)", false});
    }
  }
  r.servers_toml = o.str();
  return r;
}

}  // namespace pptpx::migrate
