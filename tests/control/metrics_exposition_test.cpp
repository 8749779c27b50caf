// /metrics text (Prometheus exposition format 0.0.4): names, types, labels, histogram shape.
#include "control/metrics_exposition.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "control/fake_backend.hpp"
#include "control/protocol.hpp"
#include "control/render.hpp"

namespace pptpx::control {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (l == line) return true;
  }
  return false;
}

class MetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    b.snap.sessions = {test::session(1, "alice", "198.51.100.10", 5000, 700), test::session(2, "b\"ob", "198.51.100.11", 100, 90000)};
    b.snap.sessions[1].state = "negotiating";
    b.snap.daemon.gre_dropped = {{"short", 3}, {"unknown_call", 4}};
    b.snap.daemon.connections_closed = {{"send_queue_full", 1}, {"no_call", 5}};
    b.metrics.session_ended("alice", Traffic{1000, 2000, 10, 20});
    // 3 setups: 0.02 s, 0.3 s, 40 s (above every bucket).
    b.metrics.setup_succeeded(std::chrono::milliseconds(20));
    b.metrics.setup_succeeded(std::chrono::milliseconds(300));
    b.metrics.setup_succeeded(std::chrono::seconds(40));
    b.metrics.auth_failed("MS-CHAPv2", "rejected");
    b.metrics.auth_failed("MS-CHAPv2", "rejected");
  }
  test::FakeBackend b;
};

TEST_F(MetricsTest, CountersTotalsAndStatesAsTheNamingGuideAsks) {
  const std::string t = exposition_text(b.snapshot(), {});
  EXPECT_TRUE(has_line(t, "# TYPE pptpx_received_bytes_total counter")) << t;
  EXPECT_TRUE(has_line(t, "pptpx_received_bytes_total 6100")) << t;   // 1000 ended + 5000 + 100 live
  EXPECT_TRUE(has_line(t, "pptpx_sent_bytes_total 92700")) << t;
  EXPECT_TRUE(has_line(t, "pptpx_sessions{state=\"up\"} 1")) << t;
  EXPECT_TRUE(has_line(t, "pptpx_sessions{state=\"negotiating\"} 1")) << t;
  EXPECT_TRUE(has_line(t, "pptpx_sessions{state=\"closing\"} 0")) << t;
  EXPECT_TRUE(has_line(t, "pptpx_session_setups_total{result=\"success\"} 3")) << t;
  EXPECT_TRUE(has_line(t, "pptpx_auth_failures_total{method=\"MS-CHAPv2\",reason=\"rejected\"} 2")) << t;
  EXPECT_TRUE(has_line(t, "pptpx_gre_dropped_total{reason=\"unknown_call\"} 4")) << t;
  EXPECT_TRUE(has_line(t, "pptpx_connections_closed_total{reason=\"no_call\"} 5")) << t;
  EXPECT_TRUE(has_line(t, "pptpx_build_info{version=\"0.1.0\"} 1")) << t;
  // Every counter family's name ends in _total.
  // (Plain parsing, not <regex>: g++ 12 under ASan warns maybe-uninitialized inside libstdc++'s
  // regex automaton, and warnings are errors.)
  std::istringstream lines(t);
  std::size_t counters = 0;
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string hash, type, name, kind;
    if (!(words >> hash >> type >> name >> kind) || hash != "#" || type != "TYPE" || kind != "counter") continue;
    ++counters;
    EXPECT_TRUE(name.ends_with("_total")) << name;
  }
  EXPECT_GE(counters, 3u) << t;
}

TEST_F(MetricsTest, SetupHistogramBucketsAreCumulativeWithInf) {
  const std::string t = exposition_text(b.snapshot(), {});
  EXPECT_TRUE(has_line(t, "# TYPE pptpx_session_setup_seconds histogram")) << t;
  EXPECT_TRUE(has_line(t, "pptpx_session_setup_seconds_bucket{le=\"0.01\"} 0")) << t;
  EXPECT_TRUE(has_line(t, "pptpx_session_setup_seconds_bucket{le=\"0.025\"} 1")) << t;
  EXPECT_TRUE(has_line(t, "pptpx_session_setup_seconds_bucket{le=\"0.5\"} 2")) << t;
  EXPECT_TRUE(has_line(t, "pptpx_session_setup_seconds_bucket{le=\"10\"} 2")) << t;
  EXPECT_TRUE(has_line(t, "pptpx_session_setup_seconds_bucket{le=\"+Inf\"} 3")) << t;
  EXPECT_TRUE(has_line(t, "pptpx_session_setup_seconds_count 3")) << t;
  EXPECT_TRUE(has_line(t, "pptpx_session_setup_seconds_sum 40.32")) << t;
}

TEST_F(MetricsTest, NoPerUserSeriesUnlessEnabledAndThenEscaped) {
  EXPECT_EQ(exposition_text(b.snapshot(), {}).find("user="), std::string::npos);
  MetricsOptions o;
  o.per_user = true;
  const std::string t = exposition_text(b.snapshot(), o);
  EXPECT_TRUE(has_line(t, "pptpx_user_received_bytes_total{user=\"alice\"} 6000")) << t;
  EXPECT_TRUE(has_line(t, "pptpx_user_sent_bytes_total{user=\"b\\\"ob\"} 90000")) << t;
}

}  // namespace
}  // namespace pptpx::control

namespace pptpx::control {
namespace {

TEST(RadiusFigures, InStatsAndMetricsOnlyWhenRadiusIsUsed) {
  test::FakeBackend b;
  EXPECT_EQ(exposition_text(b.snapshot(), {}).find("pptpx_radius"), std::string::npos);
  b.snap.radius.enabled = true;
  b.snap.radius.requests = {{"access_accepts", 7}, {"timeouts", 2}};
  b.snap.radius.accounting = {{"stops", 5}, {"failed", 1}};
  b.snap.radius.dropped = {{"bad_authenticator", 3}};
  b.snap.radius.stops_queued = 4;
  b.snap.radius.servers = {{"192.0.2.10:1812", true}, {"192.0.2.11:1812", false}};
  const std::string t = exposition_text(b.snapshot(), {});
  EXPECT_NE(t.find("pptpx_radius_requests_total{kind=\"access_accepts\"} 7"), std::string::npos) << t;
  EXPECT_NE(t.find("pptpx_radius_accounting_total{kind=\"stops\"} 5"), std::string::npos) << t;
  EXPECT_NE(t.find("pptpx_radius_accounting_stops_queued 4"), std::string::npos) << t;
  EXPECT_NE(t.find("pptpx_radius_replies_dropped_total{reason=\"bad_authenticator\"} 3"), std::string::npos) << t;
  EXPECT_NE(t.find("pptpx_radius_server_up{server=\"192.0.2.11:1812\"} 0"), std::string::npos) << t;
  const nlohmann::json r = nlohmann::json::parse(handle_request(R"({"command":"stats"})", b));
  const nlohmann::json& rad = r["result"]["radius"];
  EXPECT_EQ(rad["requests"]["timeouts"], 2);
  EXPECT_EQ(rad["accounting"]["stops_queued"], 4);
  EXPECT_EQ(rad["servers"][1]["state"], "dead");
  EXPECT_NE(render_stats(r["result"]).find("RADIUS servers: 192.0.2.10:1812 alive, 192.0.2.11:1812 dead"),
            std::string::npos);
}

}  // namespace
}  // namespace pptpx::control
