// Runs a helper program (resolvconf, resolvectl, --up-script, --down-script) and waits for it,
// at most `timeout`: killed past that. Its standard input gets `input`; its standard error is
// kept (the first 1 KiB) for the message when it fails; its standard output is discarded.
#pragma once
#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace pptpx::client {

struct CommandResult {
  bool ran = false;        // false: it could not be started (see `error`)
  int exit_status = -1;    // 0..255 when it exited; -1 when killed by a signal (or the timeout)
  bool timed_out = false;
  std::string error;       // one sentence when !ok(): what failed, with its standard error
  bool ok() const { return ran && exit_status == 0; }
};

CommandResult run_command(const std::vector<std::string>& argv, const std::string& input = {},
                          const std::vector<std::pair<std::string, std::string>>& extra_env = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(10));

// The first of /sbin, /usr/sbin, /bin, /usr/bin and $PATH holding an executable `name`, or "".
std::string find_program(const std::string& name);

}  // namespace pptpx::client
