#include "ppp/auth_chap_md5.hpp"

#include "auth/chap_md5.hpp"
#include "ppp/auth_wire_text.hpp"
#include "ppp/mschap_failure.hpp"

namespace pptpx::ppp {

ChapVerdict ChapMd5Authenticator::verify(std::uint8_t identifier, ByteView response_value,
                                         std::string_view user_name,
                                         const std::optional<auth::Credential>& credential) {
  ChapVerdict v;
  v.reply_message = std::string(kAuthRefusedText);
  // An unknown or refused user is checked against a dummy secret: the same work as a wrong password.
  const PasswordToCheck check = password_to_check(user_name, credential);
  // RFC 1994 §4.1: the expected Value is MD5 over Identifier, secret and our Challenge.
  const auto expected = auth::chap_md5_response(identifier, check.password, challenge());
  const bool matches = constant_time_equal(expected, response_value);
  if (!check.refusal.empty()) {
    v.reason = check.refusal;
    return v;
  }
  if (!matches) {
    v.reason = "wrong password for " + quoted_user(user_name);
    return v;
  }
  v.accepted = true;
  v.reply_message = std::string(kAuthGrantedText);
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
  out += ": " + (message.empty() ? std::string(kEmptyFailureExplanation) : printable(message));
  return out;
}

}  // namespace pptpx::ppp
