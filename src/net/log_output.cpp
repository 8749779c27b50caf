#include "net/log_output.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <mutex>

#include <nlohmann/json.hpp>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

namespace pptpx::net {

std::optional<LogFormat> parse_log_format(std::string_view name) {
  if (name == "text") return LogFormat::text;
  if (name == "json") return LogFormat::json;
  return std::nullopt;
}

int syslog_priority(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::critical: return 2;  // LOG_CRIT
    case spdlog::level::err: return 3;       // LOG_ERR
    case spdlog::level::warn: return 4;      // LOG_WARNING
    case spdlog::level::info: return 6;      // LOG_INFO
    default: return 7;                       // LOG_DEBUG (debug, trace)
  }
}

bool fd_is_journal_stream(int fd, const char* journal_stream) {
  if (journal_stream == nullptr) return false;
  std::uintmax_t dev = 0, ino = 0;
  if (std::sscanf(journal_stream, "%" SCNuMAX ":%" SCNuMAX, &dev, &ino) != 2) return false;
  struct stat st {};
  if (::fstat(fd, &st) != 0) return false;
  return static_cast<std::uintmax_t>(st.st_dev) == dev && static_cast<std::uintmax_t>(st.st_ino) == ino;
}

namespace {

std::string_view level_name(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace: return "trace";
    case spdlog::level::debug: return "debug";
    case spdlog::level::info: return "info";
    case spdlog::level::warn: return "warning";
    case spdlog::level::err: return "error";
    case spdlog::level::critical: return "critical";
    default: return "off";
  }
}

// "2026-12-07T01:45:00.123" in local time, and "+0100"-style offset for JSON.
std::string local_time(std::chrono::system_clock::time_point when, bool with_offset) {
  const auto secs = std::chrono::system_clock::to_time_t(when);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch()).count() % 1000;
  std::tm tm{};
  localtime_r(&secs, &tm);
  char buf[64];
  std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  n += static_cast<std::size_t>(std::snprintf(buf + n, sizeof buf - n, ".%03d", static_cast<int>(ms)));
  if (with_offset) std::strftime(buf + n, sizeof buf - n, "%z", &tm);
  return buf;
}

class StderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit StderrSink(LogStyle style) : style_(style) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& m) override {
    std::string line = format_log_line(style_, m.level, std::string_view(m.payload.data(), m.payload.size()), m.time);
    line += '\n';
    // One write(2) per line: lines from this process never interleave on a shared stderr.
    const char* p = line.data();
    std::size_t left = line.size();
    while (left > 0) {
      const ssize_t w = ::write(STDERR_FILENO, p, left);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return;  // nowhere to report a failing stderr
      p += w;
      left -= static_cast<std::size_t>(w);
    }
  }
  void flush_() override {}

 private:
  LogStyle style_;
};

}  // namespace

std::string format_log_line(const LogStyle& style, spdlog::level::level_enum level, std::string_view message,
                            std::chrono::system_clock::time_point when) {
  std::string out;
  if (style.journal) out = "<" + std::to_string(syslog_priority(level)) + ">";
  if (style.format == LogFormat::json) {
    nlohmann::ordered_json j;
    if (!style.journal) j["time"] = local_time(when, true);
    j["level"] = level_name(level);
    j["message"] = message;
    // Invalid UTF-8 (a peer's name, say) is replaced, not thrown about.
    return out + j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  if (!style.journal) out += local_time(when, false) + " ";
  out += level_name(level);
  out += ' ';
  out += message;
  return out;
}

void install_stderr_logger(LogFormat format, spdlog::level::level_enum level) {
  LogStyle style;
  style.format = format;
  style.journal = fd_is_journal_stream(STDERR_FILENO, std::getenv("JOURNAL_STREAM"));
  auto logger = std::make_shared<spdlog::logger>("pptpx", std::make_shared<StderrSink>(style));
  logger->set_level(level);
  spdlog::set_default_logger(std::move(logger));
  spdlog::set_level(level);
}

}  // namespace pptpx::net
