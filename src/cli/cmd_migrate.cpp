// `pptpx migrate wireguard --config server.toml --endpoint HOST:PORT --pool CIDR --out DIR`:
// reads pptpx's configuration and its chap-secrets, and writes DIR/wg0.conf (the server, mode
// 0600), DIR/clients/USER.conf (mode 0600, one per user), with --qr DIR/clients/USER.png and
// USER.qr.txt, and DIR/users.csv. `pptpx migrate qr FILE` shows one config as a QR code. Built in a temporary
// sibling directory and renamed into place only when complete. Planning: migrate/wireguard.hpp.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>

#include "cli/commands.hpp"
#include "migrate/qr.hpp"
#include "migrate/wireguard.hpp"
#include "server/config.hpp"
#include "server/secrets_file.hpp"

namespace pptpx::cli {
namespace {

namespace fs = std::filesystem;

struct MigrateWgOptions {
  std::string config = "/etc/pptpx/server.toml";
  std::string endpoint;
  std::string pool = "10.77.0.0/24";
  unsigned listen_port = 0;
  std::string out;
  bool qr = false;
};

bool write_file(const fs::path& p, const std::string& text, mode_t mode) {
  std::ofstream o(p, std::ios::binary | std::ios::trunc);
  o << text;
  o.close();
  return o.good() && ::chmod(p.c_str(), mode) == 0;
}

int run_wireguard(const MigrateWgOptions& o) {
  auto cfg = server::load_config(o.config);
  if (!cfg.config) {
    for (const auto& e : cfg.errors) std::cerr << "pptpx migrate: " << e.to_string() << "\n";
    std::cerr << "pptpx migrate: fix " << o.config << " first (pptpx server --check-config)\n";
    return 1;
  }
  const auto& c = *cfg.config;
  std::ifstream sin(c.auth.secrets_file, std::ios::binary);
  if (!sin) {
    std::cerr << "pptpx migrate: cannot read " << c.auth.secrets_file << " (" << std::strerror(errno)
              << "), the [auth] secrets_file of " << o.config << "\n";
    return 1;
  }
  std::ostringstream ss;
  ss << sin.rdbuf();
  auto secrets = server::parse_secrets(ss.str(), c.auth.secrets_file);
  if (!secrets.errors.empty()) {
    for (const auto& e : secrets.errors) std::cerr << "pptpx migrate: " << e << "\n";
    return 1;
  }
  migrate::WgPlanInput in;
  auto colon = o.endpoint.rfind(':');
  unsigned long port = 0;
  if (colon == std::string::npos || colon == 0 ||
      (port = std::strtoul(o.endpoint.c_str() + colon + 1, nullptr, 10)) == 0 || port > 65535) {
    std::cerr << "pptpx migrate: --endpoint \"" << o.endpoint << "\" must be HOST:PORT, e.g. vpn.example.net:51820\n";
    return 1;
  }
  in.endpoint = o.endpoint;
  in.listen_port = o.listen_port != 0 ? o.listen_port : static_cast<unsigned>(port);
  auto slash = o.pool.find('/');
  auto net = server::parse_ipv4(o.pool.substr(0, slash));
  const unsigned long len = slash == std::string::npos ? 0 : std::strtoul(o.pool.c_str() + slash + 1, nullptr, 10);
  if (!net || len < 8 || len > 30) {
    std::cerr << "pptpx migrate: --pool \"" << o.pool << "\" must be an IPv4 CIDR block /8../30, e.g. 10.77.0.0/24\n";
    return 1;
  }
  in.pool_network = *net;
  in.pool_prefix = static_cast<unsigned>(len);
  in.pptp_pool = c.ipv4.pool;
  for (auto d : c.ipv4.dns) in.dns.push_back(server::to_string(d));
  std::set<std::string> seen;
  for (const auto& e : secrets.entries) {
    if (e.client == "*" || e.addresses == server::AddressPolicy::none) continue;
    if (c.auth.server_name != "*" && e.server != "*" && e.server != c.auth.server_name) continue;
    if (!seen.insert(e.client).second) continue;
    migrate::WgUser u{e.client, std::nullopt};
    if (e.addresses == server::AddressPolicy::listed && !e.allowed.empty()) u.static_address = e.allowed.front();
    in.users.push_back(u);
  }
  auto sk = migrate::wg_generate_keypair();
  if (!sk) {
    std::cerr << "pptpx migrate: OpenSSL could not generate an X25519 key\n";
    return 1;
  }
  in.server_keys = *sk;
  for (std::size_t i = 0; i < in.users.size(); ++i) {
    auto k = migrate::wg_generate_keypair();
    if (!k) {
      std::cerr << "pptpx migrate: OpenSSL could not generate an X25519 key\n";
      return 1;
    }
    in.user_keys.push_back(*k);
  }
  auto plan = migrate::plan_wireguard(in);
  if (!plan.errors.empty()) {
    for (const auto& e : plan.errors) std::cerr << "pptpx migrate: " << e << "\n";
    return 1;
  }
  std::error_code ec;
  const fs::path out = fs::absolute(fs::path(o.out), ec).lexically_normal();
  if (ec || out.filename().empty() || fs::exists(out, ec)) {
    std::cerr << "pptpx migrate: --out " << o.out << " exists or is not a usable name; name a new directory\n";
    return 1;
  }
  std::string tmpl = out.string() + ".migrate-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) {
    std::cerr << "pptpx migrate: cannot create a directory beside " << out.string() << " (" << std::strerror(errno)
              << ")\n";
    return 1;
  }
  const fs::path tmp(tmpl);
  bool ok = fs::create_directory(tmp / "clients", ec) && !ec && write_file(tmp / "wg0.conf", plan.server_conf, 0600) &&
            write_file(tmp / "users.csv", plan.users_csv, 0600);
  for (const auto& f : plan.clients) {
    ok = ok && write_file(tmp / f.file_name, f.text, 0600);
    if (!o.qr || !ok) continue;
    // The QR codes hold the private key too: mode 0600 like the config.
    auto qr = migrate::qr_encode(f.text);
    auto png = qr ? migrate::qr_png(*qr) : std::nullopt;
    if (!png) {
      std::cerr << "pptpx migrate: " << f.user << "'s configuration does not fit a QR code (or libpng failed)\n";
      fs::remove_all(tmp, ec);
      return 1;
    }
    const std::string stem = f.file_name.substr(0, f.file_name.size() - 5);  // without ".conf"
    ok = write_file(tmp / (stem + ".png"), *png, 0600) &&
         write_file(tmp / (stem + ".qr.txt"), migrate::qr_terminal_utf8(*qr), 0600);
  }
  ok = ok && ::chmod((tmp / "clients").c_str(), 0700) == 0 && ::chmod(tmp.c_str(), 0700) == 0 &&
       ::rename(tmp.c_str(), out.c_str()) == 0;
  if (!ok) {
    std::cerr << "pptpx migrate: cannot write " << out.string() << " (" << std::strerror(errno) << ")\n";
    fs::remove_all(tmp, ec);
    return 1;
  }
  std::cout << "pptpx migrate: wrote " << out.string() << "/wg0.conf and " << plan.clients.size()
            << " client configurations (users.csv lists them)"
            << (o.qr ? ", each with a QR code (clients/USER.png; clients/USER.qr.txt for a terminal)" : "") << "\n";
  return 0;
}

int run_qr(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "pptpx migrate qr: cannot read " << path << " (" << std::strerror(errno) << ")\n";
    return 1;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  if (text.find("[Interface]") == std::string::npos || text.find("PrivateKey") == std::string::npos) {
    std::cerr << "pptpx migrate qr: " << path << " is not a WireGuard client configuration (no [Interface] with a "
              << "PrivateKey); name one of DIR/clients/*.conf\n";
    return 1;
  }
  auto qr = migrate::qr_encode(text);
  if (!qr) {
    std::cerr << "pptpx migrate qr: " << path << " is too long for a QR code\n";
    return 1;
  }
  std::cout << migrate::qr_terminal_utf8(*qr);
  return 0;
}

}  // namespace

void register_migrate(CLI::App& app) {
  auto* cmd = app.add_subcommand("migrate", "Move PPTP users to another VPN");
  cmd->require_subcommand(1);
  auto opts = std::make_shared<MigrateWgOptions>();
  auto* wg = cmd->add_subcommand("wireguard", "Write a WireGuard server config and one client config per user");
  wg->add_option("--config", opts->config, "pptpx server configuration (default /etc/pptpx/server.toml)");
  wg->add_option("--endpoint", opts->endpoint, "HOST:PORT the WireGuard clients connect to")->required();
  wg->add_option("--pool", opts->pool,
                 "WireGuard addresses for users without a static PPTP address; must not overlap the PPTP pool "
                 "(default 10.77.0.0/24; the server takes the first address)");
  wg->add_option("--listen-port", opts->listen_port, "Server ListenPort (default: the --endpoint port)");
  wg->add_option("--out", opts->out, "New directory for wg0.conf, clients/ and users.csv")->required();
  wg->add_flag("--qr", opts->qr,
               "Also write each client's QR code: clients/USER.png and clients/USER.qr.txt (UTF-8, for a terminal)");
  wg->callback([opts] { set_exit_code(run_wireguard(*opts)); });
  auto qr_file = std::make_shared<std::string>();
  auto* qr = cmd->add_subcommand("qr", "Show a WireGuard client configuration as a QR code in the terminal");
  qr->add_option("file", *qr_file, "A client configuration, e.g. DIR/clients/bob.conf")->required();
  qr->callback([qr_file] { set_exit_code(run_qr(*qr_file)); });
  register_migrate_status(*cmd);
}

}  // namespace pptpx::cli
