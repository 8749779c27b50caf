// `pptpx client SERVER --user U --password-file F [options]`: dials a PPTP server and carries
// IPv4 through a TUN device (client/client_daemon.hpp).
#include <memory>

#include <spdlog/spdlog.h>

#include "cli/commands.hpp"
#include "client/client_daemon.hpp"

namespace pptpx::cli {

void register_client(CLI::App& app) {
  auto o = std::make_shared<client::ClientOptions>();
  auto* cmd = app.add_subcommand("client", "Connect to a PPTP server and bring up a TUN device for the tunnel");
  cmd->add_option("server", o->server, "Server host name or IPv4 address")->required();
  cmd->add_option("--port", o->port, "Server TCP port (default 1723)");
  cmd->add_option("--user", o->user, "User name to authenticate as")->required();
  cmd->add_option("--password-file", o->password_file, "File whose first line is the password")->required();
  cmd->add_option("--auth", o->auth,
                  "Authentication methods accepted, comma list of mschapv2, mschapv1, chap-md5, pap "
                  "(default mschapv2)");
  cmd->add_option("--mppe", o->mppe, "MPPE strengths accepted, comma list of 128, 56, 40, or none (default 128)");
  cmd->add_flag("--mppe-stateful", o->mppe_stateful, "Ask for stateful MPPE and refuse stateless (default: stateless only)");
  cmd->add_flag("--mppe-optional", o->mppe_optional,
                "Accept an unencrypted link when the server offers no MPPE (default: encryption required)");
  cmd->add_option("--tun-name", o->tun_name, "TUN device name; %d picks the next free number (default pptpxc%d)");
  cmd->add_option("--mtu", o->mtu, "Largest tunnel packet (default 1400; lowered to the server's MRU)")
      ->check(CLI::Range(576u, 1500u));
  cmd->add_flag("--mss-clamp,!--no-mss-clamp", o->mss_clamp,
                "Lower the MSS option of TCP SYNs crossing the tunnel to the tunnel MTU less 40 (IPv6: 60) (default on)");
  cmd->add_flag("--offload,!--no-offload", o->offload,
                "Open the TUN with TCP segmentation offload (virtio-net header; 64 KiB reads split here) (default on; "
                "falls back when the kernel refuses)");
  cmd->add_option("--route", o->routes,
                  "Route this IPv4 or IPv6 network (CIDR) through the tunnel; repeatable (IPv6 once IPV6CP is up)");
  cmd->add_flag("--ipv6,!--no-ipv6", o->ipv6,
                "Negotiate IPv6 (IPV6CP) when the server offers it: fe80::<interface id>/64 on the TUN "
                "(default on; a server without IPv6 leaves the link IPv4-only)");
  cmd->add_option("--ipv6-prefix", o->ipv6_prefix,
                  "Also put <prefix>::<interface id> on the TUN, e.g. 2001:db8:1::/64 (the server's [ipv6] prefix; "
                  "no router advertisements come over the link)");
  cmd->add_flag("--default-route", o->default_route,
                "Route everything through the tunnel (0.0.0.0/1 and 128.0.0.0/1), keeping a host route to the server "
                "via its original gateway");
  cmd->add_flag("--persist", o->persist, "Reconnect after a failure or disconnection, with backoff (1 s doubling to "
                                         "--max-backoff)");
  cmd->add_option("--max-backoff", o->max_backoff_seconds, "Longest wait between --persist attempts, seconds "
                                                           "(default 30)");
  cmd->add_option("--connect-timeout", o->connect_timeout_seconds, "Seconds to wait for TCP to connect (default 15)");
  cmd->add_option("--log-level", o->log_level, "trace, debug, info, warn, error or off (default info)")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  cmd->callback([o] {
    spdlog::set_level(spdlog::level::from_str(o->log_level));
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
    set_exit_code(client::run_client(*o));
  });
}

}  // namespace pptpx::cli
