// A GRE receive window fed one sequence number at a time, recording what it delivers: the harness
// of the jump-bound and open-gap tests (gre_window_bound_test.cpp, gre_window_jump_test.cpp).
#pragma once
#include <chrono>
#include <cstdint>
#include <vector>

#include "pptp/gre_window.hpp"
#include "util/time.hpp"

namespace pptpx::pptp::test {

using Seqs = std::vector<std::uint32_t>;

struct SeqRecorder : GreDeliverySink {
  Seqs seqs;
  void deliver(std::uint32_t seq, ByteView) override { seqs.push_back(seq); }
};

struct WindowHarness {
  explicit WindowHarness(GreWindowConfig c = {}) : w(c) {}
  void in(std::uint32_t seq) {  // a one-octet payload; only the numbers are looked at
    const Bytes b{static_cast<std::uint8_t>(seq)};
    w.on_data(seq, b, now, sink);
  }
  void run(std::uint32_t from, std::uint32_t to) {  // [from, to) in order
    for (std::uint32_t s = from; s != to; ++s) in(s);
  }
  GreReceiveWindow w;
  SeqRecorder sink;
  Time now = Time{} + std::chrono::seconds(100);
};

}  // namespace pptpx::pptp::test
