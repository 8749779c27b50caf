#include "net/log_output.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

namespace pptpx::net {
namespace {

using spdlog::level::level_enum;

TEST(LogOutput, SyslogPrioritiesFollowRfc5424) {
  // RFC 5424 §6.2.1: 2 critical, 3 error, 4 warning, 6 informational, 7 debug.
  EXPECT_EQ(syslog_priority(level_enum::critical), 2);
  EXPECT_EQ(syslog_priority(level_enum::err), 3);
  EXPECT_EQ(syslog_priority(level_enum::warn), 4);
  EXPECT_EQ(syslog_priority(level_enum::info), 6);
  EXPECT_EQ(syslog_priority(level_enum::debug), 7);
  EXPECT_EQ(syslog_priority(level_enum::trace), 7);
}

TEST(LogOutput, TextLineHasLocalTimeLevelAndMessage) {
  LogStyle s;
  const auto when = std::chrono::system_clock::from_time_t(1'700'000'000) + std::chrono::milliseconds(42);
  const std::string line = format_log_line(s, level_enum::warn, "pool nearly full", when);
  // The time part is local: only its shape is fixed.
  ASSERT_GE(line.size(), 24u);
  EXPECT_EQ(line[4], '-');
  EXPECT_EQ(line[10], 'T');
  EXPECT_EQ(line.substr(19, 5), ".042 ");
  EXPECT_EQ(line.substr(24), "warning pool nearly full");
}

TEST(LogOutput, JournalLinesHavePriorityPrefixAndNoTimestamp) {
  LogStyle s;
  s.journal = true;
  const auto now = std::chrono::system_clock::now();
  EXPECT_EQ(format_log_line(s, level_enum::err, "cannot open the TUN device", now),
            "<3>error cannot open the TUN device");
  EXPECT_EQ(format_log_line(s, level_enum::info, "listening", now), "<6>info listening");
  s.format = LogFormat::json;
  EXPECT_EQ(format_log_line(s, level_enum::debug, "a \"quoted\" word", now),
            "<7>{\"level\":\"debug\",\"message\":\"a \\\"quoted\\\" word\"}");
}

TEST(LogOutput, JsonLineParsesBackWithTimeLevelAndMessage) {
  LogStyle s;
  s.format = LogFormat::json;
  const std::string line =
      format_log_line(s, level_enum::info, "user \"bob\"\tlogged in", std::chrono::system_clock::now());
  const auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j.at("level"), "info");
  EXPECT_EQ(j.at("message"), "user \"bob\"\tlogged in");
  EXPECT_EQ(j.at("time").get<std::string>().size(), 28u);  // 2026-12-07T01:45:00.123+0000
  // A peer's bytes that are not UTF-8 are replaced, not thrown about.
  const auto replaced = nlohmann::json::parse(format_log_line(s, level_enum::info, "name \xff\xfe", {}));
  EXPECT_EQ(replaced.at("message"), "name \xef\xbf\xbd\xef\xbf\xbd");  // two U+FFFD
}

TEST(LogOutput, ParsesFormatNames) {
  EXPECT_EQ(parse_log_format("text"), LogFormat::text);
  EXPECT_EQ(parse_log_format("json"), LogFormat::json);
  EXPECT_FALSE(parse_log_format("xml"));
}

TEST(LogOutput, JournalStreamMustNameThisVeryFile) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  struct stat st {};
  ASSERT_EQ(::fstat(::fileno(f), &st), 0);
  const std::string mine = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
  const std::string other = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino + 1);
  EXPECT_TRUE(fd_is_journal_stream(::fileno(f), mine.c_str()));
  EXPECT_FALSE(fd_is_journal_stream(::fileno(f), other.c_str()));
  EXPECT_FALSE(fd_is_journal_stream(::fileno(f), nullptr));
  EXPECT_FALSE(fd_is_journal_stream(::fileno(f), "garbage"));
  std::fclose(f);
}

}  // namespace
}  // namespace pptpx::net
