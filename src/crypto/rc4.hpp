// RC4 as a reusable streaming state (RFC 3078 §5 rc4_key / §6 rc4): key it, then apply the
// keystream in place to successive buffers; re-key any number of times.
//
// Memory and allocation: one EVP_CIPHER_CTX, created in the constructor (OpenSSL keeps the RC4
// key schedule inside it, about 1.3 KiB). set_key() and apply() allocate nothing (re-init with a
// null cipher reuses the provider context; measured on OpenSSL 3.0.19 and checked by a test),
// so MPPE can re-key per packet on the data path.
#pragma once
#include <openssl/types.h>

#include <cstddef>

#include "util/bytes.hpp"

namespace pptpx::crypto {

class Rc4 {
 public:
  static constexpr std::size_t kMaxKeyLength = 256;

  Rc4();  // throws std::runtime_error if OpenSSL cannot provide RC4 (see openssl_lib.hpp)
  ~Rc4();
  Rc4(Rc4&& other) noexcept;
  Rc4& operator=(Rc4&& other) noexcept;
  Rc4(const Rc4&) = delete;
  Rc4& operator=(const Rc4&) = delete;

  // (Re)initialises the state with `key` (1..kMaxKeyLength bytes; longer keys are a caller bug and
  // abort).
  void set_key(ByteView key) noexcept;
  // XORs the next data.size() keystream bytes into `data`.
  void apply(MutableByteView data) noexcept;

 private:
  EVP_CIPHER_CTX* ctx_ = nullptr;
  std::size_t key_length_ = 0;
};

}  // namespace pptpx::crypto
