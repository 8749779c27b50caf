#include "server/config_check.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "support/temp_dir.hpp"

namespace pptpx::server {
namespace {

class CheckConfig : public ::testing::Test {
 protected:
  void files(const std::string& secrets, mode_t mode = 0600) {
    std::ofstream(config_) << "[ipv4]\nserver_address = \"198.51.100.1\"\npool = \"198.51.100.10-198.51.100.20\"\n"
                              "[auth]\nsecrets_file = \""
                           << secrets_ << "\"\n";
    std::ofstream(secrets_) << secrets;
    ::chmod(secrets_.c_str(), mode);
  }
  test::ScopedTempDir dir_;
  std::string config_ = dir_.file("server.toml");
  std::string secrets_ = dir_.file("secrets");
};

TEST_F(CheckConfig, GoodFilesPassWithASummary) {
  files("bob * pw 198.51.100.50\ncarol * nthash:44EBBA8D5312B8D611474411F56989AE\n");
  std::ostringstream out, err;
  EXPECT_EQ(run_check_config(config_, out, err), 0);
  // The summary, then the default mode's one security warning (security_warnings.hpp).
  EXPECT_EQ(out.str().rfind(config_ + ": OK (2 secrets entries)\nwarning: auth mschapv2: ", 0), 0u) << out.str();
  EXPECT_EQ(err.str(), "");
}

TEST_F(CheckConfig, ReportsSecretsProblemsThroughTheConfig) {
  files("bob * pw 198.51.100.1\nbroken\n");
  auto problems = check_server_files(config_);
  ASSERT_EQ(problems.size(), 1u);  // the parse error; the table is refused so no address check
  EXPECT_EQ(problems[0].rfind(secrets_ + ":2: ", 0), 0u) << problems[0];
  files("bob * pw 198.51.100.1\n");
  problems = check_server_files(config_);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("is the server's own [ipv4] server_address"), std::string::npos) << problems[0];
  files("bob * pw\n", 0640);
  std::ostringstream out, err;
  EXPECT_EQ(run_check_config(config_, out, err), 1);
  EXPECT_NE(err.str().find("chmod 600"), std::string::npos);
  EXPECT_NE(err.str().find("1 problem found"), std::string::npos);
}

// Issue 12, rough edge 7: a bad key in the config, a broken secrets line and a multicast pool
// are all reported in one pass.
TEST_F(CheckConfig, ReportsEveryStageInOnePass) {
  std::ofstream(config_) << "[ipv4]\nserver_address = \"198.51.100.1\"\npool = \"224.0.0.10-224.0.0.20\"\n"
                            "[tun]\nmtu = 9\n[auth]\nsecrets_file = \""
                         << secrets_ << "\"\n";
  std::ofstream(secrets_) << "broken\n";
  ::chmod(secrets_.c_str(), 0600);
  const auto problems = check_server_files(config_);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_NE(problems[0].find("[tun] mtu"), std::string::npos) << problems[0];
  EXPECT_EQ(problems[1].rfind(secrets_ + ":1: ", 0), 0u) << problems[1];
  EXPECT_NE(problems[2].find("contains 224.0.0.10, a multicast address"), std::string::npos) << problems[2];
}

TEST_F(CheckConfig, BadServerAddressIsNotAlsoBlamedOnTheAddressChecks) {
  std::ofstream(config_) << "[ipv4]\nserver_address = \"x\"\npool = \"198.51.100.10-198.51.100.20\"\n"
                            "[auth]\nsecrets_file = \""
                         << secrets_ << "\"\n";
  std::ofstream(secrets_) << "bob * pw *\n";
  ::chmod(secrets_.c_str(), 0600);
  const auto problems = check_server_files(config_);
  ASSERT_EQ(problems.size(), 1u) << ::testing::PrintToString(problems);
  EXPECT_NE(problems[0].find("is not a dotted-quad"), std::string::npos) << problems[0];
}

// Issue 12, rough edge 8: an empty secrets file is worth a warning.
TEST_F(CheckConfig, EmptySecretsFileWarns) {
  files("# nobody yet\n");
  std::ostringstream out, err;
  EXPECT_EQ(run_check_config(config_, out, err), 0);
  EXPECT_NE(err.str().find("warning: " + secrets_ + " has no entries for this server, so no one can log in"),
            std::string::npos) << err.str();
  EXPECT_NE(out.str().find("OK (0 secrets entries)"), std::string::npos);
}

}  // namespace
}  // namespace pptpx::server
