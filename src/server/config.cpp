#include "server/config.hpp"

#include "server/source_filter.hpp"

#include <algorithm>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <toml++/toml.h>

namespace pptpx::server {

std::string_view to_string(AuthMethod m) {
  switch (m) {
    case AuthMethod::mschapv2: return "mschapv2";
    case AuthMethod::mschap: return "mschap";
    case AuthMethod::chap_md5: return "chap-md5";
    case AuthMethod::pap: return "pap";
    case AuthMethod::eap_tls: return "eap-tls";
  }
  return "?";
}

std::string_view to_string(MppeMode m) { return m == MppeMode::stateless ? "stateless" : "stateful"; }

std::string_view to_string(AuthSource s) {
  switch (s) {
    case AuthSource::secrets: return "secrets";
    case AuthSource::radius: return "radius";
    case AuthSource::radius_then_secrets: return "radius-then-secrets";
  }
  return "unknown";
}

std::string ConfigError::to_string() const {
  std::string out = file;
  if (line != 0) out += ":" + std::to_string(line) + ":" + std::to_string(column);
  return out + ": " + message;
}

namespace {

std::string join(std::initializer_list<std::string_view> names) {
  std::string out;
  for (auto n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

std::string_view type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number with a fraction";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "a date or time";
  }
}

// Walks the parsed document, collecting every problem (not just the first) with its place.
class Reader {
 public:
  Reader(std::string file, std::vector<ConfigError>& errors) : file_(std::move(file)), errors_(errors) {}

  void error(const toml::source_region& where, std::string message) {
    errors_.push_back({file_, where.begin.line, where.begin.column, std::move(message)});
  }
  void error_nowhere(std::string message) { errors_.push_back({file_, 0, 0, std::move(message)}); }

  // Every key of `t` must be one of `known`.
  void check_keys(const toml::table& t, std::string_view section, std::initializer_list<std::string_view> known) {
    for (auto&& [key, node] : t) {
      bool ok = false;
      for (auto k : known) ok = ok || key.str() == k;
      if (!ok) {
        error(key.source(), "unknown key '" + std::string(key.str()) + "' in " + std::string(section) +
                                "; remove it or use one of: " + join(known));
      }
    }
  }

  // A sub-table, or nullptr when absent (an error if present but not a table).
  const toml::table* section(const toml::table& parent, std::string_view key, std::string_view display) {
    const toml::node* n = parent.get(key);
    if (n == nullptr) return nullptr;
    if (!n->is_table()) {
      error(n->source(), std::string(display) + " must be a table (write it as a [" + std::string(display.substr(1, display.size() - 2)) +
                             "] section), not " + std::string(type_name(*n)));
      return nullptr;
    }
    return n->as_table();
  }

  void get(const toml::table& t, std::string_view section, std::string_view key, std::string& out) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return;
    if (auto v = n->value<std::string>(); v && n->is_string()) {
      out = *v;
    } else {
      error(n->source(), std::string(section) + " " + std::string(key) + " must be a string in double quotes, not " +
                             std::string(type_name(*n)));
    }
  }

  void get(const toml::table& t, std::string_view section, std::string_view key, bool& out) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return;
    if (n->is_boolean()) {
      out = n->as_boolean()->get();
    } else {
      error(n->source(), std::string(section) + " " + std::string(key) + " must be true or false, not " +
                             std::string(type_name(*n)));
    }
  }

  template <typename Int>
  void get(const toml::table& t, std::string_view section, std::string_view key, Int& out, std::int64_t min,
           std::int64_t max) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return;
    const std::string range = "an integer from " + std::to_string(min) + " to " + std::to_string(max);
    if (!n->is_integer()) {
      error(n->source(), std::string(section) + " " + std::string(key) + " must be " + range + ", not " +
                             std::string(type_name(*n)));
      return;
    }
    const std::int64_t v = n->as_integer()->get();
    if (v < min || v > max) {
      error(n->source(), std::string(section) + " " + std::string(key) + " = " + std::to_string(v) +
                             " is out of range; use " + range);
      return;
    }
    out = static_cast<Int>(v);
  }

  void get_seconds(const toml::table& t, std::string_view section, std::string_view key, Duration& out,
                   std::int64_t min, std::int64_t max) {
    std::int64_t s = -1;
    get(t, section, key, s, min, max);
    if (s >= 0) out = std::chrono::seconds{s};
  }

  // An array of strings; nullopt if absent or wrong (error recorded).
  std::optional<std::vector<std::pair<std::string, toml::source_region>>> get_strings(const toml::table& t,
                                                                                        std::string_view section,
                                                                                        std::string_view key) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return std::nullopt;
    const std::string what = std::string(section) + " " + std::string(key);
    if (!n->is_array()) {
      error(n->source(), what + " must be an array of strings like [\"a\", \"b\"], not " + std::string(type_name(*n)));
      return std::nullopt;
    }
    std::vector<std::pair<std::string, toml::source_region>> out;
    bool ok = true;
    for (const toml::node& e : *n->as_array()) {
      if (!e.is_string()) {
        error(e.source(), what + " must hold only strings in double quotes, not " + std::string(type_name(e)));
        ok = false;
        continue;
      }
      out.emplace_back(e.as_string()->get(), e.source());
    }
    if (!ok) return std::nullopt;
    return out;
  }

  const toml::source_region& where(const toml::table& t, std::string_view key) {
    const toml::node* n = t.get(key);
    return n != nullptr ? n->source() : t.source();
  }

 private:
  std::string file_;
  std::vector<ConfigError>& errors_;
};

void read_listen(Reader& r, const toml::table& t, Config::Listen& out) {
  r.check_keys(t, "[listen]", {"address", "port"});
  r.get(t, "[listen]", "address", out.address);
  // PPTP's data channel is GRE over IPv4 (RFC 2637 §4), so the listener is IPv4 too.
  if (t.contains("address") && !parse_ipv4(out.address)) {
    r.error(r.where(t, "address"), "[listen] address \"" + out.address +
                                       "\" is not an IPv4 address (PPTP runs over IPv4); write one like \"0.0.0.0\"");
  }
  r.get(t, "[listen]", "port", out.port, 1, 65535);
}

bool valid_ifname(std::string_view name) {
  // IFNAMSIZ is 16 including the terminator; the kernel refuses '/', ':' and whitespace.
  if (name.empty() || name.size() > 15) return false;
  for (char c : name) {
    if (c == '/' || c == ':' || c == ' ' || c == '\t' || c == '\n') return false;
  }
  return name != "." && name != "..";
}

void read_tun(Reader& r, const toml::table& t, Config::Tun& out) {
  r.check_keys(t, "[tun]", {"name", "per_session", "mtu", "mss_clamp", "offload"});
  r.get(t, "[tun]", "name", out.name);
  // per_session appends a number, so leave room for it.
  r.get(t, "[tun]", "per_session", out.per_session);
  const std::size_t max_len = out.per_session ? 10 : 15;
  if (!valid_ifname(out.name) || out.name.size() > max_len) {
    r.error(r.where(t, "name"), "[tun] name \"" + out.name + "\" is not a valid interface name; use 1 to " +
                                    std::to_string(max_len) + " characters without '/', ':' or spaces");
  }
  // 576 is the IPv4 minimum datagram every host must accept (RFC 791); 1280 is IPv6's (RFC 8200 §5),
  // checked against ipv6.enabled later.
  r.get(t, "[tun]", "mtu", out.mtu, 576, 1500);
  r.get(t, "[tun]", "mss_clamp", out.mss_clamp);
  r.get(t, "[tun]", "offload", out.offload);
}

void read_ipv4(Reader& r, const toml::table* t, Config::Ipv4& out) {
  if (t == nullptr) {
    r.error_nowhere("missing [ipv4] section; add one with server_address = \"198.51.100.1\" and pool = "
                    "\"198.51.100.10-198.51.100.20\"");
    return;
  }
  r.check_keys(*t, "[ipv4]", {"server_address", "pool", "dns"});
  std::string server;
  r.get(*t, "[ipv4]", "server_address", server);
  if (!t->contains("server_address")) {
    r.error(t->source(), "[ipv4] has no server_address; add the tunnel address of this server, e.g. "
                         "server_address = \"198.51.100.1\"");
  } else if (auto a = parse_ipv4(server)) {
    out.server_address = *a;
  } else if (t->get("server_address")->is_string()) {
    r.error(r.where(*t, "server_address"),
            "[ipv4] server_address \"" + server + "\" is not a dotted-quad IPv4 address like \"198.51.100.1\"");
  }
  std::string pool;
  r.get(*t, "[ipv4]", "pool", pool);
  if (!t->contains("pool")) {
    r.error(t->source(), "[ipv4] has no pool; add the client addresses, e.g. pool = \"198.51.100.10-198.51.100.20\"");
  } else if (t->get("pool")->is_string()) {
    std::string why;
    if (auto range = parse_ipv4_range(pool, why)) {
      out.pool = *range;
      if (range->size() == 1 && range->first == out.server_address) {
        r.error(r.where(*t, "pool"), "[ipv4] pool \"" + pool +
                                         "\" holds only the server's own address; give clients other addresses");
      }
    } else {
      r.error(r.where(*t, "pool"), "[ipv4] pool \"" + pool + "\" " + why);
    }
  }
  if (auto dns = r.get_strings(*t, "[ipv4]", "dns")) {
    if (dns->size() > 2) {
      r.error(r.where(*t, "dns"), "[ipv4] dns lists " + std::to_string(dns->size()) +
                                      " servers but IPCP carries only a primary and a secondary (RFC 1877); keep two");
    }
    for (auto& [text, where] : *dns) {
      if (auto a = parse_ipv4(text)) {
        out.dns.push_back(*a);
      } else {
        r.error(where, "[ipv4] dns entry \"" + text + "\" is not a dotted-quad IPv4 address like \"198.51.100.1\"");
      }
    }
  }
}

void read_ipv6(Reader& r, const toml::table& t, Config::Ipv6& out) {
  r.check_keys(t, "[ipv6]", {"enabled", "prefix", "server_interface_id", "dns"});
  r.get(t, "[ipv6]", "enabled", out.enabled);
  std::string prefix;
  r.get(t, "[ipv6]", "prefix", prefix);
  if (t.contains("prefix") && t.get("prefix")->is_string()) {
    std::string why;
    if (auto p = parse_ipv6_prefix(prefix, why)) {
      out.prefix = *p;
    } else {
      r.error(r.where(t, "prefix"), "[ipv6] prefix \"" + prefix + "\" " + why);
    }
  } else if (out.enabled && !t.contains("prefix")) {
    r.error(t.source(), "[ipv6] is enabled but has no prefix; add one, e.g. prefix = \"2001:db8:1::/64\"");
  }
  std::string iid;
  r.get(t, "[ipv6]", "server_interface_id", iid);
  if (t.contains("server_interface_id") && t.get("server_interface_id")->is_string()) {
    auto a = parse_ipv6(iid);
    std::uint64_t high = 0, low = 0;
    if (a) {
      for (int i = 0; i < 8; ++i) high = (high << 8) | a->bytes[static_cast<std::size_t>(i)];
      for (int i = 8; i < 16; ++i) low = (low << 8) | a->bytes[static_cast<std::size_t>(i)];
    }
    // RFC 5072 §4.1: zero is what a peer sends when it has no identifier, so it cannot name one.
    if (!a || high != 0 || low == 0) {
      r.error(r.where(t, "server_interface_id"), "[ipv6] server_interface_id \"" + iid +
                                                     "\" must be a non-zero 64-bit identifier written as an IPv6 "
                                                     "suffix, e.g. \"::1\"");
    } else {
      out.server_interface_id = low;
    }
  }
  if (auto dns = r.get_strings(t, "[ipv6]", "dns")) {
    for (auto& [text, where] : *dns) {
      if (auto a = parse_ipv6(text)) {
        out.dns.push_back(*a);
      } else {
        r.error(where, "[ipv6] dns entry \"" + text + "\" is not an IPv6 address like \"2001:db8::53\"");
      }
    }
  }
}

void read_auth(Reader& r, const toml::table& t, Config::Auth& out) {
  r.check_keys(t, "[auth]", {"methods", "secrets_file", "server_name", "source"});
  std::string source;
  r.get(t, "[auth]", "source", source);
  if (!source.empty()) {
    bool known = false;
    for (auto candidate : {AuthSource::secrets, AuthSource::radius, AuthSource::radius_then_secrets}) {
      if (source == to_string(candidate)) {
        out.source = candidate;
        known = true;
      }
    }
    if (!known) {
      r.error(r.where(t, "source"), "[auth] source \"" + source +
                                        "\" is not a user source; use \"secrets\", \"radius\" or \"radius-then-secrets\"");
    }
  }
  if (auto methods = r.get_strings(t, "[auth]", "methods")) {
    std::vector<AuthMethod> parsed;
    for (auto& [text, where] : *methods) {
      std::optional<AuthMethod> m;
      for (auto c : {AuthMethod::mschapv2, AuthMethod::mschap, AuthMethod::chap_md5, AuthMethod::pap, AuthMethod::eap_tls}) {
        if (text == to_string(c)) m = c;
      }
      if (!m) {
        r.error(where, "[auth] methods entry \"" + text +
                           "\" is not an authentication method; use \"eap-tls\", \"mschapv2\", \"mschap\", \"chap-md5\" or \"pap\"");
      } else if (std::find(parsed.begin(), parsed.end(), *m) != parsed.end()) {
        r.error(where, "[auth] methods lists \"" + text + "\" twice; keep one");
      } else {
        parsed.push_back(*m);
      }
    }
    if (methods->empty()) {
      r.error(r.where(t, "methods"), "[auth] methods is empty; list at least one, e.g. methods = [\"mschapv2\"]");
    }
    out.methods = parsed;
  }
  r.get(t, "[auth]", "secrets_file", out.secrets_file);
  if (out.secrets_file.empty()) {
    r.error(r.where(t, "secrets_file"), "[auth] secrets_file is empty; give the path of a chap-secrets file");
  }
  r.get(t, "[auth]", "server_name", out.server_name);
  if (out.server_name.empty()) {
    r.error(r.where(t, "server_name"), "[auth] server_name is empty; use \"*\" to accept any server column");
  }
}

void read_eap_tls(Reader& r, const toml::table& t, Config::EapTls& out) {
  r.check_keys(t, "[eap_tls]", {"ca", "cert", "key", "crl", "user_from"});
  r.get(t, "[eap_tls]", "ca", out.ca);
  r.get(t, "[eap_tls]", "cert", out.cert);
  r.get(t, "[eap_tls]", "key", out.key);
  r.get(t, "[eap_tls]", "crl", out.crl);
  r.get(t, "[eap_tls]", "user_from", out.user_from);
  if (out.user_from != "cn" && out.user_from != "san-email") {
    r.error(r.where(t, "user_from"), "[eap_tls] user_from \"" + out.user_from +
                                         "\" is not supported; use \"cn\" (the certificate's subject Common Name) "
                                         "or \"san-email\" (its first e-mail subjectAltName)");
  }
}

void read_radius_dae(Reader& r, const toml::table& t, DaeServerConfig& out) {
  r.check_keys(t, "[radius.dae]", {"listen", "clients", "event_timestamp_window_seconds", "require_event_timestamp"});
  r.get(t, "[radius.dae]", "listen", out.listen);
  r.get(t, "[radius.dae]", "event_timestamp_window_seconds", out.event_timestamp_window, 1, 86400);
  r.get(t, "[radius.dae]", "require_event_timestamp", out.require_event_timestamp);
  if (out.listen.empty()) {
    r.error(t.source(), "[radius.dae] needs listen = \"ADDRESS:PORT\", e.g. listen = \"192.0.2.1:3799\"");
  } else if (auto ep = parse_listen_endpoint(out.listen); ep && parse_ipv4(ep->first)) {
    out.address = ep->first;
    out.port = ep->second;
  } else {
    r.error(r.where(t, "listen"), "[radius.dae] listen \"" + out.listen +
                                      "\" is not IPV4ADDRESS:PORT; write one like \"192.0.2.1:3799\"");
  }
  const toml::node* list = t.get("clients");
  const toml::array* clients = list == nullptr ? nullptr : list->as_array();
  if (clients == nullptr || clients->empty()) {
    r.error(list != nullptr ? list->source() : t.source(),
            "[radius.dae] needs at least one client: write each as a [[radius.dae.clients]] section with address and "
            "secret");
    return;
  }
  for (const toml::node& n : *clients) {
    const toml::table* e = n.as_table();
    if (e == nullptr) {
      r.error(n.source(), "[radius.dae] clients must hold only tables: write each as a [[radius.dae.clients]] section");
      continue;
    }
    DaeClientEntry c;
    r.check_keys(*e, "[[radius.dae.clients]]", {"address", "secret", "secret_file", "require_message_authenticator"});
    r.get(*e, "[[radius.dae.clients]]", "address", c.address);
    r.get(*e, "[[radius.dae.clients]]", "secret", c.secret);
    r.get(*e, "[[radius.dae.clients]]", "secret_file", c.secret_file);
    r.get(*e, "[[radius.dae.clients]]", "require_message_authenticator", c.require_message_authenticator);
    if (!parse_ipv4(c.address)) {
      r.error(e->source(), "[[radius.dae.clients]] address \"" + c.address +
                               "\" is not an IPv4 address; write it like address = \"192.0.2.10\"");
    }
    if (c.secret.empty() == c.secret_file.empty()) {
      r.error(e->source(), "[[radius.dae.clients]] " + c.address +
                               ": give exactly one of secret = \"...\" or secret_file = \"/path\"");
    }
    out.clients.push_back(std::move(c));
  }
}

void read_radius(Reader& r, const toml::table& t, RadiusConfig& out) {
  r.check_keys(t, "[radius]", {"servers", "timeout_seconds", "retries", "max_fail", "fail_timeout_seconds",
                               "nas_identifier", "nas_ip_address", "accounting", "interim_interval_seconds",
                               "stop_queue_limit", "stop_retry_seconds", "stop_max_age_seconds",
                               "reply_message_to_client", "dae"});
  r.get(t, "[radius]", "reply_message_to_client", out.reply_message_to_client);
  if (const toml::node* dae = t.get("dae")) {
    if (const toml::table* d = dae->as_table()) {
      read_radius_dae(r, *d, out.dae);
    } else {
      r.error(dae->source(), "[radius] dae must be a table: write it as a [radius.dae] section");
    }
  }
  r.get_seconds(t, "[radius]", "timeout_seconds", out.timeout, 1, 60);
  r.get(t, "[radius]", "accounting", out.accounting);
  // RFC 2869 §5.16 advises 600 s or more; shorter values are for tests and small sites.
  r.get_seconds(t, "[radius]", "interim_interval_seconds", out.interim_interval, 0, 86400);
  r.get(t, "[radius]", "stop_queue_limit", out.stop_queue_limit, 0, 1000000);
  r.get_seconds(t, "[radius]", "stop_retry_seconds", out.stop_retry_interval, 1, 3600);
  r.get_seconds(t, "[radius]", "stop_max_age_seconds", out.stop_max_age, 60, 30 * 86400);
  r.get(t, "[radius]", "retries", out.retries, 0, 10);
  r.get(t, "[radius]", "max_fail", out.max_fail, 1, 1000);
  r.get_seconds(t, "[radius]", "fail_timeout_seconds", out.fail_timeout, 1, 86400);
  r.get(t, "[radius]", "nas_identifier", out.nas_identifier);
  r.get(t, "[radius]", "nas_ip_address", out.nas_ip_address);
  if (!out.nas_ip_address.empty() && !parse_ipv4(out.nas_ip_address)) {
    r.error(r.where(t, "nas_ip_address"), "[radius] nas_ip_address \"" + out.nas_ip_address +
                                              "\" is not an IPv4 address; write it like \"192.0.2.1\"");
  }
  const toml::node* list = t.get("servers");
  if (list == nullptr) return;
  const toml::array* servers = list->as_array();
  if (servers == nullptr) {
    r.error(list->source(), "[radius] servers must be an array of tables: write each as a [[radius.servers]] section");
    return;
  }
  for (const toml::node& n : *servers) {
    const toml::table* e = n.as_table();
    if (e == nullptr) {
      r.error(n.source(), "[radius] servers must hold only tables: write each as a [[radius.servers]] section");
      continue;
    }
    RadiusServerEntry s;
    r.check_keys(*e, "[[radius.servers]]", {"address", "auth_port", "acct_port", "secret", "secret_file", "weight",
                                            "backup", "require_message_authenticator"});
    r.get(*e, "[[radius.servers]]", "require_message_authenticator", s.require_message_authenticator);
    r.get(*e, "[[radius.servers]]", "address", s.address);
    r.get(*e, "[[radius.servers]]", "auth_port", s.auth_port, 1, 65535);
    r.get(*e, "[[radius.servers]]", "acct_port", s.acct_port, 1, 65535);
    r.get(*e, "[[radius.servers]]", "secret", s.secret);
    r.get(*e, "[[radius.servers]]", "secret_file", s.secret_file);
    r.get(*e, "[[radius.servers]]", "weight", s.weight, 1, 100);
    r.get(*e, "[[radius.servers]]", "backup", s.backup);
    if (!parse_ipv4(s.address)) {
      r.error(r.where(*e, "address"), "[[radius.servers]] address \"" + s.address +
                                          "\" is not an IPv4 address; write it like address = \"192.0.2.10\"");
    }
    if (s.secret.empty() == s.secret_file.empty()) {
      r.error(e->source(), "[[radius.servers]] " + s.address +
                               ": give exactly one of secret = \"...\" or secret_file = \"/path\"");
    }
    out.servers.push_back(std::move(s));
  }
}

void read_mppe(Reader& r, const toml::table& t, Config::Mppe& out) {
  r.check_keys(t, "[mppe]", {"required", "strengths", "mode"});
  r.get(t, "[mppe]", "required", out.required);
  if (const toml::node* n = t.get("strengths")) {
    if (!n->is_array()) {
      r.error(n->source(), "[mppe] strengths must be an array of key lengths like [128], not " + std::string(type_name(*n)));
    } else {
      std::vector<unsigned> parsed;
      for (const toml::node& e : *n->as_array()) {
        // Only integer nodes: toml++'s value<int64_t>() on a huge float casts before it checks
        // the range (undefined behaviour, found by fuzz/fuzz_config).
        const std::optional<std::int64_t> v =
            e.is_integer() ? std::optional<std::int64_t>(e.as_integer()->get()) : std::nullopt;
        if (!v || (*v != 40 && *v != 56 && *v != 128)) {
          r.error(e.source(), "[mppe] strengths entries must be 40, 56 or 128 (RFC 3078 §2 key lengths)");
        } else if (std::find(parsed.begin(), parsed.end(), static_cast<unsigned>(*v)) != parsed.end()) {
          r.error(e.source(), "[mppe] strengths lists " + std::to_string(*v) + " twice; keep one");
        } else {
          parsed.push_back(static_cast<unsigned>(*v));
        }
      }
      if (n->as_array()->empty()) {
        r.error(n->source(), "[mppe] strengths is empty; list at least one key length, e.g. strengths = [128]");
      }
      out.strengths = parsed;
    }
  }
  std::string mode;
  r.get(t, "[mppe]", "mode", mode);
  if (t.contains("mode") && t.get("mode")->is_string()) {
    if (mode == "stateless") {
      out.mode = MppeMode::stateless;
    } else if (mode == "stateful") {
      out.mode = MppeMode::stateful;
    } else {
      r.error(r.where(t, "mode"), "[mppe] mode \"" + mode + "\" is not known; use \"stateless\" or \"stateful\"");
    }
  }
}

void read_limits(Reader& r, const toml::table& t, Config::Limits& out) {
  r.check_keys(t, "[limits]", {"max_sessions", "max_sessions_per_source", "max_handshakes_in_progress",
                               "control_setup_seconds", "auth_seconds", "network_setup_seconds", "no_call_seconds",
                               "gre_max_jump", "auth_lockout"});
  // Call IDs are 16 bits (RFC 2637 §2.7), which bounds the calls one server can name.
  r.get(t, "[limits]", "max_sessions", out.max_sessions, 1, 65535);
  r.get(t, "[limits]", "max_sessions_per_source", out.max_sessions_per_source, 1, 65535);
  r.get(t, "[limits]", "max_handshakes_in_progress", out.max_handshakes_in_progress, 1, 65535);
  r.get_seconds(t, "[limits]", "control_setup_seconds", out.control_setup, 1, 3600);
  r.get_seconds(t, "[limits]", "auth_seconds", out.auth, 1, 3600);
  r.get_seconds(t, "[limits]", "network_setup_seconds", out.network_setup, 1, 3600);
  r.get_seconds(t, "[limits]", "no_call_seconds", out.no_call, 0, 86400);
  r.get(t, "[limits]", "gre_max_jump", out.gre_max_jump, 0, 0x7FFFFFFF);  // beyond 2^31 - 1 means nothing
  if (const toml::table* lock = r.section(t, "auth_lockout", "[limits.auth_lockout]")) {
    r.check_keys(*lock, "[limits.auth_lockout]", {"failures", "window_seconds", "lockout_seconds"});
    r.get(*lock, "[limits.auth_lockout]", "failures", out.auth_lockout.failures, 0, 1000);
    r.get_seconds(*lock, "[limits.auth_lockout]", "window_seconds", out.auth_lockout.window, 1, 86400);
    r.get_seconds(*lock, "[limits.auth_lockout]", "lockout_seconds", out.auth_lockout.lockout, 0, 86400);
  }
  if (out.max_sessions_per_source > out.max_sessions) {
    r.error(r.where(t, "max_sessions_per_source"),
            "[limits] max_sessions_per_source is larger than max_sessions; lower it to at most " +
                std::to_string(out.max_sessions));
  }
}

void read_echo(Reader& r, const toml::table& t, Config::Echo& out) {
  r.check_keys(t, "[echo]", {"control_interval_seconds", "lcp_interval_seconds", "lcp_failures"});
  r.get_seconds(t, "[echo]", "control_interval_seconds", out.control_interval, 1, 3600);
  r.get_seconds(t, "[echo]", "lcp_interval_seconds", out.lcp_interval, 1, 3600);
  r.get(t, "[echo]", "lcp_failures", out.lcp_failures, 1, 100);
}

void read_log(Reader& r, const toml::table& t, Config::Log& out) {
  r.check_keys(t, "[log]", {"level"});
  r.get(t, "[log]", "level", out.level);
  for (auto l : {"trace", "debug", "info", "warn", "error", "off"}) {
    if (out.level == l) return;
  }
  r.error(r.where(t, "level"), "[log] level \"" + out.level +
                                   "\" is not known; use \"trace\", \"debug\", \"info\", \"warn\", \"error\" or \"off\"");
}

void read_control(Reader& r, const toml::table& t, Config::Control& out) {
  r.check_keys(t, "[control]", {"socket"});
  r.get(t, "[control]", "socket", out.socket);
  out.socket_configured = t.contains("socket");
  if (!out.socket.empty() && out.socket.front() != '/')
    r.error(r.where(t, "socket"), "[control] socket \"" + out.socket +
                                      "\" is not an absolute path; write one like \"/run/pptpx/control.sock\"");
}

void read_metrics(Reader& r, const toml::table& t, Config::Metrics& out) {
  r.check_keys(t, "[metrics]", {"listen", "allowed", "per_user"});
  r.get(t, "[metrics]", "listen", out.listen);
  r.get(t, "[metrics]", "per_user", out.per_user);
  if (!out.listen.empty()) {
    if (auto ep = parse_listen_endpoint(out.listen)) {
      out.address = ep->first;
      out.port = ep->second;
    } else {
      r.error(r.where(t, "listen"), "[metrics] listen \"" + out.listen +
                                        "\" is not ADDRESS:PORT; write one like \"127.0.0.1:9612\" or \"[::1]:9612\"");
    }
  }
  if (auto list = r.get_strings(t, "[metrics]", "allowed")) {
    out.allowed.clear();
    for (const auto& [a, where] : *list) {
      if (!valid_source_prefix(a))
        r.error(where, "[metrics] allowed \"" + a + "\" is not an address or prefix; write one like \"127.0.0.1\" or "
                       "\"192.0.2.0/24\"");
      out.allowed.push_back(a);
    }
  }
}

void read_accounting(Reader& r, const toml::table& t, Config::Accounting& out) {
  r.check_keys(t, "[accounting]", {"file"});
  r.get(t, "[accounting]", "file", out.file);
  if (!out.file.empty() && out.file.front() != '/')
    r.error(r.where(t, "file"), "[accounting] file \"" + out.file +
                                    "\" is not an absolute path; write one like \"/var/log/pptpx/sessions.jsonl\"");
}

}  // namespace

ConfigResult parse_config(std::string_view toml_text, std::string_view source_name) {
  ConfigResult result;
  const std::string file(source_name);
  toml::table doc;
  try {
    doc = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& e) {
    result.errors.push_back({file, e.source().begin.line, e.source().begin.column,
                             "TOML syntax error: " + std::string(e.description()) +
                                 "; fix the syntax (strings need double quotes, sections look like [name])"});
    return result;
  }

  Reader r(file, result.errors);
  Config c;
  c.source_file = file;
  r.check_keys(doc, "the top level", {"listen", "tun", "ipv4", "ipv6", "auth", "mppe", "limits", "echo", "log", "control",
                                       "metrics", "accounting", "radius", "eap_tls"});
  if (auto* t = r.section(doc, "listen", "[listen]")) read_listen(r, *t, c.listen);
  if (auto* t = r.section(doc, "tun", "[tun]")) read_tun(r, *t, c.tun);
  if (const toml::table* t = r.section(doc, "ipv4", "[ipv4]"); t != nullptr || !doc.contains("ipv4")) {
    read_ipv4(r, t, c.ipv4);  // absent: one "missing [ipv4]" error; present but not a table: already reported
  }
  if (auto* t = r.section(doc, "ipv6", "[ipv6]")) read_ipv6(r, *t, c.ipv6);
  if (auto* t = r.section(doc, "auth", "[auth]")) read_auth(r, *t, c.auth);
  if (auto* t = r.section(doc, "radius", "[radius]")) read_radius(r, *t, c.radius);
  if (auto* t = r.section(doc, "eap_tls", "[eap_tls]")) read_eap_tls(r, *t, c.eap_tls);
  if (auto* t = r.section(doc, "mppe", "[mppe]")) read_mppe(r, *t, c.mppe);
  if (auto* t = r.section(doc, "limits", "[limits]")) read_limits(r, *t, c.limits);
  if (auto* t = r.section(doc, "echo", "[echo]")) read_echo(r, *t, c.echo);
  if (auto* t = r.section(doc, "log", "[log]")) read_log(r, *t, c.log);
  if (auto* t = r.section(doc, "control", "[control]")) read_control(r, *t, c.control);
  if (auto* t = r.section(doc, "metrics", "[metrics]")) read_metrics(r, *t, c.metrics);
  if (auto* t = r.section(doc, "accounting", "[accounting]")) read_accounting(r, *t, c.accounting);

  // Cross-field checks.
  if (c.ipv6.enabled && c.tun.mtu < 1280) {
    const toml::node* mtu = doc.at_path("tun.mtu").node();
    ConfigError e{file, 0, 0, "[tun] mtu " + std::to_string(c.tun.mtu) +
                                  " is below IPv6's minimum link MTU of 1280 (RFC 8200 §5); raise it or disable [ipv6]"};
    if (mtu != nullptr) {
      e.line = mtu->source().begin.line;
      e.column = mtu->source().begin.column;
    }
    result.errors.push_back(e);
  }

  if (std::find(c.auth.methods.begin(), c.auth.methods.end(), AuthMethod::eap_tls) != c.auth.methods.end()) {
    for (auto [name, value] : {std::pair<const char*, const std::string*>{"ca", &c.eap_tls.ca},
                               {"cert", &c.eap_tls.cert},
                               {"key", &c.eap_tls.key}}) {
      if (value->empty()) {
        result.errors.push_back({file, 0, 0, std::string("[auth] methods has \"eap-tls\", which needs [eap_tls] ") + name +
                                                 " (a PEM file path); set it or drop \"eap-tls\""});
      }
    }
  }

  if (c.auth.source != AuthSource::secrets && c.radius.servers.empty()) {
    result.errors.push_back({file, 0, 0, "[auth] source = \"" + std::string(to_string(c.auth.source)) +
                                             "\" needs at least one [[radius.servers]] section"});
  }

  if (result.errors.empty()) result.config = c;
  result.partial = std::move(c);
  return result;
}

ConfigResult load_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ConfigResult r;
    r.errors.push_back({path, 0, 0, "cannot open the configuration file; check the path and its permissions"});
    return r;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_config(ss.str(), path);
}

std::vector<std::string> validate_config_file(const std::string& path) {
  std::vector<std::string> out;
  for (const auto& e : load_config(path).errors) out.push_back(e.to_string());
  return out;
}

}  // namespace pptpx::server
