// CHAP with MD5 (RFC 1994 §4.1): Response = MD5(Identifier || secret || Challenge).
#pragma once
#include <array>
#include <cstdint>
#include <string_view>

#include "util/bytes.hpp"

namespace pptpx::auth {
std::array<std::uint8_t, 16> chap_md5_response(std::uint8_t identifier, std::string_view secret,
                                               ByteView challenge);
}  // namespace pptpx::auth
