#include "server/accounting_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace pptpx::server {

namespace {
std::string open_fd(const std::string& path, net::UniqueFd& out) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0)
    return "cannot open the accounting log " + path + ": " + std::strerror(errno) +
           "; create its directory, fix its permissions, or change [accounting] file";
  out.reset(fd);
  return {};
}
}  // namespace

std::string AccountingLog::open(const std::string& path) {
  net::UniqueFd fd;
  if (std::string e = open_fd(path, fd); !e.empty()) return e;
  fd_ = std::move(fd);
  path_ = path;
  return {};
}

std::string AccountingLog::reopen() {
  if (path_.empty()) return {};
  net::UniqueFd fd;
  if (std::string e = open_fd(path_, fd); !e.empty()) return e + " (still writing to the file opened before)";
  fd_ = std::move(fd);
  return {};
}

bool AccountingLog::append(const std::string& line) {
  if (!fd_) return false;
  const std::string out = line + "\n";
  const ssize_t n = ::write(fd_.get(), out.data(), out.size());
  return n == static_cast<ssize_t>(out.size());
}

}  // namespace pptpx::server
