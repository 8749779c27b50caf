// The operator's side of the daemon: the control socket (`pptpx ctl`, docs/control.md), the
// Prometheus endpoint ([metrics]), and the accounting log ([accounting]), with the cumulative
// session figures they share. The daemon hands it read-only references to its connections, pool
// and lockouts, and a few hooks (its own counters, terminate a connection, reload the secrets);
// it reports calls coming up and going down. Everything runs on the daemon's event loop.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <asio/io_context.hpp>

#include "control/session_metrics.hpp"
#include "control/snapshot.hpp"
#include "net/http_get_server.hpp"
#include "net/signal_watch.hpp"
#include "net/unix_line_server.hpp"
#include "server/accounting_log.hpp"
#include "server/address_pool.hpp"
#include "server/auth_lockout.hpp"
#include "server/config.hpp"
#include "server/server_connection.hpp"
#include "server/source_filter.hpp"

namespace pptpx::server {

struct OperationsView {
  const std::map<std::uint64_t, std::unique_ptr<Connection>>& connections;
  const Ipv4Pool& pool;
  FailureLockout& address_lockout;
  FailureLockout& user_lockout;
};

struct OperationsHooks {
  std::function<void(control::DaemonCounters&)> counters;
  std::function<void(control::RadiusCounters&)> radius;  // unset: no RADIUS
  // Ends connection `id` (Connection::terminate); false: no such connection.
  std::function<bool(std::uint64_t id, const std::string& reason)> terminate;
  // Re-reads the secrets file: its problems (empty: done) and the number of users.
  std::function<std::vector<std::string>(std::size_t& users)> reload_secrets;
};

class Operations final : private control::Backend {
 public:
  Operations(asio::io_context& io, const Config& config, OperationsView view, OperationsHooks hooks);
  ~Operations() override;
  Operations(const Operations&) = delete;
  Operations& operator=(const Operations&) = delete;

  // Opens the control socket, the metrics listener and the accounting log: "" or one sentence.
  std::string open();

  void link_up(const Connection& c, const CallRecord& call);
  void link_down(const Connection& c, const CallRecord& call, const session::SessionEvent& e);
  // SIGUSR1: reopen the accounting log.
  void reopen_log();
  // `pptpx ctl reload` (also what SIGHUP could grow into).
  control::ReloadReport reload() override;

 private:
  control::Snapshot snapshot() override;
  bool terminate(std::uint64_t id, const std::string& reason) override;
  bool unlock(const std::string& key) override;
  void write_accounting(const std::string& line);

  asio::io_context& io_;
  Config config_;  // as running: the start-up file plus what reloads applied
  OperationsView view_;
  OperationsHooks hooks_;
  control::SessionMetrics metrics_;
  AccountingLog accounting_;
  SourceFilter metrics_sources_;
  Time started_ = Clock::now();
  std::unique_ptr<net::UnixLineServer> control_;
  std::unique_ptr<net::HttpGetServer> http_;
  std::unique_ptr<net::SignalWatch> usr1_;
  bool accounting_failed_ = false;  // a failed write was logged (once until one succeeds)
};

}  // namespace pptpx::server
