// `pptpx import accel-ppp`: pure translation of an accel-ppp installation (accel-ppp.conf with
// its `$include`d files, and the chap-secrets file its [chap-secrets] section names) into a pptpx
// server.toml, secrets file and RADIUS secret files, with a report that accounts for every line:
// mapped (to which key), not needed, or not supported, and why. Translations that weaken
// security are flagged. Syntax and semantics follow accel-ppp.conf(5) and accel-ppp's own
// parsers (triton/conf_file.c, extra/chap-secrets.c, extra/ippool.c). No I/O here: files are
// asked for through a callback.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "migrate/pptpd_import.hpp"

namespace pptpx::migrate {

struct AccelImportInput {
  SourceText conf;                   // accel-ppp.conf
  // Reads a file named in the configuration ($include, chap-secrets=); nullopt if unreadable.
  std::function<std::optional<SourceText>(const std::string& path)> read;
  std::optional<SourceText> chap_secrets;  // overrides [chap-secrets] chap-secrets= (--chap-secrets)
  std::string out_dir;                // where the written files will live (absolute), for paths in server.toml
  bool hash_secrets = false;
};

struct AccelImportResult {
  std::string server_toml;
  std::string secrets;
  std::vector<OutputFile> radius_secret_files;  // one per RADIUS server, mode 0600
  std::vector<ReportRow> report;
  std::vector<std::string> errors;  // "file:line: what is wrong; what to do"
};

AccelImportResult import_accel(const AccelImportInput& in);

}  // namespace pptpx::migrate
