// What the configured authentication methods and MPPE strengths expose, stated once and plainly
// at server start (warn level) and by `pptpx server --check-config`. The statements are facts
// about the protocols, not about this implementation:
//   - MS-CHAPv2 (RFC 2759): the 24-byte NT-Response is three DES encryptions of the challenge
//     hash under 7-byte slices of the NT hash, the third slice has only 2 unknown bytes, so a
//     captured handshake reduces to one DES key search (2^56 work) that yields the NT hash
//     whatever the password; weak passwords fall to a dictionary far sooner.
//   - MS-CHAPv1 (RFC 2433): the same construction over the challenge itself, and its MPPE key
//     (RFC 3079 §2) is the same in both directions.
//   - CHAP-MD5 (RFC 1994): a captured challenge/response is an offline dictionary oracle, the
//     server must keep the password itself, and no MPPE key can be derived from it.
//   - PAP (RFC 1334 §2): the password crosses the link in clear.
//   - MPPE 40/56-bit (RFC 3078, RFC 3079 §3): the key space is small enough to search.
//   - No MPPE: the tunnel carries data without confidentiality.
#pragma once
#include <string>
#include <vector>

#include "server/config.hpp"

namespace pptpx::server {

// One plain sentence per exposure of the configured modes, in a fixed order (auth methods in
// config order, then MPPE). Never empty: even the default (MS-CHAPv2 + MPPE-128) exposes something.
std::vector<std::string> security_warnings(const Config& config);

}  // namespace pptpx::server
