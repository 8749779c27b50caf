// Shared helpers for the PPP negotiation and link tests: a deterministic random source and two
// automata wired back to back under a fake clock.
#pragma once
#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <optional>

#include "ppp/auth_factory_impl.hpp"
#include "ppp/auth_random.hpp"
#include "ppp/fsm.hpp"
#include "ppp/link.hpp"
#include "support/map_credential_store.hpp"

namespace pptpx::ppp::test {

// xorshift64*: deterministic, distinct streams per seed.
class SeededRandom final : public RandomSource {
 public:
  explicit SeededRandom(std::uint64_t seed) : s_(seed * 0x9E3779B97F4A7C15ull + 1) {}
  void fill(MutableByteView out) override {
    for (auto& b : out) {
      s_ ^= s_ >> 12;
      s_ ^= s_ << 25;
      s_ ^= s_ >> 27;
      b = static_cast<std::uint8_t>((s_ * 0x2545F4914F6CDD1Dull) >> 56);
    }
  }

 private:
  std::uint64_t s_;
};

struct Endpoint final : FrameSink, LayerObserver {
  std::deque<Bytes>* out = nullptr;
  std::vector<Bytes> sent;
  int ups = 0, downs = 0, finishes = 0;
  void send_frame(Protocol, ByteView info) override {
    sent.emplace_back(info.begin(), info.end());
    if (out) out->emplace_back(info.begin(), info.end());
  }
  void this_layer_up(Fsm&, Time) override { ++ups; }
  void this_layer_down(Fsm&, Time) override { ++downs; }
  void this_layer_started(Fsm&, Time) override {}
  void this_layer_finished(Fsm&, Time) override { ++finishes; }
  bool extra_code(Fsm&, const ControlPacket&, Time) override { return false; }
};

// Two automata of one protocol, A and B, connected by in-memory queues.
struct FsmPair {
  FsmPair(Protocol p, OptionsHandler& ha, OptionsHandler& hb, FsmConfig cfg = {})
      : a(p, "A", ha, ea, ea, cfg), b(p, "B", hb, eb, eb, cfg) {
    ea.out = &a_to_b;
    eb.out = &b_to_a;
  }
  Endpoint ea, eb;
  std::deque<Bytes> a_to_b, b_to_a;
  Fsm a, b;
  Time now = Time{} + std::chrono::seconds(1000);

  void start() {
    a.up(now);
    a.open(now);
    b.up(now);
    b.open(now);
  }
  // Delivers queued packets (and fires timers when idle) until nothing moves.
  void run(int max_steps = 500) {
    for (int i = 0; i < max_steps; ++i) {
      if (!a_to_b.empty()) {
        Bytes p = std::move(a_to_b.front());
        a_to_b.pop_front();
        b.receive(p, now);
        continue;
      }
      if (!b_to_a.empty()) {
        Bytes p = std::move(b_to_a.front());
        b_to_a.pop_front();
        a.receive(p, now);
        continue;
      }
      std::optional<Time> d = a.deadline();
      if (b.deadline() && (!d || *b.deadline() < *d)) d = b.deadline();
      if (!d) return;
      now = *d;
      a.on_timer(now);
      b.on_timer(now);
    }
  }
};

// The two ends of a Link test with the real authentication machines: the server knows bob /
// Tunnel-Lab-7 (as in shared/captures), the client dials as bob with `password`; the server is
// 198.51.100.1 and gives the client 198.51.100.10; the four random sources are seeded seed..seed+3.
// Tests set policies on `server` and `client` before building their Links.
struct RealAuthEnds {
  explicit RealAuthEnds(std::uint64_t seed, const std::string& password = "Tunnel-Lab-7")
      : rs{seed}, rc{seed + 1}, as{seed + 2}, ac{seed + 3},
        server_auth(server_auth_config(store, as)),
        client_auth(client_auth_config(password, ac)) {
    store.add("bob", "Tunnel-Lab-7");
    server.role = LinkRole::Server;
    client.role = LinkRole::Client;
    server.ipcp.local_address = 0xC6336401;  // 198.51.100.1
    server.ipcp.peer_address = 0xC633640A;   // 198.51.100.10
    server.random = &rs;
    client.random = &rc;
  }
  pptpx::test::MapCredentialStore store;
  SeededRandom rs, rc, as, ac;
  StandardAuthFactory server_auth, client_auth;
  LinkConfig server, client;

 private:
  static AuthConfig server_auth_config(const auth::CredentialStore& s, RandomSource& r) {
    AuthConfig a;
    a.authenticator.credentials = &s;
    a.random = &r;
    return a;
  }
  static AuthConfig client_auth_config(const std::string& password, RandomSource& r) {
    AuthConfig a;
    a.peer.user_name = "bob";
    a.peer.password = password;
    a.random = &r;
    return a;
  }
};

}  // namespace pptpx::ppp::test
