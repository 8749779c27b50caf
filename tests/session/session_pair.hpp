// A pptpx client Session and server Session joined by a simulated network (TCP both ways
// reliable, GRE both ways with configurable loss, reordering and duplication), driven by a
// fake clock: everything a real deployment does, in one process, with no sockets and no sleeps.
#pragma once
#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/credentials.hpp"
#include "auth/mschap.hpp"
#include "ppp/auth_factory_impl.hpp"
#include "pptp/call_id_allocator.hpp"
#include "session/session.hpp"
#include "session/packets.hpp"
#include "support/map_credential_store.hpp"
#include "support/sim_wire.hpp"

namespace pptpx::test {

// Records everything one side's session hands out.
struct SideRecorder final : session::SessionOutput {
  SimDatagramLink* gre_out = nullptr;
  Time* now = nullptr;
  std::vector<Bytes> ipv4, ipv6;
  std::vector<Bytes> gre_sent;  // a tap on what this side put on the wire
  std::vector<Bytes> tcp_sent;  // the same for the control connection (filled by SessionPair)
  std::vector<session::SessionEvent> events;
  std::function<void(ByteView, Time)> tap_gre;  // optional: sees every GRE packet sent, with its time
  void send_gre(MutableByteView packet) override {
    if (tap_gre) tap_gre(packet, *now);
    gre_sent.emplace_back(packet.begin(), packet.end());
    gre_out->send(packet, *now);
  }
  // True if any GRE packet this side sent contains `needle`.
  bool wire_contains(ByteView needle) const {
    for (const auto& g : gre_sent)
      if (std::search(g.begin(), g.end(), needle.begin(), needle.end()) != g.end()) return true;
    return false;
  }
  void deliver_ipv4(std::uint16_t, ByteView p) override { ipv4.emplace_back(p.begin(), p.end()); }
  void deliver_ipv6(std::uint16_t, ByteView p) override { ipv6.emplace_back(p.begin(), p.end()); }
  void on_event(const session::SessionEvent& e) override { events.push_back(e); }
  const session::SessionEvent* find(session::SessionEvent::Kind k) const {
    for (const auto& e : events)
      if (e.kind == k) return &e;
    return nullptr;
  }
};

// Server-side addressing: one fixed pair per call, as a pool of one would hand out.
struct FixedAddressHooks final : session::CallHooks {
  std::uint32_t local = 0xC6336401;  // 198.51.100.1
  std::uint32_t peer = 0xC633640A;   // 198.51.100.10
  int finished = 0;
  bool prepare_call(std::uint16_t, ppp::LinkConfig& cfg, std::string&) override {
    cfg.ipcp.local_address = local;
    cfg.ipcp.peer_address = peer;
    cfg.ipcp.dns = {0xC6336435, 0};  // 198.51.100.53
    return true;
  }
  void call_finished(std::uint16_t) override { ++finished; }
  // After authentication: the user's own address from `by_user`, or a refusal for `refuse_user`.
  std::map<std::string, std::uint32_t> by_user;
  std::string refuse_user;
  std::vector<std::string> users_seen;
  bool prepare_network(std::uint16_t, const std::string& user, ppp::IpcpConfig& ipcp, ppp::Ipv6cpConfig&,
                       std::string& why) override {
    users_seen.push_back(user);
    if (!refuse_user.empty() && user == refuse_user) {
      why = "no address for " + user;
      return false;
    }
    if (auto it = by_user.find(user); it != by_user.end()) ipcp.peer_address = it->second;
    return true;
  }
};

struct PairOptions {
  ppp::Policy server_policy;
  ppp::Policy client_policy;
  std::string user = "bob";
  std::string password = "Tunnel-Lab-7";
  std::string server_password = "Tunnel-Lab-7";  // what the server has on file
  bool ipv6 = true;
  WireFaults c2s_gre, s2c_gre;
  std::string server_user;                     // the name on file; empty: `user`
  std::optional<std::string> server_refused;   // that user is on file but refused (e.g. locked out)
  ppp::RandomSource* server_random = nullptr;  // links and auth machines; nullptr: OpenSSL
  ppp::RandomSource* client_random = nullptr;
  // Optional taps (the audit tests write captures from them): control bytes and GRE packets as
  // each side sends them, with the simulated time.
  std::function<void(bool from_client, ByteView tcp_bytes, Time)> tap_tcp;
  std::function<void(bool from_client, ByteView gre, Time)> tap_gre;
};

class SessionPair {
 public:
  explicit SessionPair(PairOptions o) : opts_(std::move(o)), c2s_gre_(opts_.c2s_gre), s2c_gre_(opts_.s2c_gre) {
    const std::string& on_file = opts_.server_user.empty() ? opts_.user : opts_.server_user;
    store_.add(on_file, opts_.server_password);
    if (opts_.server_refused) store_.refuse(on_file, *opts_.server_refused);
    ppp::AuthConfig server_auth;
    server_auth.authenticator.credentials = &store_;
    server_auth.random = opts_.server_random;
    server_auth_ = std::make_unique<ppp::StandardAuthFactory>(server_auth);
    ppp::AuthConfig client_auth;
    client_auth.peer.user_name = opts_.user;
    client_auth.peer.password = opts_.password;
    client_auth.random = opts_.client_random;
    client_auth_ = std::make_unique<ppp::StandardAuthFactory>(client_auth);

    server_out_.gre_out = &s2c_gre_;
    server_out_.now = &now_;
    client_out_.gre_out = &c2s_gre_;
    client_out_.now = &now_;
    if (opts_.tap_gre) {
      server_out_.tap_gre = [this](ByteView g, Time t) { opts_.tap_gre(false, g, t); };
      client_out_.tap_gre = [this](ByteView g, Time t) { opts_.tap_gre(true, g, t); };
    }

    session::SessionConfig sc;
    sc.role = session::SessionRole::Server;
    sc.link.policy = opts_.server_policy;
    sc.link.enable_ipv6 = opts_.ipv6;
    sc.link.random = opts_.server_random;
    sc.control.host_name = "server";
    server_ = std::make_unique<session::Session>(sc, server_ids_, *server_auth_, server_out_, &hooks_);

    session::SessionConfig cc;
    cc.role = session::SessionRole::Client;
    cc.link.policy = opts_.client_policy;
    cc.link.enable_ipv6 = opts_.ipv6;
    cc.link.random = opts_.client_random;
    cc.link.ipcp.request_dns = true;
    cc.control.host_name = "client";
    client_ = std::make_unique<session::Session>(cc, client_ids_, *client_auth_, client_out_);
  }

  void start() {
    server_->start(now_);
    client_->start(now_);
    flush_tcp();
  }

  // Runs the simulation until `done()` or `limit` of simulated time passes. True if done.
  template <typename Pred>
  bool run_until(Pred done, Duration limit) {
    const Time end = now_ + limit;
    while (!done()) {
      std::optional<Time> next;
      auto consider = [&](std::optional<Time> t) {
        if (t && (!next || *t < *next)) next = t;
      };
      consider(server_->deadline());
      consider(client_->deadline());
      consider(c2s_tcp_.next_delivery());
      consider(s2c_tcp_.next_delivery());
      consider(c2s_gre_.next_delivery());
      consider(s2c_gre_.next_delivery());
      if (!next || *next > end) {
        now_ = end;
        return done();
      }
      now_ = std::max(now_, *next);
      step();
    }
    return true;
  }
  bool run_for(Duration d) {
    return run_until([] { return false; }, d);
  }

  bool both_up() const {
    return client_out_.find(session::SessionEvent::Kind::LinkUp) && server_out_.find(session::SessionEvent::Kind::LinkUp);
  }
  std::uint16_t client_call() const { return client_->call_ids().empty() ? 0 : client_->call_ids().front(); }
  std::uint16_t server_call() const { return server_->call_ids().empty() ? 0 : server_->call_ids().front(); }

  // Sends an IPv4/IPv6 packet from one side into the tunnel.
  bool client_send(ByteView ip, bool v6 = false) { return send(*client_, client_call(), ip, v6); }
  bool server_send(ByteView ip, bool v6 = false) { return send(*server_, server_call(), ip, v6); }

  session::Session& client() { return *client_; }
  session::Session& server() { return *server_; }
  SideRecorder& client_out() { return client_out_; }
  SideRecorder& server_out() { return server_out_; }
  FixedAddressHooks& hooks() { return hooks_; }
  SimDatagramLink& c2s_gre() { return c2s_gre_; }
  SimDatagramLink& s2c_gre() { return s2c_gre_; }
  Time now() const { return now_; }

 private:
  bool send(session::Session& s, std::uint16_t call, ByteView ip, bool v6) {
    PacketBuffer buf;
    if (!buf.assign(ip)) return false;
    bool ok = v6 ? s.send_ipv6(call, buf, now_) : s.send_ipv4(call, buf, now_);
    flush_tcp();
    return ok;
  }

  void step() {
    Bytes b = c2s_tcp_.receive(now_);
    if (!b.empty()) server_->receive_tcp(b, now_);
    b = s2c_tcp_.receive(now_);
    if (!b.empty()) client_->receive_tcp(b, now_);
    while (auto p = c2s_gre_.receive(now_)) server_->receive_gre(*p, now_);
    while (auto p = s2c_gre_.receive(now_)) client_->receive_gre(*p, now_);
    if (auto d = server_->deadline(); d && *d <= now_) server_->on_timer(now_);
    if (auto d = client_->deadline(); d && *d <= now_) client_->on_timer(now_);
    flush_tcp();
  }

  void flush_tcp() {
    Bytes c = client_->take_tcp_output();
    if (!c.empty()) client_out_.tcp_sent.push_back(c);
    if (opts_.tap_tcp && !c.empty()) opts_.tap_tcp(true, c, now_);
    c2s_tcp_.send(c, now_);
    Bytes s = server_->take_tcp_output();
    if (!s.empty()) server_out_.tcp_sent.push_back(s);
    if (opts_.tap_tcp && !s.empty()) opts_.tap_tcp(false, s, now_);
    s2c_tcp_.send(s, now_);
  }

  PairOptions opts_;
  Time now_{};
  MapCredentialStore store_;
  std::unique_ptr<ppp::StandardAuthFactory> server_auth_, client_auth_;
  pptp::SequentialCallIdAllocator server_ids_, client_ids_;
  FixedAddressHooks hooks_;
  SimStreamLink c2s_tcp_, s2c_tcp_;
  SimDatagramLink c2s_gre_, s2c_gre_;
  SideRecorder server_out_, client_out_;
  std::unique_ptr<session::Session> server_, client_;
};







}  // namespace pptpx::test
