#include "ppp/mschap_failure.hpp"

#include <charconv>

#include "ppp/auth_machine_base.hpp"
#include "util/hex.hpp"

namespace pptpx::ppp {

namespace {
std::optional<std::uint32_t> parse_decimal(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::uint32_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}
}  // namespace

MsChapFailure parse_mschap_failure(std::string_view text) {
  MsChapFailure f;
  std::size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && text[pos] == ' ') ++pos;
    if (pos >= text.size()) break;
    // M= runs to the end of the message (RFC 2759 §6: it is human-readable text).
    if (text.substr(pos, 2) == "M=") {
      f.message = std::string(text.substr(pos + 2));
      break;
    }
    std::size_t end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view token = text.substr(pos, end - pos);
    pos = end;
    if (token.size() < 2 || token[1] != '=') continue;  // unrecognised text: ignored
    const std::string_view val = token.substr(2);
    switch (token[0]) {
      case 'E': f.error = parse_decimal(val); break;
      case 'R':
        if (val == "0") f.retry_allowed = false;
        if (val == "1") f.retry_allowed = true;
        break;
      case 'C':
        if (auto b = from_hex(val); b && !b->empty()) f.challenge = std::move(*b);
        break;
      case 'V': f.version = parse_decimal(val); break;
      default: break;
    }
  }
  return f;
}

std::string_view mschap_error_name(std::uint32_t code) {
  switch (code) {
    case kMsChapErrorRestrictedLogonHours: return "restricted logon hours";
    case kMsChapErrorAccountDisabled: return "account disabled";
    case kMsChapErrorPasswordExpired: return "password expired";
    case kMsChapErrorNoDialinPermission: return "no dial-in permission";
    case kMsChapErrorAuthenticationFailure: return "authentication failure";
    case kMsChapErrorChangingPassword: return "error changing password";
    default: return "unknown error";
  }
}

std::string describe_mschap_failure(std::string_view text) {
  if (text.empty()) return std::string(kEmptyFailureExplanation);
  const MsChapFailure f = parse_mschap_failure(text);
  if (!f.error) return "failure without an error code: \"" + printable(text) + "\"";
  std::string out = "E=" + std::to_string(*f.error) + " " + std::string(mschap_error_name(*f.error));
  if (f.retry_allowed) out += *f.retry_allowed ? " (retry allowed)" : " (retry not allowed)";
  if (!f.message.empty()) out += ": " + printable(f.message);
  return out;
}

std::string format_mschap_failure(std::uint32_t error, bool retry_allowed, ByteView challenge,
                                  std::optional<std::uint32_t> version, std::string_view message) {
  std::string out = "E=" + std::to_string(error) + (retry_allowed ? " R=1" : " R=0");
  if (!challenge.empty()) out += " C=" + to_hex(challenge, true);
  if (version) out += " V=" + std::to_string(*version);
  if (!message.empty()) {
    out += " M=";
    out += message;
  }
  return out;
}

}  // namespace pptpx::ppp
