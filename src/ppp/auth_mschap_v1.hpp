// MS-CHAPv1 (RFC 2433) in both roles. NT response only: the LAN Manager response is zero-filled
// and the "use Windows NT compatible challenge response" flag is 1 (RFC 2433 §6 SHOULDs);
// an authenticator refuses a Response whose flag is 0.
//   Response Value (49): LM-Response(24, zeros) | NT-Response(24) | Use-NT flag(1)
#pragma once
#include "auth/mschap.hpp"
#include "ppp/auth_chap_common.hpp"

namespace pptpx::ppp {

inline constexpr std::size_t kMsChapV1ChallengeSize = 8;    // RFC 2433 §5
inline constexpr std::size_t kMsChapV1ResponseSize = 49;    // RFC 2433 §6
inline constexpr std::size_t kMsChapV1NtResponseOffset = 24;
inline constexpr std::size_t kMsChapV1FlagOffset = 48;

class MsChapV1Authenticator final : public ChapAuthenticator {
 public:
  MsChapV1Authenticator(const AuthenticatorConfig& config, RandomSource& random, FrameSink& sink)
      : ChapAuthenticator(AuthMethod::MsChapV1, config, random, sink) {}

 private:
  std::size_t challenge_size() const override { return kMsChapV1ChallengeSize; }
  std::size_t response_size() const override { return kMsChapV1ResponseSize; }
  ChapVerdict verify(std::uint8_t identifier, ByteView response_value, std::string_view user_name,
                     const std::optional<auth::Credential>& credential) override;
};

class MsChapV1Peer final : public ChapPeer {
 public:
  MsChapV1Peer(const AuthPeerConfig& config, FrameSink& sink);

 private:
  std::optional<std::string> unusable_credentials() const override;
  std::size_t challenge_size() const override { return kMsChapV1ChallengeSize; }
  Bytes make_response(std::uint8_t identifier, ByteView challenge) override;
  std::optional<std::string> check_success(ByteView message) override;
  std::string describe_failure(ByteView message) const override;

  std::optional<auth::NtHash> nt_hash_;
  auth::Challenge8 challenge_{};
};

}  // namespace pptpx::ppp
