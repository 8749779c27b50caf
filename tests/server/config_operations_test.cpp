// [control], [metrics], [accounting], and what `pptpx ctl reload` sees as changed.
#include <gtest/gtest.h>

#include "server/config.hpp"
#include "server/config_diff.hpp"

namespace pptpx::server {
namespace {

constexpr const char* kBase = R"(
[ipv4]
server_address = "198.51.100.1"
pool = "198.51.100.10-198.51.100.20"
)";

TEST(ConfigOperations, DefaultsAreSocketOnlyMetricsAndAccountingOff) {
  auto r = parse_config(kBase, "t.toml");
  ASSERT_TRUE(r.config);
  EXPECT_EQ(r.config->control.socket, "/run/pptpx/control.sock");
  EXPECT_FALSE(r.config->control.socket_configured);
  EXPECT_TRUE(r.config->metrics.listen.empty());
  EXPECT_FALSE(r.config->metrics.per_user);
  EXPECT_TRUE(r.config->accounting.file.empty());
}

TEST(ConfigOperations, ReadsEveryKey) {
  auto r = parse_config(std::string(kBase) + R"(
[control]
socket = "/tmp/x.sock"
[metrics]
listen = "[::1]:9700"
allowed = ["192.0.2.0/24"]
per_user = true
[accounting]
file = "/var/log/pptpx/sessions.jsonl"
)", "t.toml");
  ASSERT_TRUE(r.config) << r.errors.front().to_string();
  EXPECT_TRUE(r.config->control.socket_configured);
  EXPECT_EQ(r.config->metrics.address, "::1");
  EXPECT_EQ(r.config->metrics.port, 9700);
  EXPECT_EQ(r.config->metrics.allowed, std::vector<std::string>{"192.0.2.0/24"});
  EXPECT_TRUE(r.config->metrics.per_user);
  EXPECT_EQ(r.config->accounting.file, "/var/log/pptpx/sessions.jsonl");
}

TEST(ConfigOperations, BadValuesAreNamedWithTheirPlace) {
  auto r = parse_config(std::string(kBase) + R"(
[control]
socket = "relative.sock"
[metrics]
listen = "localhost:9612"
allowed = ["everyone"]
[accounting]
file = "sessions.jsonl"
)", "t.toml");
  ASSERT_EQ(r.errors.size(), 4u);
  EXPECT_NE(r.errors[0].to_string().find("t.toml:7:10: [control] socket"), std::string::npos) << r.errors[0].to_string();
  EXPECT_NE(r.errors[1].message.find("[metrics] listen \"localhost:9612\" is not ADDRESS:PORT"), std::string::npos);
  EXPECT_NE(r.errors[2].message.find("[metrics] allowed \"everyone\""), std::string::npos);
  EXPECT_NE(r.errors[3].message.find("[accounting] file"), std::string::npos);
}

TEST(ConfigDiff, NamesTheChangedSettings) {
  const Config a = *parse_config(kBase, "t.toml").config;
  auto b = parse_config(std::string(kBase) + "[listen]\nport = 1724\n[log]\nlevel = \"debug\"\n", "t.toml").config;
  ASSERT_TRUE(b);
  EXPECT_TRUE(config_changes(a, a).empty());
  EXPECT_EQ(config_changes(a, *b), (std::vector<std::string>{"[listen] port", "[log] level"}));
}

TEST(ConfigDiff, RadiusSettingsNeedARestart) {
  const std::string servers = "[[radius.servers]]\naddress = \"192.0.2.10\"\nsecret = \"one-long-shared-secret\"\n";
  const Config a = *parse_config(std::string(kBase) + servers, "t.toml").config;
  auto b = parse_config(std::string(kBase) + "[radius]\ninterim_interval_seconds = 600\n" +
                            "[[radius.servers]]\naddress = \"192.0.2.10\"\nsecret = \"another-shared-secret\"\n",
                        "t.toml")
               .config;
  ASSERT_TRUE(b);
  EXPECT_EQ(config_changes(a, *b),
            (std::vector<std::string>{"[radius] servers", "[radius] interim_interval_seconds"}));
}

}  // namespace
}  // namespace pptpx::server
