#include "ppp/auth_chap_md5.hpp"

#include "auth/chap_md5.hpp"

namespace pptpx::ppp {

namespace {
constexpr std::string_view kSuccessMessage = "Access granted";
constexpr std::string_view kFailureMessage = "Access denied";
}  // namespace

ChapVerdict ChapMd5Authenticator::verify(std::uint8_t identifier, ByteView response_value,
                                         std::string_view user_name,
                                         const std::optional<auth::Credential>& credential) {
  ChapVerdict v;
  v.reply_message = std::string(kFailureMessage);
  const std::string who = quoted_user(user_name);
  if (!credential) {
    v.reason = "unknown " + who;
    return v;
  }
  if (!credential->password) {
    v.reason = who + ": user's secret is stored as an NT hash; PAP/CHAP-MD5 need the plaintext";
    return v;
  }
  // RFC 1994 §4.1: the expected Value is MD5 over Identifier, secret and our Challenge.
  const auto expected = auth::chap_md5_response(identifier, *credential->password, challenge());
  if (!constant_time_equal(expected, response_value)) {
    v.reason = "wrong password for " + who;
    return v;
  }
  v.accepted = true;
  v.reply_message = std::string(kSuccessMessage);
  return v;
}

std::optional<std::string> ChapMd5Peer::unusable_credentials() const {
  if (!config_.password) return "only an NT hash is configured; PAP/CHAP-MD5 need the plaintext password";
  return std::nullopt;
}

Bytes ChapMd5Peer::make_response(std::uint8_t identifier, ByteView challenge) {
  const auto digest = auth::chap_md5_response(identifier, *config_.password, challenge);
  return Bytes(digest.begin(), digest.end());
}

std::string ChapMd5Peer::describe_failure(ByteView message) const {
  std::string out = "the authenticator refused " + quoted_user(config_.user_name);
  if (!message.empty()) out += ": " + printable(message);
  return out;
}

}  // namespace pptpx::ppp
