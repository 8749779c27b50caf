// The one DOMAIN\user rule (issue 16): the account is everything after the LAST backslash of the
// name the peer sent; what comes before is the domain, which pptpx does not check. It is used by
// the secrets lookup (server/secrets_store.cpp), the MS-CHAP hash (auth/mschap.cpp, RFC 2759 §8.2
// "excluding any prepended domain name"), the lockout key (server/auth_lockout.cpp) and the logs (ppp::describe_user).
//
// Reference: pppd 2.4.9 chap-new.c chap_handle_response(), option chapms-strip-domain:
//   if (chapms_strip_domain && strrchr(rname, '\\')) strcpy(rname, strrchr(rname, '\\') + 1);
// and pppd chap_ms.c ChallengeHash(), which hashes the name after strrchr(username, '\\'), as
// Windows does for "DOMAIN\user" logons.
//
//   "CORP\alice"   -> "alice"        "A\B\alice" -> "alice"   (last backslash)
//   "\alice"       -> "alice"        (empty domain)
//   "CORP\"        -> ""             (trailing backslash: an empty account, which matches nobody)
//   "alice"        -> "alice"
#pragma once
#include <string_view>

namespace pptpx::auth {

std::string_view account_name(std::string_view sent_name);

}  // namespace pptpx::auth
