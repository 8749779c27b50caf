// The control socket's JSON-lines protocol (docs/control.md) over a fake daemon.
#include "control/protocol.hpp"

#include <gtest/gtest.h>

#include "control/fake_backend.hpp"

namespace pptpx::control {
namespace {

using nlohmann::json;
using test::FakeBackend;
using test::session;

json ask(Backend& b, const std::string& line) { return json::parse(handle_request(line, b)); }

class ProtocolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    b.snap.sessions = {session(1, "alice", "198.51.100.10", 5000, 700), session(2, "bob", "198.51.100.11", 100, 90000),
                       session(3, "alice", "198.51.100.12", 300, 300)};
  }
  FakeBackend b;
};

TEST_F(ProtocolTest, SessionsListsEveryFieldOfTheDocumentedForm) {
  const json r = ask(b, R"({"command":"sessions"})");
  ASSERT_TRUE(r["ok"]) << r;
  ASSERT_EQ(r["result"]["sessions"].size(), 3u);
  const json& s = r["result"]["sessions"][0];
  EXPECT_EQ(s["id"], 1);
  EXPECT_EQ(s["user"], "alice");
  EXPECT_EQ(s["peer"], "192.0.2.1");
  EXPECT_EQ(s["peer_port"], 40001);
  EXPECT_EQ(s["call_id"], 101);
  EXPECT_EQ(s["ipv4"], "198.51.100.10");
  EXPECT_EQ(s["state"], "up");
  EXPECT_EQ(s["received_bytes"], 5000);
  EXPECT_EQ(s["sent_bytes"], 700);
  EXPECT_EQ(s["received_packets"], 50);
  EXPECT_EQ(s["sent_packets"], 7);
  for (const char* k : {"ipv6", "interface", "auth", "mppe", "started", "uptime"}) EXPECT_TRUE(s.contains(k)) << k;
}

TEST_F(ProtocolTest, SessionsFilterByUserIpAndPeer) {
  json r = ask(b, R"({"command":"sessions","user":"alice"})");
  ASSERT_EQ(r["result"]["sessions"].size(), 2u);
  EXPECT_EQ(r["result"]["sessions"][1]["id"], 3);
  r = ask(b, R"({"command":"sessions","ip":"198.51.100.11"})");
  ASSERT_EQ(r["result"]["sessions"].size(), 1u);
  EXPECT_EQ(r["result"]["sessions"][0]["user"], "bob");
  r = ask(b, R"({"command":"sessions","peer":"192.0.2.3:40003"})");
  ASSERT_EQ(r["result"]["sessions"].size(), 1u);
  r = ask(b, R"({"command":"sessions","peer":"192.0.2.3"})");
  ASSERT_EQ(r["result"]["sessions"].size(), 1u);
  r = ask(b, R"({"command":"sessions","user":"carol"})");
  EXPECT_TRUE(r["ok"]);
  EXPECT_TRUE(r["result"]["sessions"].empty());
}

TEST_F(ProtocolTest, SessionsSortNumbersDescendingAndRejectUnknownColumns) {
  json r = ask(b, R"({"command":"sessions","sort":"sent_bytes"})");
  ASSERT_TRUE(r["ok"]);
  EXPECT_EQ(r["result"]["sessions"][0]["id"], 2);  // 90000
  EXPECT_EQ(r["result"]["sessions"][1]["id"], 1);  // 700
  EXPECT_EQ(r["result"]["sessions"][2]["id"], 3);  // 300
  r = ask(b, R"({"command":"sessions","sort":"user"})");
  EXPECT_EQ(r["result"]["sessions"][2]["user"], "bob");
  r = ask(b, R"({"command":"sessions","sort":"colour"})");
  EXPECT_FALSE(r["ok"]);
  EXPECT_NE(r["error"].get<std::string>().find("cannot sort by \"colour\""), std::string::npos);
}

TEST_F(ProtocolTest, KillByIdEndsExactlyThatSessionAsTheOperator) {
  const json r = ask(b, R"({"command":"kill","id":2})");
  ASSERT_TRUE(r["ok"]) << r;
  EXPECT_EQ(r["result"]["terminated"], json::array({2}));
  EXPECT_EQ(b.terminated, std::vector<std::uint64_t>{2});
  EXPECT_EQ(b.last_reason, "terminated by operator");
}

TEST_F(ProtocolTest, KillUnknownIdNamesIt) {
  const json r = ask(b, R"({"command":"kill","id":77})");
  EXPECT_FALSE(r["ok"]);
  EXPECT_NE(r["error"].get<std::string>().find("no session 77"), std::string::npos) << r;
  EXPECT_TRUE(b.terminated.empty());
}

TEST_F(ProtocolTest, KillByUserEndsEachOfItsConnectionsAndByIpOne) {
  json r = ask(b, R"({"command":"kill","user":"alice"})");
  ASSERT_TRUE(r["ok"]);
  EXPECT_EQ(b.terminated, (std::vector<std::uint64_t>{1, 3}));
  r = ask(b, R"({"command":"kill","ip":"198.51.100.11"})");
  EXPECT_EQ(r["result"]["terminated"], json::array({2}));
  r = ask(b, R"({"command":"kill","user":"nobody"})");
  EXPECT_FALSE(r["ok"]);
  r = ask(b, R"({"command":"kill","id":1,"user":"alice"})");
  EXPECT_FALSE(r["ok"]);
  r = ask(b, R"({"command":"kill","id":-1})");
  EXPECT_FALSE(r["ok"]);
}

TEST_F(ProtocolTest, UnlockClearsOnlyWhatIsLockedOut) {
  json r = ask(b, R"({"command":"unlock","key":"mallory"})");
  EXPECT_TRUE(r["ok"]);
  EXPECT_EQ(b.locked.count("mallory"), 0u);
  r = ask(b, R"({"command":"unlock","key":"mallory"})");
  EXPECT_FALSE(r["ok"]);
  EXPECT_NE(r["error"].get<std::string>().find("not locked out"), std::string::npos);
}

TEST_F(ProtocolTest, StatsSumEndedAndLiveTraffic) {
  b.metrics.session_ended("carol", control::Traffic{1000, 2000, 10, 20});
  b.metrics.setup_succeeded(std::chrono::milliseconds(30));
  b.metrics.setup_failed("authentication failed: wrong password");
  b.metrics.auth_failed("MS-CHAPv2", "rejected");
  b.snap.lockouts = {{"address", "203.0.113.9", 100}, {"user", "mallory", 50}};
  const json r = ask(b, R"({"command":"stats"})");
  ASSERT_TRUE(r["ok"]);
  const json& s = r["result"];
  EXPECT_EQ(s["traffic"]["received_bytes"], 1000 + 5000 + 100 + 300);
  EXPECT_EQ(s["traffic"]["sent_bytes"], 2000 + 700 + 90000 + 300);
  EXPECT_EQ(s["sessions"]["up"], 3);
  EXPECT_EQ(s["sessions"]["negotiating"], 0);
  EXPECT_EQ(s["setups"]["success"], 1);
  EXPECT_EQ(s["setups"]["auth_failed"], 1);
  EXPECT_EQ(s["auth_failures"][0]["method"], "MS-CHAPv2");
  EXPECT_EQ(s["lockouts"]["address"], 1);
  EXPECT_EQ(s["lockouts"]["user"], 1);
}

TEST_F(ProtocolTest, PoolCountsFreeDynamicAddresses) {
  b.snap.pool = {"198.51.100.10", "198.51.100.19", "198.51.100.1", 9, {{"198.51.100.10", "alice"}, {"198.51.100.50", "bob"}},
                 {{"198.51.100.50", "bob"}, {"198.51.100.51", "carol"}}};
  const json r = ask(b, R"({"command":"pool"})");
  ASSERT_TRUE(r["ok"]);
  EXPECT_EQ(r["result"]["capacity"], 9);
  EXPECT_EQ(r["result"]["free"], 8);  // bob's address is static, not from the dynamic pool
  EXPECT_EQ(r["result"]["static"].size(), 2u);
}

TEST_F(ProtocolTest, ReloadReportsWhatNeedsARestartOrWhyNothingChanged) {
  b.report.applied = {"secrets file: 3 users"};
  b.report.needs_restart = {"[listen] port"};
  json r = ask(b, R"({"command":"reload"})");
  ASSERT_TRUE(r["ok"]);
  EXPECT_EQ(r["result"]["needs_restart"], json::array({"[listen] port"}));
  b.report.errors = {"chap-secrets:3: bad line"};
  r = ask(b, R"({"command":"reload"})");
  EXPECT_FALSE(r["ok"]);
  EXPECT_NE(r["error"].get<std::string>().find("nothing changed"), std::string::npos);
}

TEST_F(ProtocolTest, BadRequestsGetOneSentenceNotACrash) {
  for (const char* line : {"", "not json", "[1,2]", "{\"command\":5}", "{\"command\":\"dance\"}", "{\"x\":1}",
                           "{\"command\":\"sessions\",\"user\":7}"}) {
    const json r = ask(b, line);
    EXPECT_FALSE(r["ok"]) << line;
    EXPECT_FALSE(r["error"].get<std::string>().empty()) << line;
  }
  EXPECT_FALSE(ask(b, std::string(kMaxRequestLine + 1, ' '))["ok"]);
  // Invalid UTF-8 in a user name must not break the answer's JSON.
  b.snap.sessions[0].user = "\xff\xfe";
  EXPECT_TRUE(ask(b, R"({"command":"sessions"})")["ok"]);
}

}  // namespace
}  // namespace pptpx::control
