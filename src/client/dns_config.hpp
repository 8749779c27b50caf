// --dns (profile use_dns): hands the DNS servers the server pushed (IPCP, RFC 1877) to the
// system's resolver manager for the tunnel's interface, and takes them back when the link goes
// down. systemd-resolved when it runs (resolvectl dns IFACE ...: per-link DNS, with the
// "~." routing domain under --default-route), else resolvconf (a record "IFACE.pptpx"), else a
// sentence saying why not. What was applied is written to a state file under /run/pptpx/client
// (PPTPX_STATE_DIR overrides), so the next start undoes what a SIGKILLed client left behind.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace pptpx::client {

struct DnsState {
  std::string backend;    // "resolved" or "resolvconf"
  std::string interface;
  std::string record;     // resolvconf's record name
  long pid = 0;
  unsigned long long netns = 0;  // inode of the network namespace it was applied in
};

// The state file's text and back (key=value lines).
std::string format_dns_state(const DnsState& s);
std::optional<DnsState> parse_dns_state(const std::string& text);

class DnsConfig {
 public:
  DnsConfig();
  ~DnsConfig() { revert(); }
  DnsConfig(const DnsConfig&) = delete;
  DnsConfig& operator=(const DnsConfig&) = delete;

  // Applies `servers` (dotted quads) to `interface`. Returns "" or one sentence saying why the
  // servers were not applied; `how` says what was done ("via resolvconf").
  std::string apply(const std::string& interface, const std::vector<std::string>& servers, bool default_route,
                    std::string& how);
  // Undoes apply() (also run by the destructor); returns "" or what failed.
  std::string revert();

  // Undoes what clients that are gone (killed) left in the state directory, for this network
  // namespace; returns one line per record undone or failing.
  static std::vector<std::string> recover_stale();

 private:
  static std::string state_dir();
  static std::string undo(const DnsState& s);
  std::optional<DnsState> applied_;
  std::string state_file_;
};

}  // namespace pptpx::client
