// The RC4 key-scheduling algorithm (KSA), written for speed, into OpenSSL's RC4_KEY layout
// (x, y, then S[0..255] as 32-bit words). Used by crypto::Rc4 (see rc4.hpp for why and when).
//
// The textbook loop (for i: j = j + S[i] + K[i mod len]; swap S[i], S[j]) is bound by its
// memory dependences: step i+1 reads S[i+1], which step i may just have written (when j was
// i+1), so the CPU either waits for step i's store address or, after a mispredicted bypass,
// replays. This version reads S[i+1] and S[i+2] *before* step i's stores and patches its copies
// when step i's swap hit them (the swap writes S[i] and S[j]; only S[j] can be i+1 or i+2). It
// computes exactly the textbook permutation; tests/crypto/rc4_ksa_test.cpp checks it against
// RFC 6229 and against OpenSSL's RC4_set_key on random keys of every length.
#pragma once
#include <cstddef>
#include <cstdint>

namespace pptpx::crypto::detail {

// `state`: 258 words (x, y, S[256]); `key`: 1..256 octets.
inline void rc4_ksa(std::uint32_t* state, const std::uint8_t* key, std::size_t len) noexcept {
  state[0] = 0;  // x
  state[1] = 0;  // y
  std::uint32_t* s = state + 2;
  for (std::uint32_t i = 0; i < 256; ++i) s[i] = i;
  std::uint32_t j = 0;
  std::uint32_t a = s[0];   // S[i] as step i reads it
  std::uint32_t n1 = s[1];  // S[i+1] as read so far
  std::size_t k = 0;
  for (std::uint32_t i = 0; i < 256; ++i) {
    j = (j + a + key[k]) & 0xff;
    if (++k == len) k = 0;
    std::uint32_t n2 = s[(i + 2) & 0xff];  // read before this step's stores
    const std::uint32_t b = s[j];
    s[i] = b;
    s[j] = a;
    // This step's S[j] = a landed on i+1 or i+2 (S[i] = b is behind them): 2 chances in 256.
    // A branch, not a conditional move: predicted not taken, it keeps the next steps' S values
    // off j's dependency chain (a cmov there measured ~20 % slower).
    if (__builtin_expect(((j - i - 1) & 0xff) < 2, 0)) {
      n1 = s[(i + 1) & 0xff];
      n2 = s[(i + 2) & 0xff];
    }
    a = n1;
    n1 = n2;
  }
}

}  // namespace pptpx::crypto::detail
