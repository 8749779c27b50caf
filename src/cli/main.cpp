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
    // --help and --version exit 0; a bad command line exits 2 (docs/client.md, docs/server.md),
    // not CLI11's own codes (105 to 109).
    return app.exit(e) == 0 ? 0 : 2;
  }
  return pptpx::cli::exit_code();
}
