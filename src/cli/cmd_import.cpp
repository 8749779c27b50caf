// `pptpx import pptpd`: reads a pptpd installation's pptpd.conf, pppd options file and
// chap-secrets, and writes DIR/server.toml, DIR/chap-secrets (mode 0600) and DIR/import-report.txt
// (also printed). The output is built in a temporary sibling directory, checked as
// `pptpx server --check-config` would check it, and only then left at DIR; on any error nothing
// is left behind. The translation itself is migrate/pptpd_import.hpp.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "cli/commands.hpp"
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

int run_pptpd(const ImportPptpdOptions& o) {
  migrate::PptpdImportInput in;
  if (!read_file(o.pptpd_conf, in.pptpd_conf)) return 1;
  std::string options = o.options;
  if (options.empty()) options = migrate::pptpd_option_file(in.pptpd_conf.text).value_or("/etc/ppp/options.pptpd");
  if (!read_file(options, in.options) || !read_file(o.chap_secrets, in.chap_secrets)) return 1;
  std::error_code ec;
  const fs::path out = fs::absolute(fs::path(o.out), ec).lexically_normal();
  if (ec || out.filename().empty()) {
    std::cerr << "pptpx import: --out " << o.out << " is not a usable directory name\n";
    return 1;
  }
  if (fs::exists(out, ec)) {
    std::cerr << "pptpx import: " << out.string() << " exists; name a new directory with --out\n";
    return 1;
  }
  in.secrets_path = (out / "chap-secrets").string();
  in.hash_secrets = o.hash_secrets;
  auto res = migrate::import_pptpd(in);
  if (!res.errors.empty()) {
    for (const auto& e : res.errors) std::cerr << "pptpx import: " << e << "\n";
    std::cerr << "pptpx import: nothing written; fix the lines above and run it again\n";
    return 1;
  }
  const std::string report = migrate::format_report(res.report);
  std::string tmpl = out.string() + ".import-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) {
    std::cerr << "pptpx import: cannot create a directory beside " << out.string() << " (" << std::strerror(errno)
              << "); check that the parent exists and is writable\n";
    return 1;
  }
  const fs::path tmp(tmpl);
  if (!write_file(tmp / "server.toml", res.server_toml, 0644) || !write_file(tmp / "chap-secrets", res.secrets, 0600) ||
      !write_file(tmp / "import-report.txt", report, 0644) || ::chmod(tmp.c_str(), 0755) != 0 ||
      ::rename(tmp.c_str(), out.c_str()) != 0) {
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
  std::cout << report << "pptpx import: wrote " << out.string() << "/server.toml, chap-secrets and import-report.txt; "
            << "check them with `pptpx server --check-config " << out.string() << "/server.toml`\n";
  return 0;
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
}

}  // namespace pptpx::cli
