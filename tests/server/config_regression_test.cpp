// Inputs found by fuzz/fuzz_config that once misbehaved (docs/robustness.md).
#include <gtest/gtest.h>

#include "server/config.hpp"

namespace pptpx::server {
namespace {

// A float too large for int64 in [mppe] strengths: toml++'s value<int64_t>() cast it before its
// range check (undefined behaviour: the Sanitize build aborted). It must be one plain error.
TEST(ConfigRegression, HugeFloatStrengthIsAnErrorNotUndefinedBehaviour) {
  constexpr const char* text =
      "[ipv4]\n"
      "server_address = \"198.51.100.1\"\n"
      "pool = \"198.51.100.10-198.51.100.20\"\n"
      "[mppe]\n"
      "strengths = [40, 3333333333333333333333333333e128, 1e300, -1e300, 128.0]\n";
  auto r = parse_config(text, "huge.toml");
  EXPECT_FALSE(r.config.has_value());
  // Four non-integer entries, four errors, each on line 5 and naming the key.
  ASSERT_EQ(r.errors.size(), 4u);
  for (const auto& e : r.errors) {
    EXPECT_EQ(e.line, 5u);
    EXPECT_NE(e.message.find("strengths"), std::string::npos) << e.message;
  }
}

}  // namespace
}  // namespace pptpx::server
