#include "net/service_notify.hpp"

#include <systemd/sd-daemon.h>

#include <cstdlib>
#include <cstring>

namespace pptpx::net {

ServiceNotifier::ServiceNotifier() {
  const char* s = std::getenv("NOTIFY_SOCKET");
  enabled_ = s != nullptr && *s != '\0';
}

void ServiceNotifier::send(const std::string& state) {
  if (!enabled_) return;
  // unset_environment = 0: a later call (reload, stop) still finds the socket.
  const int r = sd_notify(0, state.c_str());
  if (r < 0) error_ = std::string("cannot notify systemd (NOTIFY_SOCKET): ") + std::strerror(-r);
}

void ServiceNotifier::ready(const std::string& status) { send("READY=1\nSTATUS=" + status); }

void ServiceNotifier::reloading() { send("RELOADING=1\nSTATUS=reloading"); }

void ServiceNotifier::stopping() { send("STOPPING=1\nSTATUS=stopping"); }

void ServiceNotifier::sessions(std::size_t count) {
  if (!enabled_ || last_count_ == count) return;
  last_count_ = count;
  send("STATUS=" + std::to_string(count) + (count == 1 ? " session" : " sessions"));
}

}  // namespace pptpx::net
