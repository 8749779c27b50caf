#include "ppp/auth_mschap_v2.hpp"

#include <algorithm>

#include "ppp/auth_wire_text.hpp"
#include "ppp/mschap_failure.hpp"

namespace pptpx::ppp {

namespace {
constexpr std::uint32_t kPasswordChangeVersion = 3;  // RFC 2759 §6: V SHOULD be 3
constexpr std::size_t kAuthStringSize = 42;           // "S=" + 40 hex digits (RFC 2759 §5)

template <std::size_t N>
std::array<std::uint8_t, N> take(ByteView from, std::size_t offset) {
  std::array<std::uint8_t, N> a{};
  std::copy_n(from.begin() + static_cast<std::ptrdiff_t>(offset), N, a.begin());
  return a;
}
std::string_view as_text(ByteView b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }
}  // namespace

ChapVerdict MsChapV2Authenticator::verify(std::uint8_t, ByteView value, std::string_view user_name,
                                          const std::optional<auth::Credential>& credential) {
  ChapVerdict v;
  // RFC 2759 §6: "E=691 R=0 C=<32 hex> V=3 M=..."; C= MUST be present (we allow no retry, so it
  // is simply the challenge of this exchange).
  v.reply_message = format_mschap_failure(kMsChapErrorAuthenticationFailure, false, challenge(),
                                          kPasswordChangeVersion, kAuthRefusedText);
  // An unknown or refused user is checked against a dummy hash: the same work as a wrong password.
  const NtHashToCheck check = nt_hash_to_check(user_name, credential);
  const auto auth_challenge = take<16>(challenge(), 0);
  const auto peer_challenge = take<16>(value, kMsChapV2PeerChallengeOffset);
  const auto nt_response = take<24>(value, kMsChapV2NtResponseOffset);
  // RFC 2759 §4: only the account name, without the domain, enters the hash.
  const std::string_view hashed_name = auth::mschap_strip_domain(user_name);
  const auto expected = auth::mschapv2_nt_response(auth_challenge, peer_challenge, hashed_name, check.nt_hash);
  const bool matches = constant_time_equal(expected, nt_response);
  if (!check.refusal.empty()) {
    v.reason = check.refusal;
    return v;
  }
  if (!matches) {
    v.reason = "wrong password for " + quoted_user(user_name);
    return v;
  }
  const auth::NtHash& nt_hash = check.nt_hash;
  // RFC 2759 §5: Success carries "S=<auth_string> M=<message>".
  const auto auth_response =
      auth::mschapv2_authenticator_response(nt_hash, nt_response, peer_challenge, auth_challenge, hashed_name);
  v.accepted = true;
  v.reply_message = auth::format_authenticator_response(auth_response) + " M=" + std::string(kAuthGrantedText);
  auth::MppeKeyMaterial m;
  m.method = auth::MppeKeyMaterial::Method::MsChapV2;
  m.nt_hash = nt_hash;
  m.nt_response = nt_response;
  m.is_server = true;
  v.mppe = m;
  return v;
}

MsChapV2Peer::MsChapV2Peer(const AuthPeerConfig& config, RandomSource& random, FrameSink& sink)
    : ChapPeer(AuthMethod::MsChapV2, config, sink), random_(random), nt_hash_(peer_nt_hash(config)) {}

std::optional<std::string> MsChapV2Peer::unusable_credentials() const {
  if (!config_.password && !config_.nt_hash) return "no password or NT hash configured";
  if (!nt_hash_) return "the password is not valid UTF-8 (or longer than 256 characters)";
  return std::nullopt;
}

Bytes MsChapV2Peer::make_response(std::uint8_t, ByteView challenge) {
  authenticator_challenge_ = take<16>(challenge, 0);
  random_.fill(peer_challenge_);  // RFC 2759 §4: a 16-octet random number
  nt_response_ = auth::mschapv2_nt_response(authenticator_challenge_, peer_challenge_,
                                            auth::mschap_strip_domain(config_.user_name), *nt_hash_);
  Bytes value(kMsChapV2ResponseSize, 0);  // Reserved and Flags stay zero (RFC 2759 §4)
  std::copy(peer_challenge_.begin(), peer_challenge_.end(), value.begin() + kMsChapV2PeerChallengeOffset);
  std::copy(nt_response_.begin(), nt_response_.end(), value.begin() + kMsChapV2NtResponseOffset);
  return value;
}

std::optional<std::string> MsChapV2Peer::check_success(ByteView message) {
  // RFC 2759 §5: the peer MUST verify the authenticator response and end the session if it is
  // missing or wrong.
  const std::string_view text = as_text(message);
  if (text.size() < kAuthStringSize || text.substr(0, 2) != "S=") {
    return "server's authenticator response is missing: possible impostor";
  }
  const auto expected = auth::mschapv2_authenticator_response(
      *nt_hash_, nt_response_, peer_challenge_, authenticator_challenge_, auth::mschap_strip_domain(config_.user_name));
  if (!auth::check_authenticator_response(text.substr(0, kAuthStringSize), expected)) {
    return "server's authenticator response did not verify: possible impostor";
  }
  auth::MppeKeyMaterial m;
  m.method = auth::MppeKeyMaterial::Method::MsChapV2;
  m.nt_hash = *nt_hash_;
  m.nt_response = nt_response_;
  m.is_server = false;
  result_.mppe = m;
  return std::nullopt;
}

std::string MsChapV2Peer::describe_failure(ByteView message) const {
  return describe_mschap_failure(as_text(message));
}

}  // namespace pptpx::ppp
