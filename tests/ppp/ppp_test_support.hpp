// Shared helpers for the PPP negotiation and link tests: a deterministic random source and two
// automata wired back to back under a fake clock.
#pragma once
#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <optional>

#include "ppp/auth_random.hpp"
#include "ppp/fsm.hpp"

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

}  // namespace pptpx::ppp::test
