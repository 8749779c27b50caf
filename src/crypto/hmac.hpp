// HMAC-MD5 (RFC 2104), for RADIUS Message-Authenticator (RFC 3579 §3.2) and Disconnect/CoA
// (RFC 5176 §3.5). Over OpenSSL's EVP_Q_mac in pptpx's own library context.
#pragma once
#include <array>
#include <cstdint>

#include "util/bytes.hpp"

namespace pptpx::crypto {

using HmacMd5Digest = std::array<std::uint8_t, 16>;

HmacMd5Digest hmac_md5(ByteView key, ByteView data);

}  // namespace pptpx::crypto
