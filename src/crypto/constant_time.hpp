// Constant-time comparison for secrets (authenticator responses, passwords): the time taken
// depends only on the lengths, never on where the bytes differ (OpenSSL's CRYPTO_memcmp).
#pragma once
#include "util/bytes.hpp"

namespace pptpx::crypto {
// False when the sizes differ (the size itself is not hidden).
bool constant_time_equal(ByteView a, ByteView b) noexcept;
}  // namespace pptpx::crypto
