// The start-up warnings: each configured mode is named with what it exposes (issue 6, "Secure
// defaults and honest warnings"). Expected phrases come from the issue's list of facts, not from
// the code under test.
#include "server/security_warnings.hpp"

#include <gtest/gtest.h>

#include <string>

namespace pptpx::server {
namespace {

Config base() {
  auto r = parse_config("[ipv4]\nserver_address = \"198.51.100.1\"\npool = \"198.51.100.10-198.51.100.20\"\n", "t");
  EXPECT_TRUE(r.config.has_value());
  return *r.config;
}

bool any_contains(const std::vector<std::string>& lines, const std::string& a, const std::string& b = "") {
  for (const auto& l : lines)
    if (l.find(a) != std::string::npos && (b.empty() || l.find(b) != std::string::npos)) return true;
  return false;
}

TEST(SecurityWarnings, DefaultMsChapV2Mppe128StillStatesTheDesReduction) {
  Config c = base();
  auto w = security_warnings(c);
  ASSERT_EQ(w.size(), 1u);  // MS-CHAPv2 only; MPPE-128 required: nothing more to say
  EXPECT_TRUE(any_contains(w, "MS-CHAPv2", "one DES key"));
  EXPECT_TRUE(any_contains(w, "2^56", "NT hash"));
  EXPECT_TRUE(any_contains(w, "dictionary"));
  EXPECT_FALSE(any_contains(w, "PAP"));
  EXPECT_FALSE(any_contains(w, "confidentiality"));
}

TEST(SecurityWarnings, EveryWeakModeHasItsOwnStatement) {
  auto r = parse_config(
      "[ipv4]\nserver_address = \"198.51.100.1\"\npool = \"198.51.100.10-198.51.100.20\"\n"
      "[auth]\nmethods = [\"mschapv2\", \"mschap\", \"chap-md5\", \"pap\"]\n"
      "[mppe]\nrequired = false\nstrengths = [40, 56, 128]\n",
      "t");
  ASSERT_TRUE(r.config.has_value()) << (r.errors.empty() ? "" : r.errors[0].to_string());
  auto w = security_warnings(*r.config);
  EXPECT_EQ(w.size(), 7u);
  EXPECT_TRUE(any_contains(w, "PAP", "in clear"));
  EXPECT_TRUE(any_contains(w, "MS-CHAPv1", "NT hash"));
  EXPECT_TRUE(any_contains(w, "MS-CHAPv1", "same in both directions"));
  EXPECT_TRUE(any_contains(w, "40-bit", "brute force"));
  EXPECT_TRUE(any_contains(w, "56-bit", "brute force"));
  EXPECT_TRUE(any_contains(w, "without MPPE", "no confidentiality"));
  EXPECT_TRUE(any_contains(w, "CHAP-MD5", "offline"));
}

TEST(SecurityWarnings, OnlyTheConfiguredModesAreNamed) {
  auto r = parse_config(
      "[ipv4]\nserver_address = \"198.51.100.1\"\npool = \"198.51.100.10-198.51.100.20\"\n"
      "[auth]\nmethods = [\"pap\"]\n[mppe]\nstrengths = [56]\n",
      "t");
  ASSERT_TRUE(r.config.has_value());
  auto w = security_warnings(*r.config);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_TRUE(any_contains(w, "PAP", "in clear"));
  EXPECT_TRUE(any_contains(w, "56-bit"));
  EXPECT_FALSE(any_contains(w, "MS-CHAPv2"));
  EXPECT_FALSE(any_contains(w, "40-bit"));
  EXPECT_FALSE(any_contains(w, "no confidentiality"));
}

}  // namespace
}  // namespace pptpx::server
