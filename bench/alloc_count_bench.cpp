// The allocation counter behind alloc_counter.hpp: the replaced global operator new/delete and the
// OpenSSL memory hooks. No benchmarks of its own.
#include <openssl/crypto.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "alloc_counter.hpp"

namespace {

std::atomic<std::uint64_t> g_allocs{0};

void* counting_malloc(std::size_t n, const char*, int) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n);
}
void* counting_realloc(void* p, std::size_t n, const char*, int) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  return std::realloc(p, n);
}
void plain_free(void* p, const char*, int) { std::free(p); }

const bool g_openssl_hooked = CRYPTO_set_mem_functions(counting_malloc, counting_realloc, plain_free) == 1;

void* counted_new(std::size_t n) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}

}  // namespace

namespace pptpx::bench {
std::uint64_t allocations() { return g_allocs.load(std::memory_order_relaxed); }
bool openssl_allocations_counted() { return g_openssl_hooked; }
}  // namespace pptpx::bench

void* operator new(std::size_t n) { return counted_new(n); }
void* operator new[](std::size_t n) { return counted_new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
