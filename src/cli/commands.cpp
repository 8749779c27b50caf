#include "cli/commands.hpp"

namespace pptpx::cli {
namespace {
int g_exit_code = 0;
}
int exit_code() { return g_exit_code; }
void set_exit_code(int code) { g_exit_code = code; }

void register_commands(CLI::App& app) {
  register_rfc_example(app);
  register_hash_password(app);
  register_server(app);
  register_client(app);
  register_bench(app);
  register_ctl(app);
  register_audit(app);
  register_import(app);
  register_migrate(app);
}
}  // namespace pptpx::cli
