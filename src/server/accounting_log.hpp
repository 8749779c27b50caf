// [accounting] file: appends one line per session start and stop (control/accounting_record.hpp),
// each with a single write() to an O_APPEND descriptor, so lines never interleave or tear. SIGUSR1
// reopens the path (after logrotate moved the file; dist/logrotate/pptpx).
#pragma once
#include <string>

#include "net/unique_fd.hpp"

namespace pptpx::server {

class AccountingLog {
 public:
  // Opens (creates, mode 0640) `path`; "" on success, else one sentence with the fix.
  std::string open(const std::string& path);
  // Opens the path again; on failure the old descriptor stays in use and the sentence says why.
  std::string reopen();
  // Appends `line` and a newline; false (errno kept) when the write failed or was short.
  bool append(const std::string& line);
  bool is_open() const { return static_cast<bool>(fd_); }
  const std::string& path() const { return path_; }
  void close() {
    fd_.reset();
    path_.clear();
  }

 private:
  std::string path_;
  net::UniqueFd fd_;
};

}  // namespace pptpx::server
