// `pptpx migrate status` analysis (migrate/status.hpp) on hand-written inputs in the documented
// formats: accounting lines as in docs/control.md's example, users.csv as `pptpx migrate
// wireguard` documents it (docs/migrate.md), and `wg show wg0 dump` lines as wg(8) describes
// them. Expected states and day counts are worked out from the stated times below.
#include <gtest/gtest.h>

#include <string>

#include "migrate/status.hpp"

namespace pptpx::migrate {
namespace {

// docs/control.md's example pair for user2, then alice (two sessions, the last still up), then
// bob, whose last PPTP use was 2026-11-20T08:00:00Z.
const std::string kLog =
    R"({"auth":"MS-CHAPv2","call_id":3,"event":"start","interface":"pptpx0","ipv4":"198.51.100.12","ipv6":"","mppe":"128-bit stateless","peer":"192.0.2.2","peer_port":53918,"session":3,"start":"2026-12-07T02:14:33.718Z","time":"2026-12-07T02:14:33.718Z","user":"user2"})"
    "\n"
    R"({"auth":"MS-CHAPv2","call_id":3,"duration_seconds":18.2,"end":"2026-12-07T02:14:51.918Z","event":"stop","interface":"pptpx0","ipv4":"198.51.100.12","ipv6":"","mppe":"128-bit stateless","peer":"192.0.2.2","peer_port":53918,"reason":"peer sent Call-Clear-Request","received_bytes":524,"received_packets":4,"sent_bytes":524,"sent_packets":4,"session":3,"start":"2026-12-07T02:14:33.718Z","time":"2026-12-07T02:14:51.918Z","user":"user2"})"
    "\n"
    R"({"event":"start","session":1,"call_id":7,"time":"2026-12-01T09:00:00.000Z","user":"alice"})"
    "\n"
    R"({"event":"stop","session":1,"call_id":7,"time":"2026-12-01T10:00:00.000Z","user":"alice"})"
    "\n"
    R"({"event":"start","session":4,"call_id":9,"time":"2026-12-06T23:00:00.000Z","user":"alice"})"
    "\n"
    R"({"event":"start","session":2,"call_id":8,"time":"2026-11-20T07:00:00.000Z","user":"bob"})"
    "\n"
    R"({"event":"stop","session":2,"call_id":8,"time":"2026-11-20T08:00:00.000Z","user":"bob"})"
    "\n";

const std::string kCsv =
    "user,address,config_file,public_key\n"
    "alice,203.0.113.2,clients/alice.conf,AAAAaliceKEYaliceKEYaliceKEYaliceKEYaliceK=\n"
    "bob,198.51.100.15,clients/bob.conf,BBBBbobKEYbobKEYbobKEYbobKEYbobKEYbobKEYbo=\n"
    "\"carol, jr\",203.0.113.3,clients/carol__jr.conf,CCCCcarolKEYcarolKEYcarolKEYcarolKEYcarolK=\n";

// wg(8): the interface line, then peers: public-key, preshared-key, endpoint, allowed-ips,
// latest-handshake, transfer-rx, transfer-tx, persistent-keepalive. bob's handshake is
// 2026-12-05T00:00:00Z = 1796428800 (20427 days after the epoch); alice's, 2026-12-06T12:00:00Z =
// 1796558400, is older than her PPTP session still up; carol never completed a handshake.
const std::string kDump =
    "cHJpdmF0ZQ==\tcHVibGlj\t51820\toff\n"
    "AAAAaliceKEYaliceKEYaliceKEYaliceKEYaliceK=\t(none)\t192.0.2.2:40000\t203.0.113.2/32\t1796558400\t100\t200\toff\n"
    "BBBBbobKEYbobKEYbobKEYbobKEYbobKEYbobKEYbo=\t(none)\t192.0.2.3:40001\t198.51.100.15/32\t1796428800\t100\t200\toff\n"
    "CCCCcarolKEYcarolKEYcarolKEYcarolKEYcarolK=\t(none)\t(none)\t203.0.113.3/32\t0\t0\t0\toff\n";

const std::int64_t kNow = 1796601600;  // 2026-12-07T00:00:00Z

const UserStatus& find(const StatusResult& r, const std::string& user) {
  for (const auto& u : r.users) {
    if (u.user == user) return u;
  }
  ADD_FAILURE() << "no " << user;
  static UserStatus none;
  return none;
}

TEST(MigrateStatus, Rfc3339TimesRoundTrip) {
  EXPECT_EQ(parse_rfc3339_utc("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_rfc3339_utc("2026-12-07T00:00:00Z"), kNow);
  EXPECT_EQ(parse_rfc3339_utc("2026-12-07T02:14:33.718Z"), kNow + 2 * 3600 + 14 * 60 + 33);
  EXPECT_EQ(parse_rfc3339_utc("2000-03-01T00:00:00+00:00"), 951868800);  // after a leap day (400-year rule)
  EXPECT_FALSE(parse_rfc3339_utc("2026-12-07 00:00:00").has_value());
  EXPECT_FALSE(parse_rfc3339_utc("2026-12-07T00:00:00+01:00").has_value());
  EXPECT_EQ(format_rfc3339_utc(kNow), "2026-12-07T00:00:00Z");
  EXPECT_EQ(format_rfc3339_utc(951868799), "2000-02-29T23:59:59Z");
}

TEST(MigrateStatus, StatesFromLogCsvAndDump) {
  StatusInput in{{{"sessions.jsonl", kLog}}, SourceText{"users.csv", kCsv}, SourceText{"dump", kDump},
                 {"alice", "bob", "carol, jr", "dave"}, kNow};
  auto r = migration_status(in);
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  ASSERT_EQ(r.users.size(), 5u);  // alice, bob, carol jr, dave, user2

  const auto& alice = find(r, "alice");  // PPTP session up now: on PPTP whatever WireGuard says
  EXPECT_EQ(alice.state, UserState::on_pptp);
  EXPECT_TRUE(alice.pptp_connected);
  EXPECT_EQ(alice.pptp_sessions, 2u);
  EXPECT_EQ(alice.days_without_pptp, 0);

  const auto& bob = find(r, "bob");  // last PPTP 2026-11-20T08:00Z, WireGuard 2026-12-05: moved
  EXPECT_EQ(bob.state, UserState::moved);
  EXPECT_EQ(bob.last_pptp_text, "2026-11-20T08:00:00.000Z");
  EXPECT_EQ(bob.days_without_pptp, 16);  // 16 days 16 hours before 2026-12-07T00:00Z
  EXPECT_EQ(bob.wireguard_address, "198.51.100.15");
  EXPECT_EQ(bob.wireguard_handshake, 1796428800);

  const auto& carol = find(r, "carol, jr");  // a config, no handshake, no PPTP
  EXPECT_EQ(carol.state, UserState::never_seen);
  EXPECT_TRUE(carol.wireguard_config);
  EXPECT_FALSE(carol.wireguard_handshake.has_value());

  const auto& dave = find(r, "dave");  // only in the secrets file
  EXPECT_EQ(dave.state, UserState::never_seen);
  EXPECT_TRUE(dave.in_secrets);
  EXPECT_FALSE(dave.wireguard_config);

  const auto& user2 = find(r, "user2");  // stopped 2026-12-07T02:14:51Z, after "now": 0 days
  EXPECT_EQ(user2.state, UserState::on_pptp);
  EXPECT_FALSE(user2.pptp_connected);
  EXPECT_EQ(user2.pptp_sessions, 1u);
  EXPECT_FALSE(user2.in_secrets);

  const std::string table = format_status_table(r);
  EXPECT_NE(table.find("bob | moved to WireGuard | 2026-11-20T08:00:00.000Z | 16 | 1 | 198.51.100.15 | "
                       "2026-12-05T00:00:00Z\n"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("alice | on PPTP | connected now | 0 | 2 |"), std::string::npos) << table;
  EXPECT_NE(table.find("2 on PPTP, 1 moved to WireGuard, 2 never seen\n"), std::string::npos) << table;
  const std::string json = format_status_json(r, kNow);
  EXPECT_NE(json.find("\"now\": \"2026-12-07T00:00:00Z\""), std::string::npos);
  EXPECT_NE(json.find("\"state\": \"wireguard\""), std::string::npos);
  EXPECT_NE(json.find("\"last_wireguard_handshake\": \"2026-12-05T00:00:00Z\""), std::string::npos);
}

TEST(MigrateStatus, RotatedLogsInAnyOrderAndWgShowAllDump) {
  // The newer file first: the latest time still decides.
  const std::string newer = R"({"event":"start","time":"2026-12-03T00:00:00Z","user":"bob"})" "\n"
                            R"({"event":"stop","time":"2026-12-03T01:00:00Z","user":"bob"})" "\n";
  const std::string older = R"({"event":"start","time":"2026-11-01T00:00:00Z","user":"bob"})" "\n";
  const std::string all_dump =
      "wg0\tcHJpdmF0ZQ==\tcHVibGlj\t51820\toff\n"
      "wg0\tBBBBbobKEYbobKEYbobKEYbobKEYbobKEYbobKEYbo=\t(none)\t192.0.2.3:40001\t198.51.100.15/32\t1796428800\t1\t2\toff\n";
  StatusInput in{{{"sessions.jsonl", newer}, {"sessions.jsonl.1", older}}, SourceText{"users.csv", kCsv},
                 SourceText{"dump", all_dump}, {}, kNow};
  auto r = migration_status(in);
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  const auto& bob = find(r, "bob");
  EXPECT_EQ(bob.pptp_sessions, 2u);
  EXPECT_EQ(bob.last_pptp_text, "2026-12-03T01:00:00Z");
  EXPECT_EQ(bob.days_without_pptp, 3);
  // 2026-12-05 handshake after the 2026-12-03 PPTP use: moved.
  EXPECT_EQ(bob.state, UserState::moved);
}

TEST(MigrateStatus, WrongFilesAreNamedWithTheirLine) {
  StatusInput in{{{"syslog", "Dec  7 00:00:01 host pptpx: hello\n"}}, std::nullopt, std::nullopt, {}, kNow};
  auto r = migration_status(in);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].rfind("syslog:1: not a pptpx accounting line", 0), 0u) << r.errors[0];
  in = {{{"log", R"({"event":"start","time":"yesterday","user":"bob"})" "\n"}}, std::nullopt, std::nullopt, {}, kNow};
  r = migration_status(in);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].rfind("log:1: event \"start\" at \"yesterday\"", 0), 0u) << r.errors[0];
  in = {{{"log", ""}}, SourceText{"wg0.conf", "[Interface]\nPrivateKey = x\n"}, std::nullopt, {}, kNow};
  r = migration_status(in);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].rfind("wg0.conf:1: not the users.csv", 0), 0u) << r.errors[0];
  in = {{{"log", ""}}, SourceText{"users.csv", kCsv}, SourceText{"wg0.conf", "[Interface]\n"}, {}, kNow};
  r = migration_status(in);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].rfind("wg0.conf:1: not a line of `wg show INTERFACE dump`", 0), 0u) << r.errors[0];
}

TEST(MigrateStatus, DisablePlanCommentsOutTheMovedUsersLines) {
  const std::string secrets =
      "# client server secret addresses\n"
      "alice * alicePass *\n"
      "bob * \"bob pass\" 198.51.100.15\n"
      "bob2 * x *\n"
      "\"carol, jr\" * c *\n";
  auto plan = plan_disable({"chap-secrets", secrets}, {"bob", "carol, jr"}, "moved");
  EXPECT_EQ(plan.new_text,
            "# client server secret addresses\n"
            "alice * alicePass *\n"
            "# moved: bob * \"bob pass\" 198.51.100.15\n"
            "bob2 * x *\n"
            "# moved: \"carol, jr\" * c *\n");
  EXPECT_EQ(plan.disabled, (std::vector<std::string>{"bob", "carol, jr"}));
  EXPECT_EQ(plan.diff.rfind("chap-secrets:3\n-bob * \"bob pass\" 198.51.100.15\n+# moved: bob", 0), 0u) << plan.diff;
}

}  // namespace
}  // namespace pptpx::migrate
