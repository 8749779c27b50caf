// The audit's outputs over an Analyzer's results: human text (default), JSON with the stable
// fields docs/audit.md documents, and the export files (hashcat, john). Pure formatting.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "audit/analyzer.hpp"

namespace pptpx::audit {

struct ReportOptions {
  bool show_secrets = false;  // print PAP passwords and found passwords instead of masking them
  std::uint64_t decrypted_written = 0;
  std::string output_file;
};

std::string text_report(const Analyzer& a, const ReportOptions& o);
nlohmann::json json_report(const Analyzer& a, const ReportOptions& o);
// JSON text of json_report: invalid UTF-8 from the wire (user names) replaced, never thrown.
std::string json_text(const nlohmann::json& j);
// Text from the wire for a terminal: control octets as \xNN (no escape sequences).
std::string printable(const std::string& s);
// ISO 8601 UTC with microseconds.
std::string format_time(Timestamp t);

// Lines for one cracking tool's input file: "hashcat-5500", "hashcat-4800", "john", "99", "asleap".
std::string export_lines(const Analyzer& a, const std::string& format);

}  // namespace pptpx::audit
