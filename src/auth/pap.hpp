// PAP (RFC 1334 §2): the authenticator compares the received password with the stored one.
#pragma once
#include <string_view>

namespace pptpx::auth {
// Constant-time comparison (length still leaks, as with any PAP implementation).
bool pap_password_matches(std::string_view received, std::string_view stored);
}  // namespace pptpx::auth
