#include "crypto/openssl_lib.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/provider.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace pptpx::crypto {
namespace {

std::string openssl_error_text() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "no OpenSSL error detail";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

void free_algorithms(detail::Algorithms& a) {
  EVP_MD_free(a.md4);
  EVP_MD_free(a.md5);
  EVP_CIPHER_free(a.des_ecb);
  EVP_CIPHER_free(a.rc4);
  // Unload explicitly: in OpenSSL 3.0 freeing the context alone leaks loaded providers.
  if (a.default_provider) OSSL_PROVIDER_unload(a.default_provider);
  if (a.legacy) OSSL_PROVIDER_unload(a.legacy);
  OSSL_LIB_CTX_free(a.ctx);
  a = {};
}

// Builds a context; `modules_dir` empty = OpenSSL's compiled-in MODULESDIR (or $OPENSSL_MODULES).
// No configuration file is read: OSSL_LIB_CTX_new() starts empty and we never call
// OSSL_LIB_CTX_load_config().
detail::Algorithms load(const std::string& modules_dir) {
  detail::Algorithms a;
  a.ctx = OSSL_LIB_CTX_new();
  if (a.ctx == nullptr) throw std::runtime_error("pptpx: OpenSSL could not create a library context (out of memory?)");
  if (!modules_dir.empty() && OSSL_PROVIDER_set_default_search_path(a.ctx, modules_dir.c_str()) != 1) {
    free_algorithms(a);
    throw std::runtime_error("pptpx: OpenSSL rejected the provider search path " + modules_dir);
  }
  a.legacy = OSSL_PROVIDER_load(a.ctx, "legacy");
  if (a.legacy == nullptr) {
    std::string detail = openssl_error_text();
    free_algorithms(a);
    throw std::runtime_error(
        "pptpx: OpenSSL's legacy provider (legacy.so, which holds the MD4, RC4 and single-DES that MS-CHAP "
        "and MPPE require) could not be loaded" +
        (modules_dir.empty() ? std::string() : " from " + modules_dir) +
        "; install the Debian package libssl3 (it ships ossl-modules/legacy.so) or point $OPENSSL_MODULES at "
        "the directory holding legacy.so (" + detail + ")");
  }
  a.default_provider = OSSL_PROVIDER_load(a.ctx, "default");
  if (a.default_provider == nullptr) {
    std::string detail = openssl_error_text();
    free_algorithms(a);
    throw std::runtime_error("pptpx: OpenSSL's default provider could not be loaded (" + detail + ")");
  }
  a.md4 = EVP_MD_fetch(a.ctx, "MD4", nullptr);
  a.md5 = EVP_MD_fetch(a.ctx, "MD5", nullptr);
  a.des_ecb = EVP_CIPHER_fetch(a.ctx, "DES-ECB", nullptr);
  a.rc4 = EVP_CIPHER_fetch(a.ctx, "RC4", nullptr);
  if (!a.md4 || !a.md5 || !a.des_ecb || !a.rc4) {
    std::string missing = std::string(a.md4 ? "" : " MD4") + (a.md5 ? "" : " MD5") + (a.des_ecb ? "" : " DES-ECB") +
                          (a.rc4 ? "" : " RC4");
    std::string detail = openssl_error_text();
    free_algorithms(a);
    throw std::runtime_error("pptpx: OpenSSL providers loaded but do not offer" + missing +
                             "; this OpenSSL build lacks the legacy algorithms MS-CHAP/MPPE need (" + detail + ")");
  }
  return a;
}

}  // namespace

namespace detail {
const Algorithms& algorithms() {
  // Thread-safe one-time init; if load() throws, the next call tries again.
  static const Algorithms instance = load("");
  return instance;
}

void fatal(const char* what) noexcept {
  std::fprintf(stderr, "pptpx: fatal OpenSSL failure in %s: %s\n", what, openssl_error_text().c_str());
  std::abort();
}
}  // namespace detail

void initialize() { (void)detail::algorithms(); }

void check_providers_in(const std::string& modules_dir) {
  detail::Algorithms a = load(modules_dir);
  free_algorithms(a);
}

}  // namespace pptpx::crypto
