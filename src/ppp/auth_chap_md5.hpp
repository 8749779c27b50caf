// CHAP with MD5 (RFC 1994 §4, algorithm 5) in both roles: Value = MD5(Identifier || secret ||
// Challenge). The exchange itself is ChapAuthenticator/ChapPeer (auth_chap_common.hpp).
#pragma once
#include "ppp/auth_chap_common.hpp"

namespace pptpx::ppp {

class ChapMd5Authenticator final : public ChapAuthenticator {
 public:
  static constexpr std::size_t kChallengeSize = 16;  // our choice; RFC 1994 allows any size
  ChapMd5Authenticator(const AuthenticatorConfig& config, RandomSource& random, FrameSink& sink)
      : ChapAuthenticator(AuthMethod::ChapMd5, config, random, sink) {}

 private:
  std::size_t challenge_size() const override { return kChallengeSize; }
  std::size_t response_size() const override { return 16; }  // an MD5 digest
  ChapVerdict verify(std::uint8_t identifier, ByteView response_value, std::string_view user_name,
                     const std::optional<auth::Credential>& credential) override;
};

class ChapMd5Peer final : public ChapPeer {
 public:
  ChapMd5Peer(const AuthPeerConfig& config, FrameSink& sink) : ChapPeer(AuthMethod::ChapMd5, config, sink) {}

 private:
  std::optional<std::string> unusable_credentials() const override;
  std::size_t challenge_size() const override { return 0; }  // any size
  Bytes make_response(std::uint8_t identifier, ByteView challenge) override;
  std::optional<std::string> check_success(ByteView) override { return std::nullopt; }
  std::string describe_failure(ByteView message) const override;
};

}  // namespace pptpx::ppp
