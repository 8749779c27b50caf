// Test fixtures for the control-connection tests: a PNS and a PAC wired back to back over an
// in-memory byte pipe, and a single connection fed by hand. Time only moves when a test says so.
#pragma once
#include <functional>
#include <map>
#include <vector>

#include "pptp/control_codec.hpp"
#include "pptp/control_connection.hpp"

namespace pptpx::test {

using namespace pptpx::pptp;

template <typename T>
std::vector<T> only(const std::vector<ControlEvent>& events) {
  std::vector<T> out;
  for (const auto& e : events) {
    if (const auto* t = std::get_if<T>(&e)) out.push_back(*t);
  }
  return out;
}

// Splits a control byte stream back into messages (checked by the codec tests).
inline std::vector<ControlMessage> decode_all(const Bytes& bytes) {
  std::vector<ControlMessage> out;
  ControlStream s;
  s.append(bytes);
  for (;;) {
    auto n = s.next();
    if (n.status != ControlStream::Status::Message) break;
    auto r = decode(n.frame);
    if (!r.ok()) ADD_FAILURE() << r.reason;
    if (r.ok()) out.push_back(*r.message);
  }
  return out;
}

struct PeerPair {
  using Tweak = std::function<void(ControlConfig& pns, ControlConfig& pac)>;

  static ControlConfig pns_config() {
    ControlConfig c;
    c.role = Role::Pns;
    c.originate = true;
    c.host_name = "pns-host";
    return c;
  }
  static ControlConfig pac_config() {
    ControlConfig c;
    c.role = Role::Pac;
    c.originate = false;
    c.host_name = "pac-host";
    return c;
  }
  static std::pair<ControlConfig, ControlConfig> configs(const Tweak& tweak) {
    auto a = pns_config();
    auto b = pac_config();
    if (tweak) tweak(a, b);
    return {a, b};
  }

  explicit PeerPair(const Tweak& tweak = {})
      : cfgs(configs(tweak)), pns(cfgs.first, pns_ids), pac(cfgs.second, pac_ids) {}

  void start() {
    pns.start(now);
    pac.start(now);
    pump();
  }
  // Moves bytes both ways until neither side has anything to say; collects events.
  void pump() {
    for (int i = 0; i < 20; ++i) {
      Bytes a = pns.take_output();
      Bytes b = pac.take_output();
      for (const auto& m : decode_all(a)) ++pns_sent_types[type_of(m)];
      for (const auto& m : decode_all(b)) ++pac_sent_types[type_of(m)];
      collect();
      if (a.empty() && b.empty()) return;
      if (!a.empty()) pac.receive(a, now);
      if (!b.empty()) pns.receive(b, now);
      collect();
    }
    ADD_FAILURE() << "peers did not go quiet";
  }
  void collect() {
    for (auto& e : pns.take_events()) pns_events.push_back(std::move(e));
    for (auto& e : pac.take_events()) pac_events.push_back(std::move(e));
  }

  Time now = Time{} + 1000s;
  SequentialCallIdAllocator pns_ids;
  SequentialCallIdAllocator pac_ids;
  std::pair<ControlConfig, ControlConfig> cfgs;
  ControlConnection pns;
  ControlConnection pac;
  std::vector<ControlEvent> pns_events;
  std::vector<ControlEvent> pac_events;
  std::map<ControlType, int> pns_sent_types;
  std::map<ControlType, int> pac_sent_types;
};

// One connection driven by hand; `established` feeds it the start exchange first.
struct Single {
  Single(Role role, bool originate, bool established = false) : conn(make(role, originate), ids) {
    conn.start(now);
    if (established) {
      if (originate) {
        StartControlConnectionReply rp;
        rp.result_code = 1;
        conn.receive(encode(rp), now);
      } else {
        conn.receive(encode(StartControlConnectionRequest{}), now);
      }
      conn.take_output();
      conn.take_events();
    }
  }
  static ControlConfig make(Role role, bool originate) {
    ControlConfig c;
    c.role = role;
    c.originate = originate;
    return c;
  }
  Time now = Time{} + 1000s;
  SequentialCallIdAllocator ids;
  ControlConnection conn;
};

}  // namespace pptpx::test
