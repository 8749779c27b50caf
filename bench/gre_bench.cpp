// GRE header (RFC 2637 §4.1) decode and encode, and one call's GreChannel receive/prepare path,
// per packet. Payload sizes are the PPP frame sizes of small, medium and full-MTU packets.
#include <benchmark/benchmark.h>

#include <vector>

#include "alloc_counter.hpp"
#include "pptp/gre_channel.hpp"
#include "pptp/gre_header.hpp"

namespace pptpx::bench {
namespace {

using pptp::GreHeader;

// A GRE data packet with sequence and acknowledgement numbers and `payload` octets.
std::vector<std::uint8_t> gre_packet(std::size_t payload, std::uint32_t seq) {
  std::vector<std::uint8_t> p(pptp::kGreMaxHeaderSize + payload, 0x5a);
  GreHeader h;
  h.payload_length = static_cast<std::uint16_t>(payload);
  h.call_id = 7;
  h.sequence = seq;
  h.ack = 3;
  pptp::encode_gre_header(h, p);
  return p;
}

void BM_GreDecode(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const auto pkt = gre_packet(size, 1);
  AllocScope allocs(state);
  for (auto _ : state) {
    auto d = pptp::decode_gre(pkt);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(pkt.size()));
}
BENCHMARK(BM_GreDecode)->Arg(64)->Arg(1400);

void BM_GrePrepend(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  std::vector<std::uint8_t> buf(pptp::kGreMaxHeaderSize + size, 0x5a);
  GreHeader h;
  h.payload_length = static_cast<std::uint16_t>(size);
  h.call_id = 7;
  h.ack = 3;
  std::uint32_t seq = 0;
  AllocScope allocs(state);
  for (auto _ : state) {
    h.sequence = seq++;
    auto out = pptp::gre_prepend(h, buf, pptp::kGreMaxHeaderSize);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GrePrepend)->Arg(1400);

struct CountingSink final : pptp::GreDeliverySink {
  std::uint64_t octets = 0;
  void deliver(std::uint32_t, ByteView payload) override { octets += payload.size(); }
};

// Receive path of one call: decode, Call ID check, acknowledgement, in-order window, sink.
void BM_GreChannelReceive(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  pptp::GreChannel ch(7, 9);
  CountingSink sink;
  auto pkt = gre_packet(size, 0);
  // Our own side must have sent what the peer acknowledges (else the ack is rejected as bogus).
  std::vector<std::uint8_t> out(pptp::kGreMaxHeaderSize + 8, 0);
  for (int i = 0; i < 4; ++i) ch.prepare_data(out, pptp::kGreMaxHeaderSize, 8);
  std::uint32_t seq = 0;
  const Time now{};
  AllocScope allocs(state);
  for (auto _ : state) {
    store_be32(pkt.data() + 8, seq++);  // the sequence number field (S set, so right after the key)
    auto e = ch.receive(pkt, now, sink);
    benchmark::DoNotOptimize(e);
  }
  if (sink.octets != state.iterations() * size) state.SkipWithError("packets were dropped");
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
}
BENCHMARK(BM_GreChannelReceive)->Arg(64)->Arg(1400);

// Send path of one call: sequence number, piggybacked ack, header in the headroom.
void BM_GreChannelPrepare(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  pptp::GreChannel ch(7, 9);
  std::vector<std::uint8_t> buf(pptp::kGreMaxHeaderSize + size, 0x5a);
  AllocScope allocs(state);
  for (auto _ : state) {
    auto p = ch.prepare_data(buf, pptp::kGreMaxHeaderSize, size);
    benchmark::DoNotOptimize(p);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
}
BENCHMARK(BM_GreChannelPrepare)->Arg(1400);

}  // namespace
}  // namespace pptpx::bench
