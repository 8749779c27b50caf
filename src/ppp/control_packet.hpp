// Codec for the packets of the RFC 1661 family of control protocols (LCP, IPCP, IPV6CP, CCP):
// Code, Identifier, Length, Data (RFC 1661 §5), and the Type-Length-Value options of the
// Configure-* packets (RFC 1661 §6).
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "util/bytes.hpp"

namespace pptpx::ppp {

namespace code {
constexpr std::uint8_t kConfigureRequest = 1;  // RFC 1661 §5.1
constexpr std::uint8_t kConfigureAck = 2;      // RFC 1661 §5.2
constexpr std::uint8_t kConfigureNak = 3;      // RFC 1661 §5.3
constexpr std::uint8_t kConfigureReject = 4;   // RFC 1661 §5.4
constexpr std::uint8_t kTerminateRequest = 5;  // RFC 1661 §5.5
constexpr std::uint8_t kTerminateAck = 6;      // RFC 1661 §5.5
constexpr std::uint8_t kCodeReject = 7;        // RFC 1661 §5.6
constexpr std::uint8_t kProtocolReject = 8;    // RFC 1661 §5.7 (LCP only)
constexpr std::uint8_t kEchoRequest = 9;       // RFC 1661 §5.8 (LCP only)
constexpr std::uint8_t kEchoReply = 10;        // RFC 1661 §5.8 (LCP only)
constexpr std::uint8_t kDiscardRequest = 11;   // RFC 1661 §5.9 (LCP only)
constexpr std::uint8_t kIdentification = 12;   // RFC 1570 §1.1 (LCP only)
constexpr std::uint8_t kTimeRemaining = 13;    // RFC 1570 §1.2 (LCP only)
constexpr std::uint8_t kResetRequest = 14;     // RFC 1962 §2 (CCP only)
constexpr std::uint8_t kResetAck = 15;         // RFC 1962 §2 (CCP only)
}  // namespace code

std::string_view code_name(std::uint8_t c);

constexpr std::size_t kControlHeaderSize = 4;

struct ControlPacket {
  std::uint8_t code = 0;
  std::uint8_t identifier = 0;
  ByteView data;  // bytes after the 4-byte header, up to Length (padding beyond it dropped)
};

// RFC 1661 §5: nullopt for a packet shorter than its header or whose Length is below 4 or beyond
// the received bytes (such packets are silently discarded). Octets beyond Length are padding.
std::optional<ControlPacket> parse_control_packet(ByteView information) noexcept;

// Appends code/id/length/data to `out` (cleared first).
void build_control_packet(Bytes& out, std::uint8_t code, std::uint8_t identifier, ByteView data);

struct RawOption {
  std::uint8_t type = 0;
  ByteView value;  // after the Type and Length octets
};

// RFC 1661 §6: every option has Length >= 2 and ends inside the packet. A request with a
// malformed option list is discarded as a whole.
bool options_well_formed(ByteView options) noexcept;

// Calls f(RawOption) for every option; stops at the first malformed one.
template <class F>
void for_each_option(ByteView options, F&& f) {
  std::size_t off = 0;
  while (off + 2 <= options.size()) {
    std::size_t len = options[off + 1];
    // Catches an option whose Length is shorter than its own header or runs past the packet.
    if (len < 2 || off + len > options.size()) return;
    f(RawOption{options[off], options.subspan(off + 2, len - 2)});
    off += len;
  }
}

void append_option(Bytes& out, std::uint8_t type, ByteView value);
void append_option_u16(Bytes& out, std::uint8_t type, std::uint16_t value);
void append_option_u32(Bytes& out, std::uint8_t type, std::uint32_t value);

}  // namespace pptpx::ppp
