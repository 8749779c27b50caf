// Where and how pptpx logs: one line per message on standard error (docs/server.md), in one of
// two formats (`--log-format text|json`). Under systemd's journal (JOURNAL_STREAM names the
// device and inode of our stderr, systemd.exec(5)), a line carries no timestamp of its own (the
// journal stamps it) and starts with the sd-daemon(3) priority prefix "<N>" (syslog levels,
// RFC 5424 §6.2.1), so `journalctl -p err` sees our levels.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <spdlog/common.h>

namespace pptpx::net {

enum class LogFormat { text, json };

struct LogStyle {
  LogFormat format = LogFormat::text;
  bool journal = false;  // stderr goes to journald: "<N>" prefixes, no own timestamps
};

// "text" or "json"; nullopt for anything else.
std::optional<LogFormat> parse_log_format(std::string_view name);

// The syslog priority of a spdlog level: critical 2, error 3, warn 4, info 6, debug and trace 7.
int syslog_priority(spdlog::level::level_enum level);

// True when JOURNAL_STREAM ("DEV:INODE") matches file descriptor `fd` (systemd.exec(5)).
bool fd_is_journal_stream(int fd, const char* journal_stream);

// One log line without its line end. Text: "2026-12-07T01:45:00.123 info message" (local time);
// JSON: {"time":"2026-12-07T01:45:00.123+00:00","level":"info","message":"..."}. Journal style
// drops the time and prefixes "<N>".
std::string format_log_line(const LogStyle& style, spdlog::level::level_enum level, std::string_view message,
                            std::chrono::system_clock::time_point when);

// Makes spdlog's default logger write such lines to standard error (fd 2), at `level`; the
// journal style is picked when JOURNAL_STREAM matches fd 2.
void install_stderr_logger(LogFormat format, spdlog::level::level_enum level);

}  // namespace pptpx::net
