// Every text an authentication outcome puts on the wire, for every method and both roles, is
// chosen here and nowhere else (issue 16). None of it holds a user name, a reason, or anything
// derived from the secrets store: an unknown user, a wrong password, a locked-out user and an
// unusable stored secret all get the same octets, so the reply tells an attacker neither which
// users exist nor which are locked out. The true reason goes to the operator's log only
// (AuthResult::failure_reason, the Link's down_reason()).
//
//   PAP Authenticate-Ack / -Nak Message (RFC 1334 §2.2.2)       kAuthGrantedText / kAuthRefusedText
//   CHAP-MD5 Success / Failure Message (RFC 1994 §4.2)          kAuthGrantedText / kAuthRefusedText
//   MS-CHAPv1 Success / Failure (RFC 2433 §5, §6)               kAuthGrantedText / "E=691 R=0"
//   MS-CHAPv2 Success "S=... M=" / Failure "E=691 R=0 C= V=3 M=" kAuthGrantedText / kAuthRefusedText
//   LCP Terminate-Request Data after a failed authentication    kAuthFailedLinkText
//   PPTP Call-Disconnect-Notify Call Statistics after it         kAuthFailedLinkText
//   both, after a re-authentication that named another user     kReauthOtherUserLinkText
//   both, when the user's address cannot be set up (its reason   kAddressSetupFailedLinkText
//   comes from the secrets file and the pool)
#pragma once
#include <string_view>

namespace pptpx::ppp {

inline constexpr std::string_view kAuthGrantedText = "Access granted";
inline constexpr std::string_view kAuthRefusedText = "Authentication failed";
inline constexpr std::string_view kAuthFailedLinkText = "authentication failed";
inline constexpr std::string_view kReauthOtherUserLinkText = "re-authentication must name the same user";
inline constexpr std::string_view kAddressSetupFailedLinkText = "no address for this user";

}  // namespace pptpx::ppp
