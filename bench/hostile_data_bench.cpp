// Issue 19: what one hostile data packet costs the receiver, before and after the fixes.
//  - BM_MppeKeyFlood: 60-octet stateless MPPE frames each 2,047 coherency counts ahead (the
//    largest jump a stateless receiver follows, mppe.hpp kMppeMaxStatelessJump), sent twice
//    each (a refused copy is retried), arriving at 2,666 packets/s of the decryptor's clock.
//    budget=0: no clock given, so no key-change budget (the behaviour before the fix: every
//    new count costs 2,047 key changes). budget=1: the clock advances 375 us per packet and the
//    budget (kMppeExtraKeyChangesPerSecond) refuses what is over it. CPU per hostile packet is
//    the time per iteration; `accepted` is the share of packets that got their key changes.
//  - BM_GreSprayPacket: the GRE receive window taking one forged packet 4,000 numbers ahead of
//    its top (it opens a gap of 3,999 numbers in the late-delivery ring), then one packet from
//    inside that gap (delivered late): the cost of a spray's packet on its target call, plus
//    the genuine packet it makes late.
#include <benchmark/benchmark.h>

#include <vector>

#include "ppp/mppe.hpp"
#include "pptp/gre_window.hpp"

namespace pptpx::bench {
namespace {

auth::MppeKey start_key() {
  auth::MppeKey k;
  for (std::size_t i = 0; i < k.bytes.size(); ++i) k.bytes[i] = static_cast<std::uint8_t>(0x31 + 7 * i);
  k.length = 16;
  return k;
}

void BM_MppeKeyFlood(benchmark::State& state) {
  const bool budget = state.range(0) != 0;
  ppp::MppeDecryptor dec(start_key(), {auth::MppeStrength::Bits128, true});
  std::vector<std::uint8_t> pkt(60, 0x5A);
  std::uint16_t count = ppp::kMppeCountMask;
  Time now = Time{} + std::chrono::seconds(100);
  std::int64_t i = 0, accepted = 0;
  for (auto _ : state) {
    if (i % 2 == 0) count = static_cast<std::uint16_t>((count + 2047) & ppp::kMppeCountMask);
    ++i;
    if (budget) {
      now += std::chrono::microseconds(375);
      dec.set_clock(now);
    }
    const auto r = dec.decrypt(static_cast<std::uint16_t>(ppp::kMppeFlushed | ppp::kMppeEncrypted | count), pkt);
    if (r == ppp::MppeDecryptResult::Ok) ++accepted;
    benchmark::DoNotOptimize(pkt.data());
  }
  state.counters["accepted"] = static_cast<double>(accepted) / static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(budget ? "with the key-change budget" : "no budget (before)");
}
BENCHMARK(BM_MppeKeyFlood)->Arg(0)->Arg(1)->MinTime(2.0);

struct NullSink : pptp::GreDeliverySink {
  void deliver(std::uint32_t, ByteView p) override { benchmark::DoNotOptimize(p.data()); }
};

void BM_GreSprayPacket(benchmark::State& state) {
  pptp::GreReceiveWindow w;
  NullSink sink;
  const std::vector<std::uint8_t> payload(12, 0x21);
  Time now = Time{} + std::chrono::seconds(100);
  std::uint32_t top = 0;
  w.on_data(top, payload, now, sink);
  for (auto _ : state) {
    top += 4000;
    w.on_data(top, payload, now, sink);        // forged: a jump of 4,000
    w.on_data(top - 100, payload, now, sink);  // genuine, inside the gap: late
    now += std::chrono::milliseconds(1);
  }
  state.counters["late"] = static_cast<double>(w.counters().late) / static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GreSprayPacket);

}  // namespace
}  // namespace pptpx::bench
