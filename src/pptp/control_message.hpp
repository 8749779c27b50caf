// The fifteen PPTP control messages (RFC 2637 §2.1-§2.15) as plain structs in one std::variant.
// Field names follow the RFC's figures. Fixed-size text fields (host name, vendor, phone numbers,
// call statistics) are held as std::string without the zero padding; the codec pads on encode
// and cuts at the first NUL on decode. Reserved fields are not represented: the encoder writes
// zeros and the decoder ignores them (RFC 2637 §1.4 leaves room for extension).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace pptpx::pptp {

inline constexpr std::uint32_t kMagicCookie = 0x1A2B3C4D;     // RFC 2637 §1.4
inline constexpr std::uint16_t kPptpControlMessage = 1;       // "PPTP Message Type": 1 = control
inline constexpr std::uint16_t kPptpManagementMessage = 2;    // defined, never specified
inline constexpr std::uint16_t kProtocolVersion = 0x0100;     // version 1, revision 0
inline constexpr std::uint16_t kTcpPort = 1723;
inline constexpr std::size_t kHeaderSize = 12;                // length .. Reserved0
inline constexpr std::size_t kNameFieldSize = 64;             // host name, vendor, numbers
inline constexpr std::size_t kCallStatisticsSize = 128;       // Call-Disconnect-Notify

enum class ControlType : std::uint16_t {
  StartControlConnectionRequest = 1,
  StartControlConnectionReply = 2,
  StopControlConnectionRequest = 3,
  StopControlConnectionReply = 4,
  EchoRequest = 5,
  EchoReply = 6,
  OutgoingCallRequest = 7,
  OutgoingCallReply = 8,
  IncomingCallRequest = 9,
  IncomingCallReply = 10,
  IncomingCallConnected = 11,
  CallClearRequest = 12,
  CallDisconnectNotify = 13,
  WanErrorNotify = 14,
  SetLinkInfo = 15,
};
std::string_view to_string(ControlType t);

// Exact total length of each message type, header included; 0 for an unknown type.
std::size_t message_length(std::uint16_t control_type);
inline constexpr std::size_t kMaxMessageLength = 220;  // Incoming-Call-Request
inline constexpr std::size_t kMinMessageLength = 16;

// §2.1 Start-Control-Connection-Request (156 octets)
struct StartControlConnectionRequest {
  std::uint16_t protocol_version = kProtocolVersion;
  std::uint32_t framing_capabilities = 0;  // 1 async, 2 sync
  std::uint32_t bearer_capabilities = 0;   // 1 analog, 2 digital
  std::uint16_t maximum_channels = 0;
  std::uint16_t firmware_revision = 0;
  std::string host_name;
  std::string vendor;
  bool operator==(const StartControlConnectionRequest&) const = default;
};

// §2.2 Start-Control-Connection-Reply (156)
struct StartControlConnectionReply {
  std::uint16_t protocol_version = kProtocolVersion;
  std::uint8_t result_code = 0;  // StartResult
  std::uint8_t error_code = 0;   // GeneralError
  std::uint32_t framing_capabilities = 0;
  std::uint32_t bearer_capabilities = 0;
  std::uint16_t maximum_channels = 0;
  std::uint16_t firmware_revision = 0;
  std::string host_name;
  std::string vendor;
  bool operator==(const StartControlConnectionReply&) const = default;
};

// §2.3 Stop-Control-Connection-Request (16)
struct StopControlConnectionRequest {
  std::uint8_t reason = 0;  // StopReason
  bool operator==(const StopControlConnectionRequest&) const = default;
};

// §2.4 Stop-Control-Connection-Reply (16)
struct StopControlConnectionReply {
  std::uint8_t result_code = 0;  // StopResult
  std::uint8_t error_code = 0;
  bool operator==(const StopControlConnectionReply&) const = default;
};

// §2.5 Echo-Request (16)
struct EchoRequest {
  std::uint32_t identifier = 0;
  bool operator==(const EchoRequest&) const = default;
};

// §2.6 Echo-Reply (20)
struct EchoReply {
  std::uint32_t identifier = 0;
  std::uint8_t result_code = 0;  // EchoResult
  std::uint8_t error_code = 0;
  bool operator==(const EchoReply&) const = default;
};

// §2.7 Outgoing-Call-Request (168), PNS -> PAC
struct OutgoingCallRequest {
  std::uint16_t call_id = 0;  // assigned by the PNS
  std::uint16_t call_serial_number = 0;
  std::uint32_t minimum_bps = 0;
  std::uint32_t maximum_bps = 0;
  std::uint32_t bearer_type = 0;   // 1 analog, 2 digital, 3 any
  std::uint32_t framing_type = 0;  // 1 async, 2 sync, 3 either
  std::uint16_t packet_recv_window_size = 0;
  std::uint16_t packet_processing_delay = 0;  // 1/10 s
  std::string phone_number;  // "Phone Number Length" is derived on encode
  std::string subaddress;
  bool operator==(const OutgoingCallRequest&) const = default;
};

// §2.8 Outgoing-Call-Reply (32), PAC -> PNS
struct OutgoingCallReply {
  std::uint16_t call_id = 0;       // assigned by the PAC
  std::uint16_t peer_call_id = 0;  // the PNS's Call ID from the request
  std::uint8_t result_code = 0;    // OutgoingResult
  std::uint8_t error_code = 0;
  std::uint16_t cause_code = 0;
  std::uint32_t connect_speed = 0;
  std::uint16_t packet_recv_window_size = 0;
  std::uint16_t packet_processing_delay = 0;
  std::uint32_t physical_channel_id = 0;
  bool operator==(const OutgoingCallReply&) const = default;
};

// §2.9 Incoming-Call-Request (220), PAC -> PNS
struct IncomingCallRequest {
  std::uint16_t call_id = 0;  // assigned by the PAC
  std::uint16_t call_serial_number = 0;
  std::uint32_t call_bearer_type = 0;
  std::uint32_t physical_channel_id = 0;
  std::string dialed_number;   // lengths derived on encode
  std::string dialing_number;
  std::string subaddress;
  bool operator==(const IncomingCallRequest&) const = default;
};

// §2.10 Incoming-Call-Reply (24), PNS -> PAC
struct IncomingCallReply {
  std::uint16_t call_id = 0;       // assigned by the PNS
  std::uint16_t peer_call_id = 0;  // the PAC's Call ID from the request
  std::uint8_t result_code = 0;    // IncomingResult
  std::uint8_t error_code = 0;
  std::uint16_t packet_recv_window_size = 0;
  std::uint16_t packet_transmit_delay = 0;
  bool operator==(const IncomingCallReply&) const = default;
};

// §2.11 Incoming-Call-Connected (28), PAC -> PNS
struct IncomingCallConnected {
  std::uint16_t peer_call_id = 0;  // the PNS's Call ID from the reply
  std::uint32_t connect_speed = 0;
  std::uint16_t packet_recv_window_size = 0;
  std::uint16_t packet_transmit_delay = 0;
  std::uint32_t framing_type = 0;
  bool operator==(const IncomingCallConnected&) const = default;
};

// §2.12 Call-Clear-Request (16), PNS -> PAC; carries the PNS's own Call ID
struct CallClearRequest {
  std::uint16_t call_id = 0;
  bool operator==(const CallClearRequest&) const = default;
};

// §2.13 Call-Disconnect-Notify (148), PAC -> PNS; carries the PAC's own Call ID
struct CallDisconnectNotify {
  std::uint16_t call_id = 0;
  std::uint8_t result_code = 0;  // DisconnectResult
  std::uint8_t error_code = 0;
  std::uint16_t cause_code = 0;
  std::string call_statistics;
  bool operator==(const CallDisconnectNotify&) const = default;
};

// §2.14 WAN-Error-Notify (40), PAC -> PNS
struct WanErrorNotify {
  std::uint16_t peer_call_id = 0;  // the PNS's Call ID
  std::uint32_t crc_errors = 0;
  std::uint32_t framing_errors = 0;
  std::uint32_t hardware_overruns = 0;
  std::uint32_t buffer_overruns = 0;
  std::uint32_t timeout_errors = 0;
  std::uint32_t alignment_errors = 0;
  bool operator==(const WanErrorNotify&) const = default;
};

// §2.15 Set-Link-Info (24), PNS -> PAC (in practice sent either way)
struct SetLinkInfo {
  std::uint16_t peer_call_id = 0;  // the receiver's Call ID
  std::uint32_t send_accm = 0xFFFFFFFF;
  std::uint32_t receive_accm = 0xFFFFFFFF;
  bool operator==(const SetLinkInfo&) const = default;
};

using ControlMessage =
    std::variant<StartControlConnectionRequest, StartControlConnectionReply,
                 StopControlConnectionRequest, StopControlConnectionReply, EchoRequest, EchoReply,
                 OutgoingCallRequest, OutgoingCallReply, IncomingCallRequest, IncomingCallReply,
                 IncomingCallConnected, CallClearRequest, CallDisconnectNotify, WanErrorNotify,
                 SetLinkInfo>;

// The Control Message Type of a message (variant index + 1, by construction of the variant).
ControlType type_of(const ControlMessage& m);

}  // namespace pptpx::pptp
