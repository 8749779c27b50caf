#include "server/config_check.hpp"

#include "server/address_checks.hpp"
#include "server/config.hpp"
#include "server/radius_checks.hpp"
#include "server/secrets_store.hpp"
#include "server/security_warnings.hpp"

namespace pptpx::server {

namespace {
bool any_mentions(const std::vector<ConfigError>& errors, std::string_view word) {
  for (const auto& e : errors)
    if (e.message.find(word) != std::string::npos) return true;
  return false;
}
}  // namespace

// Every stage runs, whatever the earlier ones found (issue 12, rough edge 7): the configuration
// file, the secrets file it names, and the addresses of both; a finding about a key that was
// itself in error is left out (it would only repeat that error).
ServerFilesCheck check_server_files_all(const std::string& config_path) {
  ServerFilesCheck c;
  ConfigResult cfg = load_config(config_path);
  for (const auto& e : cfg.errors) c.problems.push_back(e.to_string());
  if (!cfg.partial) return c;  // a TOML syntax error: nothing more can be read
  const Config& conf = *cfg.partial;
  if (cfg.config) c.warnings = security_warnings(conf);
  for (auto& p : radius_file_problems(conf)) c.problems.push_back(std::move(p));
  std::vector<std::pair<std::string, Ipv4Address>> statics;
  if (!any_mentions(cfg.errors, "secrets_file") && !any_mentions(cfg.errors, "server_name")) {
    std::vector<std::string> errors;
    auto table = load_secrets_file(conf.auth.secrets_file, conf.auth.server_name, errors);
    c.problems.insert(c.problems.end(), errors.begin(), errors.end());
    if (table) {
      c.users = table->size();
      statics = table->static_addresses();
      if (c.users == 0)
        c.notes.push_back(conf.auth.secrets_file + " has no entries for this server, so no one can log in; add a line "
                          "like: bob * \"password\" * (see docs/server.md)");
    }
  }
  const bool server_ok = !any_mentions(cfg.errors, "server_address");
  const bool pool_ok = !any_mentions(cfg.errors, "pool");
  const bool listen_ok = !any_mentions(cfg.errors, "[listen]");
  for (const auto& [user, address] : statics) {
    if (server_ok && address == conf.ipv4.server_address) {
      c.problems.push_back(conf.auth.secrets_file + ": the static address " + to_string(address) + " of \"" + user +
                           "\" is the server's own [ipv4] server_address; give the user another one");
    }
  }
  for (const std::string& p : check_addresses(conf, statics, local_ipv4_addresses())) {
    if ((!server_ok && p.find("server_address") != std::string::npos) ||
        (!pool_ok && p.find("[ipv4] pool") != std::string::npos) ||
        (!listen_ok && p.find("[listen]") != std::string::npos))
      continue;
    c.problems.push_back(p);
  }
  return c;
}

std::vector<std::string> check_server_files(const std::string& config_path) {
  return check_server_files_all(config_path).problems;
}

int run_check_config(const std::string& config_path, std::ostream& out, std::ostream& err) {
  const ServerFilesCheck c = check_server_files_all(config_path);
  for (const auto& p : c.problems) err << p << "\n";
  for (const auto& n : c.notes) err << "warning: " << n << "\n";
  if (!c.problems.empty()) {
    err << config_path << ": " << c.problems.size() << (c.problems.size() == 1 ? " problem" : " problems")
        << " found\n";
    return 1;
  }
  out << config_path << ": OK (" << c.users << (c.users == 1 ? " secrets entry" : " secrets entries") << ")\n";
  for (const auto& w : c.warnings) out << "warning: " << w << "\n";
  return 0;
}

}  // namespace pptpx::server
