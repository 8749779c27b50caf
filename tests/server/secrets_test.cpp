#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>

#include "auth/mschap.hpp"
#include "server/auth_lockout.hpp"
#include "server/secrets_file.hpp"
#include "server/secrets_store.hpp"

#include "support/temp_dir.hpp"

namespace pptpx::server {
namespace {

std::vector<std::string> texts(std::string_view in) {
  std::vector<std::string> out;
  for (auto& w : split_secrets_words(in).words) out.push_back(w.text);
  return out;
}
using V = std::vector<std::string>;

// RFC 2759 §9.2: NtPasswordHash("clientPass") = 44EBBA8D5312B8D611474411F56989AE.
constexpr auth::NtHash kClientPassHash{0x44, 0xEB, 0xBA, 0x8D, 0x53, 0x12, 0xB8, 0xD6,
                                       0x11, 0x47, 0x44, 0x11, 0xF5, 0x69, 0x89, 0xAE};

TEST(SecretsWords, WhitespaceAndQuotes) {
  EXPECT_EQ(texts("bob * pw 1.2.3.4\n"), (V{"bob", "*", "pw", "1.2.3.4"}));
  EXPECT_EQ(texts("\"alice smith\" 'server one' \"\"  x"), (V{"alice smith", "server one", "", "x"}));
  // A word may join quoted and unquoted parts; the other quote kind is literal inside.
  EXPECT_EQ(texts("ab\"c d\"e 'it\"s'"), (V{"abc de", "it\"s"}));
  // '#' and newlines inside quotes belong to the word.
  EXPECT_EQ(texts("\"a#b\" 'x\ny'"), (V{"a#b", "x\ny"}));
}

TEST(SecretsWords, BackslashEscapesAsPppd) {
  EXPECT_EQ(texts(R"(a\sb \t \101\x41\x4a \q \\ "\"q\"")"),
            (V{"a b", "\t", "AAJ", "q", "\\", "\"q\""}));
  // \ddd takes at most three octal digits: \1014 is 'A' then '4'. \x takes at most two hex digits.
  EXPECT_EQ(texts(R"(\1014 \x414)"), (V{"A4", "A4"}));
  // Octal stops at the first non-octal digit: \18 is \001 then '8'.
  EXPECT_EQ(texts(R"(\18)"), (V{std::string("\x01") + "8"}));
}

TEST(SecretsWords, CommentsAndLines) {
  auto w = split_secrets_words("# header\nbob * pw # trailing\n  # indented comment\ncarol#x\n* * s\n");
  ASSERT_EQ(w.words.size(), 7u);
  EXPECT_EQ(w.words[0].text, "bob");
  EXPECT_TRUE(w.words[0].starts_line);
  EXPECT_EQ(w.words[0].line, 2u);
  EXPECT_FALSE(w.words[1].starts_line);
  EXPECT_EQ(w.words[3].text, "carol");  // '#' ends a word and starts a comment
  EXPECT_EQ(w.words[3].line, 4u);
  EXPECT_TRUE(w.words[3].starts_line);
  EXPECT_EQ(w.words[4].text, "*");
  EXPECT_TRUE(w.words[4].starts_line);
  EXPECT_EQ(w.words[4].line, 5u);
}

TEST(SecretsWords, BackslashNewlineContinuesTheLine) {
  auto w = split_secrets_words("bob * \\\n pw\nal\\\nice * x\n");
  ASSERT_EQ(w.words.size(), 6u);
  EXPECT_EQ(w.words[2].text, "pw");
  EXPECT_FALSE(w.words[2].starts_line);  // continuation: still bob's entry
  EXPECT_EQ(w.words[3].text, "alice");   // backslash-newline inside a word is dropped
  EXPECT_TRUE(w.words[3].starts_line);
}

TEST(SecretsWords, UnterminatedQuoteIsReported) {
  auto w = split_secrets_words("bob * \"open\n");
  EXPECT_TRUE(w.unterminated_quote_line.has_value());
  auto p = parse_secrets("bob * \"open\n", "s");
  ASSERT_FALSE(p.errors.empty());
  EXPECT_NE(p.errors.back().find("s:1: a quoted word runs to the end of the file"), std::string::npos);
}

TEST(SecretsFile, ColumnsAndAddressForms) {
  auto p = parse_secrets(
      "bob * \"Tunnel-Lab-7\" 198.51.100.50 198.51.100.51\n"
      "carol pptpx pw *\n"
      "dave * pw -\n"
      "erin * pw\n"
      "frank * nthash:44ebba8d5312b8d611474411f56989ae\n",
      "chap-secrets");
  ASSERT_TRUE(p.errors.empty()) << p.errors.front();
  ASSERT_EQ(p.entries.size(), 5u);
  EXPECT_EQ(p.entries[0].client, "bob");
  EXPECT_EQ(*p.entries[0].password, "Tunnel-Lab-7");
  EXPECT_EQ(p.entries[0].addresses, AddressPolicy::listed);
  ASSERT_EQ(p.entries[0].allowed.size(), 2u);
  EXPECT_EQ(to_string(p.entries[0].allowed[0]), "198.51.100.50");
  EXPECT_EQ(p.entries[1].server, "pptpx");
  EXPECT_EQ(p.entries[1].addresses, AddressPolicy::any);
  EXPECT_EQ(p.entries[2].addresses, AddressPolicy::none);
  EXPECT_EQ(p.entries[3].addresses, AddressPolicy::any);
  EXPECT_FALSE(p.entries[4].password.has_value());
  EXPECT_EQ(*p.entries[4].nt_hash, kClientPassHash);
  EXPECT_EQ(p.entries[4].line, 5u);
}

struct BadLine {
  const char* name;
  const char* text;
  const char* needle;
};
class SecretsErrors : public ::testing::TestWithParam<BadLine> {};
TEST_P(SecretsErrors, OneSentenceWithFileLineAndFix) {
  auto p = parse_secrets(std::string("ok * pw\n") + GetParam().text, "/etc/pptpx/chap-secrets");
  ASSERT_EQ(p.errors.size(), 1u);
  EXPECT_EQ(p.errors[0].rfind("/etc/pptpx/chap-secrets:2: ", 0), 0u) << p.errors[0];
  EXPECT_NE(p.errors[0].find(GetParam().needle), std::string::npos) << p.errors[0];
  EXPECT_EQ(p.entries.size(), 1u);  // the good line still parses
}
INSTANTIATE_TEST_SUITE_P(
    Cases, SecretsErrors,
    ::testing::Values(BadLine{"two_words", "bob *\n", "needs at least three; write: client server secret"},
                      BadLine{"bad_hash", "bob * nthash:1234\n", "exactly 32 hex digits"},
                      BadLine{"bad_hash_hex", "bob * nthash:44ebba8d5312b8d611474411f56989ag\n", "32 hex digits"},
                      BadLine{"bad_addr", "bob * pw 198.51.100\n", "is not a dotted-quad IPv4 address"},
                      BadLine{"subnet", "bob * pw 198.51.100.0/24\n", "subnet or negation"},
                      BadLine{"negation", "bob * pw !198.51.100.3\n", "subnet or negation"},
                      BadLine{"options", "bob * pw -- ms-dns 1.2.3.4\n", "after \"--\" are not supported"},
                      BadLine{"indirect", "bob * @/etc/pw\n", "indirect secrets"},
                      BadLine{"mixed", "bob * pw - 198.51.100.2\n", "mixes"},
                      BadLine{"duplicate", "ok * other\n", "already defined on line 1"}),
    [](const ::testing::TestParamInfo<BadLine>& i) { return std::string(i.param.name); });

TEST(SecretsFile, NthashRoundTripAndQuoting) {
  EXPECT_EQ(format_nthash_secret(kClientPassHash), "nthash:44EBBA8D5312B8D611474411F56989AE");
  EXPECT_EQ(parse_nthash_secret("nthash:44EBBA8D5312B8D611474411F56989AE"), kClientPassHash);
  EXPECT_FALSE(parse_nthash_secret("44EBBA8D5312B8D611474411F56989AE").has_value());
  const std::string odd = "a \"b\" \\c #d 'e'";
  EXPECT_EQ(texts(quote_secrets_word(odd) + " x"), (V{odd, "x"}));
}

std::shared_ptr<const SecretsTable> table(const char* text, const char* server = "pptpx") {
  std::vector<std::string> errors;
  auto t = SecretsTable::build(parse_secrets(text, "t"), "t", server, errors);
  EXPECT_TRUE(errors.empty()) << (errors.empty() ? "" : errors[0]);
  return t;
}

TEST(SecretsTable, PppdMatchPriority) {
  auto t = table(
      "* * wild-any\n"
      "bob * bob-any-server\n"
      "bob pptpx bob-exact\n"
      "bob other bob-other\n"
      "* pptpx wild-exact-server\n");
  EXPECT_EQ(*t->lookup("bob")->credential.password, "bob-exact");
  EXPECT_EQ(*t->lookup("zed")->credential.password, "wild-exact-server");
  auto t2 = table("bob other x\n");
  EXPECT_FALSE(t2->lookup("bob").has_value());  // server column names another server
  auto t3 = table("bob other x\n", "*");
  EXPECT_TRUE(t3->lookup("bob").has_value());  // server_name "*" accepts any column
  auto t4 = table("bob * first\n* * wild\n");
  EXPECT_EQ(*t4->lookup("bob")->credential.password, "first");
}

TEST(SecretsTable, DerivesNtHashAndStripsDomain) {
  auto t = table("alice * clientPass 198.51.100.7\ncarol * nthash:44EBBA8D5312B8D611474411F56989AE -\n");
  auto a = t->lookup("CORP\\alice");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(*a->credential.nt_hash, kClientPassHash);  // RFC 2759 §9.2
  EXPECT_EQ(to_string(*a->static_address()), "198.51.100.7");
  auto c = t->lookup("carol");
  EXPECT_FALSE(c->credential.password.has_value());
  EXPECT_EQ(c->addresses, AddressPolicy::none);
  EXPECT_FALSE(c->static_address().has_value());
  EXPECT_FALSE(t->lookup("nobody").has_value());
}

// Issue 16: one DOMAIN\user rule for the lookup, the MS-CHAP hash and the lockout key: the
// account is what follows the LAST backslash (pppd chap-new.c: strrchr(rname, '\\')). The hash
// side is checked against RFC 2759 §9.2's "User" in tests/auth/mschapv2_test.cpp.
TEST(SecretsTable, DomainRuleIsTheLastBackslash) {
  auto t = table("User * clientPass\nB\\\\User * other-line\n");  // the file escapes \\ (pppd)
  // "A\B\User": the account is "User" (the first-backslash rule would have looked up "B\User").
  ASSERT_TRUE(t->lookup("A\\B\\User").has_value());
  EXPECT_EQ(*t->lookup("A\\B\\User")->credential.password, "clientPass");
  EXPECT_EQ(auth::mschap_strip_domain("A\\B\\User"), "User");
  EXPECT_EQ(lockout_user_key("A\\B\\User"), "User");
  // A line that names "B\User" itself is still found by that exact name.
  EXPECT_EQ(*t->lookup("B\\User")->credential.password, "other-line");
  // Empty domain: "\User" is User.
  EXPECT_EQ(*t->lookup("\\User")->credential.password, "clientPass");
  EXPECT_EQ(auth::mschap_strip_domain("\\User"), "User");
  EXPECT_EQ(lockout_user_key("\\User"), "User");
  // Trailing backslash: an empty account, which matches nobody (not even by its domain part).
  EXPECT_FALSE(t->lookup("User\\").has_value());
  EXPECT_EQ(auth::mschap_strip_domain("CORP\\"), "");
  EXPECT_EQ(lockout_user_key("CORP\\"), "");
}

TEST(SecretsTable, SharedStaticAddressIsAnError) {
  std::vector<std::string> errors;
  auto t = SecretsTable::build(parse_secrets("a * x 198.51.100.7\nb * y 198.51.100.7\n", "f"), "f", "*", errors);
  EXPECT_EQ(t, nullptr);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind("f:2: static address 198.51.100.7 is already given to \"a\" on line 1", 0), 0u)
      << errors[0];
}

class SecretsFileOnDisk : public ::testing::Test {
 protected:
  void write(const char* text, mode_t mode) {
    std::ofstream(path_) << text;
    ::chmod(path_.c_str(), mode);
  }
  test::ScopedTempDir dir_;
  std::string path_ = dir_.file("chap-secrets");
};

TEST_F(SecretsFileOnDisk, RefusesFileOthersCanRead) {
  write("bob * pw\n", 0644);
  SecretsStore store(path_, "*");
  auto errors = store.reload();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find(path_ + ": other users can access this secrets file (mode 0644); run `chmod 600 " + path_),
            std::string::npos)
      << errors[0];
  EXPECT_FALSE(store.find("bob").has_value());
}

TEST_F(SecretsFileOnDisk, ReloadSwapsOnlyWhenTheNewFileIsClean) {
  write("bob * one\n", 0600);
  SecretsStore store(path_, "*");
  ASSERT_TRUE(store.reload().empty());
  EXPECT_EQ(*store.find("bob")->password, "one");
  write("bob * two\nbroken line\n", 0600);
  auto errors = store.reload();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind(path_ + ":2: ", 0), 0u) << errors[0];
  EXPECT_EQ(*store.find("bob")->password, "one");  // the old table stays
  write("bob * three\n", 0600);
  EXPECT_TRUE(store.reload().empty());
  EXPECT_EQ(*store.find("bob")->password, "three");
}

TEST(SecretsStore, MissingFileNamesTheSetting) {
  SecretsStore store("/nonexistent/chap-secrets", "*");
  auto errors = store.reload();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("[auth] secrets_file"), std::string::npos);
}

}  // namespace
}  // namespace pptpx::server
