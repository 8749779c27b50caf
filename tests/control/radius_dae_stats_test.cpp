// The RADIUS Disconnect/CoA counters ([radius.dae]) in `ctl stats` (text and JSON) and /metrics;
// absent without a DAE listener.
#include <gtest/gtest.h>

#include <sstream>

#include "control/fake_backend.hpp"
#include "control/metrics_exposition.hpp"
#include "control/protocol.hpp"
#include "control/render.hpp"

namespace pptpx::control {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (l == line) return true;
  return false;
}

TEST(RadiusDaeStats, InStatsAndMetrics) {
  test::FakeBackend b;
  b.snap.daemon.radius_dae = {{"received", 7}, {"dropped_bad_authenticator", 2}, {"coa_ack", 3}};
  const Snapshot s = b.snapshot();
  const auto j = stats_json(s);
  EXPECT_EQ(j["radius_dae"]["dropped_bad_authenticator"], 2);
  EXPECT_EQ(j["radius_dae"]["coa_ack"], 3);
  const std::string text = render_stats(j);
  EXPECT_NE(text.find("RADIUS Disconnect/CoA"), std::string::npos) << text;
  EXPECT_NE(text.find("dropped_bad_authenticator 2"), std::string::npos) << text;
  const std::string m = exposition_text(s, {});
  EXPECT_TRUE(has_line(m, "# TYPE pptpx_radius_dae_total counter")) << m;
  EXPECT_TRUE(has_line(m, "pptpx_radius_dae_total{event=\"received\"} 7")) << m;
  EXPECT_TRUE(has_line(m, "pptpx_radius_dae_total{event=\"dropped_bad_authenticator\"} 2")) << m;
}

TEST(RadiusDaeStats, AbsentWithoutAListener) {
  test::FakeBackend b;
  const Snapshot s = b.snapshot();
  const auto j = stats_json(s);
  EXPECT_FALSE(j.contains("radius_dae"));
  EXPECT_EQ(render_stats(j).find("RADIUS"), std::string::npos);
  EXPECT_EQ(exposition_text(s, {}).find("pptpx_radius_dae_total"), std::string::npos);
}

}  // namespace
}  // namespace pptpx::control
