// MS-CHAP computations: RFC 2433 (v1, NT response only; the LM response stays off) and
// RFC 2759 (v2, mutual). Pure functions; no protocol state.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/bytes.hpp"

namespace pptpx::auth {

using NtHash = std::array<std::uint8_t, 16>;
using Challenge8 = std::array<std::uint8_t, 8>;
using Challenge16 = std::array<std::uint8_t, 16>;
using NtResponse = std::array<std::uint8_t, 24>;
using AuthenticatorResponse = std::array<std::uint8_t, 20>;

// Password as stored by an operator (UTF-8) -> the UTF-16LE bytes NtPasswordHash hashes.
// Returns false (and leaves `out` empty) when `utf8` is not valid UTF-8 or is longer than the
// 256 UTF-16 code units RFC 2759 allows. Characters outside the BMP become surrogate pairs,
// exactly as Windows stores them.
bool password_to_utf16le(std::string_view utf8, Bytes& out);

// RFC 2759 §8.3 NtPasswordHash: MD4 over the UTF-16LE password (see password_to_utf16le).
// Throws std::invalid_argument for a password password_to_utf16le rejects: guessing an encoding
// (Latin-1, truncation) could make a different password match, so callers validate first.
NtHash nt_password_hash(std::string_view utf8_password);
// RFC 2759 §8.4 HashNtPasswordHash.
NtHash hash_nt_password_hash(const NtHash& nt_hash);

// RFC 2759 §8.2: the user name MS-CHAPv2 hashes is the name with any "DOMAIN\" prefix removed
// (everything up to the last backslash, as pppd and Windows do): auth::account_name().
std::string_view mschap_strip_domain(std::string_view user_name);

// RFC 2759 §8.2 ChallengeHash. Strips any "DOMAIN\" prefix itself (mschap_strip_domain is
// idempotent), so callers pass the name exactly as the peer sent it.
Challenge8 challenge_hash(const Challenge16& peer_challenge, const Challenge16& authenticator_challenge,
                          std::string_view user_name);
// RFC 2759 §8.5 ChallengeResponse: three DES encryptions of the 8-byte challenge.
NtResponse challenge_response(const Challenge8& challenge, const NtHash& nt_hash);
// RFC 2759 §8.1 GenerateNTResponse (user_name as sent; the domain is stripped inside).
NtResponse mschapv2_nt_response(const Challenge16& authenticator_challenge, const Challenge16& peer_challenge,
                                std::string_view user_name, const NtHash& nt_hash);
// RFC 2759 §8.7 GenerateAuthenticatorResponse: the 20 bytes behind "S=" (40 upper-case hex chars).
AuthenticatorResponse mschapv2_authenticator_response(const NtHash& nt_hash, const NtResponse& nt_response,
                                                      const Challenge16& peer_challenge,
                                                      const Challenge16& authenticator_challenge,
                                                      std::string_view user_name);
// "S=" followed by 40 upper-case hex digits.
std::string format_authenticator_response(const AuthenticatorResponse& r);
// RFC 2759 §8.8 CheckAuthenticatorResponse: compares the received "S=..." text (case-insensitive
// hex) in constant time; false on any malformed text. Accepts exactly "S=" + 40 hex digits, or
// that followed by a space and more text (the Success message "S=... M=<message>", RFC 2759 §5).
bool check_authenticator_response(std::string_view received, const AuthenticatorResponse& expected);

// RFC 2433 §A.5 NtChallengeResponse (MS-CHAPv1).
NtResponse mschapv1_nt_response(const Challenge8& challenge, const NtHash& nt_hash);

}  // namespace pptpx::auth
