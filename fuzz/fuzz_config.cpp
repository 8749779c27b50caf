// The server's TOML configuration (server::parse_config): any text yields either a Config or a
// list of errors, never both, never neither, never a crash or an exception.
#include <cstdint>
#include <string_view>

#include "fuzz_common.hpp"
#include "server/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = pptpx::server::parse_config(text, "fuzz.toml");
  PPTPX_FUZZ_CHECK(r.config.has_value() == r.errors.empty());
  for (const auto& e : r.errors) PPTPX_FUZZ_CHECK(!e.to_string().empty());
  return 0;
}
