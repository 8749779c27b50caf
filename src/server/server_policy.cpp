#include "server/server_policy.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

namespace pptpx::server {

namespace {
constexpr std::uint32_t kMppeOverhead = 4;  // MPPE header (2) + inner protocol field (2)
}

namespace {
ppp::AuthMethod to_ppp(AuthMethod m) {
  switch (m) {
    case AuthMethod::mschapv2: return ppp::AuthMethod::MsChapV2;
    case AuthMethod::mschap: return ppp::AuthMethod::MsChapV1;
    case AuthMethod::chap_md5: return ppp::AuthMethod::ChapMd5;
    case AuthMethod::pap: return ppp::AuthMethod::Pap;
    case AuthMethod::eap_tls: return ppp::AuthMethod::EapTls;
  }
  return ppp::AuthMethod::MsChapV2;
}
}  // namespace

ppp::Policy make_policy(const Config& config) {
  ppp::Policy p;
  p.auth_methods.clear();
  bool mschap = false;
  for (AuthMethod m : config.auth.methods) {
    p.auth_methods.push_back(to_ppp(m));
    mschap = mschap || m == AuthMethod::mschapv2 || m == AuthMethod::mschap || m == AuthMethod::eap_tls;
  }
  // MPPE keys come from MS-CHAP (RFC 3079 §3) or EAP-TLS (RFC 5216 §2.3): without one of them
  // there is nothing to offer.
  p.require_encryption = config.mppe.required;
  p.allow_encryption = config.mppe.required || mschap;
  p.mppe_strengths.clear();
  for (unsigned bits : config.mppe.strengths) {
    if (bits == 40) p.mppe_strengths.push_back(auth::MppeStrength::Bits40);
    if (bits == 56) p.mppe_strengths.push_back(auth::MppeStrength::Bits56);
    if (bits == 128) p.mppe_strengths.push_back(auth::MppeStrength::Bits128);
  }
  p.allow_stateless = config.mppe.mode == MppeMode::stateless;
  p.allow_stateful = config.mppe.mode == MppeMode::stateful;
  return p;
}

session::SessionConfig make_session_config(const Config& config) {
  session::SessionConfig sc;
  sc.role = session::SessionRole::Server;
  sc.control.setup_timeout = config.limits.control_setup;
  sc.control.echo_interval = config.echo.control_interval;
  sc.control.host_name = "pptpx";
  sc.link.policy = make_policy(config);
  sc.link.setup_timeout = config.limits.network_setup;  // call up -> link up
  sc.gre.max_jump = config.limits.gre_max_jump;
  sc.link.lcp.echo_interval = config.echo.lcp_interval;
  sc.link.lcp.echo_max_failures = static_cast<int>(config.echo.lcp_failures);
  // The MRU we ask for is the TUN MTU plus the MPPE header and inner protocol (RFC 3078 §3), so
  // the client may send whole TUN-sized packets (its link MTU = our MRU less that overhead).
  sc.link.lcp.mru = static_cast<std::uint16_t>(std::min<std::uint32_t>(config.tun.mtu + kMppeOverhead, 1500));
  // [ipv6] enabled: IPV6CP (RFC 5072) runs beside IPCP; our end's interface identifier is the
  // configured one, the client proposes its own (the daemon checks it is unique among its calls).
  sc.link.enable_ipv6 = config.ipv6.enabled;
  sc.link.ipv6cp.interface_id = config.ipv6.server_interface_id;
  return sc;
}

ppp::AuthConfig make_auth_config(const Config& config, const auth::CredentialStore& credentials) {
  ppp::AuthConfig a;
  a.authenticator.credentials = &credentials;
  // The Name of our CHAP/MS-CHAP Challenges (RFC 1994 §4.1: "the system transmitting the
  // packet"): a pppd client looks its secret up under this name unless given `remotename`. "*"
  // (the default, any server column) names no server, so the Challenge keeps the built-in name.
  if (config.auth.server_name != "*") a.authenticator.our_name = config.auth.server_name;
  a.authenticator.request_timeout = config.limits.auth;
  if (std::find(config.auth.methods.begin(), config.auth.methods.end(), AuthMethod::eap_tls) != config.auth.methods.end()) {
    auth::EapTlsFiles f;
    f.ca = config.eap_tls.ca;
    f.cert = config.eap_tls.cert;
    f.key = config.eap_tls.key;
    f.crl = config.eap_tls.crl;
    a.authenticator.eap_tls = auth::EapTlsContext::create(true, f);  // throws with the reason
    a.authenticator.eap_tls_user_from =
        config.eap_tls.user_from == "san-email" ? auth::EapTlsUserFrom::SanEmail : auth::EapTlsUserFrom::Cn;
    a.authenticator.eap_timeout = std::max(config.limits.auth, Duration(std::chrono::seconds(30)));
  }
  return a;
}

}  // namespace pptpx::server
