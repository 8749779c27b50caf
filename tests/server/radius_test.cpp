// [radius] and [auth] source in server.toml; the Access-Request each method sends (layouts
// from RFC 2865 §5.3/§5.40 and RFC 2548 §2.3) and the verdict read from a reply (MS-CHAP2-Success,
// MS-CHAP-Error, MS-MPPE keys salt-encrypted with the codec's encryptor, whose output the radius
// codec tests check against Python); the security lines.
#include <gtest/gtest.h>

#include <algorithm>

#include "radius/security.hpp"
#include "server/radius_auth.hpp"
#include "server/radius_checks.hpp"
#include "server/server_policy.hpp"

namespace pptpx::server {
namespace {

const std::string kBase = "[ipv4]\nserver_address = \"198.51.100.1\"\npool = \"198.51.100.10-198.51.100.20\"\n";

bool has_error(const ConfigResult& r, std::string_view text) {
  return std::any_of(r.errors.begin(), r.errors.end(),
                     [&](const ConfigError& e) { return e.message.find(text) != std::string::npos; });
}

TEST(RadiusConfig, ServersAndSource) {
  auto r = parse_config(kBase + R"(
[auth]
source = "radius-then-secrets"
[radius]
nas_identifier = "nas1"
nas_ip_address = "192.0.2.1"
timeout_seconds = 2
retries = 4
max_fail = 5
fail_timeout_seconds = 90
[[radius.servers]]
address = "192.0.2.10"
secret = "0123456789abcdef"
weight = 3
[[radius.servers]]
address = "192.0.2.11"
auth_port = 11812
acct_port = 11813
secret_file = "/etc/pptpx/radius-secret"
backup = true
require_message_authenticator = true
)",
                        "t.toml");
  ASSERT_TRUE(r.config) << (r.errors.empty() ? "" : r.errors[0].to_string());
  const Config& c = *r.config;
  EXPECT_EQ(c.auth.source, AuthSource::radius_then_secrets);
  EXPECT_EQ(c.radius.nas_identifier, "nas1");
  EXPECT_EQ(c.radius.timeout, std::chrono::seconds{2});
  EXPECT_EQ(c.radius.retries, 4u);
  EXPECT_EQ(c.radius.max_fail, 5u);
  EXPECT_EQ(c.radius.fail_timeout, std::chrono::seconds{90});
  ASSERT_EQ(c.radius.servers.size(), 2u);
  EXPECT_EQ(c.radius.servers[0].auth_port, 1812);
  EXPECT_EQ(c.radius.servers[0].acct_port, 1813);
  EXPECT_EQ(c.radius.servers[0].weight, 3u);
  EXPECT_EQ(c.radius.servers[1].auth_port, 11812);
  EXPECT_TRUE(c.radius.servers[1].backup);
  EXPECT_TRUE(c.radius.servers[1].require_message_authenticator);
  EXPECT_EQ(c.radius.servers[1].secret_file, "/etc/pptpx/radius-secret");
}

TEST(RadiusConfig, MistakesAreOneSentenceEach) {
  EXPECT_TRUE(has_error(parse_config(kBase + "[auth]\nsource = \"ldap\"\n", "t.toml"), "is not a user source"));
  EXPECT_TRUE(has_error(parse_config(kBase + "[auth]\nsource = \"radius\"\n", "t.toml"),
                        "needs at least one [[radius.servers]]"));
  EXPECT_TRUE(has_error(parse_config(kBase + "[[radius.servers]]\naddress = \"x\"\nsecret = \"s\"\n", "t.toml"),
                        "is not an IPv4 address"));
  EXPECT_TRUE(has_error(parse_config(kBase + "[[radius.servers]]\naddress = \"192.0.2.1\"\n", "t.toml"),
                        "give exactly one of secret"));
  EXPECT_TRUE(has_error(
      parse_config(kBase + "[[radius.servers]]\naddress = \"192.0.2.1\"\nsecret = \"s\"\nsecret_file = \"/f\"\n", "t.toml"),
      "give exactly one of secret"));
  EXPECT_TRUE(has_error(parse_config(kBase + "[radius]\nservers = 3\n", "t.toml"), "array of tables"));
  EXPECT_TRUE(has_error(parse_config(kBase + "[radius]\ntimeout = 3\n", "t.toml"), "unknown key 'timeout'"));
  EXPECT_TRUE(has_error(parse_config(kBase + "[radius]\nretries = 11\n", "t.toml"), "out of range"));
}

TEST(RadiusConfig, SecretFileProblemsAndSecurityLines) {
  auto r = parse_config(kBase + R"(
[auth]
methods = ["mschapv2", "pap"]
source = "radius"
[[radius.servers]]
address = "192.0.2.10"
secret = "short"
[[radius.servers]]
address = "192.0.2.11"
secret_file = "/nonexistent/pptpx-radius-secret"
)",
                        "t.toml");
  ASSERT_TRUE(r.config);
  const auto problems = radius_file_problems(*r.config);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("cannot read the RADIUS secret_file of server 192.0.2.11"), std::string::npos);
  const auto w = radius_security_warnings(*r.config);
  auto mentions = [&](std::string_view t) {
    return std::any_of(w.begin(), w.end(), [&](const std::string& s) { return s.find(t) != std::string::npos; });
  };
  EXPECT_TRUE(mentions("radius + pap"));
  EXPECT_TRUE(mentions("MS-MPPE-Send/Recv-Key"));
  EXPECT_TRUE(mentions("BlastRADIUS"));
  EXPECT_TRUE(mentions("shared secret has 5 characters"));
}

TEST(RadiusConfig, AccountingKeysAndLines) {
  auto r = parse_config(kBase + R"(
[radius]
interim_interval_seconds = 30
stop_queue_limit = 50
stop_retry_seconds = 10
stop_max_age_seconds = 3600
[[radius.servers]]
address = "192.0.2.10"
secret = "a-long-enough-shared-secret"
)",
                        "t.toml");
  ASSERT_TRUE(r.config);
  EXPECT_EQ(r.config->auth.source, AuthSource::secrets);  // accounting only
  EXPECT_TRUE(r.config->radius.accounting);
  EXPECT_EQ(r.config->radius.interim_interval, std::chrono::seconds{30});
  EXPECT_EQ(r.config->radius.stop_queue_limit, 50u);
  EXPECT_EQ(r.config->radius.stop_retry_interval, std::chrono::seconds{10});
  EXPECT_EQ(r.config->radius.stop_max_age, std::chrono::seconds{3600});
  const auto w = radius_security_warnings(*r.config);
  auto mentions = [&](std::string_view t) {
    return std::any_of(w.begin(), w.end(), [&](const std::string& s) { return s.find(t) != std::string::npos; });
  };
  EXPECT_TRUE(mentions("radius accounting: user names"));
  EXPECT_TRUE(mentions("interim_interval_seconds = 30"));
  EXPECT_FALSE(mentions("radius + pap"));  // no authentication through RADIUS

  EXPECT_TRUE(has_error(parse_config(kBase + "[radius]\ninterim_interval_seconds = -1\n", "t.toml"), "out of range"));
  EXPECT_TRUE(has_error(parse_config(kBase + "[radius]\nstop_max_age_seconds = 5\n", "t.toml"), "out of range"));
  EXPECT_TRUE(has_error(parse_config(kBase + "[radius]\naccounting = \"yes\"\n", "t.toml"), "accounting"));
  auto off = parse_config(kBase + "[radius]\naccounting = false\n[[radius.servers]]\naddress = \"192.0.2.10\"\n"
                                  "secret = \"a-long-enough-shared-secret\"\n", "t.toml");
  ASSERT_TRUE(off.config);
  EXPECT_TRUE(radius_security_warnings(*off.config).empty());
}

ppp::RemoteAuthRequest question(ppp::AuthMethod m, std::size_t challenge, std::size_t response) {
  ppp::RemoteAuthRequest q;
  q.method = m;
  q.user_name = "bob";
  q.identifier = 0x42;
  for (std::size_t i = 0; i < challenge; ++i) q.challenge.push_back(static_cast<std::uint8_t>(0xc0 + i));
  for (std::size_t i = 0; i < response; ++i) q.response.push_back(static_cast<std::uint8_t>(i));
  return q;
}

TEST(RadiusAuth, AccessRequestPerMethod) {
  const NasIdentity nas{"nas1", 0xc0000201};
  {
    const radius::Request r = build_access_request(question(ppp::AuthMethod::Pap, 0, 3), nas);
    EXPECT_EQ(r.user_password, std::string("\x00\x01\x02", 3));
    EXPECT_EQ(r.packet.find_string(radius::attr::UserName), "bob");
    EXPECT_EQ(r.packet.find_string(radius::attr::NasIdentifier), "nas1");
    EXPECT_EQ(r.packet.find_u32(radius::attr::NasIpAddress), 0xc0000201u);
    EXPECT_EQ(r.packet.find_u32(radius::attr::ServiceType), 2u);     // Framed
    EXPECT_EQ(r.packet.find_u32(radius::attr::FramedProtocol), 1u);  // PPP
    EXPECT_EQ(r.packet.find_u32(radius::attr::NasPortType), 5u);     // Virtual
  }
  {
    // RFC 2865 §5.3: CHAP-Password = CHAP Ident + 16-octet Response; §5.40 CHAP-Challenge.
    const radius::Request r = build_access_request(question(ppp::AuthMethod::ChapMd5, 16, 16), nas);
    const radius::Attribute* pw = r.packet.find(radius::attr::ChapPassword);
    ASSERT_NE(pw, nullptr);
    ASSERT_EQ(pw->value.size(), 17u);
    EXPECT_EQ(pw->value[0], 0x42);
    EXPECT_EQ(pw->value[1], 0x00);
    EXPECT_EQ(r.packet.find(radius::attr::ChapChallenge)->value.size(), 16u);
    EXPECT_FALSE(r.user_password.has_value());
  }
  {
    // RFC 2548 §2.3.2 MS-CHAP2-Response: Ident, Flags, Peer-Challenge(16), Reserved(8), Response(24);
    // our CHAP Value (RFC 2759 §4) has the Flags octet last.
    const radius::Request r = build_access_request(question(ppp::AuthMethod::MsChapV2, 16, 49), nas);
    const auto v = r.packet.find_vendor(radius::kVendorMicrosoft, radius::ms::Chap2Response);
    ASSERT_TRUE(v);
    ASSERT_EQ(v->size(), 50u);
    EXPECT_EQ((*v)[0], 0x42);
    EXPECT_EQ((*v)[1], 48);  // Flags: the 49th octet of the CHAP Value
    EXPECT_EQ((*v)[2], 0);   // Peer-Challenge starts with the Value's first octet
    EXPECT_EQ((*v)[49], 47);
    EXPECT_EQ(r.packet.find_vendor(radius::kVendorMicrosoft, radius::ms::ChapChallenge)->size(), 16u);
  }
  {
    const radius::Request r = build_access_request(question(ppp::AuthMethod::MsChapV1, 8, 49), nas);
    const auto v = r.packet.find_vendor(radius::kVendorMicrosoft, radius::ms::ChapResponse);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->size(), 50u);
    EXPECT_EQ(r.packet.find_vendor(radius::kVendorMicrosoft, radius::ms::ChapChallenge)->size(), 8u);
  }
}

TEST(RadiusAuth, VerdictFromReplies) {
  using Outcome = ppp::RemoteAuthVerdict::Outcome;
  radius::Completion none;
  EXPECT_EQ(verdict_from_reply(none, ppp::AuthMethod::Pap).outcome, Outcome::Unavailable);

  radius::Completion reject;
  reject.reply = radius::Packet{};
  reject.reply->code = radius::Code::AccessReject;
  const std::string err = "\x01" "E=691 R=1 C=00112233445566778899AABBCCDDEEFF V=3";
  reject.reply->add_vendor(radius::kVendorMicrosoft, radius::ms::ChapError,
                           ByteView(reinterpret_cast<const std::uint8_t*>(err.data()), err.size()));
  reject.reply->add_string(radius::attr::ReplyMessage, "go away");
  const auto rv = verdict_from_reply(reject, ppp::AuthMethod::MsChapV2);
  EXPECT_EQ(rv.outcome, Outcome::Reject);
  EXPECT_EQ(rv.message, err.substr(1));
  EXPECT_NE(rv.reason.find("go away"), std::string::npos);

  radius::Completion accept;
  accept.secret = "xyzzy5461";
  accept.request_authenticator.fill(0x5a);
  accept.reply = radius::Packet{};
  accept.reply->code = radius::Code::AccessAccept;
  const std::string s = "\x01S=0123456789ABCDEF0123456789ABCDEF01234567";
  accept.reply->add_vendor(radius::kVendorMicrosoft, radius::ms::Chap2Success,
                           ByteView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
  Bytes send_key(16, 0x11), recv_key(16, 0x22);
  accept.reply->add_vendor(radius::kVendorMicrosoft, radius::ms::MppeSendKey,
                           radius::encrypt_mppe_key(send_key, 0x8001, accept.request_authenticator, accept.secret));
  accept.reply->add_vendor(radius::kVendorMicrosoft, radius::ms::MppeRecvKey,
                           radius::encrypt_mppe_key(recv_key, 0x8002, accept.request_authenticator, accept.secret));
  const auto av = verdict_from_reply(accept, ppp::AuthMethod::MsChapV2);
  EXPECT_EQ(av.outcome, Outcome::Accept);
  EXPECT_EQ(av.message, s.substr(1));
  ASSERT_TRUE(av.mppe);
  EXPECT_EQ(av.mppe->method, auth::MppeKeyMaterial::Method::Given);
  const auth::MppeKeys k128 = auth::derive_mppe_keys(*av.mppe, auth::MppeStrength::Bits128);
  EXPECT_EQ(Bytes(k128.send.bytes.begin(), k128.send.bytes.end()), send_key);
  EXPECT_EQ(Bytes(k128.recv.bytes.begin(), k128.recv.bytes.end()), recv_key);
  const auth::MppeKeys k40 = auth::derive_mppe_keys(*av.mppe, auth::MppeStrength::Bits40);
  EXPECT_EQ(k40.send.length, 8u);
  // Keys under another secret do not decrypt into material.
  accept.secret = "other";
  EXPECT_FALSE(verdict_from_reply(accept, ppp::AuthMethod::MsChapV2).mppe.has_value());
}

}  // namespace
}  // namespace pptpx::server
