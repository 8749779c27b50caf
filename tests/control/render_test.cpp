// `pptpx ctl` tables for people.
#include "control/render.hpp"

#include <gtest/gtest.h>

#include "control/fake_backend.hpp"
#include "control/protocol.hpp"

namespace pptpx::control {
namespace {

using nlohmann::json;

TEST(Render, SessionsTableHasAHeaderARowEachAndACount) {
  json r{{"sessions", json::array({to_json(test::session(1, "alice", "198.51.100.10", 5000, 700)),
                                   to_json(test::session(2, "", "", 0, 0))})}};
  const std::string t = render_sessions(r);
  EXPECT_EQ(t.rfind("ID  USER", 0), 0u) << t;
  EXPECT_NE(t.find("192.0.2.1:40001"), std::string::npos) << t;
  EXPECT_NE(t.find("00:00:10"), std::string::npos) << t;
  EXPECT_NE(t.find("2 session(s)"), std::string::npos) << t;
  EXPECT_EQ(std::count(t.begin(), t.end(), '\n'), 4);
  EXPECT_EQ(t.find(" \n"), std::string::npos) << "no trailing spaces";
}

TEST(Render, Uptime) {
  EXPECT_EQ(format_uptime(0), "00:00:00");
  EXPECT_EQ(format_uptime(3725), "01:02:05");
  EXPECT_EQ(format_uptime(90061), "1d 01:01:01");
}

}  // namespace
}  // namespace pptpx::control
