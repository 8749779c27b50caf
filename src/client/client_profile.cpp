#include "client/client_profile.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include <toml++/toml.h>

namespace pptpx::client {

const std::vector<std::string_view>& profile_keys() {
  static const std::vector<std::string_view> keys{
      "server", "port", "user", "password_file", "auth", "mppe", "mppe_stateful", "mppe_optional", "tun_name", "mtu",
      "mss_clamp", "offload", "routes", "ipv6", "ipv6_prefix", "default_route", "persist", "max_backoff",
      "connect_timeout", "log_level", "log_format", "use_dns", "up_script", "down_script", "echo_interval",
      "echo_failures", "cert", "key", "ca", "server_name"};
  return keys;
}

namespace {

class Reader {
 public:
  Reader(std::string_view source, const toml::table& t, std::vector<std::string>& errors)
      : source_(source), t_(t), errors_(errors) {}

  void error(const toml::node& n, const std::string& message) {
    const auto& b = n.source().begin;
    errors_.push_back(std::string(source_) + ":" + std::to_string(b.line) + ":" + std::to_string(b.column) + ": " +
                      message);
  }

  void text(std::string_view key, std::string& out) {
    const toml::node* n = t_.get(key);
    if (n == nullptr) return;
    if (auto v = n->value<std::string>()) out = *v;
    else error(*n, std::string(key) + " must be a string in quotes");
  }

  void flag(std::string_view key, bool& out) {
    const toml::node* n = t_.get(key);
    if (n == nullptr) return;
    if (auto v = n->value<bool>()) out = *v;
    else error(*n, std::string(key) + " must be true or false");
  }

  template <class T>
  void number(std::string_view key, T& out, long long lo, long long hi) {
    const toml::node* n = t_.get(key);
    if (n == nullptr) return;
    auto v = n->value<long long>();
    if (!n->is_integer() || !v) {
      error(*n, std::string(key) + " must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
    } else if (*v < lo || *v > hi) {
      error(*n, std::string(key) + " = " + std::to_string(*v) + " is out of range; use " + std::to_string(lo) +
                    " to " + std::to_string(hi));
    } else {
      out = static_cast<T>(*v);
    }
  }

  // A comma list as one string, or an array of strings or numbers (auth, mppe).
  void list(std::string_view key, std::string& out) {
    const toml::node* n = t_.get(key);
    if (n == nullptr) return;
    if (auto v = n->value<std::string>()) {
      out = *v;
      return;
    }
    const toml::array* a = n->as_array();
    if (a == nullptr) {
      error(*n, std::string(key) + " must be a string like \"128,56\" or an array like [128, 56]");
      return;
    }
    std::string joined;
    for (const toml::node& item : *a) {
      std::string one;
      if (auto s = item.value<std::string>()) one = *s;
      else if (item.is_integer()) one = std::to_string(*item.value<long long>());
      else {
        error(item, std::string(key) + " items must be strings or numbers");
        continue;
      }
      joined += (joined.empty() ? "" : ",") + one;
    }
    out = joined;
  }

  void strings(std::string_view key, std::vector<std::string>& out) {
    const toml::node* n = t_.get(key);
    if (n == nullptr) return;
    const toml::array* a = n->as_array();
    if (a == nullptr) {
      error(*n, std::string(key) + " must be an array of strings, e.g. [\"203.0.113.0/24\"]");
      return;
    }
    for (const toml::node& item : *a) {
      if (auto s = item.value<std::string>()) out.push_back(*s);
      else error(item, std::string(key) + " items must be strings in quotes, e.g. \"203.0.113.0/24\"");
    }
  }

 private:
  std::string_view source_;
  const toml::table& t_;
  std::vector<std::string>& errors_;
};

}  // namespace

std::vector<std::string> parse_client_profile(std::string_view toml_text, std::string_view source, ClientOptions& o) {
  std::vector<std::string> errors;
  toml::table doc;
  try {
    doc = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    errors.push_back(std::string(source) + ":" + std::to_string(b.line) + ":" + std::to_string(b.column) + ": " +
                     std::string(e.description()) + " (the profile is TOML: key = value lines)");
    return errors;
  }
  Reader r(source, doc, errors);
  for (auto&& [key, node] : doc) {
    bool known = false;
    for (auto k : profile_keys()) known = known || key.str() == k;
    if (!known) {
      std::string all;
      for (auto k : profile_keys()) all += (all.empty() ? "" : ", ") + std::string(k);
      r.error(node, "unknown key '" + std::string(key.str()) + "'; a profile holds the client's flags with '_' for "
                                                              "'-': " + all);
    }
  }
  r.text("server", o.server);
  r.number("port", o.port, 1, 65535);
  r.text("user", o.user);
  r.text("password_file", o.password_file);
  r.list("auth", o.auth);
  r.text("cert", o.cert);
  r.text("key", o.key);
  r.text("ca", o.ca);
  r.text("server_name", o.server_name);
  r.list("mppe", o.mppe);
  r.flag("mppe_stateful", o.mppe_stateful);
  r.flag("mppe_optional", o.mppe_optional);
  r.text("tun_name", o.tun_name);
  r.number("mtu", o.mtu, 576, 1500);
  r.flag("mss_clamp", o.mss_clamp);
  r.flag("offload", o.offload);
  r.strings("routes", o.routes);
  r.flag("ipv6", o.ipv6);
  r.text("ipv6_prefix", o.ipv6_prefix);
  r.flag("default_route", o.default_route);
  r.flag("persist", o.persist);
  r.number("max_backoff", o.max_backoff_seconds, 1, 3600);
  r.number("connect_timeout", o.connect_timeout_seconds, 1, 600);
  r.text("log_level", o.log_level);
  r.text("log_format", o.log_format);
  r.flag("use_dns", o.use_dns);
  r.text("up_script", o.up_script);
  r.text("down_script", o.down_script);
  r.number("echo_interval", o.echo_interval_seconds, 0, 3600);
  r.number("echo_failures", o.echo_failures, 1, 100);
  return errors;
}

std::vector<std::string> load_client_profile(const std::string& path, ClientOptions& out) {
  std::ifstream in(path);
  if (!in) {
    return {"cannot read the profile " + path + " (" + std::strerror(errno) +
            "); give an existing file to --profile, e.g. /etc/pptpx/client/work.toml"};
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_client_profile(ss.str(), path, out);
}

}  // namespace pptpx::client
