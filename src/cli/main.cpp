// pptpx: one binary for the server, the client, the demo and the tools.
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"pptpx: a user-space PPTP VPN suite (RFC 2637, MS-CHAPv2, MPPE) for Linux"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "pptpx 0.1.0");
  pptpx::cli::register_commands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return pptpx::cli::exit_code();
}
