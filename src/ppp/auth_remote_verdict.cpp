// A RemoteVerifier's verdict in each CHAP method's terms (see auth_chap_common.hpp).
#include <algorithm>

#include "auth/mppe_keys.hpp"
#include "ppp/auth_chap_common.hpp"
#include "ppp/mschap_failure.hpp"

namespace pptpx::ppp {

namespace {
constexpr std::string_view kGranted = "Access granted";
constexpr std::string_view kDenied = "Access denied";
constexpr std::string_view kFailureText = "Authentication failed";
constexpr std::uint32_t kPasswordChangeVersion = 3;  // RFC 2759 §6
constexpr std::size_t kAuthStringSize = 42;           // "S=" + 40 hex digits (RFC 2759 §5)
}  // namespace

ChapVerdict chap_verdict_from_remote(AuthMethod method, ByteView challenge, std::string_view user_name,
                                     const RemoteAuthVerdict& v) {
  ChapVerdict c;
  c.accepted = v.outcome == RemoteAuthVerdict::Outcome::Accept;
  // RFC 2759 §5: an MS-CHAPv2 Success without the authenticator response would make the peer
  // end the link ("possible impostor"); refuse it here, with the reason in our log.
  if (c.accepted && method == AuthMethod::MsChapV2 &&
      (v.message.size() < kAuthStringSize || v.message.compare(0, 2, "S=") != 0)) {
    c.accepted = false;
    c.reason = quoted_user(user_name) + ": the remote Accept carried no MS-CHAP2-Success authenticator response";
  }
  if (c.accepted) {
    c.mppe = v.mppe;
    if (!c.mppe && method == AuthMethod::MsChapV1 && v.mschapv1_nt_key && challenge.size() == 8) {
      // RFC 3079 §2.4: the same start key both ways, GetStartKey(Challenge, NtPasswordHashHash).
      auth::Challenge8 ch{};
      std::copy_n(challenge.begin(), 8, ch.begin());
      const auto start = auth::mppe_get_start_key(ch, *v.mschapv1_nt_key);
      auth::MppeKeyMaterial m;
      m.method = auth::MppeKeyMaterial::Method::Given;
      m.is_server = true;
      m.given_send = start;
      m.given_recv = start;
      c.mppe = m;
    }
    c.reply_message = method == AuthMethod::MsChapV2 ? v.message.substr(0, kAuthStringSize) + " M=" + std::string(kGranted)
                                                     : std::string(kGranted);
    return c;
  }
  if (c.reason.empty()) {
    const char* what = v.outcome == RemoteAuthVerdict::Outcome::Reject ? "rejected" : "not verified";
    c.reason = quoted_user(user_name) + " " + what + (v.reason.empty() ? "" : ": " + v.reason);
  }
  switch (method) {
    case AuthMethod::MsChapV1:
      c.reply_message = !v.message.empty() ? v.message
                                           : format_mschap_failure(kMsChapErrorAuthenticationFailure, false, {},
                                                                   std::nullopt, {});
      break;
    case AuthMethod::MsChapV2:
      // RFC 2759 §6: C= MUST be present; we allow no retry, so it is this exchange's challenge.
      c.reply_message = !v.message.empty() && v.message.compare(0, 2, "E=") == 0
                            ? v.message
                            : format_mschap_failure(kMsChapErrorAuthenticationFailure, false, challenge,
                                                    kPasswordChangeVersion, kFailureText);
      if (!v.client_text.empty()) {
        // The operator relays the Reply-Message: it replaces the "M=" text (RFC 2759 §6).
        c.reply_message = c.reply_message.substr(0, c.reply_message.find(" M=")) + " M=" + v.client_text;
      }
      break;
    default: c.reply_message = v.client_text.empty() ? std::string(kDenied) : v.client_text; break;
  }
  return c;
}

}  // namespace pptpx::ppp
