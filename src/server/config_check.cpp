#include "server/config_check.hpp"

#include "server/config.hpp"
#include "server/secrets_store.hpp"
#include "server/security_warnings.hpp"

namespace pptpx::server {

namespace {
struct Checked {
  std::vector<std::string> problems;
  std::vector<std::string> warnings;  // what the configured modes expose (security_warnings.hpp)
  std::size_t users = 0;
};

Checked check(const std::string& config_path) {
  Checked c;
  ConfigResult cfg = load_config(config_path);
  for (const auto& e : cfg.errors) c.problems.push_back(e.to_string());
  if (!cfg.config) return c;
  const Config& conf = *cfg.config;
  c.warnings = security_warnings(conf);
  std::vector<std::string> errors;
  auto table = load_secrets_file(conf.auth.secrets_file, conf.auth.server_name, errors);
  c.problems.insert(c.problems.end(), errors.begin(), errors.end());
  if (!table) return c;
  c.users = table->size();
  for (const auto& [user, address] : table->static_addresses()) {
    if (address == conf.ipv4.server_address) {
      c.problems.push_back(conf.auth.secrets_file + ": the static address " + to_string(address) + " of \"" + user +
                           "\" is the server's own [ipv4] server_address; give the user another one");
    }
  }
  return c;
}
}  // namespace

std::vector<std::string> check_server_files(const std::string& config_path) { return check(config_path).problems; }

int run_check_config(const std::string& config_path, std::ostream& out, std::ostream& err) {
  const Checked c = check(config_path);
  for (const auto& p : c.problems) err << p << "\n";
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
