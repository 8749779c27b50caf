// The shared-secret arithmetic of RADIUS:
//  - Response Authenticator (RFC 2865 §3) and the Accounting/Disconnect/CoA Request
//    Authenticator (RFC 2866 §3, RFC 5176 §2.3),
//  - Message-Authenticator (RFC 3579 §3.2, HMAC-MD5), which pptpx puts first in every
//    Access-Request and requires in every Access-Accept/Reject/Challenge (the BlastRADIUS fix,
//    CVE-2024-3596),
//  - User-Password hiding (RFC 2865 §5.2),
//  - the salt encryption of MS-MPPE-Send-Key / MS-MPPE-Recv-Key (RFC 2548 §2.4.2/§2.4.3).
// Functions that check a peer's bytes return false / nullopt; nothing here throws on input.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "radius/packet.hpp"

namespace pptpx::radius {

// Serialises an Access-Request (`packet.authenticator` holds the random Request Authenticator)
// with a Message-Authenticator attribute as its first attribute (added if missing) set per
// RFC 3579 §3.2.
Bytes encode_access_request(Packet packet, std::string_view secret);

// Serialises an Accounting-Request, Disconnect-Request or CoA-Request: the Request
// Authenticator is MD5(Code+Identifier+Length+16 zero octets+Attributes+Secret) (RFC 2866 §3,
// RFC 5176 §2.3). `with_message_authenticator` adds one, computed over the zeroed
// Authenticator (RFC 5176 §3.5).
Bytes encode_accounting_style_request(Packet packet, std::string_view secret,
                                      bool with_message_authenticator = false);

// Serialises a reply to a request whose Request Authenticator is `request_authenticator`: the
// Response Authenticator of RFC 2865 §3 (also RFC 2866 §3, RFC 5176 §2.3), with a
// Message-Authenticator when asked for (RFC 3579 §3.2: computed over the Request Authenticator).
Bytes encode_response(Packet packet, const Authenticator& request_authenticator, std::string_view secret,
                      bool with_message_authenticator);

enum class VerifyError : std::uint8_t {
  None,
  BadResponseAuthenticator,
  MissingMessageAuthenticator,
  BadMessageAuthenticator,
  BadRequestAuthenticator,
};
std::string_view to_string(VerifyError e);

// Checks a received reply (`datagram` as received; it must parse) against the request it answers:
// Response Authenticator, and the Message-Authenticator (required when `require_ma`).
VerifyError verify_response(ByteView datagram, const Authenticator& request_authenticator, std::string_view secret,
                            bool require_ma);

// Checks a received Accounting-Request / Disconnect-Request / CoA-Request: its Request
// Authenticator, and a Message-Authenticator when present (required when `require_ma`).
VerifyError verify_accounting_style_request(ByteView datagram, std::string_view secret, bool require_ma);

// RFC 2865 §5.2: the hidden User-Password value (password padded with zeros to a multiple of 16
// octets, at most 128). nullopt when the password is longer than 128 octets.
std::optional<Bytes> hide_user_password(std::string_view password, const Authenticator& request_authenticator,
                                        std::string_view secret);
// The reverse (what a RADIUS server does); trailing zero padding removed. nullopt when the value
// is not 16..128 octets in steps of 16.
std::optional<std::string> unhide_user_password(ByteView hidden, const Authenticator& request_authenticator,
                                                std::string_view secret);

// RFC 2548 §2.4.1 MS-CHAP-MPPE-Keys (MS-CHAPv1): the 32-octet Keys field (LM-Key 8, NT-Key 16,
// padding 8), hidden "using the same method defined for the User-Password Attribute" (RFC 2865
// §5.2), decrypted whole (zeros are key octets here, not padding to strip). nullopt unless the
// value is 32 octets.
std::optional<Bytes> decrypt_ms_chap_mppe_keys(ByteView value, const Authenticator& request_authenticator,
                                               std::string_view secret);

// RFC 2548 §2.4.2: the decrypted Key sub-field of an MS-MPPE-Send-Key / MS-MPPE-Recv-Key value
// (Salt + encrypted String). nullopt when the value is malformed: shorter than 2+16, String not a
// multiple of 16, Salt without its top bit, or a Key-Length beyond the String.
std::optional<Bytes> decrypt_mppe_key(ByteView value, const Authenticator& request_authenticator,
                                      std::string_view secret);
// The reverse (what a RADIUS server does), for tests and tools; `salt` must have its top bit set.
Bytes encrypt_mppe_key(ByteView key, std::uint16_t salt, const Authenticator& request_authenticator,
                       std::string_view secret);

}  // namespace pptpx::radius
