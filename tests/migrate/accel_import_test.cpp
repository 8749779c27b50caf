// `pptpx import accel-ppp` translation (migrate/accel_import.hpp) on the fixtures under
// tests/migrate/fixtures/ (accel-ppp.conf with radius.conf $included, chap-secrets.accel),
// written after accel-ppp's shipped example configuration, and on small inline inputs for the
// edge cases. Expected values come from the fixture files and from accel-ppp.conf(5) and
// accel-ppp's parsers (triton/conf_file.c, extra/chap-secrets.c, extra/ippool.c); the NT hash of
// "clientPass" is RFC 2759 §9.2's.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "migrate/accel_import.hpp"
#include "server/secrets_file.hpp"

namespace pptpx::migrate {
namespace {

const std::string kDir = PPTPX_MIGRATE_FIXTURES;

std::optional<SourceText> read_fixture(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return SourceText{path, ss.str()};
}

AccelImportInput fixture_input(const std::string& conf = "accel-ppp.conf") {
  AccelImportInput in;
  in.conf = *read_fixture(kDir + "/" + conf);
  in.read = read_fixture;
  in.out_dir = "/etc/pptpx";
  return in;
}

// An inline configuration; files it names come from `files`.
AccelImportInput inline_input(const std::string& conf, std::map<std::string, std::string> files = {}) {
  AccelImportInput in;
  in.conf = {"/etc/accel-ppp.conf", conf};
  in.read = [files](const std::string& path) -> std::optional<SourceText> {
    auto f = files.find(path);
    if (f == files.end()) return std::nullopt;
    return SourceText{path, f->second};
  };
  in.out_dir = "/etc/pptpx";
  return in;
}

const std::string kBase =
    "[modules]\npptp\nauth_mschap_v2\nchap-secrets\nippool\n"
    "[ip-pool]\ngw-ip-address=198.51.100.1\n198.51.100.10-50\n"
    "[chap-secrets]\nchap-secrets=/etc/ppp/chap-secrets\n";
const std::map<std::string, std::string> kSecrets = {{"/etc/ppp/chap-secrets", "bob * bobPass *\n"}};

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const ReportRow* row_for(const AccelImportResult& r, const std::string& option) {
  for (const auto& row : r.report) {
    if (row.option == option) return &row;
  }
  return nullptr;
}

bool any_error(const AccelImportResult& r, const std::string& part) {
  for (const auto& e : r.errors) {
    if (has(e, part)) return true;
  }
  return false;
}

TEST(AccelImport, FixtureTranslatesToItsKeys) {
  auto r = import_accel(fixture_input());
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  const std::string& t = r.server_toml;
  // [pptp] ip-pool=pptp: 198.51.100.10-99 chained by next= to pool pptp2, 198.51.100.100-150.
  EXPECT_TRUE(has(t, "pool = \"198.51.100.10-198.51.100.150\""));
  EXPECT_TRUE(has(t, "server_address = \"198.51.100.1\""));
  EXPECT_TRUE(has(t, "address = \"192.0.2.1\""));  // [pptp] bind
  EXPECT_TRUE(has(t, "dns = [\"198.51.100.53\", \"198.51.100.54\"]"));
  EXPECT_TRUE(has(t, "methods = [\"mschapv2\", \"mschap\"]"));
  EXPECT_TRUE(has(t, "server_name = \"vpn-gw\""));
  EXPECT_TRUE(has(t, "source = \"radius\""));
  EXPECT_TRUE(has(t, "required = true"));
  EXPECT_TRUE(has(t, "mtu = 1400"));  // the smallest of mtu=1400, mru=1400, ppp-max-mtu=1436
  EXPECT_TRUE(has(t, "lcp_interval_seconds = 20"));
  EXPECT_TRUE(has(t, "lcp_failures = 3"));
  EXPECT_TRUE(has(t, "control_interval_seconds = 30"));
  EXPECT_TRUE(has(t, "auth_seconds = 20"));
  EXPECT_TRUE(has(t, "max_sessions = 500"));
  EXPECT_TRUE(has(t, "level = \"info\""));  // level=3
  EXPECT_TRUE(has(t, "nas_identifier = \"vpn-gw-1\""));
  EXPECT_TRUE(has(t, "nas_ip_address = \"192.0.2.1\""));
  EXPECT_TRUE(has(t, "retries = 2"));  // max-try=3 is the first send and two more
  EXPECT_TRUE(has(t, "fail_timeout_seconds = 30"));
  EXPECT_TRUE(has(t, "max_fail = 10"));
  EXPECT_TRUE(has(t, "# from " + kDir + "/radius.conf:7\n[[radius.servers]]\naddress = \"192.0.2.10\"\nauth_port = 1812\n"
                     "acct_port = 1813\nsecret_file = \"/etc/pptpx/radius-secret-192.0.2.10\"\nweight = 2\nbackup = false"));
  EXPECT_TRUE(has(t, "address = \"192.0.2.11\""));
  EXPECT_TRUE(has(t, "backup = true"));
  EXPECT_FALSE(has(t, "192.0.2.12"));  // auth-port=0: accounting only
  EXPECT_TRUE(has(t, "interim_interval_seconds = 300"));
  EXPECT_FALSE(has(t, "accounting = false"));  // the servers have acct-port=1813
  ASSERT_EQ(r.radius_secret_files.size(), 2u);
  EXPECT_EQ(r.radius_secret_files[0].name, "radius-secret-192.0.2.10");
  EXPECT_EQ(r.radius_secret_files[0].text, "s3cr3t-Radius-one\n");
  EXPECT_EQ(r.radius_secret_files[1].text, "s3cr3t-Radius-two\n");
  EXPECT_EQ(r.radius_secret_files[0].mode, 0600u);
}

TEST(AccelImport, SecretsFollowAccelPppsChapSecretsRules) {
  auto r = import_accel(fixture_input());
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  auto parsed = server::parse_secrets(r.secrets, "out");
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors.front();
  std::map<std::string, server::SecretEntry> users;
  for (const auto& e : parsed.entries) users.emplace(e.client, e);
  // alice (first line only), bob, carol, dave; frank has 2 columns, erin is commented out.
  ASSERT_EQ(users.size(), 4u);
  EXPECT_EQ(users.at("alice").password, "correct horse");
  ASSERT_EQ(users.at("alice").allowed.size(), 1u);
  EXPECT_EQ(server::to_string(users.at("alice").allowed[0]), "198.51.100.201");
  EXPECT_EQ(users.at("bob").server, "*");  // accel-ppp ignores the server column
  EXPECT_EQ(users.at("carol").password, "carol pass #1");
  EXPECT_EQ(users.at("carol").addresses, server::AddressPolicy::any);  // "-": a pool address in accel-ppp
  EXPECT_EQ(users.at("dave").addresses, server::AddressPolicy::any);
  ASSERT_NE(row_for(r, "dave pool2"), nullptr);
  EXPECT_EQ(row_for(r, "dave pool2")->outcome, Outcome::not_supported);
  ASSERT_NE(row_for(r, "carol 1024/512"), nullptr);
  ASSERT_NE(row_for(r, "frank"), nullptr);
  EXPECT_EQ(row_for(r, "frank")->outcome, Outcome::not_needed);
}

TEST(AccelImport, EveryLineOfEveryFileHasARow) {
  auto r = import_accel(fixture_input());
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  std::set<std::string> wheres;
  for (const auto& row : r.report) wheres.insert(row.where);
  for (const std::string name : {"accel-ppp.conf", "radius.conf"}) {
    std::istringstream in(read_fixture(kDir + "/" + name)->text);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      auto first = line.find_first_not_of(" \t");
      if (first == std::string::npos || line[first] == '#' || line[first] == '[' || line.rfind("$include", 0) == 0) continue;
      EXPECT_TRUE(wheres.count(kDir + "/" + name + ":" + std::to_string(n))) << name << ":" << n << " " << line;
    }
  }
}

TEST(AccelImport, ReportHidesRadiusSecretsAndFlagsWeakSettings) {
  auto r = import_accel(fixture_input());
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  const std::string report = format_report(r.report);
  EXPECT_FALSE(has(report, "s3cr3t"));
  EXPECT_FALSE(has(report, "dae-secret"));
  EXPECT_FALSE(has(report, "acct-only-secret"));
  EXPECT_TRUE(has(report, "mschap is allowed: weaker than MS-CHAPv2"));
  EXPECT_TRUE(has(report, "[WEAKENS SECURITY]"));
}

TEST(AccelImport, MppeAllowOrUnsetIsFlagged) {
  auto unset = import_accel(inline_input(kBase, kSecrets));
  ASSERT_TRUE(unset.errors.empty()) << unset.errors.front();
  EXPECT_TRUE(has(unset.server_toml, "required = false"));
  ASSERT_NE(row_for(unset, "(no mppe=)"), nullptr);
  EXPECT_TRUE(row_for(unset, "(no mppe=)")->weakens);
  // [pptp] mppe overrides [ppp] mppe for PPTP sessions.
  auto allow = import_accel(inline_input(kBase + "[ppp]\nmppe=require\n[pptp]\nmppe=allow\n", kSecrets));
  ASSERT_TRUE(allow.errors.empty()) << allow.errors.front();
  EXPECT_TRUE(has(allow.server_toml, "required = false"));
  ASSERT_NE(row_for(allow, "mppe=allow"), nullptr);
  EXPECT_TRUE(row_for(allow, "mppe=allow")->weakens);
  EXPECT_EQ(row_for(allow, "mppe=require")->outcome, Outcome::not_needed);
  auto require = import_accel(inline_input(kBase + "[ppp]\nmppe=require\n", kSecrets));
  ASSERT_TRUE(require.errors.empty());
  EXPECT_TRUE(has(require.server_toml, "required = true"));
  // No challenge-name: accel-ppp's Challenges say "accel-ppp", and clients may rely on it.
  EXPECT_TRUE(has(require.server_toml, "server_name = \"accel-ppp\""));
}

TEST(AccelImport, EncryptedSecretsBecomeNtHashesAndDropPlaintextMethods) {
  auto in = inline_input("[modules]\npptp\nauth_mschap_v2\nauth_pap\nchap-secrets\nippool\n"
                         "[ip-pool]\ngw-ip-address=198.51.100.1\n198.51.100.10-50\n"
                         "[chap-secrets]\nencrypted=1\n",
                         {{"/etc/ppp/chap-secrets",
                           "bob * 44ebba8d5312b8d611474411f56989ae *\neve * notahash *\n"}});
  auto r = import_accel(in);
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  EXPECT_TRUE(has(r.secrets, "bob * nthash:44EBBA8D5312B8D611474411F56989AE *"));
  EXPECT_FALSE(has(r.secrets, "eve"));
  EXPECT_TRUE(has(r.server_toml, "methods = [\"mschapv2\"]"));
}

TEST(AccelImport, ChapSecretsAreSplitAsAccelPppSplitsThem) {
  // extra/chap-secrets.c: '#' and '\\' are ordinary characters outside quotes; inside quotes
  // \c is c; only a '#' in the first column makes a comment.
  auto r = import_accel(inline_input(kBase, {{"/etc/ppp/chap-secrets",
                                              "erin * abc#123 *\nfrank * a\\b *\ngina * \"q\\\"x\" *\n  #hal * h *\n"}}));
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  auto parsed = server::parse_secrets(r.secrets, "out");
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors.front();
  ASSERT_EQ(parsed.entries.size(), 3u) << r.secrets;
  EXPECT_EQ(parsed.entries[0].password, "abc#123");
  EXPECT_EQ(parsed.entries[1].password, "a\\b");
  EXPECT_EQ(parsed.entries[2].password, "q\"x");
  ASSERT_NE(row_for(r, "#hal"), nullptr);
}

TEST(AccelImport, RadiusWithoutAccountingPortsTurnsAccountingOff) {
  auto r = import_accel(inline_input(kBase + "[modules]\nradius\n[radius]\nserver=192.0.2.10,s3cret,acct-port=0\n",
                                     kSecrets));
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  EXPECT_TRUE(has(r.server_toml, "accounting = false"));
  EXPECT_TRUE(has(r.server_toml, "source = \"radius\""));
}

TEST(AccelImport, HashSecretsWritesNtHashes) {
  auto in = inline_input(kBase, {{"/etc/ppp/chap-secrets", "bob * clientPass *\n"}});
  in.hash_secrets = true;
  auto r = import_accel(in);
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  EXPECT_TRUE(has(r.secrets, "bob * nthash:44EBBA8D5312B8D611474411F56989AE *"));
}

TEST(AccelImport, IncludesParentValuesAndMaskRanges) {
  auto in = inline_input("[modules]\npptp\nauth_mschap_v2\nchap-secrets\nippool\n$include /etc/accel/pool.conf\n"
                         "[chap-secrets]\ngw-ip-address=198.51.100.1\n",
                         {{"/etc/accel/pool.conf", "[ip-pool]\ngw-ip-address=${gw-ip-address}\n192.0.2.16/28\n"},
                          {"/etc/ppp/chap-secrets", "bob * b *\n"}});
  // ${gw-ip-address} names an item of the same section ([ip-pool]), which has none yet.
  auto r = import_accel(in);
  EXPECT_TRUE(any_error(r, "/etc/accel/pool.conf:2: ${gw-ip-address} names no earlier option of [ip-pool]"));
  in = inline_input("[modules]\npptp\nauth_mschap_v2\nchap-secrets\nippool\n$include pool.conf\n",
                    {{"/etc/pool.conf", "[ip-pool]\nx=198.51.100.1\ngw-ip-address=${x}\n192.0.2.16/28\n"},
                     {"/etc/ppp/chap-secrets", "bob * b *\n"}});
  r = import_accel(in);
  EXPECT_TRUE(any_error(r, "/etc/pool.conf:2: unknown option `x` in [ip-pool]"));
  EXPECT_TRUE(has(r.report.empty() ? "" : format_report(r.report), "/etc/pool.conf:3"));
  in = inline_input("[modules]\npptp\nauth_mschap_v2\nchap-secrets\nippool\n$include pool.conf\n",
                    {{"/etc/pool.conf", "[ip-pool]\ngw-ip-address=198.51.100.1\n192.0.2.16/28\n"},
                     {"/etc/ppp/chap-secrets", "bob * b *\n"}});
  r = import_accel(in);
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  EXPECT_TRUE(has(r.server_toml, "pool = \"192.0.2.16-192.0.2.31\""));
}

TEST(AccelImport, BadInputNamesFileAndLine) {
  struct Case {
    std::string extra;
    std::string error;
  };
  const Case cases[] = {
      {"[pptp]\nfrobnicate=1\n", "/etc/accel-ppp.conf:12: unknown option `frobnicate` in [pptp]"},
      {"[auth]\nany-login=1\n", "/etc/accel-ppp.conf:12: any-login=1 lets anyone in"},
      {"[ppp]\nmtu=1400 # comment\n", "/etc/accel-ppp.conf:12: mtu must be a number 576..1500"},
      {"[ppp]\nccp=0\n", "ccp=0 turns CCP"},
      {"[ip-pool]\n198.51.100.60-70\n", "leave a gap"},
      {"[ip-pool]\n198.51.100.60-70,allocator=net30\n", "allocator=net30: pptpx gives each client one /32"},
      {"[chap-secrets]\nusername-hash=md5\n", "username-hash stores hashed user names"},
      {"$include /nonexistent.conf\n", "/etc/accel-ppp.conf:11: cannot read the included file /nonexistent.conf"},
      {"[radius]\nserver=192.0.2.10\n", "server needs ADDRESS,SECRET"},
      {"[weird]\nx=1\n", "unknown accel-ppp section [weird]"},
  };
  for (const auto& c : cases) {
    auto r = import_accel(inline_input(kBase + c.extra, kSecrets));
    EXPECT_TRUE(any_error(r, c.error)) << c.extra << " -> " << (r.errors.empty() ? "(no error)" : r.errors.front());
    EXPECT_TRUE(r.server_toml.empty()) << c.extra;
  }
  auto no_pptp = import_accel(inline_input("[modules]\nl2tp\nauth_mschap_v2\nchap-secrets\n", kSecrets));
  EXPECT_TRUE(any_error(no_pptp, "does not load pptp"));
  auto unknown_module = import_accel(inline_input("[modules]\npptp\nfrob\n", kSecrets));
  EXPECT_TRUE(any_error(unknown_module, "/etc/accel-ppp.conf:3: unknown accel-ppp module `frob`"));
  auto no_gw = import_accel(inline_input("[modules]\npptp\nauth_mschap_v2\nchap-secrets\nippool\n[ip-pool]\n"
                                         "198.51.100.10-50\n", kSecrets));
  EXPECT_TRUE(any_error(no_gw, "no gw-ip-address"));
  auto radius_no_server = import_accel(inline_input(kBase + "[modules]\nradius\n", kSecrets));
  EXPECT_TRUE(any_error(radius_no_server, "[radius] names no server="));
  auto missing_secrets = import_accel(inline_input(kBase));
  EXPECT_TRUE(any_error(missing_secrets, "/etc/accel-ppp.conf:10: cannot read the chap-secrets file /etc/ppp/chap-secrets"));
}

}  // namespace
}  // namespace pptpx::migrate
