// `pptpx bench SERVER --sessions N --rate R --user U --password-file F [options]`: the load
// generator (loadgen/load_generator.hpp): many PPTP sessions from one process, with the setup
// rate, latency percentiles and failures it measured.
#include <memory>

#include <spdlog/spdlog.h>

#include "cli/commands.hpp"
#include "loadgen/load_generator.hpp"

namespace pptpx::cli {

void register_bench(CLI::App& app) {
  auto o = std::make_shared<loadgen::BenchOptions>();
  auto* cmd = app.add_subcommand(
      "bench", "Load a PPTP server: open many sessions (each its own TCP connection, call and PPP setup) from one "
               "process and report the setup rate, latency percentiles and failures");
  cmd->add_option("server", o->server, "Server host name or IPv4 address")->required();
  cmd->add_option("--port", o->port, "Server TCP port (default 1723)");
  cmd->add_option("--sessions", o->sessions, "Sessions to open (default 100, at most 60000: one Call ID each)");
  cmd->add_option("--rate", o->rate, "New sessions started per second (default 100)");
  cmd->add_option("--concurrency", o->concurrency,
                  "Most setups in progress at once, TCP connect to IPCP up (default 256); keep it at or below the "
                  "server's [limits] max_handshakes_in_progress");
  cmd->add_option("--user", o->user, "User name every session authenticates as")->required();
  cmd->add_option("--password-file", o->password_file, "File whose first line is the password")->required();
  cmd->add_option("--auth", o->auth, "Authentication methods accepted, as for `pptpx client` (default mschapv2)");
  cmd->add_option("--mppe", o->mppe, "MPPE strengths accepted, comma list of 128, 56, 40, or none (default 128)");
  cmd->add_flag("--mppe-stateful", o->mppe_stateful, "Ask for stateful MPPE (default: stateless)");
  cmd->add_option("--hold", o->hold_seconds,
                  "Keep the sessions up this many seconds once all are set up, then tear them down (default 0)");
  cmd->add_option("--setup-timeout", o->setup_timeout_seconds,
                  "Seconds one session may take from TCP connect to IPCP up before it counts as failed (default 30)");
  cmd->add_flag("--ping", o->ping,
                "Each session sends an ICMP echo from its tunnel address to the server's (again every second, as ping "
                "does) until the reply comes (proves data flows both ways)");
  cmd->add_option("--ping-timeout", o->ping_timeout_seconds, "Seconds each session waits for an echo reply before it counts as unanswered (default 5)");
  cmd->add_option("--log-level", o->log_level, "trace, debug, info, warn, error or off (default warn)")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  cmd->footer(
      "Needs CAP_NET_RAW (one raw GRE socket for all calls; no TUN device). Raises its open-files limit to the hard "
      "limit (one TCP socket per session). The server's per-source limits ([limits] max_sessions_per_source, "
      "max_handshakes_in_progress, [limits.auth_lockout]) throttle one load-generator address: raise them on the "
      "server under test. Exit status: 0 when every session came up (and answered --ping) and closed cleanly, 1 "
      "otherwise, 2 on bad options.");
  cmd->callback([o] {
    spdlog::set_level(spdlog::level::from_str(o->log_level));
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
    set_exit_code(loadgen::run_bench(*o));
  });
}

}  // namespace pptpx::cli
