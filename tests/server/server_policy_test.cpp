// The server's configuration file mapped onto the protocol cores: methods in the configured
// order, MPPE strengths and the one allowed mode, and an MRU that lets a client send whole
// TUN-MTU packets through MPPE (RFC 3078 §3: 2-byte MPPE header + 2-byte inner protocol).
#include "server/server_policy.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace pptpx::server {
namespace {

Config parse(const std::string& extra) {
  auto r = parse_config("[ipv4]\nserver_address = \"198.51.100.1\"\npool = \"198.51.100.10-198.51.100.20\"\n" + extra,
                        "t.toml");
  EXPECT_TRUE(r.errors.empty()) << (r.errors.empty() ? "" : r.errors.front().to_string());
  return r.config.value_or(Config{});
}

TEST(ServerPolicy, DefaultsAreMsChapV2AndRequiredStatelessMppe128) {
  const ppp::Policy p = make_policy(parse(""));
  EXPECT_EQ(p.auth_methods, std::vector<ppp::AuthMethod>{ppp::AuthMethod::MsChapV2});
  EXPECT_TRUE(p.require_encryption);
  EXPECT_EQ(p.mppe_strengths, std::vector<auth::MppeStrength>{auth::MppeStrength::Bits128});
  EXPECT_TRUE(p.allow_stateless);
  EXPECT_FALSE(p.allow_stateful);
}

TEST(ServerPolicy, MethodsStrengthsAndStatefulMode) {
  const ppp::Policy p = make_policy(parse("[auth]\nmethods = [\"mschap\", \"mschapv2\", \"chap-md5\"]\n"
                                          "[mppe]\nstrengths = [40, 56]\nmode = \"stateful\"\n"));
  EXPECT_EQ(p.auth_methods, (std::vector<ppp::AuthMethod>{ppp::AuthMethod::MsChapV1, ppp::AuthMethod::MsChapV2,
                                                          ppp::AuthMethod::ChapMd5}));
  EXPECT_EQ(p.mppe_strengths,
            (std::vector<auth::MppeStrength>{auth::MppeStrength::Bits40, auth::MppeStrength::Bits56}));
  EXPECT_FALSE(p.allow_stateless);
  EXPECT_TRUE(p.allow_stateful);
}

TEST(ServerPolicy, EapTlsFirstYieldsMppeAndBadFilesSayWhich) {
  const Config c = parse("[auth]\nmethods = [\"eap-tls\", \"mschapv2\"]\n[eap_tls]\nca = \"/nonexistent/ca.pem\"\n"
                         "cert = \"/nonexistent/server.pem\"\nkey = \"/nonexistent/server.key\"\n");
  const ppp::Policy p = make_policy(c);
  EXPECT_EQ(p.auth_methods, (std::vector<ppp::AuthMethod>{ppp::AuthMethod::EapTls, ppp::AuthMethod::MsChapV2}));
  EXPECT_TRUE(p.allow_encryption);
  struct None final : auth::CredentialStore {
    std::optional<auth::Credential> find(std::string_view) const override { return std::nullopt; }
  } none;
  try {
    make_auth_config(c, none);
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/server.pem"), std::string::npos) << e.what();
  }
}

TEST(ServerPolicy, PapOnlyWithoutMppeOffersNoEncryption) {
  const ppp::Policy p = make_policy(parse("[auth]\nmethods = [\"pap\"]\n[mppe]\nrequired = false\n"));
  EXPECT_FALSE(p.allow_encryption);
  EXPECT_FALSE(p.require_encryption);
}

TEST(ServerPolicy, SessionTemplateCarriesTimeoutsAndMru) {
  const session::SessionConfig sc = make_session_config(
      parse("[tun]\nmtu = 1400\n[limits]\ncontrol_setup_seconds = 12\n[echo]\nlcp_interval_seconds = 7\n"
            "lcp_failures = 3\ncontrol_interval_seconds = 50\n"));
  EXPECT_EQ(sc.role, session::SessionRole::Server);
  EXPECT_EQ(sc.control.setup_timeout, std::chrono::seconds(12));
  EXPECT_EQ(sc.control.echo_interval, std::chrono::seconds(50));
  EXPECT_EQ(sc.link.lcp.echo_interval, std::chrono::seconds(7));
  EXPECT_EQ(sc.link.lcp.echo_max_failures, 3);
  EXPECT_EQ(sc.link.lcp.mru, 1404);  // 1400 + MPPE header (2) + inner protocol (2)
  const session::SessionConfig big = make_session_config(parse("[tun]\nmtu = 1500\n"));
  EXPECT_EQ(big.link.lcp.mru, 1500);  // never above Ethernet's
}

}  // namespace
}  // namespace pptpx::server

namespace pptpx::server {
namespace {

TEST(ServerPolicy, Ipv6cpOnlyWhenIpv6IsEnabledWithTheServerInterfaceId) {
  EXPECT_FALSE(make_session_config(parse("")).link.enable_ipv6);
  const session::SessionConfig sc = make_session_config(
      parse("[ipv6]\nenabled = true\nprefix = \"2001:db8:1::/64\"\nserver_interface_id = \"::1:0:0:2\"\n"));
  EXPECT_TRUE(sc.link.enable_ipv6);
  EXPECT_EQ(sc.link.ipv6cp.interface_id, 0x0001'0000'0000'0002ULL);  // ::1:0:0:2: groups 1, 0, 0, 2
}

}  // namespace
}  // namespace pptpx::server

namespace pptpx::server {
namespace {

// Issue 16: [auth] server_name is the Name of the CHAP/MS-CHAP Challenges (a pppd client looks its
// secret up under it unless given `remotename`); "*", the default, keeps the built-in "pptpx".
TEST(ServerPolicy, ServerNameIsTheChallengeName) {
  struct NoUsers final : auth::CredentialStore {
    std::optional<auth::Credential> find(std::string_view) const override { return std::nullopt; }
  } none;
  EXPECT_EQ(make_auth_config(parse(""), none).authenticator.our_name, "pptpx");
  EXPECT_EQ(make_auth_config(parse("[auth]\nserver_name = \"pptpd\"\n"), none).authenticator.our_name, "pptpd");
}

}  // namespace
}  // namespace pptpx::server
