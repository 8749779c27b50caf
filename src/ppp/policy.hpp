// What a link accepts, in either role: authentication methods (ordered by preference), MPPE
// strengths and modes, and whether encryption is required. Defaults are the secure ones:
// MS-CHAPv2 only, MPPE 128-bit required, stateless only (stateful only if named).
#pragma once
#include <string>
#include <vector>

#include "auth/mppe_keys.hpp"
#include "ppp/auth_machine.hpp"

namespace pptpx::ppp {

struct Policy {
  // Authenticator: offered in this order, moving to the next on Configure-Nak.
  // Peer: the methods it accepts; it Naks others with the first of these.
  // Empty: no authentication (authenticator requests none; peer Rejects any request).
  std::vector<AuthMethod> auth_methods{AuthMethod::MsChapV2};
  // Negotiate MPPE at all (CCP is started only if this or require_encryption is set).
  bool allow_encryption = true;
  // The link goes down rather than carry unencrypted data.
  bool require_encryption = true;
  // Acceptable strengths; the strongest common one is chosen.
  std::vector<auth::MppeStrength> mppe_strengths{auth::MppeStrength::Bits128};
  bool allow_stateless = true;   // RFC 3078 §2 H bit; preferred when both are allowed
  bool allow_stateful = false;   // only if the policy names it
};

constexpr std::string_view to_string(auth::MppeStrength s) {
  switch (s) {
    case auth::MppeStrength::Bits40: return "40-bit";
    case auth::MppeStrength::Bits56: return "56-bit";
    case auth::MppeStrength::Bits128: return "128-bit";
  }
  return "unknown";
}

inline std::string describe_methods(const std::vector<AuthMethod>& methods) {
  std::string out;
  for (std::size_t i = 0; i < methods.size(); ++i) {
    if (i > 0) out += (i + 1 == methods.size()) ? " and " : ", ";
    out += to_string(methods[i]);
  }
  return out.empty() ? "none" : out;
}

inline bool policy_allows(const Policy& p, AuthMethod m) {
  for (AuthMethod a : p.auth_methods) {
    if (a == m) return true;
  }
  return false;
}

}  // namespace pptpx::ppp
