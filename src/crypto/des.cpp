#include "crypto/des.hpp"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

#include "crypto/openssl_lib.hpp"

namespace pptpx::crypto {
namespace {
struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const noexcept { EVP_CIPHER_CTX_free(c); }
};

// One DES-ECB context per thread, set up once (no padding); re-keying it with a null cipher
// allocates nothing (measured on OpenSSL 3.0.19).
EVP_CIPHER_CTX* thread_des_ctx() {
  thread_local std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx = [] {
    std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> c(EVP_CIPHER_CTX_new());
    if (!c || EVP_CipherInit_ex2(c.get(), detail::algorithms().des_ecb, nullptr, nullptr, 1, nullptr) != 1 ||
        EVP_CIPHER_CTX_set_padding(c.get(), 0) != 1) {
      throw std::runtime_error("pptpx: OpenSSL could not set up a DES-ECB context");
    }
    return c;
  }();
  return ctx.get();
}
}  // namespace

DesKey8 des_expand_key(const DesKey7& k) noexcept {
  // Bit string k[0..55] cut into eight 7-bit groups, each shifted into bits 7..1 of a byte.
  DesKey8 out{};
  out[0] = k[0];
  out[1] = static_cast<std::uint8_t>((k[0] << 7) | (k[1] >> 1));
  out[2] = static_cast<std::uint8_t>((k[1] << 6) | (k[2] >> 2));
  out[3] = static_cast<std::uint8_t>((k[2] << 5) | (k[3] >> 3));
  out[4] = static_cast<std::uint8_t>((k[3] << 4) | (k[4] >> 4));
  out[5] = static_cast<std::uint8_t>((k[4] << 3) | (k[5] >> 5));
  out[6] = static_cast<std::uint8_t>((k[5] << 2) | (k[6] >> 6));
  out[7] = static_cast<std::uint8_t>(k[6] << 1);
  for (auto& b : out) {
    b = static_cast<std::uint8_t>(b & 0xfe);
    // Odd parity: set bit 0 when bits 7..1 hold an even number of ones.
    if ((__builtin_popcount(b) & 1) == 0) b = static_cast<std::uint8_t>(b | 1);
  }
  return out;
}

DesBlock des_encrypt(const DesKey8& key, const DesBlock& clear) {
  EVP_CIPHER_CTX* c = thread_des_ctx();
  if (EVP_CipherInit_ex2(c, nullptr, key.data(), nullptr, 1, nullptr) != 1) detail::fatal("DES key setup");
  DesBlock out{};
  int len = 0;
  if (EVP_CipherUpdate(c, out.data(), &len, clear.data(), static_cast<int>(clear.size())) != 1 || len != 8) {
    detail::fatal("DES-ECB");
  }
  return out;
}

DesBlock des_encrypt(const DesKey7& key7, const DesBlock& clear) { return des_encrypt(des_expand_key(key7), clear); }

}  // namespace pptpx::crypto
