// Accounting log lines (docs/control.md): one JSON object per line, start and stop.
#include "control/accounting_record.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "control/fake_backend.hpp"

namespace pptpx::control {
namespace {

using nlohmann::json;

// 2026-12-07T01:50:03.250Z: 1796608203 s after the epoch (date -u -d 2026-12-07T01:50:03Z +%s).
const WallTime kStart = WallTime{} + std::chrono::milliseconds(1796608203250LL);

TEST(AccountingRecord, Rfc3339InUtcWithMilliseconds) {
  EXPECT_EQ(rfc3339(kStart), "2026-12-07T01:50:03.250Z");
  EXPECT_EQ(rfc3339(WallTime{}), "1970-01-01T00:00:00.000Z");
}

TEST(AccountingRecord, StartAndStopCarryWhoWhereHowAndTraffic) {
  const SessionInfo s = test::session(7, "alice", "198.51.100.10", 12345, 678);
  const std::string start = accounting_start(s, kStart);
  EXPECT_EQ(start.find('\n'), std::string::npos);
  const json a = json::parse(start);
  EXPECT_EQ(a["event"], "start");
  EXPECT_EQ(a["session"], 7);
  EXPECT_EQ(a["user"], "alice");
  EXPECT_EQ(a["peer"], "192.0.2.7");
  EXPECT_EQ(a["ipv4"], "198.51.100.10");
  EXPECT_EQ(a["auth"], "MS-CHAPv2");
  EXPECT_EQ(a["mppe"], "128-bit stateless");
  EXPECT_EQ(a["time"], "2026-12-07T01:50:03.250Z");
  EXPECT_FALSE(a.contains("received_bytes"));

  const json z = json::parse(accounting_stop(s, kStart, kStart + std::chrono::seconds(90), "terminated by operator"));
  EXPECT_EQ(z["event"], "stop");
  EXPECT_EQ(z["start"], "2026-12-07T01:50:03.250Z");
  EXPECT_EQ(z["end"], "2026-12-07T01:51:33.250Z");
  EXPECT_DOUBLE_EQ(z["duration_seconds"].get<double>(), 90.0);
  EXPECT_EQ(z["received_bytes"], 12345);
  EXPECT_EQ(z["sent_bytes"], 678);
  EXPECT_EQ(z["received_packets"], 123);
  EXPECT_EQ(z["reason"], "terminated by operator");
}

}  // namespace
}  // namespace pptpx::control
