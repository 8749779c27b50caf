// The RADIUS attributes pptpx sends or reads: RFC 2865 (authentication), RFC 2866
// (accounting), RFC 2869 (extensions), RFC 3162 (IPv6), RFC 3579 (Message-Authenticator),
// RFC 5176 (Disconnect/CoA), and Microsoft's vendor-specific attributes (RFC 2548, vendor 311).
// Numbers only: FreeRADIUS's dictionary names do not always match the RFC (e.g. the
// MS-MPPE-Encryption-Types values), so we decode the numbers the RFCs give.
#pragma once
#include <cstdint>
#include <string_view>

namespace pptpx::radius {

// RFC 2865 §3, RFC 2866 §3, RFC 5176 §2.3.
enum class Code : std::uint8_t {
  AccessRequest = 1,
  AccessAccept = 2,
  AccessReject = 3,
  AccountingRequest = 4,
  AccountingResponse = 5,
  AccessChallenge = 11,
  DisconnectRequest = 40,
  DisconnectAck = 41,
  DisconnectNak = 42,
  CoaRequest = 43,
  CoaAck = 44,
  CoaNak = 45,
};
std::string_view to_string(Code c);
bool is_known_code(std::uint8_t c);

namespace attr {
// RFC 2865 §5
inline constexpr std::uint8_t UserName = 1;
inline constexpr std::uint8_t UserPassword = 2;
inline constexpr std::uint8_t ChapPassword = 3;
inline constexpr std::uint8_t NasIpAddress = 4;
inline constexpr std::uint8_t NasPort = 5;
inline constexpr std::uint8_t ServiceType = 6;
inline constexpr std::uint8_t FramedProtocol = 7;
inline constexpr std::uint8_t FramedIpAddress = 8;
inline constexpr std::uint8_t FramedIpNetmask = 9;
inline constexpr std::uint8_t FramedMtu = 12;
inline constexpr std::uint8_t ReplyMessage = 18;
inline constexpr std::uint8_t FramedRoute = 22;
inline constexpr std::uint8_t State = 24;
inline constexpr std::uint8_t Class = 25;
inline constexpr std::uint8_t VendorSpecific = 26;
inline constexpr std::uint8_t SessionTimeout = 27;
inline constexpr std::uint8_t IdleTimeout = 28;
inline constexpr std::uint8_t CalledStationId = 30;
inline constexpr std::uint8_t CallingStationId = 31;
inline constexpr std::uint8_t NasIdentifier = 32;
inline constexpr std::uint8_t ProxyState = 33;
// RFC 2866 §5
inline constexpr std::uint8_t AcctStatusType = 40;
inline constexpr std::uint8_t AcctDelayTime = 41;
inline constexpr std::uint8_t AcctInputOctets = 42;
inline constexpr std::uint8_t AcctOutputOctets = 43;
inline constexpr std::uint8_t AcctSessionId = 44;
inline constexpr std::uint8_t AcctAuthentic = 45;
inline constexpr std::uint8_t AcctSessionTime = 46;
inline constexpr std::uint8_t AcctInputPackets = 47;
inline constexpr std::uint8_t AcctOutputPackets = 48;
inline constexpr std::uint8_t AcctTerminateCause = 49;
// RFC 2869 §5
inline constexpr std::uint8_t AcctInputGigawords = 52;
inline constexpr std::uint8_t AcctOutputGigawords = 53;
inline constexpr std::uint8_t EventTimestamp = 55;
inline constexpr std::uint8_t ChapChallenge = 60;  // RFC 2865 §5.40
inline constexpr std::uint8_t NasPortType = 61;    // RFC 2865 §5.41
inline constexpr std::uint8_t MessageAuthenticator = 80;  // RFC 3579 §3.2
inline constexpr std::uint8_t AcctInterimInterval = 85;   // RFC 2869 §5.16
inline constexpr std::uint8_t NasPortId = 87;
// RFC 3162 §2
inline constexpr std::uint8_t FramedInterfaceId = 96;
inline constexpr std::uint8_t FramedIpv6Prefix = 97;
// RFC 5176 §3.5
inline constexpr std::uint8_t ErrorCause = 101;
}  // namespace attr

// RFC 2548: Microsoft vendor-specific attributes, Vendor-Id 311.
inline constexpr std::uint32_t kVendorMicrosoft = 311;
namespace ms {
inline constexpr std::uint8_t ChapResponse = 1;        // §2.3.2
inline constexpr std::uint8_t ChapError = 2;           // §2.1.5
inline constexpr std::uint8_t MppeEncryptionPolicy = 7;  // §2.4.4
inline constexpr std::uint8_t MppeEncryptionTypes = 8;   // §2.4.5
inline constexpr std::uint8_t ChapChallenge = 11;      // §2.3.1
inline constexpr std::uint8_t ChapMppeKeys = 12;       // §2.4.1 (MS-CHAPv1 keys)
inline constexpr std::uint8_t MppeSendKey = 16;        // §2.4.2
inline constexpr std::uint8_t MppeRecvKey = 17;        // §2.4.3
inline constexpr std::uint8_t Chap2Response = 25;      // RFC 2548 §2.3.2 (MS-CHAP2-Response)
inline constexpr std::uint8_t Chap2Success = 26;       // §2.3.3
inline constexpr std::uint8_t PrimaryDnsServer = 28;   // §2.7.5
inline constexpr std::uint8_t SecondaryDnsServer = 29; // §2.7.6
}  // namespace ms

// RFC 2548 §2.4.5 MS-MPPE-Encryption-Types bits (RFC 3078 §2 option bits).
inline constexpr std::uint32_t kMppeTypes40 = 0x2;
inline constexpr std::uint32_t kMppeTypes128 = 0x4;
inline constexpr std::uint32_t kMppeTypes56 = 0x8;

// RFC 2865 §5.6 / §5.7 / §5.41 values.
inline constexpr std::uint32_t kServiceTypeFramed = 2;
inline constexpr std::uint32_t kFramedProtocolPpp = 1;
inline constexpr std::uint32_t kNasPortTypeVirtual = 5;

// RFC 2866 §5.1 Acct-Status-Type.
enum class AcctStatus : std::uint32_t { Start = 1, Stop = 2, InterimUpdate = 3, AccountingOn = 7, AccountingOff = 8 };

// RFC 2866 §5.10 Acct-Terminate-Cause.
enum class TerminateCause : std::uint32_t {
  UserRequest = 1,
  LostCarrier = 2,
  LostService = 3,
  IdleTimeout = 4,
  SessionTimeout = 5,
  AdminReset = 6,
  AdminReboot = 7,
  PortError = 8,
  NasError = 9,
  NasRequest = 10,
  NasReboot = 11,
  PortUnneeded = 12,
  PortPreempted = 13,
  PortSuspended = 14,
  ServiceUnavailable = 15,
  Callback = 16,
  UserError = 17,
  HostRequest = 18,
};

}  // namespace pptpx::radius
