// `pptpx server --check-config FILE`: the configuration file and everything it points at
// (the secrets file, static addresses against the pool), checked without opening sockets.
#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace pptpx::server {

// Every problem as one printable line ("file:line:col: sentence with the fix"); empty = valid.
std::vector<std::string> check_server_files(const std::string& config_path);

// For the CLI: prints the problems to `err` (or a one-line summary to `out`) and returns the exit
// status (0 valid, 1 not).
int run_check_config(const std::string& config_path, std::ostream& out, std::ostream& err);

}  // namespace pptpx::server
