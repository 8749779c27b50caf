#include "client/dns_config.hpp"

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "client/run_command.hpp"

namespace pptpx::client {

namespace {
unsigned long long current_netns() {
  struct stat st {};
  return ::stat("/proc/self/ns/net", &st) == 0 ? static_cast<unsigned long long>(st.st_ino) : 0;
}

bool resolved_running() {
  // systemd-resolved's varlink socket exists while it runs (systemd-resolved.service(8)).
  struct stat st {};
  return ::stat("/run/systemd/resolve/io.systemd.Resolve", &st) == 0 && S_ISSOCK(st.st_mode);
}

bool process_alive(long pid) { return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM); }
}  // namespace

std::string format_dns_state(const DnsState& s) {
  return "backend=" + s.backend + "\ninterface=" + s.interface + "\nrecord=" + s.record + "\npid=" +
         std::to_string(s.pid) + "\nnetns=" + std::to_string(s.netns) + "\n";
}

std::optional<DnsState> parse_dns_state(const std::string& text) {
  DnsState s;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string k = line.substr(0, eq), v = line.substr(eq + 1);
    if (k == "backend") s.backend = v;
    else if (k == "interface") s.interface = v;
    else if (k == "record") s.record = v;
    else if (k == "pid") s.pid = std::strtol(v.c_str(), nullptr, 10);
    else if (k == "netns") s.netns = std::strtoull(v.c_str(), nullptr, 10);
  }
  if ((s.backend != "resolved" && s.backend != "resolvconf") || s.interface.empty()) return std::nullopt;
  return s;
}

DnsConfig::DnsConfig() = default;

std::string DnsConfig::state_dir() {
  if (const char* d = std::getenv("PPTPX_STATE_DIR"); d != nullptr && *d != '\0') return d;
  return "/run/pptpx/client";
}

std::string DnsConfig::apply(const std::string& interface, const std::vector<std::string>& servers,
                             bool default_route, std::string& how) {
  if (servers.empty()) return "the server pushed no DNS servers";
  DnsState s;
  s.interface = interface;
  s.pid = static_cast<long>(::getpid());
  s.netns = current_netns();
  std::string why_not;
  if (resolved_running()) {
    const std::string resolvectl = find_program("resolvectl");
    if (resolvectl.empty()) {
      why_not = "systemd-resolved runs but resolvectl is not installed";
    } else {
      std::vector<std::string> argv{resolvectl, "dns", interface};
      argv.insert(argv.end(), servers.begin(), servers.end());
      CommandResult r = run_command(argv);
      if (r.ok() && default_route) r = run_command({resolvectl, "domain", interface, "~."});
      if (r.ok()) {
        s.backend = "resolved";
        how = "via systemd-resolved (per-link on " + interface + ")";
      } else {
        why_not = r.error;
      }
    }
  }
  if (s.backend.empty()) {
    const std::string resolvconf = find_program("resolvconf");
    if (resolvconf.empty()) {
      return (why_not.empty() ? "systemd-resolved is not running" : why_not) +
             " and resolvconf is not installed (Debian: openresolv or resolvconf); DNS servers not applied";
    }
    std::string conf;
    for (const auto& d : servers) conf += "nameserver " + d + "\n";
    s.record = interface + ".pptpx";
    const CommandResult r = run_command({resolvconf, "-a", s.record}, conf);
    if (!r.ok()) return r.error + "; DNS servers not applied";
    s.backend = "resolvconf";
    how = "via resolvconf (record " + s.record + ")";
  }
  applied_ = s;
  // Remembered for the next start, should this process be killed before revert().
  const std::string dir = state_dir();
  ::mkdir("/run/pptpx", 0755);
  ::mkdir(dir.c_str(), 0700);
  state_file_ = dir + "/" + interface + "." + std::to_string(s.pid) + ".dns";
  std::ofstream(state_file_) << format_dns_state(s);
  return {};
}

std::string DnsConfig::undo(const DnsState& s) {
  if (s.backend == "resolved") {
    // The TUN device may be gone already, and its per-link settings with it.
    if (::access(("/sys/class/net/" + s.interface).c_str(), F_OK) != 0) return {};
    const std::string resolvectl = find_program("resolvectl");
    if (resolvectl.empty()) return "resolvectl is not installed; cannot revert DNS on " + s.interface;
    const CommandResult r = run_command({resolvectl, "revert", s.interface});
    return r.ok() ? std::string() : r.error;
  }
  const std::string resolvconf = find_program("resolvconf");
  if (resolvconf.empty()) return "resolvconf is not installed; cannot remove the record " + s.record;
  const CommandResult r = run_command({resolvconf, "-d", s.record});
  return r.ok() ? std::string() : r.error;
}

std::string DnsConfig::revert() {
  if (!applied_) return {};
  const std::string e = undo(*applied_);
  applied_.reset();
  if (!state_file_.empty()) ::unlink(state_file_.c_str());
  state_file_.clear();
  return e;
}

std::vector<std::string> DnsConfig::recover_stale() {
  std::vector<std::string> out;
  const std::string dir = state_dir();
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return out;
  const unsigned long long ns = current_netns();
  while (const dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name.size() < 5 || name.substr(name.size() - 4) != ".dns") continue;
    const std::string path = dir + "/" + name;
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    const auto s = parse_dns_state(ss.str());
    if (!s) continue;
    if (s->netns != ns || process_alive(s->pid)) continue;  // another namespace's, or still in use
    const std::string err = undo(*s);
    ::unlink(path.c_str());
    out.push_back(err.empty() ? "removed the DNS servers a previous client (pid " + std::to_string(s->pid) +
                                    ") left on " + s->interface + " via " + s->backend
                              : "could not remove the DNS servers a previous client left on " + s->interface + ": " +
                                    err);
  }
  ::closedir(d);
  return out;
}

}  // namespace pptpx::client
