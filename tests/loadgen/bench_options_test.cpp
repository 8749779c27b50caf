// `pptpx bench` option checks: each bad value is refused with a sentence naming the option.
#include <gtest/gtest.h>

#include <limits>

#include "loadgen/bench_options.hpp"

namespace pptpx::loadgen {
namespace {

BenchOptions good() {
  BenchOptions o;
  o.server = "192.0.2.1";
  o.user = "bob";
  o.password_file = "/nonexistent/but/checked/later";
  return o;
}

TEST(BenchOptions, GoodOptionsPass) { EXPECT_EQ(validate(good()), ""); }

TEST(BenchOptions, MissingServerUserPassword) {
  auto o = good();
  o.server.clear();
  EXPECT_NE(validate(o).find("SERVER"), std::string::npos);
  o = good();
  o.user.clear();
  EXPECT_NE(validate(o).find("--user"), std::string::npos);
  o = good();
  o.password_file.clear();
  EXPECT_NE(validate(o).find("--password-file"), std::string::npos);
}

TEST(BenchOptions, SessionsBounds) {
  auto o = good();
  o.sessions = 0;
  EXPECT_NE(validate(o).find("--sessions"), std::string::npos);
  o.sessions = 60000;  // the documented maximum
  EXPECT_EQ(validate(o), "");
  o.sessions = 60001;
  EXPECT_NE(validate(o).find("--sessions"), std::string::npos);
}

TEST(BenchOptions, RateMustBePositiveAndFinite) {
  auto o = good();
  for (double r : {0.0, -5.0, std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()}) {
    o.rate = r;
    EXPECT_NE(validate(o).find("--rate"), std::string::npos) << r;
  }
  o.rate = 0.5;
  EXPECT_EQ(validate(o), "");
}

TEST(BenchOptions, ConcurrencyHoldTimeouts) {
  auto o = good();
  o.concurrency = 0;
  EXPECT_NE(validate(o).find("--concurrency"), std::string::npos);
  o = good();
  o.hold_seconds = -1;
  EXPECT_NE(validate(o).find("--hold"), std::string::npos);
  o = good();
  o.setup_timeout_seconds = 0;
  EXPECT_NE(validate(o).find("--setup-timeout"), std::string::npos);
  o = good();
  o.ping_timeout_seconds = -2;
  EXPECT_NE(validate(o).find("--ping-timeout"), std::string::npos);
}

}  // namespace
}  // namespace pptpx::loadgen
