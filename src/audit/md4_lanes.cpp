#include "audit/md4_lanes.hpp"

#include <array>
#include <cstdint>
#include <cstring>

// Vec is wider than the baseline x86-64 vector registers; GCC and clang warn that passing it by value
// would change the calling convention. Every function taking one is internal to this file (and
// inlined), so no ABI is crossed.
#if defined(__GNUC__)  // GCC and clang (both name the warning -Wpsabi)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

namespace pptpx::audit {
namespace {

using Lane = std::uint32_t;
typedef Lane Vec __attribute__((vector_size(sizeof(Lane) * kMd4Lanes)));  // NOLINT: vector extension

// One message block per lane, as 16 little-endian 32-bit words (RFC 1320 §3.4 "X[j]"), filled
// as plain integers and loaded into vectors once.
struct Blocks {
  alignas(64) Lane x[16][kMd4Lanes] = {};
  void put_byte(std::size_t lane, std::size_t at, std::uint8_t b) {
    x[at / 4][lane] |= static_cast<Lane>(b) << (8 * (at % 4));
  }
  // RFC 1320 §3.1-3.2: a 1 bit, zeros, the length in bits as 64-bit little-endian.
  void pad(std::size_t lane, std::size_t len) {
    put_byte(lane, len, 0x80);
    x[14][lane] = static_cast<Lane>(len * 8);
  }
};

inline Vec rotl(const Vec& v, int s) { return (v << s) | (v >> (32 - s)); }

struct State {
  Vec a, b, c, d;
};

// RFC 1320 §3.4: the three rounds over one block per lane from the initial state.
inline __attribute__((always_inline)) State compress(const Blocks& b) {
  const Vec a0 = Vec{} + Lane{0x67452301}, b0 = Vec{} + Lane{0xefcdab89}, c0 = Vec{} + Lane{0x98badcfe},
            d0 = Vec{} + Lane{0x10325476};
  Vec a = a0, bb = b0, c = c0, d = d0;
  std::array<Vec, 16> x;
  std::memcpy(x.data(), b.x, sizeof b.x);
  auto f = [](const Vec& p, const Vec& q, const Vec& r) { return (p & q) | (~p & r); };
  auto g = [](const Vec& p, const Vec& q, const Vec& r) { return (p & q) | (p & r) | (q & r); };
  auto h = [](const Vec& p, const Vec& q, const Vec& r) { return p ^ q ^ r; };
  // Round 1: [abcd k s] a = (a + F(b,c,d) + X[k]) <<< s
  for (int k = 0; k < 16; k += 4) {
    a = rotl(a + f(bb, c, d) + x[k], 3);
    d = rotl(d + f(a, bb, c) + x[k + 1], 7);
    c = rotl(c + f(d, a, bb) + x[k + 2], 11);
    bb = rotl(bb + f(c, d, a) + x[k + 3], 19);
  }
  // Round 2: a = (a + G(b,c,d) + X[k] + 5A827999) <<< s, k = 0,4,8,12 / 1,5,9,13 / ...
  const Lane k2 = 0x5a827999;
  for (int k = 0; k < 4; ++k) {
    a = rotl(a + g(bb, c, d) + x[k] + k2, 3);
    d = rotl(d + g(a, bb, c) + x[k + 4] + k2, 5);
    c = rotl(c + g(d, a, bb) + x[k + 8] + k2, 9);
    bb = rotl(bb + g(c, d, a) + x[k + 12] + k2, 13);
  }
  // Round 3: a = (a + H(b,c,d) + X[k] + 6ED9EBA1) <<< s, k = 0,8,4,12 / 2,10,6,14 / 1,9,5,13 / 3,11,7,15
  const Lane k3 = 0x6ed9eba1;
  for (int k : {0, 2, 1, 3}) {
    a = rotl(a + h(bb, c, d) + x[k] + k3, 3);
    d = rotl(d + h(a, bb, c) + x[k + 8] + k3, 9);
    c = rotl(c + h(d, a, bb) + x[k + 4] + k3, 11);
    bb = rotl(bb + h(c, d, a) + x[k + 12] + k3, 15);
  }
  return State{a + a0, bb + b0, c + c0, d + d0};
}

// RFC 1320 §3.5: A, B, C, D, each low-order octet first.
inline __attribute__((always_inline)) void digests(const State& st, std::size_t n, crypto::Md4Digest* out) {
  for (std::size_t i = 0; i < n; ++i) {
    const Lane words[4] = {st.a[i], st.b[i], st.c[i], st.d[i]};
    for (std::size_t w = 0; w < 4; ++w) {
      for (std::size_t j = 0; j < 4; ++j) out[i][4 * w + j] = static_cast<std::uint8_t>(words[w] >> (8 * j));
    }
  }
}

}  // namespace

// x86-64: one clone per vector width (AVX-512: all 16 lanes in one register, with a rotate
// instruction; AVX2: two registers; baseline SSE2: four), picked at load time by the CPU.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__SANITIZE_ADDRESS__)
#define PPTPX_MD4_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define PPTPX_MD4_CLONES
#endif

PPTPX_MD4_CLONES void md4_one_block_lanes(const ByteView* msgs, std::size_t n, crypto::Md4Digest* out) {
  Blocks b;
  for (std::size_t i = 0; i < n; ++i) {
    const ByteView m = msgs[i];
    for (std::size_t j = 0; j < m.size(); ++j) b.put_byte(i, j, m[j]);
    b.pad(i, m.size());
  }
  digests(compress(b), n, out);
}

bool nt_hash_fast_path(std::string_view word) {
  if (word.size() > kMd4OneBlockMax / 2) return false;
  for (char ch : word) {
    if (static_cast<unsigned char>(ch) >= 0x80) return false;
  }
  return true;
}

namespace {
// UTF-16LE of ASCII: character k is octet 2k, octet 2k+1 is zero, so X[j] holds characters 2j
// (low half) and 2j+1 (high half); the padding's 0x80 lands where character `size` would.
inline __attribute__((always_inline)) void fill_nt(Blocks& b, const std::string_view* words, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view w = words[i];
    unsigned char c[2 * 14] = {};
    std::memcpy(c, w.data(), w.size());
    c[w.size()] = 0x80;
    for (std::size_t j = 0; j < 14; ++j) b.x[j][i] = static_cast<Lane>(c[2 * j] | (c[2 * j + 1] << 16));
    b.x[14][i] = static_cast<Lane>(w.size() * 16);
  }
}
}  // namespace

PPTPX_MD4_CLONES void nt_hash_lanes(const std::string_view* words, std::size_t n, crypto::Md4Digest* out) {
  Blocks b;
  fill_nt(b, words, n);
  digests(compress(b), n, out);
}

PPTPX_MD4_CLONES void nt_hash_tail_lanes(const std::string_view* words, std::size_t n, std::uint16_t* tails) {
  Blocks b;
  fill_nt(b, words, n);
  // Octets 14 and 15 of the digest are octets 2 and 3 of D (only D is kept: the compiler drops
  // the last two steps, which feed C and B alone).
  const Vec d = compress(b).d;
  for (std::size_t i = 0; i < n; ++i) tails[i] = static_cast<std::uint16_t>(((d[i] >> 8) & 0xff00u) | (d[i] >> 24));
}

}  // namespace pptpx::audit
