// `pptpx audit`: finds the PPTP sessions in captures (or live on an interface), reports and grades
// each, exports its handshakes for cracking tools, and decrypts the tunnel traffic of users whose
// password or NT hash is given. See docs/audit.md.
#include <atomic>
#include <chrono>
#include <csignal>
#include <functional>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "audit/analyzer.hpp"
#include "audit/frame_source.hpp"
#include "audit/report.hpp"
#include "auth/mschap.hpp"
#include "cli/commands.hpp"
#include "util/hex.hpp"

namespace pptpx::cli {
namespace {

struct AuditOptions {
  std::vector<std::string> files;
  std::string interface;
  double duration = 0;
  bool json = false;
  bool show = false;
  std::vector<std::string> passwords, nt_hashes;
  std::string output;
  std::string export_format;
  audit::MonitorThresholds thresholds;
  double window_seconds = 300;
};

std::atomic<audit::FrameSource*> g_live{nullptr};
void on_sigint(int) {
  if (auto* s = g_live.load()) s->stop();
}

// "USER=VALUE" -> pair; false when there is no '='.
bool split_pair(const std::string& s, std::string& user, std::string& value) {
  const auto eq = s.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  user = s.substr(0, eq);
  value = s.substr(eq + 1);
  return true;
}

int run(AuditOptions& o) {
  if (o.files.empty() && o.interface.empty()) {
    std::cerr << "pptpx audit: give a capture file or --interface IF\n";
    return 2;
  }
  if (!o.export_format.empty() && o.export_format != "hashcat-5500" && o.export_format != "hashcat-4800" &&
      o.export_format != "john" && o.export_format != "99" && o.export_format != "asleap") {
    std::cerr << "pptpx audit: unknown --export format '" << o.export_format
              << "' (use hashcat-5500, hashcat-4800, john, 99 or asleap)\n";
    return 2;
  }
  audit::KeyBook keys;
  for (const auto& p : o.passwords) {
    std::string user, pw;
    if (!split_pair(p, user, pw)) {
      std::cerr << "pptpx audit: --password takes USER=PASSWORD, got '" << p << "'\n";
      return 2;
    }
    Bytes utf16;
    if (!auth::password_to_utf16le(pw, utf16)) {
      std::cerr << "pptpx audit: the password for " << user << " is not valid UTF-8 or longer than 256 characters\n";
      return 2;
    }
    keys.users[user] = audit::KeyBook::Entry{auth::nt_password_hash(pw), pw, "--password"};
  }
  for (const auto& p : o.nt_hashes) {
    std::string user, h;
    std::optional<Bytes> raw;
    if (!split_pair(p, user, h) || !(raw = from_hex(h)) || raw->size() != 16) {
      std::cerr << "pptpx audit: --nt-hash takes USER=32 hex digits, got '" << p << "'\n";
      return 2;
    }
    audit::KeyBook::Entry e;
    std::copy(raw->begin(), raw->end(), e.nt_hash.begin());
    e.source = "--nt-hash";
    keys.users[user] = e;
  }
  std::unique_ptr<audit::RawIpWriter> writer;
  try {
    if (!o.output.empty()) writer = std::make_unique<audit::RawIpWriter>(o.output);
  } catch (const audit::InputError& e) {
    std::cerr << "pptpx audit: " << e.what() << "\n";
    return 2;
  }
  audit::InnerSink sink;
  if (writer) sink = [&](const audit::Session&, int, audit::Timestamp t, ByteView ip) { writer->write(t, ip); };
  audit::Analyzer analyzer(keys, sink);
  o.thresholds.window = static_cast<audit::Timestamp>(o.window_seconds * 1e6);
  bool read_error = false;
  std::uint64_t frames_before_error = 0;
  auto feed = [&](audit::FrameSource& src, const std::function<bool(const audit::Frame&)>& more) {
    try {
      while (auto f = src.next()) {
        if (!f->idle) analyzer.frame(src.link_type(), f->time, f->data, f->wire_length);
        if (!more(*f)) break;
      }
    } catch (const audit::InputError& e) {
      std::cerr << "pptpx audit: " << e.what() << "\n";
      read_error = true;
      frames_before_error += src.frames();
    }
  };
  try {
    for (const auto& file : o.files) {
      auto src = audit::FrameSource::open_file(file);
      feed(src, [](const audit::Frame&) { return true; });
    }
    if (!o.interface.empty()) {
      auto src = audit::FrameSource::open_live(o.interface, "tcp port 1723 or ip proto 47 or (ip[6:2] & 0x1fff != 0)");
      g_live = &src;
      std::signal(SIGINT, on_sigint);
      std::signal(SIGTERM, on_sigint);
      const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(o.duration);
      std::cerr << "pptpx audit: capturing on " << o.interface << " (Ctrl-C to stop)\n";
      feed(src, [&](const audit::Frame&) { return o.duration <= 0 || std::chrono::steady_clock::now() < until; });
      g_live = nullptr;
      std::signal(SIGINT, SIG_DFL);
      std::signal(SIGTERM, SIG_DFL);
    }
  } catch (const audit::InputError& e) {
    std::cerr << "pptpx audit: " << e.what() << "\n";
    return 2;
  }
  analyzer.finish(o.thresholds);
  audit::ReportOptions ro;
  ro.decrypted_written = writer ? writer->written() : 0;
  writer.reset();  // flush the pcap before reporting
  ro.show_secrets = o.show;
  ro.output_file = o.output;
  const bool none = analyzer.observer().sessions().empty() && analyzer.observer().connections().empty();
  if (!o.export_format.empty()) {
    std::cout << audit::export_lines(analyzer, o.export_format);
  } else if (o.json) {
    std::cout << audit::json_report(analyzer, ro).dump(2) << "\n";
  } else {
    std::cout << audit::text_report(analyzer, ro);
  }
  if (read_error && analyzer.counters().frames == 0) return 2;
  if (none) {
    std::cerr << "pptpx audit: no PPTP found (no TCP port 1723 and no enhanced GRE) in "
              << analyzer.counters().frames << " frames\n";
    return 1;
  }
  return read_error ? 3 : 0;
}

}  // namespace

void register_audit(CLI::App& app) {
  auto o = std::make_shared<AuditOptions>();
  auto* sub = app.add_subcommand(
      "audit",
      "Find, grade, export and decrypt the PPTP sessions in pcap/pcapng captures or live on an interface");
  sub->add_option("files", o->files, "pcap or pcapng files (Ethernet, VLAN, Linux cooked v1/v2, raw IP)");
  sub->add_option("--interface,-i", o->interface, "capture live on this interface (needs CAP_NET_RAW); Ctrl-C stops");
  sub->add_option("--duration", o->duration, "live: stop after this many seconds (default: until Ctrl-C)");
  sub->add_flag("--json", o->json, "JSON output (fields in docs/audit.md)");
  sub->add_flag("--show", o->show, "print passwords seen in clear (PAP) or supplied, instead of masking them");
  sub->add_option("--password", o->passwords, "USER=PASSWORD: check it against the handshake and decrypt")
      ->take_all();
  sub->add_option("--nt-hash", o->nt_hashes, "USER=NTHASH (32 hex digits): as --password")->take_all();
  sub->add_option("--output,-o", o->output, "write decrypted inner IP packets here (pcap, LINKTYPE_RAW)");
  sub->add_option("--export", o->export_format,
                  "print only the handshakes for a cracking tool: hashcat-5500, hashcat-4800, john, 99, asleap");
  sub->add_option("--alert-auth-failures", o->thresholds.auth_failures,
                  "brute-force alert: this many failures per user or source in the window (0: off)")
      ->capture_default_str();
  sub->add_option("--alert-window", o->window_seconds, "brute-force alert window in seconds")->capture_default_str();
  sub->add_option("--alert-scan-sources", o->thresholds.scan_sources,
                  "scan alert: Start-Control-Connection from this many sources (0: off)")
      ->capture_default_str();
  sub->callback([o] { set_exit_code(run(*o)); });
}

}  // namespace pptpx::cli
