// Hex formatting and parsing for logs, the demo, and tests.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "util/bytes.hpp"

namespace pptpx {

// "0a1b..." lower-case, or with `sep` between bytes ("0A 1B" style when upper=true).
std::string to_hex(ByteView data, bool upper = false, char sep = '\0');

// Accepts hex digits with optional spaces; nullopt on odd length or a non-hex character.
std::optional<Bytes> from_hex(std::string_view text);

}  // namespace pptpx
