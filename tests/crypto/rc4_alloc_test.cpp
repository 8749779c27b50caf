// The data path promise: Rc4 (construction included: its state lives in the object, issue 17),
// set_key and apply make no OpenSSL allocation. We count
// OpenSSL's allocations through CRYPTO_set_mem_functions, which only works before OpenSSL's first
// allocation, hence the hook in a static initialiser (nothing in this binary touches OpenSSL
// before main).
#include <gtest/gtest.h>
#include <openssl/crypto.h>

#include <atomic>
#include <cstdlib>

#include "crypto/digest.hpp"
#include "crypto/rc4.hpp"

namespace pptpx::crypto {
namespace {

std::atomic<long> g_allocs{0};
void* counting_malloc(std::size_t n, const char*, int) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n);
}
void* counting_realloc(void* p, std::size_t n, const char*, int) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  return std::realloc(p, n);
}
void plain_free(void* p, const char*, int) { std::free(p); }

const bool g_hooked = CRYPTO_set_mem_functions(counting_malloc, counting_realloc, plain_free) == 1;

TEST(Rc4Alloc, RekeyAndApplyAllocateNothing) {
  ASSERT_TRUE(g_hooked) << "OpenSSL allocated before main; the hook could not be installed";
  // The hook is live: an OpenSSL allocation is counted.
  const long probe = g_allocs.load();
  OPENSSL_free(OPENSSL_malloc(16));
  ASSERT_EQ(g_allocs.load() - probe, 1) << "the counter does not see OpenSSL's allocations";
  (void)Rc4::own_key_schedule();  // the one-time probe, outside the counted part
  const long before_ctor = g_allocs.load();
  Rc4 rc4;
  EXPECT_EQ(g_allocs.load() - before_ctor, 0);
  std::uint8_t key16[16] = {1, 2, 3};
  std::uint8_t key8[8] = {4, 5, 6};
  std::uint8_t buf[1500] = {};
  rc4.set_key(key16);
  rc4.apply(buf);
  const long before = g_allocs.load();
  for (int i = 0; i < 100; ++i) {
    rc4.set_key(key16);
    rc4.apply(buf);
    (void)sha1({ByteView(key16), ByteView(buf, 40)});
  }
  EXPECT_EQ(g_allocs.load() - before, 0);
  // Changing the key length once (40/56-bit sessions use 8-byte keys) is also allocation-free.
  const long before8 = g_allocs.load();
  rc4.set_key(key8);
  rc4.apply(buf);
  EXPECT_EQ(g_allocs.load() - before8, 0);
}

}  // namespace
}  // namespace pptpx::crypto
