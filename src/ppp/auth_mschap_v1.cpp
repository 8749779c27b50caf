#include "ppp/auth_mschap_v1.hpp"

#include <algorithm>

#include "ppp/auth_wire_text.hpp"
#include "ppp/mschap_failure.hpp"

namespace pptpx::ppp {

ChapVerdict MsChapV1Authenticator::verify(std::uint8_t, ByteView value, std::string_view user_name,
                                          const std::optional<auth::Credential>& credential) {
  ChapVerdict v;
  // RFC 2433 §8: no retry (R=0); C= is optional and omitted.
  v.reply_message = format_mschap_failure(kMsChapErrorAuthenticationFailure, false, {}, std::nullopt, {});
  // An unknown or refused user is checked against a dummy hash: the same work as a wrong password.
  const NtHashToCheck check = nt_hash_to_check(user_name, credential);
  auth::Challenge8 challenge8{};
  std::copy_n(challenge().begin(), challenge8.size(), challenge8.begin());
  const auto expected = auth::mschapv1_nt_response(challenge8, check.nt_hash);
  const bool matches = constant_time_equal(expected, value.subspan(kMsChapV1NtResponseOffset, expected.size()));
  if (!check.refusal.empty()) {
    v.reason = check.refusal;
    return v;
  }
  // RFC 2433 §6: flag 0 means "use the LAN Manager response", which we never accept.
  if (value[kMsChapV1FlagOffset] != 1) {
    v.reason = quoted_user(user_name) + " sent only a LAN Manager response, which is not supported";
    return v;
  }
  if (!matches) {
    v.reason = "wrong password for " + quoted_user(user_name);
    return v;
  }
  v.accepted = true;
  v.reply_message = std::string(kAuthGrantedText);
  auth::MppeKeyMaterial m;
  m.method = auth::MppeKeyMaterial::Method::MsChapV1;
  m.nt_hash = check.nt_hash;
  m.challenge = challenge8;
  m.is_server = true;
  v.mppe = m;
  return v;
}

MsChapV1Peer::MsChapV1Peer(const AuthPeerConfig& config, FrameSink& sink)
    : ChapPeer(AuthMethod::MsChapV1, config, sink), nt_hash_(peer_nt_hash(config)) {}

std::optional<std::string> MsChapV1Peer::unusable_credentials() const {
  if (!config_.password && !config_.nt_hash) return "no password or NT hash configured";
  if (!nt_hash_) return "the password is not valid UTF-8 (or longer than 256 characters)";
  return std::nullopt;
}

Bytes MsChapV1Peer::make_response(std::uint8_t, ByteView challenge) {
  std::copy_n(challenge.begin(), challenge_.size(), challenge_.begin());
  const auto nt = auth::mschapv1_nt_response(challenge_, *nt_hash_);
  Bytes value(kMsChapV1ResponseSize, 0);  // LM response stays zero-filled (RFC 2433 §6)
  std::copy(nt.begin(), nt.end(), value.begin() + kMsChapV1NtResponseOffset);
  value[kMsChapV1FlagOffset] = 1;  // use the NT response
  return value;
}

std::optional<std::string> MsChapV1Peer::check_success(ByteView) {
  auth::MppeKeyMaterial m;
  m.method = auth::MppeKeyMaterial::Method::MsChapV1;
  m.nt_hash = *nt_hash_;
  m.challenge = challenge_;
  m.is_server = false;
  result_.mppe = m;
  return std::nullopt;
}

std::string MsChapV1Peer::describe_failure(ByteView message) const {
  return describe_mschap_failure(std::string_view(reinterpret_cast<const char*>(message.data()), message.size()));
}

}  // namespace pptpx::ppp
