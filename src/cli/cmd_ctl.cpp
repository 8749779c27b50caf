// `pptpx ctl`: talks to a running server over its control socket (docs/control.md): sessions,
// kill, stats, lockouts, unlock, pool, reload. One JSON request line, one answer line.
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "control/render.hpp"
#include "control/session_query.hpp"
#include "server/config.hpp"

namespace pptpx::cli {
namespace {

using nlohmann::json;

constexpr const char* kDefaultSocket = "/run/pptpx/control.sock";

struct CtlOptions {
  std::string socket;
  std::string config;
  bool json_out = false;
  std::string user, ip, peer, sort;
  std::string id;   // kill ID
  std::string key;  // unlock ADDR|USER
};

// The socket path: --socket, else [control] socket of --config, else the default.
std::string socket_path(const CtlOptions& o, std::string& error) {
  if (!o.socket.empty()) return o.socket;
  if (!o.config.empty()) {
    auto loaded = server::load_config(o.config);
    if (!loaded.config) {
      error = loaded.errors.empty() ? "cannot read " + o.config : loaded.errors.front().to_string();
      return {};
    }
    if (loaded.config->control.socket.empty()) {
      error = o.config + " sets no [control] socket, so that server has none";
      return {};
    }
    return loaded.config->control.socket;
  }
  return kDefaultSocket;
}

// One request, one answer line; exit status 0 (ok), 1 (the server said no, or no server).
int exchange(const std::string& path, const json& request, json& answer) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    std::cerr << "pptpx ctl: cannot create a socket: " << std::strerror(errno) << "\n";
    return 1;
  }
  std::unique_ptr<int, void (*)(int*)> closer(new int(fd), [](int* p) {
    ::close(*p);
    delete p;
  });
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  if (path.size() >= sizeof a.sun_path) {
    std::cerr << "pptpx ctl: socket path " << path << " is too long\n";
    return 1;
  }
  std::memcpy(a.sun_path, path.c_str(), path.size() + 1);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
    if (errno == EACCES || errno == EPERM)
      std::cerr << "pptpx ctl: cannot connect to " << path << ": " << std::strerror(errno)
                << " (the control socket is mode 0600: run pptpx ctl as the server's user, normally root)\n";
    else
      std::cerr << "no pptpx server at " << path << " (is it running? see [control] socket)\n";
    return 1;
  }
  timeval tv{10, 0};  // a server that does not answer within 10 s is stuck
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  const std::string line = request.dump() + "\n";
  for (std::size_t off = 0; off < line.size();) {
    const ssize_t n = ::send(fd, line.data() + off, line.size() - off, MSG_NOSIGNAL);
    if (n <= 0) {
      std::cerr << "pptpx ctl: cannot send to " << path << ": " << std::strerror(errno) << "\n";
      return 1;
    }
    off += static_cast<std::size_t>(n);
  }
  std::string in;
  char buf[65536];
  while (in.find('\n') == std::string::npos) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      std::cerr << "pptpx ctl: the server at " << path << " closed the connection without an answer"
                << (n < 0 ? std::string(" (") + std::strerror(errno) + ")" : std::string()) << "\n";
      return 1;
    }
    in.append(buf, static_cast<std::size_t>(n));
  }
  answer = json::parse(in.substr(0, in.find('\n')), nullptr, false);
  if (answer.is_discarded() || !answer.is_object()) {
    std::cerr << "pptpx ctl: the server's answer is not JSON\n";
    return 1;
  }
  if (!answer.value("ok", false)) {
    std::cerr << "pptpx ctl: " << answer.value("error", std::string("the server refused the request")) << "\n";
    return 1;
  }
  return 0;
}

int run(const CtlOptions& o, const std::string& command, std::string (*render)(const json&)) {
  std::string error;
  const std::string path = socket_path(o, error);
  if (!error.empty()) {
    std::cerr << "pptpx ctl: " << error << "\n";
    return 1;
  }
  json req{{"command", command}};
  auto put = [&](const char* k, const std::string& v) {
    if (!v.empty()) req[k] = v;
  };
  put("user", o.user);
  put("ip", o.ip);
  put("peer", o.peer);
  put("sort", o.sort);
  put("key", o.key);
  if (!o.id.empty()) {
    char* end = nullptr;
    errno = 0;
    const unsigned long long id = std::strtoull(o.id.c_str(), &end, 10);
    if (o.id[0] == '-' || *end != '\0' || errno != 0) {
      std::cerr << "pptpx ctl: session id \"" << o.id << "\" is not a number (see pptpx ctl sessions)\n";
      return 2;
    }
    req["id"] = id;
  }
  json answer;
  if (int rc = exchange(path, req, answer); rc != 0) return rc;
  const json& result = answer["result"];
  if (o.json_out || render == nullptr) std::cout << result.dump(2) << "\n";
  else std::cout << render(result);
  return 0;
}

}  // namespace

void register_ctl(CLI::App& app) {
  auto o = std::make_shared<CtlOptions>();
  auto* ctl = app.add_subcommand("ctl", "Talk to a running server over its control socket (docs/control.md)");
  ctl->require_subcommand(1);
  ctl->add_option("--socket", o->socket, std::string("Control socket (default ") + kDefaultSocket + ")");
  ctl->add_option("--config", o->config, "Read the socket path from this server configuration ([control] socket)");

  auto* sessions = ctl->add_subcommand("sessions", "List sessions: a table, or JSON with --json");
  sessions->add_flag("--json", o->json_out, "Print the documented JSON (docs/control.md)");
  sessions->add_option("--user", o->user, "Only this user's sessions");
  sessions->add_option("--ip", o->ip, "Only the session with this tunnel address");
  sessions->add_option("--peer", o->peer, "Only sessions from this client address (ADDR or ADDR:PORT)");
  std::string cols;
  for (const auto& c : control::kSortColumns) cols += (cols.empty() ? "" : ", ") + c;
  sessions->add_option("--sort", o->sort, "Sort by a column: " + cols + " (numbers largest first)");
  sessions->callback([o] { set_exit_code(run(*o, "sessions", control::render_sessions)); });

  auto* kill = ctl->add_subcommand("kill", "End sessions: Call-Disconnect-Notify, then Stop-Control-Connection");
  kill->add_option("id", o->id, "Session id (the ID column of pptpx ctl sessions)");
  kill->add_option("--user", o->user, "Every session of this user");
  kill->add_option("--ip", o->ip, "The session with this tunnel address");
  kill->add_flag("--json", o->json_out, "Print the JSON answer");
  kill->callback([o, kill] {
    const int given = int(!o->id.empty()) + int(!o->user.empty()) + int(!o->ip.empty());
    if (given != 1) {
      std::cerr << "pptpx ctl kill: give exactly one of ID, --user U or --ip A\n";
      set_exit_code(2);
      return;
    }
    set_exit_code(run(*o, "kill", [](const json& r) {
      std::string out;
      for (const auto& id : r.value("terminated", json::array())) out += "terminated session " + id.dump() + "\n";
      return out;
    }));
    (void)kill;
  });

  auto* stats = ctl->add_subcommand("stats", "Uptime, sessions by state, setups, failures, drops, traffic");
  stats->add_flag("--json", o->json_out, "Print the documented JSON");
  stats->callback([o] { set_exit_code(run(*o, "stats", control::render_stats)); });

  auto* lockouts = ctl->add_subcommand("lockouts", "List address and user lockouts ([limits.auth_lockout])");
  lockouts->add_flag("--json", o->json_out, "Print the documented JSON");
  lockouts->callback([o] { set_exit_code(run(*o, "lockouts", control::render_lockouts)); });

  auto* unlock = ctl->add_subcommand("unlock", "Clear the lockout of an address or a user");
  unlock->add_option("key", o->key, "The locked-out address or user name")->required();
  unlock->callback([o] {
    set_exit_code(run(*o, "unlock", [](const json& r) { return "unlocked " + r.value("unlocked", std::string()) + "\n"; }));
  });

  auto* pool = ctl->add_subcommand("pool", "Addresses in use and free, and static addresses");
  pool->add_flag("--json", o->json_out, "Print the documented JSON");
  pool->callback([o] { set_exit_code(run(*o, "pool", control::render_pool)); });

  auto* reload = ctl->add_subcommand("reload", "Re-read the secrets file and what can change without a restart");
  reload->add_flag("--json", o->json_out, "Print the documented JSON");
  reload->callback([o] { set_exit_code(run(*o, "reload", control::render_reload)); });

  for (auto* sub : {sessions, kill, stats, lockouts, unlock, pool, reload}) sub->fallthrough();
}

}  // namespace pptpx::cli
