// `pptpx migrate status [--config server.toml] [--accounting FILE]... [--users-csv FILE]
// [--wg-dump FILE] [--json] [--disable-after DAYS [--apply]]`: per user, on PPTP (last use, days
// since), moved to WireGuard, or never seen; with --disable-after, the secrets-file change that
// disables users who moved at least DAYS ago (printed; written with --apply). The analysis is
// migrate/status.hpp.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "migrate/status.hpp"
#include "server/config.hpp"
#include "server/secrets_file.hpp"

namespace pptpx::cli {
namespace {

struct MigrateStatusOptions {
  std::string config = "/etc/pptpx/server.toml";
  bool config_given = false;
  std::vector<std::string> accounting;
  std::string users_csv;
  std::string wg_dump;
  std::string now;
  bool json = false;
  int disable_after = -1;
  bool apply = false;
};

std::optional<migrate::SourceText> read_text(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "pptpx migrate status: cannot read " << what << " " << path << " (" << std::strerror(errno)
              << "); check the path\n";
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return migrate::SourceText{path, ss.str()};
}

int run_status(const MigrateStatusOptions& o) {
  migrate::StatusInput in;
  std::string secrets_path;
  std::error_code ec;
  if (o.config_given || std::filesystem::exists(o.config, ec)) {
    auto cfg = server::load_config(o.config);
    if (!cfg.config) {
      for (const auto& e : cfg.errors) std::cerr << "pptpx migrate status: " << e.to_string() << "\n";
      std::cerr << "pptpx migrate status: fix " << o.config << " first (pptpx server --check-config)\n";
      return 1;
    }
    secrets_path = cfg.config->auth.secrets_file;
    auto secrets = read_text(secrets_path, "the secrets file");
    if (!secrets) return 1;
    for (const auto& e : server::parse_secrets(secrets->text, secrets->name).entries) {
      if (e.client != "*") in.pptp_users.push_back(e.client);
    }
    if (o.accounting.empty() && !cfg.config->accounting.file.empty()) {
      auto f = read_text(cfg.config->accounting.file, "the [accounting] file");
      if (!f) return 1;
      in.accounting.push_back(*f);
    }
  }
  for (const auto& a : o.accounting) {
    auto f = read_text(a, "the accounting log");
    if (!f) return 1;
    in.accounting.push_back(*f);
  }
  if (in.accounting.empty()) {
    std::cerr << "pptpx migrate status: no accounting log: set [accounting] file in " << o.config
              << " or name the log with --accounting\n";
    return 1;
  }
  if (!o.users_csv.empty()) {
    auto f = read_text(o.users_csv, "users.csv");
    if (!f) return 1;
    in.users_csv = *f;
  }
  if (!o.wg_dump.empty()) {
    auto f = read_text(o.wg_dump, "the `wg show ... dump` output");
    if (!f) return 1;
    in.wg_dump = *f;
  }
  if (!o.now.empty()) {
    auto t = migrate::parse_rfc3339_utc(o.now);
    if (!t) {
      std::cerr << "pptpx migrate status: --now \"" << o.now << "\" is not a UTC time like 2026-12-07T00:00:00Z\n";
      return 1;
    }
    in.now = *t;
  } else {
    in.now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  }
  if (o.apply && o.disable_after < 0) {
    std::cerr << "pptpx migrate status: --apply writes what --disable-after DAYS plans; give --disable-after\n";
    return 1;
  }
  auto r = migrate::migration_status(in);
  if (!r.errors.empty()) {
    for (const auto& e : r.errors) std::cerr << "pptpx migrate status: " << e << "\n";
    return 1;
  }
  std::cout << (o.json ? migrate::format_status_json(r, in.now) : migrate::format_status_table(r));
  if (o.disable_after < 0) return 0;

  if (secrets_path.empty()) {
    std::cerr << "pptpx migrate status: --disable-after needs the server's configuration (--config) to find its "
                 "secrets file\n";
    return 1;
  }
  std::set<std::string> moved;
  for (const auto& u : r.users) {
    if (u.state == migrate::UserState::moved && u.in_secrets &&
        (!u.days_without_pptp || *u.days_without_pptp >= o.disable_after)) {
      moved.insert(u.user);
    }
  }
  auto secrets = read_text(secrets_path, "the secrets file");
  if (!secrets) return 1;
  auto plan = migrate::plan_disable(*secrets, moved,
                                    "disabled by `pptpx migrate status` on " + migrate::format_rfc3339_utc(in.now) +
                                        " (moved to WireGuard)");
  std::ostream& out = o.json ? std::cerr : std::cout;
  if (plan.disabled.empty()) {
    out << "pptpx migrate status: no user moved to WireGuard " << o.disable_after
        << " or more days ago; the secrets file stays as it is\n";
    return 0;
  }
  out << "pptpx migrate status: " << (o.apply ? "disabling" : "would disable (run again with --apply)") << ":\n"
      << plan.diff;
  if (!o.apply) return 0;
  struct stat st {};
  const mode_t mode = ::stat(secrets_path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0600;
  const std::string tmp = secrets_path + ".pptpx-migrate";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << plan.new_text;
    f.close();
    if (!f.good() || ::chmod(tmp.c_str(), mode) != 0 || ::rename(tmp.c_str(), secrets_path.c_str()) != 0) {
      std::cerr << "pptpx migrate status: cannot write " << secrets_path << " (" << std::strerror(errno)
                << "); nothing changed\n";
      std::filesystem::remove(tmp, ec);
      return 1;
    }
  }
  out << "pptpx migrate status: wrote " << secrets_path << "; run `pptpx ctl reload` (or send SIGHUP) so the "
      << "server reads it\n";
  return 0;
}

}  // namespace

void register_migrate_status(CLI::App& migrate) {
  auto opts = std::make_shared<MigrateStatusOptions>();
  auto* st = migrate.add_subcommand("status", "Who is still on PPTP, who moved to WireGuard, who was never seen");
  st->add_option("--config", opts->config,
                 "pptpx server configuration: its [accounting] file and secrets file (default /etc/pptpx/server.toml)")
      ->each([opts](const std::string&) { opts->config_given = true; });
  st->add_option("--accounting", opts->accounting,
                 "Accounting log(s) to read instead of the [accounting] file (repeat for rotated logs)");
  st->add_option("--users-csv", opts->users_csv, "users.csv written by `pptpx migrate wireguard`");
  st->add_option("--wg-dump", opts->wg_dump, "Output of `wg show wg0 dump`: WireGuard handshakes per user");
  st->add_flag("--json", opts->json, "One JSON document instead of the table");
  st->add_option("--disable-after", opts->disable_after,
                 "Show the secrets-file change that disables users who moved to WireGuard and have not used PPTP "
                 "for DAYS days")
      ->check(CLI::Range(0, 100000));
  st->add_flag("--apply", opts->apply, "Write that change to the secrets file (then run `pptpx ctl reload`)");
  st->add_option("--now", opts->now, "The time to measure from (UTC, e.g. 2026-12-07T00:00:00Z; default: now)");
  st->callback([opts] { set_exit_code(run_status(*opts)); });
}

}  // namespace pptpx::cli
