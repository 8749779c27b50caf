// Tells systemd how a Type=notify service is doing (sd_notify(3), libsystemd): READY=1 once the
// server listens, RELOADING=1 while SIGHUP re-reads its files, STOPPING=1 on the way out, and a
// STATUS= line with the session count. Without NOTIFY_SOCKET in the environment (not started by
// systemd) every call is a no-op.
#pragma once
#include <cstddef>
#include <optional>
#include <string>

namespace pptpx::net {

class ServiceNotifier {
 public:
  // Reads NOTIFY_SOCKET now; later calls send to it.
  ServiceNotifier();

  bool enabled() const { return enabled_; }
  void ready(const std::string& status);
  void reloading();
  void stopping();
  // STATUS=<n> session(s); sent only when the count changed since the last one.
  void sessions(std::size_t count);
  // The last error from sd_notify(3), as a sentence; empty while all went well.
  const std::string& error() const { return error_; }

 private:
  void send(const std::string& state);
  bool enabled_ = false;
  std::optional<std::size_t> last_count_;
  std::string error_;
};

}  // namespace pptpx::net
