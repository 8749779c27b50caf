// MPPE (RFC 3078) per packet: encrypt and decrypt in place for 64/512/1400-octet packets,
// stateless (key change before every packet, RFC 3078 §7.1) vs stateful (one RC4 stream, key
// change every 256 packets, §7.2), 40- vs 128-bit; and crypto::Rc4 alone for the raw RC4 rate
// that `openssl speed -evp rc4` gives as the baseline.
#include <benchmark/benchmark.h>

#include <vector>

#include "alloc_counter.hpp"
#include "crypto/rc4.hpp"
#include "ppp/mppe.hpp"

namespace pptpx::bench {
namespace {

auth::MppeKey start_key() {
  auth::MppeKey k;
  for (std::size_t i = 0; i < k.bytes.size(); ++i) k.bytes[i] = static_cast<std::uint8_t>(0x31 + 7 * i);
  k.length = 16;
  return k;
}

ppp::MppeSettings settings_of(const benchmark::State& state) {
  ppp::MppeSettings s;
  s.stateless = state.range(1) != 0;
  s.strength = state.range(2) == 128 ? auth::MppeStrength::Bits128 : auth::MppeStrength::Bits40;
  return s;
}

void label(benchmark::State& state) {
  state.SetLabel(std::string(state.range(1) != 0 ? "stateless" : "stateful") + " " +
                 std::to_string(state.range(2)) + "-bit");
}

void BM_MppeEncrypt(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  ppp::MppeEncryptor enc(start_key(), settings_of(state));
  std::vector<std::uint8_t> pkt(size, 0x45);
  AllocScope allocs(state);
  for (auto _ : state) {
    auto h = enc.encrypt(pkt);
    benchmark::DoNotOptimize(h);
    benchmark::DoNotOptimize(pkt.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
  label(state);
}

// The decryptor checks only the header (MPPE has no integrity check), so one buffer decrypted
// over and over under consecutive coherency counts costs what a fresh packet would.
void BM_MppeDecrypt(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const auto settings = settings_of(state);
  ppp::MppeDecryptor dec(start_key(), settings);
  std::vector<std::uint8_t> pkt(size, 0x45);
  std::uint16_t count = 0;
  std::uint64_t bad = 0;
  AllocScope allocs(state);
  for (auto _ : state) {
    std::uint16_t h = static_cast<std::uint16_t>(ppp::kMppeEncrypted | count);
    if (settings.stateless || (count & 0xff) == 0xff) h = static_cast<std::uint16_t>(h | ppp::kMppeFlushed);
    count = static_cast<std::uint16_t>((count + 1) & ppp::kMppeCountMask);
    if (dec.decrypt(h, pkt) != ppp::MppeDecryptResult::Ok) ++bad;
    benchmark::DoNotOptimize(pkt.data());
  }
  if (bad != 0) state.SkipWithError("decrypt refused packets");
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
  label(state);
}

void mppe_args(benchmark::internal::Benchmark* b) {
  b->ArgNames({"size", "stateless", "bits"});
  for (int stateless : {1, 0})
    for (int bits : {128, 40})
      for (int size : {64, 512, 1400}) b->Args({size, stateless, bits});
}
BENCHMARK(BM_MppeEncrypt)->Apply(mppe_args);
BENCHMARK(BM_MppeDecrypt)->Apply(mppe_args);

// Raw RC4 keystream rate through crypto::Rc4 (EVP), in the block sizes openssl speed uses.
void BM_Rc4Apply(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  crypto::Rc4 rc4;
  const std::uint8_t key[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  rc4.set_key(key);
  std::vector<std::uint8_t> buf(size, 0);
  AllocScope allocs(state);
  for (auto _ : state) {
    rc4.apply(buf);
    benchmark::DoNotOptimize(buf.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
}
BENCHMARK(BM_Rc4Apply)->Arg(64)->Arg(1400)->Arg(16384);

// One RC4 key schedule (what stateless MPPE pays per packet on top of the SHA-1 key derivation).
void BM_Rc4SetKey(benchmark::State& state) {
  crypto::Rc4 rc4;
  std::uint8_t key[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  AllocScope allocs(state);
  for (auto _ : state) {
    ++key[0];
    rc4.set_key(key);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Rc4SetKey);

}  // namespace
}  // namespace pptpx::bench
