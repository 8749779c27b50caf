// What an auditor takes from a captured handshake to the cracking tools they already use, and
// the 2^16 search chapcrack makes first (Moxie Marlinspike, "Divide and Conquer", 2012): the
// third DES block of an MS-CHAP NT-Response is DES(K3, C) with K3 = NT hash octets 14..15 and
// five zero octets (RFC 2759 §8.5), so its two unknown octets fall to 65536 trials.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "audit/session_report.hpp"

namespace pptpx::audit {

// The last two octets of the NT hash (big-endian in the result: octet 14 << 8 | octet 15), or
// nullopt when no two-octet key reproduces the third block (not an MS-CHAP NT-Response).
std::optional<std::uint16_t> nt_hash_tail(const auth::Challenge8& challenge, const auth::NtResponse& nt_response);

struct Exports {
  std::string hashcat_5500;  // user::domain:lm:nt:challenge (NetNTLMv1; MS-CHAPv2 as chapcrack prints it)
  std::string hashcat_4800;  // CHAP-MD5: response:challenge:id
  std::string john;          // $MSCHAPv2$authchal$ntresp$peerchal$user, or John's NETNTLM form for v1
  std::string token99;       // $99$ base64(challenge | C1 | C2 | K3[0:2]) for chapcrack / CloudCracker
  std::string asleap;        // asleap -C ... -R ...
};
// Empty fields where the method has no such form. `tail` as from nt_hash_tail.
Exports exports_for(const Handshake& h);

std::string hex(ByteView b);
std::string base64(ByteView b);

}  // namespace pptpx::audit
