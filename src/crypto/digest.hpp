// One-shot digests over one or more byte ranges (hashed in order, as if concatenated):
// MD4 (RFC 1320), MD5 (RFC 1321), SHA-1 (RFC 3174). Results in fixed arrays; nothing here
// allocates on our side.
//
// Allocation note (measured on OpenSSL 3.0.19): EVP_DigestInit_ex2 frees and re-creates the
// provider's digest context on every init, i.e. one small malloc per digest even with a reused
// EVP_MD_CTX. That is fine for MD4/MD5 (authentication only), but SHA-1 runs per packet in MPPE
// stateless mode (GetNewKeyFromSHA, RFC 3078 §7.3), so sha1() uses OpenSSL's low-level SHA1_*
// functions (deprecated in 3.0 but present; allocation-free) and falls back to EVP when OpenSSL
// was built without deprecated APIs.
#pragma once
#include <array>
#include <cstdint>
#include <initializer_list>

#include "util/bytes.hpp"

namespace pptpx::crypto {

using Md4Digest = std::array<std::uint8_t, 16>;
using Md5Digest = std::array<std::uint8_t, 16>;
using Sha1Digest = std::array<std::uint8_t, 20>;

Md4Digest md4(std::initializer_list<ByteView> parts);
Md5Digest md5(std::initializer_list<ByteView> parts);
Sha1Digest sha1(std::initializer_list<ByteView> parts) noexcept;

}  // namespace pptpx::crypto
