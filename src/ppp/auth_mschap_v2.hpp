// MS-CHAPv2 (RFC 2759) in both roles; mutual: the authenticator proves knowledge of the password
// with "S=<40 hex>" in its Success, and the peer ends the session if it does not verify (§5).
//   Response Value (49): Peer-Challenge(16) | Reserved(8, zero) | NT-Response(24) | Flags(1, zero)
// The user name hashed is the Name without any "DOMAIN\" prefix (§4); the credential lookup
// uses the Name as sent.
#pragma once
#include "auth/mschap.hpp"
#include "ppp/auth_chap_common.hpp"

namespace pptpx::ppp {

inline constexpr std::size_t kMsChapV2ChallengeSize = 16;  // RFC 2759 §3
inline constexpr std::size_t kMsChapV2ResponseSize = 49;   // RFC 2759 §4
inline constexpr std::size_t kMsChapV2PeerChallengeOffset = 0;
inline constexpr std::size_t kMsChapV2NtResponseOffset = 24;
inline constexpr std::size_t kMsChapV2FlagsOffset = 48;

class MsChapV2Authenticator final : public ChapAuthenticator {
 public:
  MsChapV2Authenticator(const AuthenticatorConfig& config, RandomSource& random, FrameSink& sink)
      : ChapAuthenticator(AuthMethod::MsChapV2, config, random, sink) {}

 private:
  std::size_t challenge_size() const override { return kMsChapV2ChallengeSize; }
  std::size_t response_size() const override { return kMsChapV2ResponseSize; }
  ChapVerdict verify(std::uint8_t identifier, ByteView response_value, std::string_view user_name,
                     const std::optional<auth::Credential>& credential) override;
};

class MsChapV2Peer final : public ChapPeer {
 public:
  MsChapV2Peer(const AuthPeerConfig& config, RandomSource& random, FrameSink& sink);

 private:
  std::optional<std::string> unusable_credentials() const override;
  std::size_t challenge_size() const override { return kMsChapV2ChallengeSize; }
  Bytes make_response(std::uint8_t identifier, ByteView challenge) override;
  std::optional<std::string> check_success(ByteView message) override;
  std::string describe_failure(ByteView message) const override;

  RandomSource& random_;
  std::optional<auth::NtHash> nt_hash_;
  auth::Challenge16 authenticator_challenge_{};
  auth::Challenge16 peer_challenge_{};
  auth::NtResponse nt_response_{};
};

}  // namespace pptpx::ppp
