// Counts heap allocations made while a benchmark runs, so each data-path benchmark can report
// "allocations per packet" next to its speed: every global operator new (replaced in
// alloc_count_bench.cpp) and every OpenSSL allocation (CRYPTO_set_mem_functions, installed by a
// static initialiser before OpenSSL's first allocation, as tests/crypto/rc4_alloc_test.cpp does).
#pragma once
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdint>

namespace pptpx::bench {

std::uint64_t allocations();        // operator new + OpenSSL malloc/realloc since start
bool openssl_allocations_counted();  // false if OpenSSL allocated before the hook went in

// Reports counters["allocs"]: the allocations made from construction to destruction (around the
// benchmark loop), a total, not a rate. Google Benchmark itself allocates a few times around the
// loop (a small constant, the same for 10 or 10 million iterations), so "no allocation per
// packet" shows as a count that stays that small however many packets went through.
class AllocScope {
 public:
  explicit AllocScope(benchmark::State& state) : state_(state), before_(allocations()) {}
  ~AllocScope() {
    const auto n = allocations() - before_;
    state_.counters["allocs"] = static_cast<double>(n);
    if (!openssl_allocations_counted()) state_.SetLabel("OpenSSL allocations not counted");
  }
  AllocScope(const AllocScope&) = delete;
  AllocScope& operator=(const AllocScope&) = delete;

 private:
  benchmark::State& state_;
  std::uint64_t before_;
};

}  // namespace pptpx::bench
