// `pptpx server --check-config FILE`: the configuration file and everything it points at
// (the secrets file, static addresses against the pool), checked without opening sockets.
#pragma once
#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace pptpx::server {

struct ServerFilesCheck {
  std::vector<std::string> problems;  // the server must not start
  std::vector<std::string> warnings;  // what the configured modes expose (security_warnings.hpp)
  std::vector<std::string> notes;     // worth saying, not fatal (an empty secrets file)
  std::size_t users = 0;
};
ServerFilesCheck check_server_files_all(const std::string& config_path);

// Every problem as one printable line ("file:line:col: sentence with the fix"); empty = valid.
std::vector<std::string> check_server_files(const std::string& config_path);

// For the CLI: prints the problems to `err` (or a one-line summary to `out`) and returns the exit
// status (0 valid, 1 not).
int run_check_config(const std::string& config_path, std::ostream& out, std::ostream& err);

}  // namespace pptpx::server
