#include "client/run_command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>

extern char** environ;

namespace pptpx::client {

std::string find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0 ? name : std::string();
  std::string dirs = "/sbin:/usr/sbin:/bin:/usr/bin";
  if (const char* path = std::getenv("PATH")) dirs = std::string(path) + ":" + dirs;
  std::stringstream ss(dirs);
  std::string dir;
  while (std::getline(ss, dir, ':')) {
    if (dir.empty()) continue;
    const std::string full = dir + "/" + name;
    if (::access(full.c_str(), X_OK) == 0) return full;
  }
  return {};
}

namespace {
struct Pipe {
  int fd[2] = {-1, -1};
  bool open() { return ::pipe2(fd, O_CLOEXEC) == 0; }
  void close_end(int i) {
    if (fd[i] >= 0) ::close(fd[i]);
    fd[i] = -1;
  }
  ~Pipe() {
    close_end(0);
    close_end(1);
  }
};
}  // namespace

CommandResult run_command(const std::vector<std::string>& argv, const std::string& input,
                          const std::vector<std::pair<std::string, std::string>>& extra_env,
                          std::chrono::milliseconds timeout) {
  CommandResult r;
  const std::string shown = argv.empty() ? std::string("(nothing)") : argv.front();
  if (argv.empty()) {
    r.error = "no command to run";
    return r;
  }
  Pipe in, err;
  if (!in.open() || !err.open()) {
    r.error = std::string("cannot run ") + shown + ": pipe: " + std::strerror(errno);
    return r;
  }
  std::vector<std::string> env_store;
  for (char** e = environ; *e != nullptr; ++e) {
    bool replaced = false;
    for (const auto& [k, v] : extra_env) replaced = replaced || std::strncmp(*e, (k + "=").c_str(), k.size() + 1) == 0;
    if (!replaced) env_store.emplace_back(*e);
  }
  for (const auto& [k, v] : extra_env) env_store.push_back(k + "=" + v);
  std::vector<char*> envp, args;
  for (auto& e : env_store) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_store = argv;
  for (auto& a : argv_store) args.push_back(a.data());
  args.push_back(nullptr);

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in.fd[0], 0);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, err.fd[1], 2);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, argv.front().c_str(), &fa, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    r.error = "cannot run " + shown + " (" + std::strerror(rc) + ")";
    return r;
  }
  r.ran = true;
  in.close_end(0);
  err.close_end(1);
  // Small input: one write (a pipe holds 64 KiB); a program that does not read it gets EOF/EPIPE.
  {
    struct sigaction ignore {}, old {};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ignore, &old);
    if (!input.empty()) {
      const ssize_t w = ::write(in.fd[1], input.data(), input.size());
      (void)w;
    }
    ::sigaction(SIGPIPE, &old, nullptr);
  }
  in.close_end(1);
  std::string stderr_text;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  for (;;) {
    const pid_t w = ::waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      r.timed_out = true;
      break;
    }
    pollfd p{err.fd[0], POLLIN, 0};
    const int n = ::poll(&p, err.fd[0] >= 0 ? 1 : 0, static_cast<int>(std::min<long long>(left.count(), 50)));
    if (n > 0) {
      char buf[256];
      const ssize_t got = ::read(err.fd[0], buf, sizeof buf);
      if (got > 0 && stderr_text.size() < 1024) stderr_text.append(buf, static_cast<std::size_t>(got));
      if (got == 0) err.close_end(0);
    }
  }
  if (err.fd[0] >= 0) {
    ::fcntl(err.fd[0], F_SETFL, O_NONBLOCK);
    char buf[256];
    ssize_t got;
    while (stderr_text.size() < 1024 && (got = ::read(err.fd[0], buf, sizeof buf)) > 0)
      stderr_text.append(buf, static_cast<std::size_t>(got));
  }
  while (!stderr_text.empty() && (stderr_text.back() == '\n' || stderr_text.back() == ' ')) stderr_text.pop_back();
  for (char& c : stderr_text)
    if (c == '\n') c = ' ';
  if (!r.timed_out && WIFEXITED(status)) r.exit_status = WEXITSTATUS(status);
  if (r.timed_out) {
    r.error = shown + " did not finish within " + std::to_string(timeout.count() / 1000) + " s and was killed";
  } else if (r.exit_status != 0) {
    r.error = shown + (r.exit_status < 0 ? " was killed by a signal" : " exited " + std::to_string(r.exit_status)) +
              (stderr_text.empty() ? "" : ": " + stderr_text);
  }
  return r;
}

}  // namespace pptpx::client
