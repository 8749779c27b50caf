// RC4 as a reusable streaming state (RFC 3078 §5 rc4_key / §6 rc4): key it, then apply the
// keystream in place to successive buffers; re-key any number of times.
//
// Why not EVP (issue 17): stateless MPPE re-keys twice per packet on each end (RFC 3078 §7.3),
// and through EVP each key schedule cost ~4,100 instructions and ~0.75 µs (OpenSSL 3's legacy
// provider: ~740 instructions of EVP/OSSL_PARAM dispatch, then a key schedule whose every step
// waits for the previous step's store). The state here is libcrypto's own `RC4_KEY`, in the
// object (no heap, no provider context); the keystream is libcrypto's `RC4()` (the same x86-64
// assembly the legacy provider runs), and the key schedule is ours (rc4_ksa.hpp: the same
// arithmetic, reading ahead so steps do not wait on stores; ~1.6x faster, see
// docs/benchmarks.md). It is used only after it produced the byte-identical `RC4_KEY` that
// OpenSSL's `RC4_set_key` produces for a probe key (checked once per process); otherwise
// set_key() calls `RC4_set_key`. Both are OpenSSL 3 "deprecated" low-level functions that
// Debian's libcrypto exports (like SHA1_* in digest.cpp); they need no provider.
//
// Memory and allocation: 1,032 bytes of state inside the object; set_key() and apply() allocate
// nothing; the destructor wipes the state.
#pragma once
#include <cstddef>
#include <cstdint>

#include "util/bytes.hpp"

namespace pptpx::crypto {

class Rc4 {
 public:
  static constexpr std::size_t kMaxKeyLength = 256;
  // sizeof(RC4_KEY) with RC4_INT = unsigned int (checked in rc4.cpp): x, y, data[256].
  static constexpr std::size_t kStateWords = 258;

  Rc4() noexcept;  // unkeyed: set_key() before apply()
  ~Rc4();
  Rc4(Rc4&& other) noexcept;
  Rc4& operator=(Rc4&& other) noexcept;
  Rc4(const Rc4&) = delete;
  Rc4& operator=(const Rc4&) = delete;

  // (Re)initialises the state with `key` (1..kMaxKeyLength bytes; any other length is a caller
  // bug and aborts).
  void set_key(ByteView key) noexcept;
  // XORs the next data.size() keystream bytes into `data`.
  void apply(MutableByteView data) noexcept;

  // Whether set_key() uses pptpx's key schedule (true) or OpenSSL's RC4_set_key (false): see
  // above. For tests and benchmarks.
  static bool own_key_schedule() noexcept;

 private:
  alignas(16) std::uint32_t state_[kStateWords] = {};
  bool keyed_ = false;
};

}  // namespace pptpx::crypto
