// Result, error and reason codes carried by PPTP control messages, with readable names for logs.
// Values from RFC 2637 §2.2 (start), §2.3/§2.4 (stop), §2.6 (echo), §2.8 (outgoing call),
// §2.10 (incoming call), §2.13 (disconnect) and §2.16 (general errors). The to_string functions
// take the raw octet so an unknown value from the wire still prints ("unknown (9)").
#pragma once
#include <cstdint>
#include <string>

namespace pptpx::pptp {

enum class StartResult : std::uint8_t {  // §2.2
  Success = 1,
  GeneralError = 2,
  AlreadyExists = 3,
  NotAuthorized = 4,
  UnsupportedVersion = 5,
};
enum class StopReason : std::uint8_t {  // §2.3
  None = 1,
  StopProtocol = 2,
  LocalShutdown = 3,
};
enum class StopResult : std::uint8_t { Ok = 1, GeneralError = 2 };  // §2.4
enum class EchoResult : std::uint8_t { Ok = 1, GeneralError = 2 };  // §2.6
enum class OutgoingResult : std::uint8_t {                         // §2.8
  Connected = 1,
  GeneralError = 2,
  NoCarrier = 3,
  Busy = 4,
  NoDialTone = 5,
  Timeout = 6,
  DoNotAccept = 7,
};
enum class IncomingResult : std::uint8_t { Accept = 1, GeneralError = 2, DoNotAccept = 3 };  // §2.10
enum class DisconnectResult : std::uint8_t {  // §2.13
  LostCarrier = 1,
  GeneralError = 2,
  AdminShutdown = 3,
  Request = 4,
};
enum class GeneralError : std::uint8_t {  // §2.16
  None = 0,
  NotConnected = 1,
  BadFormat = 2,
  BadValue = 3,
  NoResource = 4,
  BadCallId = 5,
  PacError = 6,
};

std::string start_result_to_string(std::uint8_t v);
std::string stop_reason_to_string(std::uint8_t v);
std::string stop_result_to_string(std::uint8_t v);
std::string echo_result_to_string(std::uint8_t v);
std::string outgoing_result_to_string(std::uint8_t v);
std::string incoming_result_to_string(std::uint8_t v);
std::string disconnect_result_to_string(std::uint8_t v);
std::string general_error_to_string(std::uint8_t v);

// "<result>" or "<result>, error <general error>" when result is a general error (value 2).
std::string describe_result(std::string result_text, std::uint8_t result, std::uint8_t error);

template <typename E>
constexpr std::uint8_t code(E e) {
  return static_cast<std::uint8_t>(e);
}

}  // namespace pptpx::pptp
