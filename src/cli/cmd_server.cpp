// `pptpx server --config FILE`: runs the PPTP server daemon (server/server_daemon.hpp).
// `pptpx server --check-config FILE`: checks the configuration and the files it names, and exits.
#include <unistd.h>

#include <iostream>
#include <memory>
#include <string>

#include <spdlog/spdlog.h>

#include "cli/commands.hpp"
#include "net/log_output.hpp"
#include "server/config.hpp"
#include "server/config_check.hpp"
#include "server/security_warnings.hpp"
#include "server/server_daemon.hpp"

namespace pptpx::cli {
namespace {

struct ServerOptions {
  std::string config;
  std::string check_config;
  std::string log_level;
  std::string log_format = "text";
};

int run(const ServerOptions& o) {
  if (!o.check_config.empty()) return server::run_check_config(o.check_config, std::cout, std::cerr);
  if (o.config.empty()) {
    std::cerr << "pptpx server: no configuration file; give one with --config FILE (see docs/server.md)\n";
    return 2;
  }
  const auto checked = server::check_server_files_all(o.config);
  const auto& problems = checked.problems;
  if (!problems.empty()) {
    for (const auto& p : problems) std::cerr << p << "\n";
    std::cerr << "pptpx server: not started; fix the problems above (pptpx server --check-config " << o.config
              << " checks again)\n";
    return 1;
  }
  auto loaded = server::load_config(o.config);
  if (!loaded.config) {
    for (const auto& e : loaded.errors) std::cerr << e.to_string() << "\n";
    return 1;
  }
  const std::string level = o.log_level.empty() ? loaded.config->log.level : o.log_level;
  // To standard error; under journald without our own timestamps, with "<N>" priorities.
  net::install_stderr_logger(net::parse_log_format(o.log_format).value_or(net::LogFormat::text),
                             spdlog::level::from_str(level));
  if (::geteuid() != 0) {
    spdlog::warn("not running as root: opening the TUN device and the raw GRE socket needs CAP_NET_ADMIN and "
                 "CAP_NET_RAW");
  }
  // Once, at start: what the configured modes expose (issue 6, secure defaults and honest warnings).
  for (const auto& w : server::security_warnings(*loaded.config)) spdlog::warn("security: {}", w);
  for (const auto& n : checked.notes) spdlog::warn("{}", n);  // e.g. an empty secrets file
  return server::run_server(*loaded.config);
}

}  // namespace

void register_server(CLI::App& app) {
  auto opts = std::make_shared<ServerOptions>();
  auto* cmd = app.add_subcommand("server", "Run the PPTP server (TCP 1723, raw GRE, one TUN device)");
  cmd->add_option("--config", opts->config, "Configuration file (TOML); see docs/server.md for every key");
  cmd->add_option("--check-config", opts->check_config,
                  "Check this configuration file and the secrets file it names, print the problems, and exit");
  cmd->add_option("--log-level", opts->log_level,
                  "Override [log] level: trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  cmd->add_option("--log-format", opts->log_format,
                  "text (default) or json: one JSON object per line with time, level and message; under systemd's "
                  "journal (JOURNAL_STREAM) lines carry a <N> priority prefix and no timestamp")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->callback([opts] { set_exit_code(run(*opts)); });
}

}  // namespace pptpx::cli
