// `pptpx import pptpd` translation (migrate/pptpd_import.hpp) on the fixtures under
// tests/migrate/fixtures/, modelled on Debian's commented pptpd.conf and pptpd-options, and on
// small inline inputs for the edge cases. Expected values come from the fixture files and from
// pppd(8)/pptpd.conf(5) semantics; the NT hash of "clientPass" is RFC 2759 §9.2's.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "migrate/pptpd_import.hpp"
#include "server/secrets_file.hpp"

namespace pptpx::migrate {
namespace {

SourceText fixture(const std::string& name) {
  std::ifstream in(std::string(PPTPX_MIGRATE_FIXTURES) + "/" + name);
  std::ostringstream ss;
  ss << in.rdbuf();
  EXPECT_FALSE(ss.str().empty()) << name;
  return {name, ss.str()};
}

PptpdImportInput fixtures() {
  return {fixture("pptpd.conf"), fixture("options.pptpd"), fixture("chap-secrets"), "/etc/pptpx/chap-secrets", false, {}};
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const ReportRow* row_for(const PptpdImportResult& r, const std::string& option) {
  for (const auto& row : r.report) {
    if (row.option == option) return &row;
  }
  return nullptr;
}

TEST(PptpdImport, FindsTheOptionFileNamedInPptpdConf) {
  EXPECT_EQ(pptpd_option_file(fixture("pptpd.conf").text), "/etc/ppp/pptpd-options");
  EXPECT_FALSE(pptpd_option_file("localip 198.51.100.1\n# option /x\n").has_value());
}

TEST(PptpdImport, DebianStyleFixturesTranslateToTheirKeys) {
  auto r = import_pptpd(fixtures());
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  const std::string& t = r.server_toml;
  EXPECT_TRUE(has(t, "server_address = \"198.51.100.1\""));
  // remoteip 198.51.100.234-238,198.51.100.239-245,198.51.100.246 is one contiguous range.
  EXPECT_TRUE(has(t, "pool = \"198.51.100.234-198.51.100.246\""));
  EXPECT_TRUE(has(t, "# from pptpd.conf:86\npool"));
  EXPECT_TRUE(has(t, "address = \"192.0.2.1\""));
  EXPECT_TRUE(has(t, "max_sessions = 100"));
  EXPECT_TRUE(has(t, "control_setup_seconds = 10"));
  EXPECT_TRUE(has(t, "server_name = \"pptpd\""));
  EXPECT_TRUE(has(t, "methods = [\"mschapv2\"]"));
  EXPECT_TRUE(has(t, "required = true"));
  EXPECT_TRUE(has(t, "strengths = [128]"));
  EXPECT_TRUE(has(t, "dns = [\"198.51.100.53\"]"));
  EXPECT_TRUE(has(t, "mtu = 1400"));
  EXPECT_TRUE(has(t, "lcp_interval_seconds = 20"));
  EXPECT_TRUE(has(t, "lcp_failures = 3"));
  EXPECT_TRUE(has(t, "secrets_file = \"/etc/pptpx/chap-secrets\""));
  // Nothing here weakens security: Debian's options refuse everything but MS-CHAPv2 and MPPE-128.
  for (const auto& row : r.report) EXPECT_FALSE(row.weakens) << row.where << " " << row.option;
}

TEST(PptpdImport, EveryOptionLineIsAccountedFor) {
  auto r = import_pptpd(fixtures());
  ASSERT_TRUE(r.errors.empty());
  // Non-comment lines of the fixtures: 7 in pptpd.conf, 20 in options.pptpd.
  int conf = 0, opts = 0;
  for (const auto& row : r.report) {
    if (row.where.rfind("pptpd.conf:", 0) == 0) ++conf;
    if (row.where.rfind("options.pptpd:", 0) == 0) ++opts;
  }
  EXPECT_EQ(conf, 7);
  EXPECT_EQ(opts, 20);
  ASSERT_NE(row_for(r, "logwtmp"), nullptr);
  EXPECT_EQ(row_for(r, "logwtmp")->outcome, Outcome::not_needed);
  ASSERT_NE(row_for(r, "ms-wins 198.51.100.54"), nullptr);
  EXPECT_EQ(row_for(r, "ms-wins 198.51.100.54")->outcome, Outcome::not_supported);
  ASSERT_NE(row_for(r, "proxyarp"), nullptr);
  EXPECT_EQ(row_for(r, "proxyarp")->outcome, Outcome::not_supported);
  ASSERT_NE(row_for(r, "idle 3600"), nullptr);
  EXPECT_EQ(row_for(r, "idle 3600")->outcome, Outcome::not_supported);
  const std::string table = format_report(r.report);
  EXPECT_TRUE(has(table, "options.pptpd:92 | mtu 1400 | mapped | [tun] mtu |"));
}

TEST(PptpdImport, ChapSecretsKeepThisServersLinesWithPppdQuoting) {
  auto r = import_pptpd(fixtures());
  ASSERT_TRUE(r.errors.empty());
  const std::string& s = r.secrets;
  EXPECT_TRUE(has(s, "\nbob pptpd Tunnel-Lab-7 *\n"));
  EXPECT_TRUE(has(s, "\"alice smith\" pptpd \"pass word # not a comment\" 198.51.100.240\n"));
  // Carol\sSecret is pppd's escape for a space; "-" means no address.
  EXPECT_TRUE(has(s, "\ncarol * \"Carol Secret\" -\n"));
  EXPECT_TRUE(has(s, "\nerin pptpd nthash:8846F7EAEE8FB117AD06BDD830B7586C 198.51.100.241\n"));
  EXPECT_FALSE(has(s, "dave"));
  ASSERT_NE(row_for(r, "dave"), nullptr);
  EXPECT_EQ(row_for(r, "dave")->outcome, Outcome::not_needed);
  // The written file reads back as the same users.
  auto back = server::parse_secrets(s, "out");
  ASSERT_TRUE(back.errors.empty()) << back.errors.front();
  ASSERT_EQ(back.entries.size(), 4u);
  EXPECT_EQ(back.entries[1].client, "alice smith");
  EXPECT_EQ(back.entries[1].password, "pass word # not a comment");
  EXPECT_EQ(back.entries[2].addresses, server::AddressPolicy::none);
}

PptpdImportInput small(std::string options, std::string secrets = "bob * clientPass *\n") {
  return {{"pptpd.conf", "localip 198.51.100.1\nremoteip 198.51.100.10-20\n"},
          {"options", std::move(options)},
          {"chap-secrets", std::move(secrets)},
          "/s",
          true,
          {}};
}

TEST(PptpdImport, HashSecretsStoresRfc2759NtHash) {
  auto r = import_pptpd(small("name pptpd\nrequire-mschap-v2\nrequire-mppe-128\n"));
  ASSERT_TRUE(r.errors.empty());
  EXPECT_TRUE(has(r.secrets, "bob * nthash:44EBBA8D5312B8D611474411F56989AE *"));
}

TEST(PptpdImport, PapKeepsPlaintextAndWeakTranslationsAreFlagged) {
  // No require-*: pppd allows every method not refused; no require-mppe: MPPE optional.
  auto r = import_pptpd(small("refuse-chap\n", "bob * clientPass *\n* * shared *\n"));
  ASSERT_TRUE(r.errors.empty());
  EXPECT_TRUE(has(r.server_toml, "methods = [\"mschapv2\", \"mschap\", \"pap\"]"));
  EXPECT_TRUE(has(r.server_toml, "required = false"));
  EXPECT_TRUE(has(r.server_toml, "strengths = [128, 40]"));
  EXPECT_TRUE(has(r.secrets, "bob * clientPass *"));
  int weak = 0;
  for (const auto& row : r.report) weak += row.weakens ? 1 : 0;
  // mschap, pap, MPPE optional, 40-bit, bob and * kept in plaintext, the * user.
  EXPECT_EQ(weak, 7);
  EXPECT_TRUE(has(format_report(r.report), "[WEAKENS SECURITY]"));
}

TEST(PptpdImport, BadInputNamesFileAndLine) {
  auto r = import_pptpd(small("require-mschap-v2\nfrobnicate 3\n"));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_TRUE(has(r.errors[0], "options:2: unknown pppd option `frobnicate`"));
  EXPECT_TRUE(r.server_toml.empty());

  PptpdImportInput gaps = small("require-mschap-v2\n");
  gaps.pptpd_conf.text = "localip 198.51.100.1\nremoteip 198.51.100.10-20,198.51.100.30\n";
  r = import_pptpd(gaps);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_TRUE(has(r.errors[0], "pptpd.conf:2: remoteip")) << r.errors[0];
  EXPECT_TRUE(has(r.errors[0], "198.51.100.10-198.51.100.30"));

  r = import_pptpd(small("noauth\n"));
  ASSERT_FALSE(r.errors.empty());
  EXPECT_TRUE(has(r.errors[0], "options:1: noauth"));

  r = import_pptpd(small("require-mschap-v2\n", "bob * \"unterminated\n"));
  ASSERT_FALSE(r.errors.empty());
  EXPECT_TRUE(has(r.errors[0], "chap-secrets:1")) << r.errors[0];

  PptpdImportInput nolocal = small("require-mschap-v2\n");
  nolocal.pptpd_conf.text = "remoteip 198.51.100.10-20\n";
  r = import_pptpd(nolocal);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_TRUE(has(r.errors[0], "no localip"));
}

// pppd's radius plugin (pppd-radius(8)): radiusclient.conf and its servers file, as pppd ships
// them, with two authservers (one with an explicit port) and accounting.
PptpdImportInput radius_fixtures() {
  PptpdImportInput in = fixtures();
  in.options = fixture("options.pptpd-radius");
  in.read = [](const std::string& path) -> std::optional<SourceText> {
    std::ifstream f(path[0] == '/' ? path : std::string(PPTPX_MIGRATE_FIXTURES) + "/" + path);
    if (!f) return std::nullopt;
    std::ostringstream ss;
    ss << f.rdbuf();
    return SourceText{path, ss.str()};
  };
  return in;
}

TEST(PptpdImport, RadiusPluginBecomesRadiusServers) {
  auto r = import_pptpd(radius_fixtures());
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  const std::string& t = r.server_toml;
  EXPECT_TRUE(has(t, "source = \"radius\""));
  EXPECT_TRUE(has(t, "timeout_seconds = 10"));
  EXPECT_TRUE(has(t, "retries = 3"));
  // acctserver 192.0.2.10:1813 is also an authserver: its acct_port.
  EXPECT_TRUE(has(t, "[[radius.servers]]\naddress = \"192.0.2.10\"\nauth_port = 1812\nacct_port = 1813\n"
                     "secret_file = \"/etc/pptpx/radius-secret-192.0.2.10\"\n"));
  EXPECT_FALSE(has(t, "accounting = false"));
  ASSERT_NE(row_for(r, "authserver 192.0.2.11"), nullptr);  // gets accounting too in pptpx: said
  EXPECT_TRUE(has(t, "address = \"192.0.2.11\""));
  ASSERT_EQ(r.radius_secret_files.size(), 2u);
  EXPECT_EQ(r.radius_secret_files[0].text, "Sh4red-Secret-10\n");
  EXPECT_EQ(r.radius_secret_files[1].name, "radius-secret-192.0.2.11");
  EXPECT_EQ(r.radius_secret_files[1].text, "Sh4red-Secret-11\n");
  const std::string report = format_report(r.report);
  EXPECT_FALSE(has(report, "Sh4red"));
  EXPECT_FALSE(has(t, "Sh4red"));
  // Every keyword line of radiusclient.conf has a row (16 of them).
  int rows = 0;
  for (const auto& row : r.report) rows += row.where.rfind("radiusclient.conf:", 0) == 0;
  EXPECT_EQ(rows, 16);
  ASSERT_NE(row_for(r, "acctserver 192.0.2.10:1813"), nullptr);
  EXPECT_EQ(row_for(r, "acctserver 192.0.2.10:1813")->outcome, Outcome::mapped);
  ASSERT_NE(row_for(r, "plugin radattr.so"), nullptr);
  EXPECT_EQ(row_for(r, "plugin radattr.so")->outcome, Outcome::not_needed);
}

TEST(PptpdImport, RadiusPluginBadInputNamesTheLine) {
  auto in = radius_fixtures();
  auto read = in.read;
  in.read = [read](const std::string& path) -> std::optional<SourceText> {
    if (path == "radiusclient.conf") return SourceText{path, "authserver localhost\nservers radius-servers\n"};
    return read(path);
  };
  auto r = import_pptpd(in);
  ASSERT_FALSE(r.errors.empty());
  EXPECT_TRUE(has(r.errors.front(), "radiusclient.conf:1: authserver \"localhost\" is not an IPv4 address")) << r.errors.front();
  in.read = [](const std::string&) -> std::optional<SourceText> { return std::nullopt; };
  r = import_pptpd(in);
  ASSERT_FALSE(r.errors.empty());
  EXPECT_TRUE(has(r.errors.front(), "options.pptpd-radius:10: cannot read the radius plugin's configuration "
                                    "radiusclient.conf"))
      << r.errors.front();
}

}  // namespace
}  // namespace pptpx::migrate
