#include "pptp/result_codes.hpp"

#include <array>
#include <string_view>

namespace pptpx::pptp {
namespace {

// names[v - first] when in range, else "unknown (v)".
template <std::size_t N>
std::string name_of(const std::array<std::string_view, N>& names, std::uint8_t first,
                    std::uint8_t v) {
  if (v >= first && static_cast<std::size_t>(v - first) < N) return std::string(names[v - first]);
  return "unknown (" + std::to_string(v) + ")";
}

}  // namespace

std::string start_result_to_string(std::uint8_t v) {
  static constexpr std::array<std::string_view, 5> names{
      "success", "general error", "command channel already exists",
      "requester not authorized", "protocol version not supported"};
  return name_of(names, 1, v);
}
std::string stop_reason_to_string(std::uint8_t v) {
  static constexpr std::array<std::string_view, 3> names{
      "none (general request)", "stop-protocol (version not supported)", "local shutdown"};
  return name_of(names, 1, v);
}
std::string stop_result_to_string(std::uint8_t v) {
  static constexpr std::array<std::string_view, 2> names{"ok", "general error"};
  return name_of(names, 1, v);
}
std::string echo_result_to_string(std::uint8_t v) {
  static constexpr std::array<std::string_view, 2> names{"ok", "general error"};
  return name_of(names, 1, v);
}
std::string outgoing_result_to_string(std::uint8_t v) {
  static constexpr std::array<std::string_view, 7> names{
      "connected", "general error", "no carrier", "busy", "no dial tone", "time-out",
      "do not accept"};
  return name_of(names, 1, v);
}
std::string incoming_result_to_string(std::uint8_t v) {
  static constexpr std::array<std::string_view, 3> names{"accept", "general error",
                                                         "do not accept"};
  return name_of(names, 1, v);
}
std::string disconnect_result_to_string(std::uint8_t v) {
  static constexpr std::array<std::string_view, 4> names{
      "lost carrier", "general error", "admin shutdown", "call-clear-request received"};
  return name_of(names, 1, v);
}
std::string general_error_to_string(std::uint8_t v) {
  static constexpr std::array<std::string_view, 7> names{
      "none", "not connected", "bad format", "bad value", "no resource", "bad call id",
      "PAC error"};
  return name_of(names, 0, v);
}

std::string describe_result(std::string result_text, std::uint8_t result, std::uint8_t error) {
  if (result == 2 || error != 0) result_text += ", error " + general_error_to_string(error);
  return result_text;
}

}  // namespace pptpx::pptp
