#include "ppp/auth_mschap_v1.hpp"

#include <algorithm>

#include "ppp/mschap_failure.hpp"

namespace pptpx::ppp {

namespace {
constexpr std::string_view kSuccessMessage = "Access granted";
}  // namespace

ChapVerdict MsChapV1Authenticator::verify(std::uint8_t, ByteView value, std::string_view user_name,
                                          const std::optional<auth::Credential>& credential) {
  ChapVerdict v;
  // RFC 2433 §8: no retry (R=0); C= is optional and omitted.
  v.reply_message = format_mschap_failure(kMsChapErrorAuthenticationFailure, false, {}, std::nullopt, {});
  const std::string who = quoted_user(user_name);
  if (!credential) {
    v.reason = "unknown " + who;
    return v;
  }
  const auto nt_hash = credential_nt_hash(*credential);
  if (!nt_hash) {
    v.reason = who + ": stored password is not valid UTF-8 (or too long) for an NT hash";
    return v;
  }
  // RFC 2433 §6: flag 0 means "use the LAN Manager response", which we never accept.
  if (value[kMsChapV1FlagOffset] != 1) {
    v.reason = who + " sent only a LAN Manager response, which is not supported";
    return v;
  }
  auth::Challenge8 challenge8{};
  std::copy_n(challenge().begin(), challenge8.size(), challenge8.begin());
  const auto expected = auth::mschapv1_nt_response(challenge8, *nt_hash);
  if (!constant_time_equal(expected, value.subspan(kMsChapV1NtResponseOffset, expected.size()))) {
    v.reason = "wrong password for " + who;
    return v;
  }
  v.accepted = true;
  v.reply_message = std::string(kSuccessMessage);
  auth::MppeKeyMaterial m;
  m.method = auth::MppeKeyMaterial::Method::MsChapV1;
  m.nt_hash = *nt_hash;
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
