// IPV6CP configuration options (RFC 5072 §4) as an OptionsHandler: Interface-Identifier only,
// unique and non-zero on both ends (Nak on zero or collision); IPv6-Compression-Protocol refused.
#pragma once
#include <cstdint>
#include <functional>

#include "ppp/auth_random.hpp"
#include "ppp/fsm.hpp"

namespace pptpx::ppp {

namespace ipv6cp_option {
constexpr std::uint8_t kInterfaceIdentifier = 1;     // RFC 5072 §4.1
constexpr std::uint8_t kIpv6CompressionProtocol = 2; // RFC 5072 §4.2: rejected
}  // namespace ipv6cp_option

struct Ipv6cpConfig {
  std::uint64_t interface_id = 0;  // 0: pick a random one
  // A server whose links share one interface: true for identifiers another link already uses. A
  // peer proposing one is Nak'd with a fresh identifier, as RFC 5072 §4.1 does for a proposal
  // equal to ours (strictly §4.1 says Ack any other non-zero one; uniqueness on the shared
  // interface is what lets the server route to the peer's addresses). Empty: no such check.
  std::function<bool(std::uint64_t)> peer_id_taken;
};

struct Ipv6cpResult {
  std::uint64_t local_id = 0;
  std::uint64_t peer_id = 0;
};

class Ipv6cpOptions final : public OptionsHandler {
 public:
  Ipv6cpOptions(const Ipv6cpConfig& config, RandomSource& random) : config_(config), random_(random) {}
  void reset_request() override;
  void build_request(Bytes& options) override;
  OptionVerdict check_option(std::uint8_t type, ByteView value, Bytes& nak_value) override;
  void peer_request_acked(ByteView options) override;
  void request_acked(ByteView options) override;
  void nak_received(std::uint8_t type, ByteView value) override;
  void reject_received(std::uint8_t type, ByteView value) override;
  std::string option_name(std::uint8_t type) const override;

  const Ipv6cpResult& result() const { return result_; }

 private:
  // Random, non-zero, "u" bit zero (RFC 5072 §4.1), not `avoid`, ours or taken.
  std::uint64_t random_id(std::uint64_t avoid);
  bool taken(std::uint64_t id) const { return config_.peer_id_taken && config_.peer_id_taken(id); }

  const Ipv6cpConfig& config_;
  RandomSource& random_;
  std::uint64_t id_ = 0;
  bool send_id_ = true;
  Ipv6cpResult result_;
};

// The "u" (universal/local) bit: bit 6 of the identifier in canonical order (RFC 5072 §4.1).
constexpr std::uint64_t kInterfaceIdUniversalBit = 0x0200'0000'0000'0000ULL;

std::uint64_t load_be64(const std::uint8_t* p);
void store_be64(std::uint8_t* p, std::uint64_t v);

}  // namespace pptpx::ppp
