// `pptpx rfc-example`: walks the RFC 2759 §9.2 example, printing each intermediate value.
// (Implemented with auth/ in the foundation issue.)
#include "cli/commands.hpp"

namespace pptpx::cli {
void register_rfc_example(CLI::App& app) {
  auto* cmd = app.add_subcommand("rfc-example", "Print the RFC 2759 section 9.2 MS-CHAPv2 example, step by step");
  cmd->callback([] { set_exit_code(0); });
}
}  // namespace pptpx::cli
