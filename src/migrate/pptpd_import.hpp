// `pptpx import pptpd`: pure translation of a pptpd installation (pptpd.conf, the pppd options
// file its `option` line names, chap-secrets) into a pptpx server.toml and secrets file, with a
// report that accounts for every option: mapped (to which key), not needed, or not supported,
// and why. Translations that weaken security are flagged. No I/O here: texts in, texts out.
#pragma once
#include <functional>
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

struct OutputFile {
  std::string name;  // relative to the output directory
  std::string text;
  unsigned mode = 0600;
};

struct PptpdImportInput {
  SourceText pptpd_conf;
  SourceText options;
  SourceText chap_secrets;
  std::string secrets_path;  // what server.toml's [auth] secrets_file names (in the output directory)
  bool hash_secrets = false;
  // Reads radiusclient.conf and its servers file for `plugin radius.so`; nullopt if unreadable.
  std::function<std::optional<SourceText>(const std::string& path)> read;
};

struct PptpdImportResult {
  std::string server_toml;
  std::string secrets;
  std::vector<OutputFile> radius_secret_files;  // with `plugin radius.so`: one per server, mode 0600
  std::vector<ReportRow> report;
  std::vector<std::string> errors;  // "file:line: what is wrong; what to do"
};

// The file named by pptpd.conf's `option` line, if any.
std::optional<std::string> pptpd_option_file(std::string_view pptpd_conf);

PptpdImportResult import_pptpd(const PptpdImportInput& in);

// The report as a readable table.
std::string format_report(const std::vector<ReportRow>& rows);

}  // namespace pptpx::migrate
