// For the plan in docs/benchmarks.md: what an RC4 key schedule and keystream cost through
// OpenSSL's low-level RC4 API (RC4_set_key/RC4, deprecated in 3.0 but exported by libcrypto,
// no provider, no EVP context) next to crypto::Rc4's EVP path (BM_Rc4SetKey, BM_Rc4Apply).
// Measurement only: the data path does not use this API.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <benchmark/benchmark.h>
#include <openssl/rc4.h>

#include <vector>

namespace pptpx::bench {
namespace {

void BM_Rc4LowLevelSetKey(benchmark::State& state) {
  RC4_KEY k;
  unsigned char key[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  for (auto _ : state) {
    ++key[0];
    RC4_set_key(&k, 16, key);
    benchmark::DoNotOptimize(&k);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("sizeof(RC4_KEY) = " + std::to_string(sizeof(RC4_KEY)));
}
BENCHMARK(BM_Rc4LowLevelSetKey);

void BM_Rc4LowLevelApply(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  RC4_KEY k;
  const unsigned char key[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  RC4_set_key(&k, 16, key);
  std::vector<unsigned char> buf(size, 0);
  for (auto _ : state) {
    RC4(&k, size, buf.data(), buf.data());
    benchmark::DoNotOptimize(buf.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
}
BENCHMARK(BM_Rc4LowLevelApply)->Arg(64)->Arg(1400);

}  // namespace
}  // namespace pptpx::bench
