// IPV6CP configuration options (RFC 5072 §4) as an OptionsHandler: Interface-Identifier only,
// unique and non-zero on both ends (Nak on zero or collision); IPv6-Compression-Protocol refused.
#pragma once
#include <cstdint>

#include "ppp/auth_random.hpp"
#include "ppp/fsm.hpp"

namespace pptpx::ppp {

namespace ipv6cp_option {
constexpr std::uint8_t kInterfaceIdentifier = 1;     // RFC 5072 §4.1
constexpr std::uint8_t kIpv6CompressionProtocol = 2; // RFC 5072 §4.2: rejected
}  // namespace ipv6cp_option

struct Ipv6cpConfig {
  std::uint64_t interface_id = 0;  // 0: pick a random one
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
  std::uint64_t random_id(std::uint64_t avoid);

  const Ipv6cpConfig& config_;
  RandomSource& random_;
  std::uint64_t id_ = 0;
  bool send_id_ = true;
  Ipv6cpResult result_;
};

std::uint64_t load_be64(const std::uint8_t* p);
void store_be64(std::uint8_t* p, std::uint64_t v);

}  // namespace pptpx::ppp
