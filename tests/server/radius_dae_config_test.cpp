// [radius.dae] in server.toml (RFC 5176 Dynamic Authorization): what it accepts, the one-sentence
// mistakes, the secret_file problem --check-config reports, and the security lines.
#include <gtest/gtest.h>

#include <algorithm>

#include "server/radius_checks.hpp"

namespace pptpx::server {
namespace {

const std::string kBase = "[ipv4]\nserver_address = \"198.51.100.1\"\npool = \"198.51.100.10-198.51.100.20\"\n";

bool has_error(const ConfigResult& r, std::string_view text) {
  return std::any_of(r.errors.begin(), r.errors.end(),
                     [&](const ConfigError& e) { return e.message.find(text) != std::string::npos; });
}

bool mentions(const std::vector<std::string>& lines, std::string_view text) {
  return std::any_of(lines.begin(), lines.end(), [&](const std::string& s) { return s.find(text) != std::string::npos; });
}

TEST(RadiusDaeConfig, ListenClientsAndWindow) {
  auto r = parse_config(kBase + R"(
[radius.dae]
listen = "192.0.2.1:3799"
event_timestamp_window_seconds = 60
require_event_timestamp = true
[[radius.dae.clients]]
address = "192.0.2.10"
secret = "0123456789abcdef0123"
require_message_authenticator = true
[[radius.dae.clients]]
address = "192.0.2.11"
secret_file = "/etc/pptpx/dae-secret"
)",
                        "t.toml");
  ASSERT_TRUE(r.config) << (r.errors.empty() ? "" : r.errors[0].message);
  const DaeServerConfig& d = r.config->radius.dae;
  EXPECT_EQ(d.address, "192.0.2.1");
  EXPECT_EQ(d.port, 3799);
  EXPECT_EQ(d.event_timestamp_window, 60u);
  EXPECT_TRUE(d.require_event_timestamp);
  ASSERT_EQ(d.clients.size(), 2u);
  EXPECT_EQ(d.clients[0].address, "192.0.2.10");
  EXPECT_TRUE(d.clients[0].require_message_authenticator);
  EXPECT_EQ(d.clients[1].secret_file, "/etc/pptpx/dae-secret");
  // --check-config reads the secret_file: this one does not exist.
  const auto problems = radius_file_problems(*r.config);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("DAE client 192.0.2.11"), std::string::npos);
}

TEST(RadiusDaeConfig, AbsentMeansOffAndDefaults) {
  auto r = parse_config(kBase, "t.toml");
  ASSERT_TRUE(r.config);
  EXPECT_TRUE(r.config->radius.dae.listen.empty());
  EXPECT_EQ(r.config->radius.dae.event_timestamp_window, 300u);  // RFC 5176 §5.4 (RFC 3576 §5.4)
  EXPECT_FALSE(r.config->radius.dae.require_event_timestamp);
}

TEST(RadiusDaeConfig, MistakesAreOneSentenceEach) {
  const std::string client = "[[radius.dae.clients]]\naddress = \"192.0.2.10\"\nsecret = \"s\"\n";
  EXPECT_TRUE(has_error(parse_config(kBase + "[radius.dae]\n" + client, "t.toml"), "needs listen"));
  EXPECT_TRUE(has_error(parse_config(kBase + "[radius.dae]\nlisten = \"3799\"\n" + client, "t.toml"),
                        "is not IPV4ADDRESS:PORT"));
  EXPECT_TRUE(has_error(parse_config(kBase + "[radius.dae]\nlisten = \"[::1]:3799\"\n" + client, "t.toml"),
                        "is not IPV4ADDRESS:PORT"));
  EXPECT_TRUE(has_error(parse_config(kBase + "[radius.dae]\nlisten = \"127.0.0.1:3799\"\n", "t.toml"),
                        "needs at least one client"));
  EXPECT_TRUE(has_error(parse_config(kBase + "[radius.dae]\nlisten = \"127.0.0.1:3799\"\n"
                                             "[[radius.dae.clients]]\naddress = \"nas\"\nsecret = \"s\"\n", "t.toml"),
                        "is not an IPv4 address"));
  EXPECT_TRUE(has_error(parse_config(kBase + "[radius.dae]\nlisten = \"127.0.0.1:3799\"\n"
                                             "[[radius.dae.clients]]\naddress = \"192.0.2.10\"\n", "t.toml"),
                        "give exactly one of secret"));
  EXPECT_TRUE(has_error(parse_config(kBase + "[radius.dae]\nlisten = \"127.0.0.1:3799\"\nwindow = 3\n" + client,
                                     "t.toml"),
                        "unknown key 'window'"));
  EXPECT_TRUE(has_error(parse_config(kBase + "[radius.dae]\nlisten = \"127.0.0.1:3799\"\n"
                                             "event_timestamp_window_seconds = 0\n" + client, "t.toml"),
                        "out of range"));
  EXPECT_TRUE(has_error(parse_config(kBase + "[radius]\ndae = 1\n", "t.toml"), "[radius] dae must be a table"));
}

TEST(RadiusDaeConfig, SecurityLines) {
  auto r = parse_config(kBase + R"(
[radius.dae]
listen = "127.0.0.1:3799"
[[radius.dae.clients]]
address = "127.0.0.1"
secret = "short"
)",
                        "t.toml");
  ASSERT_TRUE(r.config);
  const auto w = radius_security_warnings(*r.config);
  EXPECT_TRUE(mentions(w, "radius.dae client 127.0.0.1: the shared secret has 5 characters"));
  EXPECT_TRUE(mentions(w, "requests without Event-Timestamp are accepted"));
}

}  // namespace
}  // namespace pptpx::server
