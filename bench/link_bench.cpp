// The whole per-packet data path of one call with MPPE on (LinkPair, link_pair.hpp):
//   BM_LinkSend:        IPv4 packet -> PPP + MPPE encrypt + GRE header, in place (server side)
//   BM_LinkReceive:     GRE packet -> window -> copy -> MPPE decrypt -> IPv4 out (client side)
//   BM_LinkSendReceive: both, one packet all the way through
// The IP packet is copied into the PacketBuffer each iteration, as a TUN read would write it.
#include <benchmark/benchmark.h>

#include <vector>

#include "alloc_counter.hpp"
#include "link_pair.hpp"
#include "util/packet_buffer.hpp"

namespace pptpx::bench {
namespace {

Bytes ipv4_packet(std::size_t total) {
  Bytes p(total, 0);
  p[0] = 0x45;
  store_be16(&p[2], static_cast<std::uint16_t>(total));
  p[8] = 64;
  p[9] = 17;
  store_be32(&p[12], 0xC6336401);
  store_be32(&p[16], 0xC633640A);
  std::uint32_t sum = 0;  // RFC 791 header checksum
  for (std::size_t i = 0; i < 20; i += 2) sum += static_cast<std::uint32_t>((p[i] << 8) | p[i + 1]);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  store_be16(&p[10], static_cast<std::uint16_t>(~sum));
  for (std::size_t i = 20; i < total; ++i) p[i] = static_cast<std::uint8_t>(i * 7);
  return p;
}

LinkPairOptions options_of(benchmark::State& state) {
  LinkPairOptions o;
  o.stateless = state.range(1) != 0;
  o.strength = state.range(2) == 128 ? auth::MppeStrength::Bits128 : auth::MppeStrength::Bits40;
  state.SetLabel(std::string(o.stateless ? "stateless" : "stateful") + " " + std::to_string(state.range(2)) + "-bit");
  return o;
}

void link_args(benchmark::internal::Benchmark* b) {
  b->ArgNames({"size", "stateless", "bits"});
  for (int stateless : {1, 0})
    for (int size : {64, 512, 1400}) b->Args({size, stateless, 128});
  b->Args({1400, 1, 40});
}

void BM_LinkSend(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  LinkPair pair(options_of(state));
  const Bytes ip = ipv4_packet(size);
  PacketBuffer buf;
  std::uint64_t refused = 0;
  AllocScope allocs(state);
  for (auto _ : state) {
    buf.assign(ip);
    if (!pair.server().send_ipv4(buf, pair.now())) ++refused;
    benchmark::DoNotOptimize(pair.server_sent().data());
  }
  if (refused != 0) state.SkipWithError("send_ipv4 refused packets");
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
}
BENCHMARK(BM_LinkSend)->Apply(link_args);

// Receiving needs a fresh, consistent GRE/MPPE stream: the server makes kBatch packets outside
// the timed region, then the client takes them in order.
void BM_LinkReceive(benchmark::State& state) {
  constexpr std::size_t kBatch = 64;
  const auto size = static_cast<std::size_t>(state.range(0));
  LinkPair pair(options_of(state));
  const Bytes ip = ipv4_packet(size);
  PacketBuffer buf;
  std::vector<Bytes> batch(kBatch, Bytes(PacketBuffer::kCapacity));
  std::vector<std::size_t> lengths(kBatch, 0);
  std::size_t next = kBatch;
  AllocScope allocs(state);
  for (auto _ : state) {
    if (next == kBatch) {
      state.PauseTiming();
      for (std::size_t i = 0; i < kBatch; ++i) {
        buf.assign(ip);
        pair.server().send_ipv4(buf, pair.now());
        auto g = pair.server_sent();
        std::copy(g.begin(), g.end(), batch[i].begin());
        lengths[i] = g.size();
      }
      next = 0;
      state.ResumeTiming();
    }
    pair.client().receive_gre(ByteView(batch[next].data(), lengths[next]), pair.now());
    ++next;
  }
  if (pair.client_delivered_octets() != state.iterations() * size) state.SkipWithError("packets were dropped");
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
}
BENCHMARK(BM_LinkReceive)->Apply(link_args);

void BM_LinkSendReceive(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  LinkPair pair(options_of(state));
  const Bytes ip = ipv4_packet(size);
  PacketBuffer buf;
  AllocScope allocs(state);
  for (auto _ : state) {
    buf.assign(ip);
    pair.server().send_ipv4(buf, pair.now());
    pair.client().receive_gre(pair.server_sent(), pair.now());
  }
  if (pair.client_delivered_octets() != state.iterations() * size) state.SkipWithError("packets were dropped");
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
}
BENCHMARK(BM_LinkSendReceive)->Apply(link_args);

}  // namespace
}  // namespace pptpx::bench
