// CCP (RFC 1962) carrying only the MPPE option (RFC 3078 §2), as an OptionsHandler.
//
// MPPE option: type 18, length 6, 32 bits of "supported bits":
//   H 0x01000000 stateless   M 0x80 56-bit   S 0x40 128-bit   L 0x20 40-bit
//   D 0x10 obsolete          C 0x01 MPPC compression (always refused/cleared: we never compress)
// Each Configure-Request names what its sender will accept on receive; the receiver Naks with one
// strength and one mode. The Link checks that both directions agree.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "auth/mppe_keys.hpp"
#include "ppp/fsm.hpp"
#include "ppp/policy.hpp"

namespace pptpx::ppp {

namespace ccp_option {
constexpr std::uint8_t kMppe = 18;  // RFC 3078 §2 (shared with MPPC, RFC 2118)
}

namespace mppe_bits {
constexpr std::uint32_t kStateless = 0x01000000;  // H
constexpr std::uint32_t k56 = 0x80;               // M
constexpr std::uint32_t k128 = 0x40;              // S
constexpr std::uint32_t k40 = 0x20;               // L
constexpr std::uint32_t kObsolete = 0x10;         // D
constexpr std::uint32_t kMppc = 0x01;             // C
constexpr std::uint32_t kStrengths = k56 | k128 | k40;
}  // namespace mppe_bits

std::uint32_t strength_bit(auth::MppeStrength s);
// "40-bit", "40-bit and 56-bit", "none".
std::string describe_strength_bits(std::uint32_t bits);

// One direction's MPPE settings as agreed.
struct MppeChoice {
  auth::MppeStrength strength = auth::MppeStrength::Bits128;
  bool stateless = true;
  bool operator==(const MppeChoice&) const = default;
};
std::string describe(const MppeChoice& c);  // "128-bit stateless"

class CcpOptions final : public OptionsHandler {
 public:
  explicit CcpOptions(const Policy& policy) : policy_(policy) {}
  void reset_request() override;
  void build_request(Bytes& options) override;
  OptionVerdict check_option(std::uint8_t type, ByteView value, Bytes& nak_value) override;
  void peer_request_acked(ByteView options) override;
  void request_acked(ByteView options) override;
  void nak_received(std::uint8_t type, ByteView value) override;
  void reject_received(std::uint8_t type, ByteView value) override;
  std::string option_name(std::uint8_t type) const override;

  // What we decrypt (our acked request) and what we encrypt (the peer's acked request).
  const std::optional<MppeChoice>& receive() const { return receive_; }
  const std::optional<MppeChoice>& send() const { return send_; }
  bool mppe_rejected() const { return !send_mppe_; }

 private:
  std::uint32_t allowed_strengths() const;
  // Our preferred mode given what the peer's bits say.
  std::optional<bool> choose_stateless(bool peer_wants_stateless) const;

  const Policy& policy_;
  bool send_mppe_ = true;
  std::uint32_t bits_ = 0;  // our next request
  int mode_naks_ = 0;       // Naks we sent only to change the peer's mode
  std::optional<MppeChoice> receive_, send_;
};

}  // namespace pptpx::ppp
