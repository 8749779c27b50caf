// pptpx's own OpenSSL 3 library context: the "legacy" and "default" providers loaded into it
// explicitly, and the algorithms MS-CHAP and MPPE need fetched once. MD4, RC4 and single DES live
// only in OpenSSL 3's legacy provider, so we never rely on the default context or on a system
// openssl.cnf enabling it.
#pragma once
#include <openssl/types.h>

#include <string>

namespace pptpx::crypto {

// Loads the providers and fetches MD4, MD5, DES-ECB and RC4 (first call only; later calls are
// free). Throws std::runtime_error with one sentence naming the fix when OpenSSL's legacy
// provider cannot be loaded. Call it at program start to fail early; every crypto function
// also calls it.
void initialize();

// Runs the same load-and-fetch procedure on a fresh, private library context whose provider
// search path is `modules_dir`, then frees it. For tests and `pptpx` diagnostics; throws the same
// error initialize() would.
void check_providers_in(const std::string& modules_dir);

namespace detail {
struct Algorithms {
  OSSL_LIB_CTX* ctx = nullptr;
  OSSL_PROVIDER* legacy = nullptr;
  OSSL_PROVIDER* default_provider = nullptr;
  EVP_MD* md4 = nullptr;
  EVP_MD* md5 = nullptr;
  EVP_CIPHER* des_ecb = nullptr;
  EVP_CIPHER* rc4 = nullptr;
};
// The process-wide algorithms (initialize() semantics). Never freed: they live as long as the
// process, which keeps them valid for thread_local contexts destroyed at thread exit.
const Algorithms& algorithms();
// A "cannot happen" failure inside OpenSSL after initialisation (e.g. RC4 update failing):
// prints one line and aborts, rather than letting unencrypted bytes through.
[[noreturn]] void fatal(const char* what) noexcept;
}  // namespace detail

}  // namespace pptpx::crypto
