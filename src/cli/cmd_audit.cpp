// `pptpx audit`: finds the PPTP sessions in captures (or live on an interface), reports and grades
// each, exports its handshakes for cracking tools, and decrypts the tunnel traffic of users whose
// password or NT hash is given. See docs/audit.md.
#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <chrono>
#include <csignal>
#include <functional>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "audit/analyzer.hpp"
#include "audit/frame_source.hpp"
#include "audit/html_report.hpp"
#include "audit/report.hpp"
#include "audit/wordlist.hpp"
#include "server/secrets_file.hpp"
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
  std::string wordlist, nt_hash_list;
  unsigned threads = 0;
  std::string html;
  audit::TrackingLimits limits;
};

struct SecretsOptions {
  std::string file;
  std::string wordlist;
  bool show = false;
  unsigned threads = 0;
};

// A file's lines, CR/LF stripped, as views into the file's text (one read, no string per
// line: a wordlist of tens of millions of words loads in a fraction of the time and memory).
struct Lines {
  std::string text;
  std::vector<std::string_view> lines;
  std::size_t size() const { return lines.size(); }
  std::string_view operator[](std::size_t i) const { return lines[i]; }
};

// nullopt (and a message) when the file cannot be read.
std::optional<Lines> read_lines(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "pptpx audit: cannot read the " << what << " " << path << "\n";
    return std::nullopt;
  }
  Lines out;
  std::string& text = out.text;
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (size > 0) {
    text.resize(static_cast<std::size_t>(size));
    in.read(text.data(), size);
    text.resize(static_cast<std::size_t>(in.gcount()));
  } else {  // not seekable (a pipe): read as it comes
    in.clear();
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  out.lines.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::size_t len = end - pos;
    while (len > 0 && text[pos + len - 1] == '\r') --len;
    out.lines.emplace_back(text.data() + pos, len);
    pos = end + 1;
  }
  return out;
}

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
  for (const auto& [flag, value] : {std::pair{"--max-connections", o.limits.connections},
                                     {"--max-sessions", o.limits.sessions},
                                     {"--max-reassembly-octets", o.limits.reassembly_octets},
                                     {"--max-fragments", o.limits.fragments},
                                     {"--max-fragment-datagrams", o.limits.fragment_datagrams}}) {
    if (value == 0) {
      std::cerr << "pptpx audit: " << flag << " must be at least 1 (it bounds what the audit tracks at once)\n";
      return 2;
    }
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
  o.thresholds.window = static_cast<audit::Timestamp>(o.window_seconds * 1e6);
  std::optional<Lines> words;
  std::vector<auth::NtHash> hash_list;
  if (!o.wordlist.empty() && !(words = read_lines(o.wordlist, "wordlist"))) return 2;
  if (!o.nt_hash_list.empty()) {
    auto lines = read_lines(o.nt_hash_list, "NT hash list");
    if (!lines) return 2;
    for (std::size_t i = 0; i < lines->size(); ++i) {
      std::string l((*lines)[i]);
      if (l.empty() || l[0] == '#') continue;
      l = l.substr(l.rfind(':') == std::string::npos ? 0 : l.rfind(':') + 1);  // user:HASH, nthash:HASH
      auto raw = from_hex(l);
      if (!raw || raw->size() != 16) {
        std::cerr << "pptpx audit: " << o.nt_hash_list << ":" << i + 1
                  << ": not an NT hash (want 32 hex digits, optionally after 'user:' or 'nthash:')\n";
        return 2;
      }
      auth::NtHash h{};
      std::copy(raw->begin(), raw->end(), h.begin());
      hash_list.push_back(h);
    }
  }
  const bool cracking = words || !hash_list.empty();

  struct Pass {
    std::unique_ptr<audit::Analyzer> analyzer;
    bool read_error = false;
    std::uint64_t written = 0;
  };
  // One pass over the input. nullopt after a message when nothing could be read.
  auto analyze = [&](const audit::KeyBook& kb, bool write, bool quiet) -> std::optional<Pass> {
    Pass p;
    std::unique_ptr<audit::RawIpWriter> writer;
    try {
      if (write && !o.output.empty()) writer = std::make_unique<audit::RawIpWriter>(o.output);
    } catch (const audit::InputError& e) {
      std::cerr << "pptpx audit: " << e.what() << "\n";
      return std::nullopt;
    }
    audit::InnerSink sink;
    if (writer) sink = [&](const audit::Session&, int, audit::Timestamp t, ByteView ip) { writer->write(t, ip); };
    p.analyzer = std::make_unique<audit::Analyzer>(kb, sink, o.limits);
    audit::Analyzer& analyzer = *p.analyzer;
    auto feed = [&](audit::FrameSource& src, const std::function<bool()>& more) {
      try {
        while (auto f = src.next()) {
          if (!f->idle) analyzer.frame(src.link_type(), f->time, f->data, f->wire_length);
          if (!more()) break;
        }
      } catch (const audit::InputError& e) {
        if (!quiet) std::cerr << "pptpx audit: " << e.what() << "\n";
        p.read_error = true;
      }
    };
    try {
      for (const auto& file : o.files) {
        auto src = audit::FrameSource::open_file(file);
        feed(src, [] { return true; });
      }
      if (!o.interface.empty()) {
        auto src = audit::FrameSource::open_live(o.interface, "tcp port 1723 or ip proto 47 or (ip[6:2] & 0x1fff != 0)");
        g_live = &src;
        std::signal(SIGINT, on_sigint);
        std::signal(SIGTERM, on_sigint);
        const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(o.duration);
        std::cerr << "pptpx audit: capturing on " << o.interface << " (Ctrl-C to stop)" << std::endl;
        feed(src, [&] { return o.duration <= 0 || std::chrono::steady_clock::now() < until; });
        g_live = nullptr;
        std::signal(SIGINT, SIG_DFL);
        std::signal(SIGTERM, SIG_DFL);
      }
    } catch (const audit::InputError& e) {
      std::cerr << "pptpx audit: " << e.what() << "\n";
      return std::nullopt;
    }
    analyzer.finish(o.thresholds);
    p.written = writer ? writer->written() : 0;
    return p;
  };

  // Files with a wordlist: a first pass finds the handshakes, the lists are tried, and a second
  // pass decrypts with what fell. Live, the capture cannot be replayed: hits are reported only.
  const bool two_pass = cracking && o.interface.empty();
  auto pass = analyze(keys, !two_pass, false);
  if (!pass) return 2;
  std::vector<audit::CrackTarget> targets;
  std::vector<audit::CrackHit> hits;
  audit::CrackStats word_stats, hash_stats;
  if (cracking) {
    for (const auto& sp : pass->analyzer->observer().sessions()) {
      auto t = audit::crack_targets(*sp);
      targets.insert(targets.end(), t.begin(), t.end());
    }
    if (words) word_stats = audit::crack_words(words->lines, targets, hits, o.threads);
    if (!hash_list.empty()) {
      std::vector<audit::CrackHit> more;
      hash_stats = audit::crack_nt_hashes(hash_list, targets, more);
      for (const auto& h : more) {
        if (std::none_of(hits.begin(), hits.end(), [&](const audit::CrackHit& x) { return x.target == h.target; })) {
          hits.push_back(h);
        }
      }
    }
    for (const auto& h : hits) {
      audit::KeyBook::Entry e{h.nt_hash, h.password, h.password ? "wordlist" : "--nt-hashes"};
      keys.users.try_emplace(targets[h.target].name, e);
    }
    if (two_pass) {
      pass = analyze(keys, true, true);
      if (!pass) return 2;
    }
  }
  const audit::Analyzer& analyzer = *pass->analyzer;
  audit::ReportOptions ro;
  ro.decrypted_written = pass->written;
  ro.show_secrets = o.show;
  ro.output_file = o.output;
  const bool none = analyzer.observer().sessions().empty() && analyzer.observer().connections().empty();
  auto hit_password = [&](const audit::CrackHit& h) {
    if (!h.password) return std::string("NT hash from the list");
    return o.show ? "password '" + *h.password + "'" : "password found (" + std::to_string(h.password->size()) +
                                                            " characters; --show prints it)";
  };
  if (!o.html.empty()) {
    std::ofstream out(o.html, std::ios::binary | std::ios::trunc);
    out << audit::html_report(analyzer, ro);
    if (!out.flush()) {
      std::cerr << "pptpx audit: cannot write " << o.html << "\n";
      return 2;
    }
  }
  if (!o.export_format.empty()) {
    std::cout << audit::export_lines(analyzer, o.export_format);
  } else if (o.json) {
    auto j = audit::json_report(analyzer, ro);
    if (cracking) {
      nlohmann::json jw;
      jw["candidates"] = word_stats.candidates + hash_stats.candidates;
      jw["seconds"] = word_stats.seconds + hash_stats.seconds;
      const double secs = word_stats.seconds + hash_stats.seconds;
      jw["candidates_per_second"] =
          secs > 0 ? static_cast<double>(word_stats.candidates + hash_stats.candidates) / secs : 0.0;
      jw["threads"] = std::max(word_stats.threads, hash_stats.threads);
      jw["handshakes_tested"] = targets.size();
      jw["found"] = nlohmann::json::array();
      for (const auto& h : hits) {
        const auto& t = targets[h.target];
        jw["found"].push_back({{"session", t.session},
                               {"name", t.name},
                               {"method", audit::to_string(t.method)},
                               {"source", h.password ? "wordlist" : "nt-hashes"},
                               {"password", h.password ? (o.show ? nlohmann::json(*h.password) : nlohmann::json("hidden"))
                                                       : nlohmann::json()}});
      }
      j["wordlist"] = jw;
    }
    std::cout << audit::json_text(j) << "\n";
  } else {
    std::cout << audit::text_report(analyzer, ro);
    if (cracking) {
      std::cout << "\nwordlist   " << targets.size() << " handshakes tested; ";
      if (words) {
        std::cout << word_stats.candidates << " words in " << word_stats.seconds << " s on " << word_stats.threads
                  << " threads (" << static_cast<std::uint64_t>(word_stats.per_second()) << " candidates/s)";
      }
      if (!hash_list.empty()) std::cout << (words ? "; " : "") << hash_stats.candidates << " NT hashes";
      std::cout << "\n";
      for (const auto& h : hits) {
        const auto& t = targets[h.target];
        std::cout << "  fell       session " << t.session << " " << audit::to_string(t.method) << " user '"
                  << audit::printable(t.name)
                  << "': " << hit_password(h) << "\n";
      }
      if (hits.empty()) std::cout << "  no handshake fell to the lists\n";
    }
  }
  if (pass->read_error && analyzer.counters().frames == 0) return 2;
  if (none) {
    std::cerr << "pptpx audit: no PPTP found (no TCP port 1723 and no enhanced GRE) in "
              << analyzer.counters().frames << " frames\n";
    return 1;
  }
  return pass->read_error ? 3 : 0;
}

// `pptpx audit secrets FILE --wordlist W`: which users of a chap-secrets file have a password
// (plaintext or nthash: form) in the list. Never prints a secret unless --show.
int run_secrets(const SecretsOptions& o) {
  std::ifstream in(o.file, std::ios::binary);
  if (!in) {
    std::cerr << "pptpx audit secrets: cannot read " << o.file << "\n";
    return 2;
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto parsed = server::parse_secrets(text, o.file);
  for (const auto& e : parsed.errors) std::cerr << "pptpx audit secrets: " << e << "\n";
  if (!parsed.errors.empty() && parsed.entries.empty()) return 2;
  auto words = read_lines(o.wordlist, "wordlist");
  if (!words) return 2;
  // Every entry becomes an NT hash target (a plaintext secret's own hash), tested in one run.
  std::vector<auth::NtHash> entry_hash(parsed.entries.size());
  for (std::size_t i = 0; i < parsed.entries.size(); ++i) {
    const auto& e = parsed.entries[i];
    if (e.nt_hash) {
      entry_hash[i] = *e.nt_hash;
    } else if (e.password) {
      Bytes u;
      if (auth::password_to_utf16le(*e.password, u)) entry_hash[i] = auth::nt_password_hash(*e.password);
    }
  }
  std::map<auth::NtHash, std::vector<std::size_t>> by_hash;
  for (std::size_t i = 0; i < entry_hash.size(); ++i) by_hash[entry_hash[i]].push_back(i);
  std::map<std::size_t, std::string> found;
  std::mutex m;
  std::atomic<std::size_t> next{0};
  const unsigned threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  const auto t0 = std::chrono::steady_clock::now();
  auto worker = [&] {
    for (;;) {
      const std::size_t i = next++;
      if (i >= words->size()) return;
      Bytes u;
      if (!auth::password_to_utf16le((*words)[i], u)) continue;
      const auth::NtHash h = auth::nt_password_hash((*words)[i]);
      if (auto it = by_hash.find(h); it != by_hash.end()) {
        std::lock_guard<std::mutex> g(m);
        for (auto e : it->second) found.emplace(e, (*words)[i]);
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << o.file << ": " << parsed.entries.size() << " users, " << words->size() << " words tested in " << secs
            << " s on " << threads << " threads\n";
  for (const auto& [i, pw] : found) {
    const auto& e = parsed.entries[i];
    std::cout << "  " << o.file << ":" << e.line << ": user '" << e.client << "' ("
              << (e.nt_hash ? "nthash" : "plaintext") << "): password in the wordlist"
              << (o.show ? ": '" + pw + "'" : "") << "\n";
  }
  if (found.empty()) std::cout << "  no user's password is in the wordlist\n";
  return found.empty() ? 0 : 1;
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
  sub->add_option("--password", o->passwords, "USER=PASSWORD: check it against the handshake and decrypt (repeatable)")
      ->allow_extra_args(false);
  sub->add_option("--nt-hash", o->nt_hashes, "USER=NTHASH (32 hex digits): as --password (repeatable)")
      ->allow_extra_args(false);
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
  sub->add_option("--wordlist", o->wordlist, "try every word (one per line) against every captured handshake")
      ->check(CLI::ExistingFile);
  sub->add_option("--nt-hashes", o->nt_hash_list, "try these NT hashes (32 hex digits a line) against MS-CHAP handshakes")
      ->check(CLI::ExistingFile);
  sub->add_option("--threads", o->threads, "wordlist threads (default: one per core)");
  sub->add_option("--html", o->html, "also write a self-contained HTML page (sessions, SVG timeline, alerts)");
  // Memory bounds for long captures and --interface (audit/limits.hpp): oldest evicted, counted.
  sub->add_option("--max-connections", o->limits.connections,
                  "bound: PPTP control connections tracked at once (oldest evicted, counted)")
      ->capture_default_str();
  sub->add_option("--max-sessions", o->limits.sessions,
                  "bound: sessions kept (oldest activity dropped from the report, counted)")
      ->capture_default_str();
  sub->add_option("--max-reassembly-octets", o->limits.reassembly_octets,
                  "bound: TCP octets held behind holes over all connections (oldest handed on, holes skipped)")
      ->capture_default_str();
  sub->add_option("--max-fragments", o->limits.fragments,
                  "bound: IPv4 fragments held for reassembly (oldest datagram dropped, counted)")
      ->capture_default_str();
  sub->add_option("--max-fragment-datagrams", o->limits.fragment_datagrams,
                  "bound: IPv4 datagrams being reassembled at once (oldest dropped, counted)")
      ->capture_default_str();
  sub->callback([o, sub] {
    if (sub->got_subcommand("secrets")) return;
    set_exit_code(run(*o));
  });
  auto so = std::make_shared<SecretsOptions>();
  auto* sec = sub->add_subcommand("secrets", "Check which users of a chap-secrets file have a password in a wordlist");
  sec->add_option("file", so->file, "chap-secrets file (plaintext or nthash: secrets)")->required();
  sec->add_option("--wordlist", so->wordlist, "one password per line")->required();
  sec->add_flag("--show", so->show, "print the passwords found");
  sec->add_option("--threads", so->threads, "threads (default: one per core)");
  sec->callback([so] { set_exit_code(run_secrets(*so)); });
}

}  // namespace pptpx::cli
