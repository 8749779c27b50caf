// IPCP configuration options (RFC 1332 §3, RFC 1877 §1) as an OptionsHandler.
// Server: tells the client its address (Nak on 0.0.0.0) and hands out DNS/NBNS via Nak.
// Client: asks with 0.0.0.0 and accepts what the server suggests. VJ compression is refused.
#pragma once
#include <array>
#include <cstdint>

#include "ppp/fsm.hpp"

namespace pptpx::ppp {

namespace ipcp_option {
constexpr std::uint8_t kIpAddresses = 1;           // RFC 1332 §3.1 (deprecated): rejected
constexpr std::uint8_t kIpCompressionProtocol = 2; // RFC 1332 §3.2: rejected (no VJ)
constexpr std::uint8_t kIpAddress = 3;             // RFC 1332 §3.3
constexpr std::uint8_t kPrimaryDns = 129;          // RFC 1877 §1.1
constexpr std::uint8_t kPrimaryNbns = 130;         // RFC 1877 §1.2
constexpr std::uint8_t kSecondaryDns = 131;        // RFC 1877 §1.3
constexpr std::uint8_t kSecondaryNbns = 132;       // RFC 1877 §1.4
}  // namespace ipcp_option

// IPv4 addresses are host-order uint32 (192.0.2.1 == 0xC0000201); 0 means none.
struct IpcpConfig {
  std::uint32_t local_address = 0;  // 0: ask the peer for one (client)
  std::uint32_t peer_address = 0;   // non-zero: the address the peer must use (server assigns it)
  std::array<std::uint32_t, 2> dns{};   // to hand out (server); 0 = none
  std::array<std::uint32_t, 2> nbns{};
  bool request_dns = false;   // client: ask for primary/secondary DNS
  bool request_nbns = false;  // client: ask for primary/secondary NBNS
};

struct IpcpResult {
  std::uint32_t local_address = 0;
  std::uint32_t peer_address = 0;
  std::array<std::uint32_t, 2> dns{};   // learned (client) or handed out (server)
  std::array<std::uint32_t, 2> nbns{};
};

class IpcpOptions final : public OptionsHandler {
 public:
  explicit IpcpOptions(const IpcpConfig& config) : config_(config) {}
  void reset_request() override;
  void build_request(Bytes& options) override;
  OptionVerdict check_option(std::uint8_t type, ByteView value, Bytes& nak_value) override;
  void peer_request_acked(ByteView options) override;
  void request_acked(ByteView options) override;
  void nak_received(std::uint8_t type, ByteView value) override;
  void reject_received(std::uint8_t type, ByteView value) override;
  std::string option_name(std::uint8_t type) const override;

  const IpcpResult& result() const { return result_; }

 private:
  const IpcpConfig& config_;
  std::uint32_t address_ = 0;
  bool send_address_ = true;
  std::array<std::uint32_t, 2> dns_{}, nbns_{};
  std::array<bool, 2> ask_dns_{}, ask_nbns_{};
  IpcpResult result_;
};

}  // namespace pptpx::ppp
