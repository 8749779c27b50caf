// Small text helpers shared by the importers (pptpd, accel-ppp): TOML string literals, pppd
// chap-secrets words, integers.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace pptpx::migrate {

// A TOML basic string: "..." with '"' and '\' escaped.
std::string toml_string(std::string_view s);
// A chap-secrets word, quoted only when it needs it, so ordinary names stay readable.
std::string secrets_word(const std::string& w);
// A decimal integer spanning the whole text.
std::optional<long> parse_int(std::string_view s);

}  // namespace pptpx::migrate
