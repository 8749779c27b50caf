// Small text helpers shared by the importers (pptpd, accel-ppp): TOML string literals, pppd
// chap-secrets words, integers.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace pptpx::migrate {

// A TOML basic string: "..." with '"' and '\' escaped.
std::string toml_string(std::string_view s);
// A chap-secrets word, quoted only when it needs it, so ordinary names stay readable.
std::string secrets_word(const std::string& w);
// A decimal integer spanning the whole text.
std::optional<long> parse_int(std::string_view s);

// Imported settings, "table.key" -> (TOML value, where it came from).
using ImportedValues = std::map<std::string, std::pair<std::string, std::string>>;
// The settings as TOML: one [table] header per table, each key after a "# from ORIGIN" comment.
std::string toml_tables(const ImportedValues& values);

}  // namespace pptpx::migrate
