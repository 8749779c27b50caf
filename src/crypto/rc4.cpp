#include "crypto/rc4.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <climits>
#include <stdexcept>
#include <utility>

#include "crypto/openssl_lib.hpp"

namespace pptpx::crypto {

Rc4::Rc4() : ctx_(EVP_CIPHER_CTX_new()) {
  if (ctx_ == nullptr ||
      EVP_CipherInit_ex2(ctx_, detail::algorithms().rc4, nullptr, nullptr, 1, nullptr) != 1) {
    EVP_CIPHER_CTX_free(ctx_);
    throw std::runtime_error("pptpx: OpenSSL could not set up an RC4 context");
  }
  key_length_ = static_cast<std::size_t>(EVP_CIPHER_CTX_get_key_length(ctx_));
}

Rc4::~Rc4() { EVP_CIPHER_CTX_free(ctx_); }

Rc4::Rc4(Rc4&& other) noexcept
    : ctx_(std::exchange(other.ctx_, nullptr)), key_length_(std::exchange(other.key_length_, 0)) {}

Rc4& Rc4::operator=(Rc4&& other) noexcept {
  if (this != &other) {
    EVP_CIPHER_CTX_free(ctx_);
    ctx_ = std::exchange(other.ctx_, nullptr);
    key_length_ = std::exchange(other.key_length_, 0);
  }
  return *this;
}

void Rc4::set_key(ByteView key) noexcept {
  if (ctx_ == nullptr || key.empty() || key.size() > kMaxKeyLength) detail::fatal("RC4 key setup (bad key length)");
  if (key.size() != key_length_) {
    if (EVP_CIPHER_CTX_set_key_length(ctx_, static_cast<int>(key.size())) != 1) detail::fatal("RC4 key length");
    key_length_ = key.size();
  }
  if (EVP_CipherInit_ex2(ctx_, nullptr, key.data(), nullptr, 1, nullptr) != 1) detail::fatal("RC4 key setup");
}

void Rc4::apply(MutableByteView data) noexcept {
  std::size_t done = 0;
  while (done < data.size()) {
    int chunk = static_cast<int>(std::min<std::size_t>(data.size() - done, INT_MAX / 2));
    int out_len = 0;
    std::uint8_t* p = data.data() + done;
    if (EVP_CipherUpdate(ctx_, p, &out_len, p, chunk) != 1 || out_len != chunk) detail::fatal("RC4");
    done += static_cast<std::size_t>(chunk);
  }
}

}  // namespace pptpx::crypto
