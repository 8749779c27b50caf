// [limits] gre_max_jump: the GRE receive window's jump bound (pptp/gre_window.hpp) from the
// configuration file into the session template; 4096 by default, 0 switches the bound off.
#include <gtest/gtest.h>

#include "server/server_policy.hpp"

namespace pptpx::server {
namespace {

const std::string kBase = "[ipv4]\nserver_address = \"198.51.100.1\"\npool = \"198.51.100.10-198.51.100.20\"\n";

TEST(ConfigGreBound, DefaultIs4096) {
  auto r = parse_config(kBase, "t.toml");
  ASSERT_TRUE(r.config);
  EXPECT_EQ(r.config->limits.gre_max_jump, 4096u);
  EXPECT_EQ(make_session_config(*r.config).gre.max_jump, 4096u);
}

TEST(ConfigGreBound, SetAndZero) {
  auto r = parse_config(kBase + "[limits]\ngre_max_jump = 20000\n", "t.toml");
  ASSERT_TRUE(r.config);
  EXPECT_EQ(make_session_config(*r.config).gre.max_jump, 20000u);
  r = parse_config(kBase + "[limits]\ngre_max_jump = 0\n", "t.toml");
  ASSERT_TRUE(r.config);
  EXPECT_EQ(make_session_config(*r.config).gre.max_jump, 0u);
}

TEST(ConfigGreBound, OutOfRangeIsAnErrorNamingTheKey) {
  for (const char* v : {"-1", "2147483648"}) {
    auto r = parse_config(kBase + "[limits]\ngre_max_jump = " + v + "\n", "t.toml");
    ASSERT_FALSE(r.errors.empty()) << v;
    EXPECT_NE(r.errors.front().to_string().find("gre_max_jump"), std::string::npos) << r.errors.front().to_string();
  }
}

}  // namespace
}  // namespace pptpx::server
