// A Backend over fixed data, recording what the handlers asked of it.
#pragma once
#include <set>
#include <string>
#include <vector>

#include "control/snapshot.hpp"

namespace pptpx::control::test {

inline SessionInfo session(std::uint64_t id, std::string user, std::string ipv4, std::uint64_t rx, std::uint64_t tx) {
  SessionInfo s;
  s.id = id;
  s.user = std::move(user);
  s.peer_address = "192.0.2." + std::to_string(id);
  s.peer_port = static_cast<std::uint16_t>(40000 + id);
  s.call_id = static_cast<std::uint16_t>(100 + id);
  s.ipv4 = std::move(ipv4);
  s.interface = "pptpx0";
  s.auth = "MS-CHAPv2";
  s.mppe = "128-bit stateless";
  s.state = "up";
  s.uptime_seconds = static_cast<std::int64_t>(id * 10);
  s.received_bytes = rx;
  s.sent_bytes = tx;
  s.received_packets = rx / 100;
  s.sent_packets = tx / 100;
  return s;
}

class FakeBackend final : public Backend {
 public:
  Snapshot snap;
  SessionMetrics metrics;
  std::vector<std::uint64_t> terminated;
  std::string last_reason;
  std::set<std::string> locked{"203.0.113.9", "mallory"};
  ReloadReport report;

  Snapshot snapshot() override {
    Snapshot s = snap;
    s.metrics = &metrics;
    return s;
  }
  bool terminate(std::uint64_t id, const std::string& reason) override {
    for (const auto& s : snap.sessions) {
      if (s.id == id) {
        terminated.push_back(id);
        last_reason = reason;
        return true;
      }
    }
    return false;
  }
  bool unlock(const std::string& key) override { return locked.erase(key) != 0; }
  ReloadReport reload() override { return report; }
};

}  // namespace pptpx::control::test
