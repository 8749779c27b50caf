// [limits] no_call_seconds (issue 19 item 3): how long a control connection may hold no call
// before the server closes it (server/connection_deadlines.hpp); 30 by default, 0 switches it off.
#include <gtest/gtest.h>

#include "server/config.hpp"

namespace pptpx::server {
namespace {

const std::string kBase = "[ipv4]\nserver_address = \"198.51.100.1\"\npool = \"198.51.100.10-198.51.100.20\"\n";

TEST(ConfigNoCall, DefaultIs30Seconds) {
  auto r = parse_config(kBase, "t.toml");
  ASSERT_TRUE(r.config);
  EXPECT_EQ(r.config->limits.no_call, std::chrono::seconds(30));
}

TEST(ConfigNoCall, SetAndZero) {
  auto r = parse_config(kBase + "[limits]\nno_call_seconds = 120\n", "t.toml");
  ASSERT_TRUE(r.config);
  EXPECT_EQ(r.config->limits.no_call, std::chrono::seconds(120));
  r = parse_config(kBase + "[limits]\nno_call_seconds = 0\n", "t.toml");
  ASSERT_TRUE(r.config);
  EXPECT_EQ(r.config->limits.no_call, Duration::zero());
}

TEST(ConfigNoCall, OutOfRangeIsAnErrorNamingTheKey) {
  for (const char* v : {"-1", "86401", "\"30\""}) {
    auto r = parse_config(kBase + "[limits]\nno_call_seconds = " + v + "\n", "t.toml");
    ASSERT_FALSE(r.errors.empty()) << v;
    EXPECT_NE(r.errors.front().to_string().find("no_call_seconds"), std::string::npos) << r.errors.front().to_string();
  }
}

}  // namespace
}  // namespace pptpx::server
