// [tun] mss_clamp and offload (issue 7): documented defaults (both on), both readable, and a
// wrong type is an error naming the key.
#include <gtest/gtest.h>

#include "server/config.hpp"

namespace pptpx::server {
namespace {

constexpr const char* kIpv4 = R"(
[ipv4]
server_address = "198.51.100.1"
pool = "198.51.100.10-198.51.100.20"
)";

TEST(ConfigTunOffload, OnByDefault) {
  auto r = parse_config(kIpv4, "min.toml");
  ASSERT_TRUE(r.errors.empty()) << r.errors.front().to_string();
  EXPECT_TRUE(r.config->tun.mss_clamp);
  EXPECT_TRUE(r.config->tun.offload);
}

TEST(ConfigTunOffload, BothCanBeTurnedOff) {
  const std::string text = std::string("[tun]\nmss_clamp = false\noffload = false\n") + kIpv4;
  auto r = parse_config(text, "off.toml");
  ASSERT_TRUE(r.errors.empty()) << r.errors.front().to_string();
  EXPECT_FALSE(r.config->tun.mss_clamp);
  EXPECT_FALSE(r.config->tun.offload);
}

TEST(ConfigTunOffload, WrongTypeIsAnError) {
  const std::string text = std::string("[tun]\noffload = \"yes\"\n") + kIpv4;
  auto r = parse_config(text, "bad.toml");
  ASSERT_FALSE(r.errors.empty());
  EXPECT_NE(r.errors.front().to_string().find("offload"), std::string::npos) << r.errors.front().to_string();
}

}  // namespace
}  // namespace pptpx::server
