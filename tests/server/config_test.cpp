#include "server/config.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "support/temp_dir.hpp"

namespace pptpx::server {
namespace {

constexpr const char* kMinimal = R"(
[ipv4]
server_address = "198.51.100.1"
pool = "198.51.100.10-198.51.100.20"
)";

TEST(Config, MinimalFileGetsDocumentedDefaults) {
  auto r = parse_config(kMinimal, "min.toml");
  ASSERT_TRUE(r.errors.empty()) << r.errors.front().to_string();
  const Config& c = *r.config;
  EXPECT_EQ(c.listen.port, 1723);  // RFC 2637 §1.4: TCP port 1723
  EXPECT_EQ(c.listen.address, "0.0.0.0");
  EXPECT_EQ(c.tun.name, "pptpx0");
  EXPECT_FALSE(c.tun.per_session);
  EXPECT_EQ(c.ipv4.server_address.value, 0xC6336401u);  // 198.51.100.1
  EXPECT_EQ(c.ipv4.pool.first.value, 0xC633640Au);
  EXPECT_EQ(c.ipv4.pool.last.value, 0xC6336414u);
  ASSERT_EQ(c.auth.methods.size(), 1u);
  EXPECT_EQ(c.auth.methods[0], AuthMethod::mschapv2);
  EXPECT_TRUE(c.mppe.required);
  EXPECT_EQ(c.mppe.strengths, std::vector<unsigned>{128});
  EXPECT_EQ(c.mppe.mode, MppeMode::stateless);
  EXPECT_FALSE(c.ipv6.enabled);
}

TEST(Config, FullFileReadsEveryKey) {
  constexpr const char* text = R"(
[listen]
address = "127.0.0.1"
port = 11723
[tun]
name = "vpn"
per_session = true
mtu = 1400
[ipv4]
server_address = "203.0.113.1"
pool = "203.0.113.0/28"
dns = ["203.0.113.53", "203.0.113.54"]
[ipv6]
enabled = true
prefix = "2001:db8:7::/64"
server_interface_id = "::1:2"
dns = ["2001:db8::53"]
[auth]
methods = ["mschapv2", "chap-md5"]
secrets_file = "/tmp/secrets"
server_name = "pptpx"
[mppe]
required = false
strengths = [128, 40]
mode = "stateful"
[limits]
max_sessions = 50
max_sessions_per_source = 5
max_handshakes_in_progress = 7
control_setup_seconds = 11
auth_seconds = 12
network_setup_seconds = 13
[limits.auth_lockout]
failures = 3
window_seconds = 60
lockout_seconds = 120
[echo]
control_interval_seconds = 61
lcp_interval_seconds = 9
lcp_failures = 2
[log]
level = "debug"
)";
  auto r = parse_config(text, "full.toml");
  ASSERT_TRUE(r.errors.empty()) << r.errors.front().to_string();
  const Config& c = *r.config;
  EXPECT_EQ(c.listen.address, "127.0.0.1");
  EXPECT_EQ(c.listen.port, 11723);
  EXPECT_EQ(c.tun.name, "vpn");
  EXPECT_TRUE(c.tun.per_session);
  // /28 = 203.0.113.0..15; network and broadcast left out.
  EXPECT_EQ(to_string(c.ipv4.pool.first), "203.0.113.1");
  EXPECT_EQ(to_string(c.ipv4.pool.last), "203.0.113.14");
  ASSERT_EQ(c.ipv4.dns.size(), 2u);
  EXPECT_EQ(to_string(c.ipv4.dns[1]), "203.0.113.54");
  EXPECT_TRUE(c.ipv6.enabled);
  EXPECT_EQ(to_string(c.ipv6.prefix.address), "2001:db8:7::");
  EXPECT_EQ(c.ipv6.prefix.length, 64);
  EXPECT_EQ(c.ipv6.server_interface_id, 0x10002u);
  EXPECT_EQ((std::vector<AuthMethod>{AuthMethod::mschapv2, AuthMethod::chap_md5}), c.auth.methods);
  EXPECT_EQ(c.auth.server_name, "pptpx");
  EXPECT_FALSE(c.mppe.required);
  EXPECT_EQ((std::vector<unsigned>{128, 40}), c.mppe.strengths);
  EXPECT_EQ(c.mppe.mode, MppeMode::stateful);
  EXPECT_EQ(c.limits.max_sessions, 50u);
  EXPECT_EQ(c.limits.auth, std::chrono::seconds{12});
  EXPECT_EQ(c.limits.auth_lockout.failures, 3u);
  EXPECT_EQ(c.limits.auth_lockout.lockout, std::chrono::seconds{120});
  EXPECT_EQ(c.echo.control_interval, std::chrono::seconds{61});
  EXPECT_EQ(c.echo.lcp_failures, 2u);
  EXPECT_EQ(c.log.level, "debug");
}

// Each bad file yields exactly one error at the expected line, whose text contains `needle`.
struct BadCase {
  const char* name;
  const char* text;
  std::uint32_t line;
  const char* needle;
};

class ConfigErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(ConfigErrors, NamesFileLineAndFix) {
  const BadCase& c = GetParam();
  auto r = parse_config(c.text, "bad.toml");
  EXPECT_FALSE(r.config.has_value());
  ASSERT_EQ(r.errors.size(), 1u) << (r.errors.empty() ? "" : r.errors[0].to_string() + " / " + r.errors.back().to_string());
  const std::string msg = r.errors[0].to_string();
  EXPECT_EQ(r.errors[0].line, c.line) << msg;
  EXPECT_NE(msg.find("bad.toml:" + std::to_string(c.line) + ":"), std::string::npos) << msg;
  EXPECT_NE(msg.find(c.needle), std::string::npos) << msg;
}

#define IPV4 "[ipv4]\nserver_address = \"198.51.100.1\"\npool = \"198.51.100.10-198.51.100.20\"\n"

INSTANTIATE_TEST_SUITE_P(
    Cases, ConfigErrors,
    ::testing::Values(
        BadCase{"syntax", "[listen\nport = 1\n", 1, "TOML syntax error"},
        BadCase{"unknown_key", IPV4 "[listen]\nprot = 1723\n", 5, "unknown key 'prot' in [listen]; remove it or use one of: address, port"},
        BadCase{"unknown_section", IPV4 "[listne]\nport = 1\n", 4, "unknown key 'listne' in the top level"},
        BadCase{"port_type", IPV4 "[listen]\nport = \"1723\"\n", 5, "port must be an integer from 1 to 65535, not a string"},
        BadCase{"port_range", IPV4 "[listen]\nport = 70000\n", 5, "out of range; use an integer from 1 to 65535"},
        BadCase{"listen_addr", IPV4 "[listen]\naddress = \"localhost\"\n", 5, "is not an IPv4 address"},
        BadCase{"listen_v6", IPV4 "[listen]\naddress = \"::\"\n", 5, "PPTP runs over IPv4"},
        BadCase{"bad_pool", "[ipv4]\nserver_address = \"198.51.100.1\"\npool = \"198.51.100.20-198.51.100.10\"\n", 3, "ends before it starts"},
        BadCase{"cidr_host_bits", "[ipv4]\nserver_address = \"198.51.100.1\"\npool = \"198.51.100.5/24\"\n", 3, "198.51.100.0/24"},
        BadCase{"bad_server", "[ipv4]\nserver_address = \"198.51.100\"\npool = \"198.51.100.0/24\"\n", 2, "not a dotted-quad"},
        BadCase{"missing_pool", "[ipv4]\nserver_address = \"198.51.100.1\"\n", 1, "has no pool"},
        BadCase{"too_many_dns", IPV4 "dns = [\"198.51.100.1\", \"198.51.100.2\", \"198.51.100.3\"]\n", 4, "RFC 1877"},
        BadCase{"auth_method", IPV4 "[auth]\nmethods = [\"mschapv2\", \"eap\"]\n", 5, "\"eap\" is not an authentication method"},
        BadCase{"auth_dup", IPV4 "[auth]\nmethods = [\"pap\", \"pap\"]\n", 5, "twice"},
        BadCase{"eap_tls_user_from", IPV4 "[eap_tls]\nuser_from = \"uid\"\n", 5, "not supported; use \"cn\""},
        BadCase{"eap_tls_key", IPV4 "[eap_tls]\nkeys = \"x\"\n", 5, "unknown key 'keys' in [eap_tls]"},
        BadCase{"mppe_strength", IPV4 "[mppe]\nstrengths = [128, 64]\n", 5, "must be 40, 56 or 128"},
        BadCase{"mppe_mode", IPV4 "[mppe]\nmode = \"sometimes\"\n", 5, "use \"stateless\" or \"stateful\""},
        BadCase{"bool_type", IPV4 "[mppe]\nrequired = \"yes\"\n", 5, "must be true or false"},
        BadCase{"tun_name", IPV4 "[tun]\nname = \"a/b\"\n", 5, "not a valid interface name"},
        BadCase{"lockout_key", IPV4 "[limits.auth_lockout]\nfailure = 3\n", 5, "unknown key 'failure' in [limits.auth_lockout]"},
        BadCase{"log_level", IPV4 "[log]\nlevel = \"loud\"\n", 5, "is not known"},
        BadCase{"ipv6_prefix", IPV4 "[ipv6]\nenabled = true\nprefix = \"2001:db8::/96\"\n", 6, "use a /64"},
        BadCase{"ipv6_mtu", IPV4 "[tun]\nmtu = 1000\n[ipv6]\nenabled = true\nprefix = \"2001:db8::/64\"\n", 5, "1280"},
        BadCase{"section_not_table", "log = \"debug\"\n" IPV4, 1, "must be a table"}),
    [](const ::testing::TestParamInfo<BadCase>& i) { return std::string(i.param.name); });

TEST(Config, EapTlsNeedsItsFiles) {
  auto r = parse_config(IPV4 "[auth]\nmethods = [\"eap-tls\", \"mschapv2\"]\n[eap_tls]\nca = \"/etc/pptpx/ca.pem\"\n",
                        "t.toml");
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_NE(r.errors[0].to_string().find("needs [eap_tls] cert"), std::string::npos) << r.errors[0].to_string();
  EXPECT_NE(r.errors[1].to_string().find("needs [eap_tls] key"), std::string::npos) << r.errors[1].to_string();
  r = parse_config(IPV4 "[auth]\nmethods = [\"eap-tls\", \"mschapv2\"]\n[eap_tls]\nca = \"a\"\ncert = \"b\"\n"
                        "key = \"c\"\ncrl = \"d\"\n",
                   "t.toml");
  ASSERT_TRUE(r.errors.empty()) << r.errors.front().to_string();
  EXPECT_EQ(r.config->auth.methods, (std::vector<AuthMethod>{AuthMethod::eap_tls, AuthMethod::mschapv2}));
  EXPECT_EQ(r.config->eap_tls.crl, "d");
  EXPECT_EQ(r.config->eap_tls.user_from, "cn");
}

TEST(Config, MissingIpv4SectionIsOneErrorWithTheFix) {
  auto r = parse_config("[listen]\nport = 1723\n", "x.toml");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].to_string().find("x.toml: missing [ipv4] section"), std::string::npos) << r.errors[0].to_string();
}

TEST(Config, Ipv4ThatIsNotATableIsOneError) {
  auto r = parse_config("ipv4 = \"198.51.100.0/24\"\n", "x.toml");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].to_string().rfind("x.toml:1:8: [ipv4] must be a table", 0), 0u) << r.errors[0].to_string();
}

TEST(Config, ReportsEveryErrorNotJustTheFirst) {
  auto r = parse_config(IPV4 "[listen]\nport = 0\nhost = \"x\"\n[log]\nlevel = 3\n", "many.toml");
  EXPECT_EQ(r.errors.size(), 3u);
}

TEST(Config, ValidateFileReportsUnreadableFile) {
  auto errors = validate_config_file("/nonexistent/pptpx.toml");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("/nonexistent/pptpx.toml: cannot open"), std::string::npos);
}

TEST(Config, ValidateFileAcceptsGoodFile) {
  test::ScopedTempDir dir;
  const std::string path = dir.file("server.toml");
  {
    std::ofstream out(path);
    out << kMinimal;
  }
  EXPECT_TRUE(validate_config_file(path).empty());
  std::remove(path.c_str());
}

}  // namespace
}  // namespace pptpx::server
