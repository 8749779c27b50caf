// `pptpx import pptpd`: pure translation of a pptpd installation (pptpd.conf, the pppd options
// file its `option` line names, chap-secrets) into a pptpx server.toml and secrets file, with a
// report that accounts for every option: mapped (to which key), not needed, or not supported,
// and why. Translations that weaken security are flagged. No I/O here: texts in, texts out.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pptpx::migrate {

struct SourceText {
  std::string name;  // file name used in messages and comments
  std::string text;
};

enum class Outcome { mapped, not_needed, not_supported };

struct ReportRow {
  std::string where;   // "file:line"
  std::string option;  // the option as written (first word and value)
  Outcome outcome = Outcome::mapped;
  std::string key;     // the pptpx key, for mapped rows
  std::string why;
  bool weakens = false;  // the translation weakens security
};

struct PptpdImportInput {
  SourceText pptpd_conf;
  SourceText options;
  SourceText chap_secrets;
  std::string secrets_path;  // what server.toml's [auth] secrets_file names
  bool hash_secrets = false;
};

struct PptpdImportResult {
  std::string server_toml;
  std::string secrets;
  std::vector<ReportRow> report;
  std::vector<std::string> errors;  // "file:line: what is wrong; what to do"
};

// The file named by pptpd.conf's `option` line, if any.
std::optional<std::string> pptpd_option_file(std::string_view pptpd_conf);

PptpdImportResult import_pptpd(const PptpdImportInput& in);

// The report as a readable table.
std::string format_report(const std::vector<ReportRow>& rows);

}  // namespace pptpx::migrate
