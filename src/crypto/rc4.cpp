// RC4 over libcrypto's low-level RC4_KEY / RC4() (deprecated in OpenSSL 3.0 but exported; see
// rc4.hpp for why not EVP); the macro must precede every OpenSSL include in this file.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "crypto/rc4.hpp"

#include <openssl/crypto.h>
#include <openssl/rc4.h>

#include <cstring>

#include "crypto/openssl_lib.hpp"
#include "crypto/rc4_ksa.hpp"

#if defined(OPENSSL_NO_RC4) || defined(OPENSSL_NO_DEPRECATED_3_0)
#error "pptpx needs libcrypto's RC4_set_key/RC4 (OpenSSL 3 built with RC4 and its 3.0 deprecated API, as Debian's libssl-dev is)"
#endif

namespace pptpx::crypto {
namespace {

static_assert(sizeof(RC4_KEY) == Rc4::kStateWords * sizeof(std::uint32_t) && sizeof(RC4_INT) == 4,
              "RC4_KEY is not {RC4_INT x, y, data[256]} with a 32-bit RC4_INT on this platform");

RC4_KEY* as_key(std::uint32_t* state) noexcept { return reinterpret_cast<RC4_KEY*>(state); }

// Our key schedule is used only when it leaves exactly the RC4_KEY that OpenSSL's RC4_set_key
// does (OpenSSL's assembly may pick another layout on some CPUs, e.g. its "RC4_CHAR" byte layout
// on Intel P4, which RC4() then expects). Probed with two key lengths, once per process.
bool probe_own_schedule() noexcept {
  const std::uint8_t probe[16] = {0x13, 0xfe, 0x01, 0x9e, 0x26, 0xd1, 0x00, 0x80,
                                  0x7f, 0xff, 0x42, 0x10, 0x02, 0x03, 0xc4, 0x55};
  for (int len : {16, 5}) {
    std::uint32_t ours[Rc4::kStateWords], theirs[Rc4::kStateWords];
    std::memset(theirs, 0xa5, sizeof theirs);
    detail::rc4_ksa(ours, probe, static_cast<std::size_t>(len));
    RC4_set_key(as_key(theirs), len, probe);
    if (std::memcmp(ours, theirs, sizeof ours) != 0) return false;
  }
  return true;
}

}  // namespace

bool Rc4::own_key_schedule() noexcept {
  static const bool usable = probe_own_schedule();
  return usable;
}

Rc4::Rc4() noexcept = default;

Rc4::~Rc4() { OPENSSL_cleanse(state_, sizeof state_); }

Rc4::Rc4(Rc4&& other) noexcept : keyed_(other.keyed_) {
  std::memcpy(state_, other.state_, sizeof state_);
  OPENSSL_cleanse(other.state_, sizeof other.state_);
  other.keyed_ = false;
}

Rc4& Rc4::operator=(Rc4&& other) noexcept {
  if (this != &other) {
    std::memcpy(state_, other.state_, sizeof state_);
    keyed_ = other.keyed_;
    OPENSSL_cleanse(other.state_, sizeof other.state_);
    other.keyed_ = false;
  }
  return *this;
}

void Rc4::set_key(ByteView key) noexcept {
  if (key.empty() || key.size() > kMaxKeyLength) detail::fatal("RC4 key setup (bad key length)");
  if (own_key_schedule()) {
    detail::rc4_ksa(state_, key.data(), key.size());
  } else {
    RC4_set_key(as_key(state_), static_cast<int>(key.size()), key.data());
  }
  keyed_ = true;
}

void Rc4::apply(MutableByteView data) noexcept {
  if (!keyed_) detail::fatal("RC4 (used before set_key)");
  if (!data.empty()) RC4(as_key(state_), data.size(), data.data(), data.data());
}

}  // namespace pptpx::crypto
