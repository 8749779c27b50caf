#include "crypto/constant_time.hpp"

#include <openssl/crypto.h>

namespace pptpx::crypto {
bool constant_time_equal(ByteView a, ByteView b) noexcept {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}
}  // namespace pptpx::crypto
