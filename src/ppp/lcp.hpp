// LCP configuration options (RFC 1661 §6, RFC 1570) as an OptionsHandler for the shared
// automaton. Echo, Protocol-Reject and Discard are handled by the Link (they need its timers and
// the other protocols).
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "ppp/auth_random.hpp"
#include "ppp/fsm.hpp"
#include "ppp/policy.hpp"

namespace pptpx::ppp {

namespace lcp_option {
constexpr std::uint8_t kMru = 1;               // RFC 1661 §6.1
constexpr std::uint8_t kAccm = 2;              // RFC 1662 §7.1
constexpr std::uint8_t kAuthProtocol = 3;      // RFC 1661 §6.2
constexpr std::uint8_t kQualityProtocol = 4;   // RFC 1661 §6.3
constexpr std::uint8_t kMagicNumber = 5;       // RFC 1661 §6.4
constexpr std::uint8_t kPfc = 7;               // RFC 1661 §6.5
constexpr std::uint8_t kAcfc = 8;              // RFC 1661 §6.6
}  // namespace lcp_option

constexpr std::uint16_t kDefaultMru = 1500;  // RFC 1661 §6.1
constexpr std::uint16_t kMinimumMru = 128;   // smaller peers' MRUs are Nak'd up to this

// CHAP algorithm octet (RFC 1994 §3; RFC 2433 0x80; RFC 2759 0x81).
constexpr std::uint8_t kChapMd5Algorithm = 5;
constexpr std::uint8_t kMsChapV1Algorithm = 0x80;
constexpr std::uint8_t kMsChapV2Algorithm = 0x81;

// Authentication-Protocol option value <-> method (nullopt for anything else, e.g. EAP).
std::optional<AuthMethod> parse_auth_option(ByteView value);
void append_auth_option(Bytes& options, AuthMethod m);

struct LcpConfig {
  std::uint16_t mru = 1400;      // what we ask the peer to send at most (1500 is not sent)
  bool request_pfc = true;       // we can receive compressed protocol fields
  bool request_acfc = true;      // we can receive frames without FF 03
  bool accept_pfc = true;        // we agree to send them compressed if the peer asks
  bool accept_acfc = true;
  Duration echo_interval = std::chrono::seconds(30);  // 0: no keepalive
  int echo_max_failures = 4;     // unanswered Echo-Requests before the link is declared dead
};

// What LCP agreed on, valid once it is Opened.
struct LcpResult {
  std::uint16_t peer_mru = kDefaultMru;     // largest frame we may send
  std::uint16_t local_mru = kDefaultMru;    // largest frame the peer may send us
  std::uint32_t local_magic = 0;            // 0: Magic-Number not negotiated
  std::uint32_t peer_magic = 0;
  bool send_pfc = false, send_acfc = false; // we may compress what we send
  bool recv_pfc = false, recv_acfc = false; // the peer may compress what it sends
  std::optional<AuthMethod> we_authenticate;  // the peer proves itself to us with this
  std::optional<AuthMethod> peer_authenticates;  // we prove ourselves to the peer with this
};

class LcpOptions final : public OptionsHandler {
 public:
  LcpOptions(const LcpConfig& config, const Policy& policy, bool authenticator, RandomSource& random,
             int max_failure = 5);

  void reset_request() override;
  void build_request(Bytes& options) override;
  OptionVerdict check_option(std::uint8_t type, ByteView value, Bytes& nak_value) override;
  void peer_request_acked(ByteView options) override;
  void request_acked(ByteView options) override;
  void nak_received(std::uint8_t type, ByteView value) override;
  void reject_received(std::uint8_t type, ByteView value) override;
  std::string option_name(std::uint8_t type) const override;

  const LcpResult& result() const { return result_; }
  // Magic-Number loopback detections so far (RFC 1661 §6.4).
  int loopbacks() const { return loopbacks_; }

 private:
  std::uint32_t random_magic();
  std::optional<AuthMethod> next_untried_method() const;

  const LcpConfig& config_;
  const Policy& policy_;
  bool authenticator_;
  RandomSource& random_;
  int max_failure_;

  // Our wishes for the next request.
  bool send_mru_ = true;
  std::uint16_t mru_ = kDefaultMru;
  bool send_magic_ = true;
  std::uint32_t magic_ = 0;
  bool send_pfc_ = true, send_acfc_ = true;
  std::optional<AuthMethod> auth_;       // authenticator: the method currently offered
  std::vector<AuthMethod> auth_refused_;  // authenticator: methods the peer Nak'd
  int loopbacks_ = 0;
  LcpResult result_;
};

}  // namespace pptpx::ppp
