#include "crypto/hmac.hpp"

#include <openssl/evp.h>

#include "crypto/openssl_lib.hpp"

namespace pptpx::crypto {

HmacMd5Digest hmac_md5(ByteView key, ByteView data) {
  HmacMd5Digest out{};
  std::size_t len = 0;
  static const std::uint8_t kEmpty = 0;
  // EVP_Q_mac rejects a null key pointer even with length 0.
  const void* key_ptr = key.empty() ? &kEmpty : key.data();
  const unsigned char* data_ptr = data.empty() ? &kEmpty : data.data();
  if (EVP_Q_mac(detail::algorithms().ctx, "HMAC", nullptr, "MD5", nullptr, key_ptr, key.size(), data_ptr,
                data.size(), out.data(), out.size(), &len) == nullptr ||
      len != out.size()) {
    detail::fatal("HMAC-MD5");
  }
  return out;
}

}  // namespace pptpx::crypto
