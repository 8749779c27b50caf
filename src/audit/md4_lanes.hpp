// MD4 (RFC 1320) of many short messages side by side, for the wordlist check's NT hashes
// (NtPasswordHash, RFC 2759 §8.3: MD4 of the UTF-16LE password). A message of at most 55 bytes
// is one padded 64-byte block, so a password of up to 27 characters costs one compression;
// kMd4Lanes of them run in one pass of vector arithmetic (GCC/clang vector extensions, no
// intrinsics: whatever SIMD the build targets).
//
// Why not OpenSSL: EVP_DigestInit/Update/Final costs about 10x the compression itself per word
// (EVP re-creates the provider context on every init; see crypto/digest.hpp). The audit_md4
// microbenchmark (bench/audit_md4_bench.cpp) and docs/benchmarks.md show the figures. The
// result is tested against RFC 1320's vectors and against OpenSSL on random input.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "crypto/digest.hpp"
#include "util/bytes.hpp"

namespace pptpx::audit {

inline constexpr std::size_t kMd4Lanes = 16;
inline constexpr std::size_t kMd4OneBlockMax = 55;  // message bytes that fit one padded block

// out[i] = MD4(msgs[i]) for i < n; n <= kMd4Lanes, every msgs[i].size() <= kMd4OneBlockMax.
void md4_one_block_lanes(const ByteView* msgs, std::size_t n, crypto::Md4Digest* out);

// True when NtPasswordHash(word) can take the fast path: ASCII (UTF-16LE is then each octet
// followed by a zero) and at most 27 characters.
bool nt_hash_fast_path(std::string_view word);
// out[i] = NtPasswordHash(words[i]) for i < n; n <= kMd4Lanes, each word nt_hash_fast_path.
void nt_hash_lanes(const std::string_view* words, std::size_t n, crypto::Md4Digest* out);
// tails[i] = NtPasswordHash(words[i]) octets 14..15 as (octet 14 << 8) | octet 15: what the
// wordlist check compares first (1 candidate in 65 536 gets past it and has its hash computed
// in full).
void nt_hash_tail_lanes(const std::string_view* words, std::size_t n, std::uint16_t* tails);

}  // namespace pptpx::audit
