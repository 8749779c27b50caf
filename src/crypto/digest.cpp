// SHA-1 goes through the low-level API (see digest.hpp for why); the macro must precede every
// OpenSSL include in this file.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "crypto/digest.hpp"

#include <openssl/sha.h>
#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

#include "crypto/openssl_lib.hpp"


namespace pptpx::crypto {
namespace {

struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};

// One reusable EVP_MD_CTX per thread (saves the EVP_MD_CTX_new/free per call).
EVP_MD_CTX* thread_md_ctx() {
  thread_local std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx) throw std::runtime_error("pptpx: OpenSSL could not allocate a digest context");
  return ctx.get();
}

template <std::size_t N>
std::array<std::uint8_t, N> evp_digest(const EVP_MD* md, std::initializer_list<ByteView> parts, const char* name) {
  EVP_MD_CTX* c = thread_md_ctx();
  if (EVP_DigestInit_ex2(c, md, nullptr) != 1) detail::fatal(name);
  for (ByteView p : parts) {
    if (!p.empty() && EVP_DigestUpdate(c, p.data(), p.size()) != 1) detail::fatal(name);
  }
  std::array<std::uint8_t, N> out{};
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(c, out.data(), &len) != 1 || len != N) detail::fatal(name);
  return out;
}

}  // namespace

Md4Digest md4(std::initializer_list<ByteView> parts) {
  return evp_digest<16>(detail::algorithms().md4, parts, "MD4");
}

Md5Digest md5(std::initializer_list<ByteView> parts) {
  return evp_digest<16>(detail::algorithms().md5, parts, "MD5");
}

Sha1Digest sha1(std::initializer_list<ByteView> parts) noexcept {
  Sha1Digest out{};
#if defined(OPENSSL_NO_DEPRECATED_3_0)
  EVP_MD_CTX* c = thread_md_ctx();
  if (EVP_DigestInit_ex2(c, EVP_sha1(), nullptr) != 1) detail::fatal("SHA-1");
  for (ByteView p : parts) {
    if (!p.empty() && EVP_DigestUpdate(c, p.data(), p.size()) != 1) detail::fatal("SHA-1");
  }
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(c, out.data(), &len) != 1) detail::fatal("SHA-1");
#else
  SHA_CTX c;
  if (SHA1_Init(&c) != 1) detail::fatal("SHA-1");
  for (ByteView p : parts) {
    if (!p.empty() && SHA1_Update(&c, p.data(), p.size()) != 1) detail::fatal("SHA-1");
  }
  if (SHA1_Final(out.data(), &c) != 1) detail::fatal("SHA-1");
#endif
  return out;
}

}  // namespace pptpx::crypto
