// The MS-CHAP Failure message text (RFC 2433 §8, RFC 2759 §6):
//   "E=eeeeeeeeee R=r C=cccccccccccccccc V=vvvvvvvvvv"              (v1; C and V optional)
//   "E=eeeeeeeeee R=r C=cccccccccccccccccccccccccccccccc V=vvvvvvvvvv M=<msg>"   (v2)
// Parsed into fields and turned into a readable reason; and formatted by our authenticator.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/bytes.hpp"

namespace pptpx::ppp {

// RFC 2433 §8 / RFC 2759 §6 error codes.
inline constexpr std::uint32_t kMsChapErrorRestrictedLogonHours = 646;
inline constexpr std::uint32_t kMsChapErrorAccountDisabled = 647;
inline constexpr std::uint32_t kMsChapErrorPasswordExpired = 648;
inline constexpr std::uint32_t kMsChapErrorNoDialinPermission = 649;
inline constexpr std::uint32_t kMsChapErrorAuthenticationFailure = 691;
inline constexpr std::uint32_t kMsChapErrorChangingPassword = 709;

struct MsChapFailure {
  std::optional<std::uint32_t> error;    // E=
  std::optional<bool> retry_allowed;     // R=
  std::optional<Bytes> challenge;        // C= (hex decoded)
  std::optional<std::uint32_t> version;  // V=
  std::string message;                   // M= (rest of the text, may hold spaces)
};

// Lenient, as RFC 2433 §8 asks ("accept but ignore additional text they do not recognize"):
// fields in any order, unknown tokens skipped, a malformed field left unset. Never fails.
MsChapFailure parse_mschap_failure(std::string_view text);

// "authentication failure" for 691 etc.; "unknown error" otherwise.
std::string_view mschap_error_name(std::uint32_t code);

// e.g. "E=691 authentication failure (retry not allowed)", with ": <M text>" appended when the
// server sent one. Without an E= field: "failure without an error code: <text>". An empty
// Failure: kEmptyFailureExplanation.
std::string describe_mschap_failure(std::string_view text);

// What a Failure (CHAP, MS-CHAP) or Authenticate-Nak (PAP) with an empty message means, in plain
// words: pppd as the server sends exactly that when it has no secret for the pair (issue 16).
inline constexpr std::string_view kEmptyFailureExplanation =
    "the server refused without giving a reason; this usually means it has no secret for this user "
    "name, or none for the server name it expects (the 2nd column of its chap-secrets, or its `name` option)";

// What our authenticator sends: "E=691 R=0 C=<hex> V=3 M=<message>" (C/V/M omitted when empty /
// unset). Hex is upper case, as Windows sends it.
std::string format_mschap_failure(std::uint32_t error, bool retry_allowed, ByteView challenge,
                                  std::optional<std::uint32_t> version, std::string_view message);

}  // namespace pptpx::ppp
