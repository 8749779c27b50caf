// pptpx client's policy and route options: the secure defaults (MS-CHAPv2 only, MPPE-128
// required, stateless only), every accepted spelling, and one clear refusal for each bad input.
#include "client/client_options.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "support/temp_dir.hpp"

namespace pptpx::client {
namespace {

using ppp::AuthMethod;

TEST(ClientPolicy, DefaultsAreMsChapV2AndRequiredStatelessMppe128) {
  ClientOptions o;
  ppp::Policy p;
  ASSERT_EQ(parse_policy(o, p), "");
  EXPECT_EQ(p.auth_methods, std::vector<AuthMethod>{AuthMethod::MsChapV2});
  EXPECT_TRUE(p.require_encryption);
  EXPECT_TRUE(p.allow_encryption);
  EXPECT_EQ(p.mppe_strengths, std::vector<auth::MppeStrength>{auth::MppeStrength::Bits128});
  EXPECT_TRUE(p.allow_stateless);
  EXPECT_FALSE(p.allow_stateful);
}

TEST(ClientPolicy, ListsKeepTheirOrder) {
  ClientOptions o;
  o.auth = "mschapv2, mschapv1,chap-md5,pap";
  o.mppe = "40,128";
  o.mppe_stateful = true;
  ppp::Policy p;
  ASSERT_EQ(parse_policy(o, p), "");
  EXPECT_EQ(p.auth_methods, (std::vector<AuthMethod>{AuthMethod::MsChapV2, AuthMethod::MsChapV1, AuthMethod::ChapMd5,
                                                     AuthMethod::Pap}));
  EXPECT_EQ(p.mppe_strengths,
            (std::vector<auth::MppeStrength>{auth::MppeStrength::Bits40, auth::MppeStrength::Bits128}));
  EXPECT_TRUE(p.allow_stateful);
  EXPECT_FALSE(p.allow_stateless);  // asking for stateful: pppd offers stateless first
}

TEST(ClientPolicy, NoneTurnsEncryptionOff) {
  ClientOptions o;
  o.auth = "pap";
  o.mppe = "none";
  ppp::Policy p;
  ASSERT_EQ(parse_policy(o, p), "");
  EXPECT_FALSE(p.allow_encryption);
  EXPECT_FALSE(p.require_encryption);
}

TEST(ClientPolicy, RefusalsSayWhatAndHow) {
  ppp::Policy p;
  ClientOptions o;
  o.auth = "kerberos";
  EXPECT_NE(parse_policy(o, p).find("\"kerberos\" is not a method"), std::string::npos);
  o = {};
  o.auth = "";
  EXPECT_NE(parse_policy(o, p).find("--auth is empty"), std::string::npos);
  o = {};
  o.mppe = "64";
  EXPECT_NE(parse_policy(o, p).find("\"64\" is not an MPPE strength"), std::string::npos);
  o = {};
  o.auth = "pap";  // MPPE keys come from MS-CHAP (RFC 3079 §3): required MPPE cannot work
  EXPECT_NE(parse_policy(o, p).find("MPPE keys come from MS-CHAP"), std::string::npos);
  o.mppe_optional = true;
  EXPECT_EQ(parse_policy(o, p), "");
  EXPECT_FALSE(p.require_encryption);
  o = {};
  o.mppe = "none";
  o.mppe_stateful = true;
  EXPECT_NE(parse_policy(o, p).find("--mppe-stateful"), std::string::npos);
}

TEST(ClientPolicy, EapTlsNeedsCertificatesNotAPassword) {
  ppp::Policy p;
  ClientOptions o;
  o.auth = "eap-tls";
  EXPECT_EQ(parse_policy(o, p), "");  // EAP-TLS yields MPPE keys: required MPPE is fine
  EXPECT_EQ(p.auth_methods, std::vector<ppp::AuthMethod>{ppp::AuthMethod::EapTls});
  EXPECT_FALSE(needs_password(o));
  EXPECT_NE(eap_tls_problem(o).find("--cert"), std::string::npos);
  o.cert = "c.pem";
  o.key = "c.key";
  EXPECT_NE(eap_tls_problem(o).find("--ca"), std::string::npos);
  o.ca = "ca.pem";
  EXPECT_EQ(eap_tls_problem(o), "");
  o.auth = "eap-tls,mschapv2";
  EXPECT_TRUE(needs_password(o));
  o = {};
  EXPECT_EQ(eap_tls_problem(o), "");  // default mschapv2: no certificates needed
}

TEST(ClientRoutes, CidrClearsHostBitsAndDefaultsToHost) {
  Ipv4Cidr c;
  ASSERT_EQ(parse_cidr("203.0.113.77/24", c), "");
  EXPECT_EQ(ntohl(c.network.s_addr), 0xCB007100u);  // 203.0.113.0
  EXPECT_EQ(c.prefix_len, 24);
  ASSERT_EQ(parse_cidr("198.51.100.7", c), "");
  EXPECT_EQ(ntohl(c.network.s_addr), 0xC6336407u);
  EXPECT_EQ(c.prefix_len, 32);
  ASSERT_EQ(parse_cidr("0.0.0.0/0", c), "");
  EXPECT_EQ(c.network.s_addr, 0u);
  EXPECT_EQ(c.prefix_len, 0);
}

TEST(ClientRoutes, BadCidrsAreRefused) {
  Ipv4Cidr c;
  for (const char* bad : {"203.0.113/24", "203.0.113.0/33", "203.0.113.0/", "203.0.113.0/2x", "example.org/24", ""}) {
    EXPECT_NE(parse_cidr(bad, c), "") << bad;
  }
}

TEST(ClientPassword, FirstLineWithoutLineEnd) {
  test::ScopedTempDir dir;
  const std::string path = dir.file("password");
  {
    std::ofstream f(path, std::ios::binary);
    f << "Tunnel-Lab-7\r\nsecond line\n";
  }
  std::string pw;
  EXPECT_EQ(read_password_file(path, pw), "");
  EXPECT_EQ(pw, "Tunnel-Lab-7");
  {
    std::ofstream f(path, std::ios::binary);
    f << "\n";
  }
  EXPECT_NE(read_password_file(path, pw).find("empty first line"), std::string::npos);
  std::remove(path.c_str());
  EXPECT_NE(read_password_file(path, pw).find("cannot read"), std::string::npos);
  EXPECT_NE(read_password_file("", pw).find("--password-file"), std::string::npos);
}

}  // namespace
}  // namespace pptpx::client
