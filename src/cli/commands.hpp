// Each subcommand registers itself here; one file per subcommand (cmd_*.cpp).
#pragma once
#include <CLI/CLI.hpp>

namespace pptpx::cli {
void register_commands(CLI::App& app);
// Exit status set by the subcommand that ran.
int exit_code();
void set_exit_code(int code);

// Subcommand registration functions, one per cmd_*.cpp.
void register_rfc_example(CLI::App& app);
void register_hash_password(CLI::App& app);
void register_server(CLI::App& app);
void register_client(CLI::App& app);
void register_bench(CLI::App& app);
void register_ctl(CLI::App& app);
void register_audit(CLI::App& app);
void register_import(CLI::App& app);
void register_migrate(CLI::App& app);
void register_migrate_status(CLI::App& migrate);  // cmd_migrate_status.cpp: `migrate status`
}  // namespace pptpx::cli
