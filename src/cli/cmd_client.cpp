// `pptpx client SERVER --user U --password-file F [options]` or `pptpx client --profile FILE`:
// dials a PPTP server and carries IPv4 (and IPv6) through a TUN device (client/client_daemon.hpp).
// A flag given on the command line wins over the same key in the profile (client_profile.hpp).
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "cli/commands.hpp"
#include "client/client_daemon.hpp"
#include "client/client_profile.hpp"
#include "net/log_output.hpp"

namespace pptpx::cli {
namespace {

struct Binding {
  CLI::Option* option;
  std::function<void(client::ClientOptions& to, const client::ClientOptions& from)> copy;
};

struct ClientCommand {
  client::ClientOptions cli;  // what the command line said
  std::string profile;
  std::vector<Binding> bound;
};

template <class T>
CLI::Option* option(CLI::App* cmd, ClientCommand& c, const std::string& name, T client::ClientOptions::*field,
                    const std::string& help) {
  CLI::Option* opt = cmd->add_option(name, c.cli.*field, help);
  c.bound.push_back({opt, [field](client::ClientOptions& to, const client::ClientOptions& from) {
                       to.*field = from.*field;
                     }});
  return opt;
}

CLI::Option* flag(CLI::App* cmd, ClientCommand& c, const std::string& name, bool client::ClientOptions::*field,
                  const std::string& help) {
  CLI::Option* opt = cmd->add_flag(name, c.cli.*field, help);
  c.bound.push_back({opt, [field](client::ClientOptions& to, const client::ClientOptions& from) {
                       to.*field = from.*field;
                     }});
  return opt;
}

// A whole number in [lo, hi]: "abc" is "not a number", 9000 "out of range".
CLI::Validator whole_number(unsigned long lo, unsigned long hi) {
  const std::string range = std::to_string(lo) + " to " + std::to_string(hi);
  return CLI::Validator(
      [lo, hi, range](std::string& s) -> std::string {
        if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos)
          return "\"" + s + "\" is not a number; give a whole number from " + range;
        const unsigned long v = std::stoul(s);
        if (v < lo || v > hi) return s + " is out of range; give a whole number from " + range;
        return {};
      },
      "NUMBER " + range);
}

const std::vector<std::string> kLevels{"trace", "debug", "info", "warn", "error", "off"};

int run(ClientCommand& c) {
  client::ClientOptions o;
  if (!c.profile.empty()) {
    auto errors = client::load_client_profile(c.profile, o);
    if (!errors.empty()) {
      for (const auto& e : errors) std::cerr << "pptpx client: " << e << "\n";
      return 2;
    }
  }
  for (const Binding& b : c.bound)
    if (b.option->count() > 0) b.copy(o, c.cli);
  std::string missing;
  if (o.server.empty()) missing = "server (the SERVER argument)";
  else if (o.user.empty()) missing = "--user";
  else if (o.password_file.empty() && client::needs_password(o)) missing = "--password-file";
  if (!missing.empty()) {
    std::cerr << "pptpx client: no " << missing << " given; give it on the command line or in a profile "
              << "(--profile FILE, see docs/client.md)\n";
    return 2;
  }
  bool level_ok = false;
  for (const auto& l : kLevels) level_ok = level_ok || o.log_level == l;
  const auto format = net::parse_log_format(o.log_format);
  if (!level_ok || !format) {
    std::cerr << "pptpx client: " << (level_ok ? "log format \"" + o.log_format + "\" is not text or json"
                                               : "log level \"" + o.log_level +
                                                     "\" is not one of trace, debug, info, warn, error, off")
              << "; fix it in " << (c.profile.empty() ? std::string("the command line") : c.profile) << "\n";
    return 2;
  }
  net::install_stderr_logger(*format, spdlog::level::from_str(o.log_level));
  return client::run_client(o);
}

}  // namespace

void register_client(CLI::App& app) {
  auto c = std::make_shared<ClientCommand>();
  auto* cmd = app.add_subcommand("client", "Connect to a PPTP server and bring up a TUN device for the tunnel");
  cmd->add_option("--profile", c->profile,
                  "Read the options from this TOML file (keys: the long flag names with _ for -, e.g. "
                  "password_file, use_dns, routes = [...]); flags given here win. See docs/client.md");
  option(cmd, *c, "server", &client::ClientOptions::server, "Server host name or IPv4 address");
  option(cmd, *c, "--port", &client::ClientOptions::port, "Server TCP port (default 1723)")
      ->check(whole_number(1, 65535));
  option(cmd, *c, "--user", &client::ClientOptions::user, "User name to authenticate as");
  option(cmd, *c, "--password-file", &client::ClientOptions::password_file, "File whose first line is the password");
  option(cmd, *c, "--auth", &client::ClientOptions::auth,
         "Authentication methods accepted, comma list of eap-tls, mschapv2, mschapv1, chap-md5, pap (default "
         "mschapv2); eap-tls needs --cert, --key and --ca, and no --password-file");
  option(cmd, *c, "--cert", &client::ClientOptions::cert, "EAP-TLS: our certificate (PEM; may hold the chain)");
  option(cmd, *c, "--key", &client::ClientOptions::key, "EAP-TLS: the private key of --cert (PEM, unencrypted)");
  option(cmd, *c, "--ca", &client::ClientOptions::ca, "EAP-TLS: CA certificate(s) the server's certificate must chain to");
  option(cmd, *c, "--server-name", &client::ClientOptions::server_name,
         "EAP-TLS: the name the server's certificate must carry (DNS subjectAltName, else CN); default: any "
         "certificate from --ca");
  option(cmd, *c, "--mppe", &client::ClientOptions::mppe,
         "MPPE strengths accepted, comma list of 128, 56, 40, or none (default 128)");
  flag(cmd, *c, "--mppe-stateful", &client::ClientOptions::mppe_stateful,
       "Ask for stateful MPPE and refuse stateless (default: stateless only)");
  flag(cmd, *c, "--mppe-optional", &client::ClientOptions::mppe_optional,
       "Accept an unencrypted link when the server offers no MPPE (default: encryption required)");
  option(cmd, *c, "--tun-name", &client::ClientOptions::tun_name,
         "TUN device name, at most 15 characters; %d picks the next free number (default pptpxc%d)");
  option(cmd, *c, "--mtu", &client::ClientOptions::mtu, "Largest tunnel packet (default 1400; lowered to the server's MRU)")
      ->check(whole_number(576, 1500));
  flag(cmd, *c, "--mss-clamp,!--no-mss-clamp", &client::ClientOptions::mss_clamp,
       "Lower the MSS option of TCP SYNs crossing the tunnel to the tunnel MTU less 40 (IPv6: 60) (default on)");
  flag(cmd, *c, "--offload,!--no-offload", &client::ClientOptions::offload,
       "Open the TUN with TCP segmentation offload (virtio-net header; 64 KiB reads split here) (default on; "
       "falls back when the kernel refuses)");
  // Repeatable, and added to a profile's routes rather than replacing them.
  CLI::Option* route = cmd->add_option(
      "--route", c->cli.routes,
      "Route this IPv4 or IPv6 network (CIDR) through the tunnel; repeatable (IPv6 once IPV6CP is up)");
  c->bound.push_back({route, [](client::ClientOptions& to, const client::ClientOptions& from) {
                        to.routes.insert(to.routes.end(), from.routes.begin(), from.routes.end());
                      }});
  flag(cmd, *c, "--ipv6,!--no-ipv6", &client::ClientOptions::ipv6,
       "Negotiate IPv6 (IPV6CP) when the server offers it: fe80::<interface id>/64 on the TUN "
       "(default on; a server without IPv6 leaves the link IPv4-only)");
  option(cmd, *c, "--ipv6-prefix", &client::ClientOptions::ipv6_prefix,
         "Also put <prefix>::<interface id> on the TUN, e.g. 2001:db8:1::/64 (the server's [ipv6] prefix; "
         "no router advertisements come over the link)");
  flag(cmd, *c, "--default-route", &client::ClientOptions::default_route,
       "Route everything through the tunnel (0.0.0.0/1 and 128.0.0.0/1), keeping a host route to the server "
       "via its original gateway");
  flag(cmd, *c, "--persist", &client::ClientOptions::persist,
       "Reconnect after a failure or disconnection, with backoff (1 s doubling to --max-backoff)");
  option(cmd, *c, "--max-backoff", &client::ClientOptions::max_backoff_seconds,
         "Longest wait between --persist attempts, seconds (default 30)")
      ->check(whole_number(1, 3600));
  option(cmd, *c, "--connect-timeout", &client::ClientOptions::connect_timeout_seconds,
         "Seconds to wait for TCP to connect (default 15)")
      ->check(whole_number(1, 600));
  option(cmd, *c, "--echo-interval", &client::ClientOptions::echo_interval_seconds,
         "Send an LCP Echo-Request after this many seconds of silence, 0 for none (default 30)")
      ->check(whole_number(0, 3600));
  option(cmd, *c, "--echo-failures", &client::ClientOptions::echo_failures,
         "Declare the link dead after this many unanswered Echo-Requests (default 4)")
      ->check(whole_number(1, 100));
  flag(cmd, *c, "--dns", &client::ClientOptions::use_dns,
       "Apply the DNS servers the server pushes: per-link via systemd-resolved when it runs, else resolvconf; "
       "removed when the link goes down (and on the next start after a kill)");
  option(cmd, *c, "--up-script", &client::ClientOptions::up_script,
         "Run this program once the link is up, with pppd's ip-up arguments and IFNAME, IPLOCAL, IPREMOTE, DNS1, "
         "DNS2, PEERNAME, PPTPX_* in its environment (killed after 10 s)");
  option(cmd, *c, "--down-script", &client::ClientOptions::down_script,
         "Run this program when the link goes down, with the same values and PPTPX_REASON");
  option(cmd, *c, "--log-level", &client::ClientOptions::log_level, "trace, debug, info, warn, error or off (default info)")
      ->check(CLI::IsMember(kLevels));
  option(cmd, *c, "--log-format", &client::ClientOptions::log_format,
         "text (default) or json; under systemd's journal lines carry <N> priorities and no timestamp")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->callback([c] { set_exit_code(run(*c)); });
}

}  // namespace pptpx::cli
