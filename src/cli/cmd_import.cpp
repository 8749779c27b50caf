// `pptpx import pptpd` / `pptpx import accel-ppp`: reads a pptpd installation's pptpd.conf, pppd
// options file and chap-secrets (and radiusclient.conf for pppd's radius plugin), or an
// accel-ppp.conf and its chap-secrets, and writes DIR/server.toml, DIR/chap-secrets (mode 0600),
// DIR/radius-secret-* (mode 0600) for RADIUS servers, and DIR/import-report.txt (also printed).
// The output is built in a temporary sibling directory, checked as `pptpx server --check-config`
// would check it, and only then left at DIR; on any error nothing is left behind. The
// translations are migrate/pptpd_import.hpp and migrate/accel_import.hpp.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "migrate/accel_import.hpp"
#include "migrate/pptpd_import.hpp"
#include "server/config_check.hpp"

namespace pptpx::cli {
namespace {

namespace fs = std::filesystem;

struct ImportPptpdOptions {
  std::string pptpd_conf = "/etc/pptpd.conf";
  std::string options;
  std::string chap_secrets = "/etc/ppp/chap-secrets";
  std::string out;
  bool hash_secrets = false;
};

struct ImportAccelOptions {
  std::string conf = "/etc/accel-ppp.conf";
  std::string chap_secrets;
  std::string out;
  bool hash_secrets = false;
};

bool read_file(const std::string& path, migrate::SourceText& st) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "pptpx import: cannot read " << path << " (" << std::strerror(errno)
              << "); check the path or name the file with its option\n";
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  st.name = path;
  st.text = ss.str();
  return true;
}

bool write_file(const fs::path& p, const std::string& text, mode_t mode) {
  std::ofstream o(p, std::ios::binary | std::ios::trunc);
  o << text;
  o.close();
  return o.good() && ::chmod(p.c_str(), mode) == 0;
}

// The output directory: an absolute path that does not exist yet; empty (after a message) if unusable.
std::string output_dir(const std::string& given) {
  std::error_code ec;
  const fs::path out = fs::absolute(fs::path(given), ec).lexically_normal();
  if (ec || out.filename().empty()) {
    std::cerr << "pptpx import: --out " << given << " is not a usable directory name\n";
    return {};
  }
  if (fs::exists(out, ec)) {
    std::cerr << "pptpx import: " << out.string() << " exists; name a new directory with --out\n";
    return {};
  }
  return out.string();
}

// Writes the files into a temporary sibling of OUT, renames it into place, and checks
// server.toml as `pptpx server --check-config` does; on any failure nothing is left behind.
int write_output(const fs::path& out, const std::string& server_toml, const std::string& secrets,
                 const std::vector<migrate::OutputFile>& extra, const std::string& report) {
  std::error_code ec;
  std::string tmpl = out.string() + ".import-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) {
    std::cerr << "pptpx import: cannot create a directory beside " << out.string() << " (" << std::strerror(errno)
              << "); check that the parent exists and is writable\n";
    return 1;
  }
  const fs::path tmp(tmpl);
  bool ok = write_file(tmp / "server.toml", server_toml, 0644) && write_file(tmp / "chap-secrets", secrets, 0600) &&
            write_file(tmp / "import-report.txt", report, 0644);
  for (const auto& f : extra) ok = ok && write_file(tmp / f.name, f.text, static_cast<mode_t>(f.mode));
  if (!ok || ::chmod(tmp.c_str(), 0755) != 0 || ::rename(tmp.c_str(), out.c_str()) != 0) {
    std::cerr << "pptpx import: cannot write " << out.string() << " (" << std::strerror(errno) << ")\n";
    fs::remove_all(tmp, ec);
    return 1;
  }
  std::ostringstream check_out, check_err;
  if (server::run_check_config((out / "server.toml").string(), check_out, check_err) != 0) {
    std::cerr << check_err.str() << "pptpx import: the translated configuration does not pass --check-config; "
                                    "nothing written (please report this with the files above)\n";
    fs::remove_all(out, ec);
    return 1;
  }
  std::cout << report << "pptpx import: wrote " << out.string() << "/server.toml, chap-secrets"
            << (extra.empty() ? "" : ", the RADIUS secret files") << " and import-report.txt; "
            << "check them with `pptpx server --check-config " << out.string() << "/server.toml`\n";
  return 0;
}

int report_errors(const std::vector<std::string>& errors) {
  for (const auto& e : errors) std::cerr << "pptpx import: " << e << "\n";
  std::cerr << "pptpx import: nothing written; fix the lines above and run it again\n";
  return 1;
}

// Files the configurations name ($include, chap-secrets=, radiusclient.conf, its servers file).
std::optional<migrate::SourceText> read_source(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return std::nullopt;
  std::ostringstream ss;
  ss << f.rdbuf();
  return migrate::SourceText{path, ss.str()};
}

int run_pptpd(const ImportPptpdOptions& o) {
  migrate::PptpdImportInput in;
  if (!read_file(o.pptpd_conf, in.pptpd_conf)) return 1;
  std::string options = o.options;
  if (options.empty()) options = migrate::pptpd_option_file(in.pptpd_conf.text).value_or("/etc/ppp/options.pptpd");
  if (!read_file(options, in.options) || !read_file(o.chap_secrets, in.chap_secrets)) return 1;
  const std::string out = output_dir(o.out);
  if (out.empty()) return 1;
  in.secrets_path = out + "/chap-secrets";
  in.hash_secrets = o.hash_secrets;
  in.read = read_source;
  auto res = migrate::import_pptpd(in);
  if (!res.errors.empty()) return report_errors(res.errors);
  return write_output(out, res.server_toml, res.secrets, res.radius_secret_files, migrate::format_report(res.report));
}

int run_accel(const ImportAccelOptions& o) {
  migrate::AccelImportInput in;
  if (!read_file(o.conf, in.conf)) return 1;
  if (!o.chap_secrets.empty()) {
    migrate::SourceText st;
    if (!read_file(o.chap_secrets, st)) return 1;
    in.chap_secrets = st;
  }
  in.read = read_source;
  const std::string out = output_dir(o.out);
  if (out.empty()) return 1;
  in.out_dir = out;
  in.hash_secrets = o.hash_secrets;
  auto res = migrate::import_accel(in);
  if (!res.errors.empty()) return report_errors(res.errors);
  return write_output(out, res.server_toml, res.secrets, res.radius_secret_files, migrate::format_report(res.report));
}

}  // namespace

void register_import(CLI::App& app) {
  auto* cmd = app.add_subcommand("import", "Translate another PPTP server's configuration into pptpx's");
  cmd->require_subcommand(1);
  auto opts = std::make_shared<ImportPptpdOptions>();
  auto* pptpd = cmd->add_subcommand("pptpd", "Import pptpd.conf, its pppd options file and chap-secrets");
  pptpd->add_option("--pptpd-conf", opts->pptpd_conf, "pptpd configuration (default /etc/pptpd.conf)");
  pptpd->add_option("--options", opts->options,
                    "pppd options file (default: the file pptpd.conf's `option` names, else /etc/ppp/options.pptpd)");
  pptpd->add_option("--chap-secrets", opts->chap_secrets, "chap-secrets (default /etc/ppp/chap-secrets)");
  pptpd->add_option("--out", opts->out, "New directory for server.toml, chap-secrets and import-report.txt")->required();
  pptpd->add_flag("--hash-secrets", opts->hash_secrets,
                  "Store NT hashes instead of plaintext passwords (not when PAP or CHAP-MD5 stays allowed)");
  pptpd->callback([opts] { set_exit_code(run_pptpd(*opts)); });

  auto aopts = std::make_shared<ImportAccelOptions>();
  auto* accel = cmd->add_subcommand("accel-ppp", "Import accel-ppp.conf (and its $include files) and its chap-secrets");
  accel->add_option("conf", aopts->conf, "accel-ppp configuration (default /etc/accel-ppp.conf)");
  accel->add_option("--chap-secrets", aopts->chap_secrets,
                    "chap-secrets (default: [chap-secrets] chap-secrets=, else /etc/ppp/chap-secrets)");
  accel->add_option("--out", aopts->out,
                    "New directory for server.toml, chap-secrets, radius-secret-* and import-report.txt")
      ->required();
  accel->add_flag("--hash-secrets", aopts->hash_secrets,
                  "Store NT hashes instead of plaintext passwords (not when PAP or CHAP-MD5 stays allowed)");
  accel->callback([aopts] { set_exit_code(run_accel(*aopts)); });
}

}  // namespace pptpx::cli
