#include "server/security_warnings.hpp"

#include "server/radius_checks.hpp"

#include <algorithm>

namespace pptpx::server {

namespace {
bool has(const std::vector<unsigned>& v, unsigned x) { return std::find(v.begin(), v.end(), x) != v.end(); }
}  // namespace

std::vector<std::string> security_warnings(const Config& config) {
  std::vector<std::string> out;
  for (AuthMethod m : config.auth.methods) {
    switch (m) {
      case AuthMethod::mschapv2:
        out.emplace_back(
            "auth mschapv2: a captured MS-CHAPv2 handshake reduces to one DES key (2^56 work) that yields the "
            "user's NT hash whatever the password, and weak passwords fall to a dictionary far sooner; the NT "
            "hash alone is enough to log in and to derive the MPPE keys");
        break;
      case AuthMethod::mschap:
        out.emplace_back(
            "auth mschap: MS-CHAPv1 gives up the user's NT hash to anyone who captures the handshake, and its "
            "MPPE key is the same in both directions");
        break;
      case AuthMethod::chap_md5:
        out.emplace_back(
            "auth chap-md5: a captured CHAP-MD5 exchange lets anyone try passwords offline, and it derives no "
            "MPPE key, so sessions authenticated with it get no encryption");
        break;
      case AuthMethod::pap:
        out.emplace_back(
            "auth pap: PAP sends passwords in clear; anyone on the path reads them, and it derives no MPPE key, "
            "so sessions authenticated with it get no encryption");
        break;
      case AuthMethod::eap_tls:
        out.emplace_back(
            "auth eap-tls: no password-derived secret crosses the wire and the MPPE keys come from the TLS "
            "handshake; but the PPTP control channel and PPP negotiation stay clear text (with TLS 1.2 the "
            "client's certificate, hence the user name, is readable on the path), and MPPE stays RC4 with no "
            "integrity check");
        break;
    }
  }
  if (has(config.mppe.strengths, 40))
    out.emplace_back("mppe 40-bit: a 40-bit MPPE key can be broken by brute force; captured traffic is readable");
  if (has(config.mppe.strengths, 56))
    out.emplace_back("mppe 56-bit: a 56-bit MPPE key can be broken by brute force; captured traffic is readable");
  if (!config.mppe.required)
    out.emplace_back(
        "mppe not required: a session without MPPE has no confidentiality; everything it carries is readable "
        "on the path");
  for (auto& w : radius_security_warnings(config)) out.push_back(std::move(w));
  return out;
}

}  // namespace pptpx::server
