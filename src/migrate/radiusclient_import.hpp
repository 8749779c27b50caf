// pppd's radius.so plugin configuration (radiusclient.conf, as pppd's bundled radiusclient reads
// it: `keyword value` lines, '#' comments; the `servers` file holds `server secret` lines) into
// pptpx's [radius] and [[radius.servers]]. Used by `pptpx import pptpd` when the options load
// `plugin radius.so`. Pure: texts in, TOML text, secret files and report rows out.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "migrate/accel_import.hpp"
#include "migrate/pptpd_import.hpp"

namespace pptpx::migrate {

struct RadiusclientResult {
  std::vector<std::pair<std::string, std::string>> radius_keys;  // [radius] key, value (TOML), with origin below
  std::vector<std::string> radius_key_origins;
  std::string servers_toml;                 // [[radius.servers]] tables
  std::vector<OutputFile> secret_files;     // radius-secret-ADDRESS, mode 0600
  std::vector<ReportRow> report;
  std::vector<std::string> errors;
};

// `conf` is radiusclient.conf; `read` gives the `servers` file it names; `out_dir` is where the
// secret files will live.
RadiusclientResult import_radiusclient(const SourceText& conf,
                                       const std::function<std::optional<SourceText>(const std::string&)>& read,
                                       const std::string& out_dir);

}  // namespace pptpx::migrate
