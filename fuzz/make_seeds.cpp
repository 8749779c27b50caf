// Seed corpora for the fuzz targets (fuzz/corpus/<target>/), in the input formats the targets
// document (fuzz_common.hpp):
//   - from the captures in shared/captures (tests/support/capture.hpp read_capture): TCP control
//     streams, GRE packets, PPP frames per direction, authentication packets, MPPE packets, and
//     whole sessions (TCP + GRE in capture order);
//   - from two of our own peers run against each other in this process with the targets'
//     deterministic random sources, so the recorded inputs replay the target through LCP,
//     authentication, IPCP/IPV6CP/CCP and data for every policy variant;
//   - hand-written configuration and secrets files.
//
//   make_seeds CAPTURE_DIR OUT_DIR
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <set>
#include <string>

#include "fuzz_common.hpp"
#include "ppp/auth_factory_impl.hpp"
#include "ppp/frame.hpp"
#include "pptp/gre_header.hpp"
#include "session_setup.hpp"
#include "support/capture.hpp"

using namespace pptpx;
namespace fs = std::filesystem;

namespace {

fs::path g_out;
std::size_t g_files = 0, g_bytes = 0;

void write_seed(const std::string& target, const std::string& name, const Bytes& b) {
  fs::create_directories(g_out / target);
  std::ofstream f(g_out / target / name, std::ios::binary);
  f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  ++g_files;
  g_bytes += b.size();
}
void write_text(const std::string& target, const std::string& name, const std::string& s) {
  write_seed(target, name, Bytes(s.begin(), s.end()));
}

// ---- captures ----

struct CaptureInfo {
  const char* file;
  std::uint8_t policy;       // policy_variant() bits matching the capture
  int auth_method;           // ppp::AuthMethod
  int mppe_strength;         // 0 40-bit, 2 128-bit, -1 none
};

void from_capture(const fs::path& dir, const CaptureInfo& ci) {
  const std::string stem = fs::path(ci.file).stem().string();
  auto pkts = test::read_capture((dir / ci.file).string());
  Bytes c2s_stream{0x00}, s2c_stream{0x00};
  Bytes pac{0x01}, pns{0x07};
  bool pns_call_placed = false;
  Bytes gre_chan{0x09};  // channel, 4 reorder slots
  std::uint16_t client_key = 0, server_key = 0;
  for (const auto& p : pkts) {
    if (p.ip_protocol == 47) {
      auto d = pptp::decode_gre(p.payload);
      if (!d.ok()) continue;
      if (p.src == test::ipv4(192, 0, 2, 3)) server_key = d.header.call_id;
      else client_key = d.header.call_id;
    }
  }
  gre_chan.push_back(static_cast<std::uint8_t>(server_key >> 8));
  gre_chan.push_back(static_cast<std::uint8_t>(server_key));
  gre_chan.push_back(static_cast<std::uint8_t>(client_key >> 8));
  gre_chan.push_back(static_cast<std::uint8_t>(client_key));
  const auto link_mode = static_cast<std::uint8_t>(ci.policy << 1);
  Bytes link_srv{link_mode}, link_cli{static_cast<std::uint8_t>(link_mode | 1)};
  Bytes sess_srv{link_mode}, sess_cli{static_cast<std::uint8_t>(link_mode | 1)};
  Bytes auth_srv{static_cast<std::uint8_t>(ci.auth_method)}, auth_cli{static_cast<std::uint8_t>(ci.auth_method | 4)};
  Bytes mppe{static_cast<std::uint8_t>(ci.mppe_strength < 0 ? 2 : ci.mppe_strength)};
  int gre_decode_seeds = 0;
  std::set<std::size_t> gre_sizes;
  for (const auto& p : pkts) {
    const bool from_client = p.src == test::ipv4(192, 0, 2, 3);
    if (p.ip_protocol == 6) {
      (from_client ? c2s_stream : s2c_stream).insert((from_client ? c2s_stream : s2c_stream).end(),
                                                     p.payload.begin(), p.payload.end());
      if (from_client) {
        fuzz::put_record(pac, p.payload);
        fuzz::put_record(sess_srv, 0x00, p.payload);
      } else {
        fuzz::put_record(pns, p.payload);
        if (!pns_call_placed) {
          fuzz::put_op(pns, 1);  // SCCRP in: place the call whose OCRP follows
          pns_call_placed = true;
        }
        fuzz::put_record(sess_cli, 0x00, p.payload);
      }
      continue;
    }
    if (p.ip_protocol != 47) continue;
    fuzz::put_record(from_client ? sess_srv : sess_cli, 0x01, p.payload);
    if (from_client) fuzz::put_record(gre_chan, p.payload);
    auto d = pptp::decode_gre(p.payload);
    if (gre_decode_seeds < 6 && gre_sizes.insert(d.header.size() * 10000 + d.payload.size() / 200).second) {
      Bytes g{0x00};
      g.insert(g.end(), p.payload.begin(), p.payload.end());
      write_seed("gre", stem + "-" + std::to_string(p.index), g);
      ++gre_decode_seeds;
    }
    if (!d.ok() || d.payload.empty()) continue;
    fuzz::put_record(from_client ? link_srv : link_cli, 0x00, d.payload);
    auto fh = ppp::parse_frame_header(d.payload);
    if (fh.error != ppp::FrameError::Ok) continue;
    ByteView info = d.payload.subspan(fh.header_size);
    if (fh.protocol == 0xC023 || fh.protocol == 0xC223) fuzz::put_record(from_client ? auth_srv : auth_cli, info);
    if (fh.protocol == 0x00FD && from_client) fuzz::put_record(mppe, info);
  }
  write_seed("pptp_control", stem + "-c2s-stream", c2s_stream);
  write_seed("pptp_control", stem + "-s2c-stream", s2c_stream);
  write_seed("pptp_control", stem + "-pac", pac);
  write_seed("pptp_control", stem + "-pns", pns);
  write_seed("gre", stem + "-channel", gre_chan);
  write_seed("ppp_link", stem + "-server", link_srv);
  write_seed("ppp_link", stem + "-client", link_cli);
  write_seed("session", stem + "-server", sess_srv);
  write_seed("session", stem + "-client", sess_cli);
  write_seed("ppp_auth", stem + "-authenticator", auth_srv);
  write_seed("ppp_auth", stem + "-peer", auth_cli);
  if (ci.mppe_strength >= 0) {
    // Only the first few packets: enough to start from, small on disk.
    if (mppe.size() > 1200) mppe.resize(1200);
    write_seed("mppe", stem, mppe);
  }
}

// ---- our own peers, in process ----

// Two Links built exactly as fuzz_ppp_link builds its one; every frame each receives is recorded.
struct LinkSide final : ppp::LinkOutput {
  explicit LinkSide(std::uint8_t mode)
      : server((mode & 1) == 0),
        rnd(server ? fuzz::kServerSeed : fuzz::kClientSeed),
        factory(fuzz::auth_config(server, &creds, &rnd)),
        link(fuzz::link_config(mode, &rnd), factory, *this),
        rec{mode} {}
  void send_frame(PacketBuffer& f) override { sent.emplace_back(f.view().begin(), f.view().end()); }
  void deliver_ipv4(ByteView) override {}
  void deliver_ipv6(ByteView) override {}
  void on_event(const ppp::LinkEvent& e) override {
    if (e.kind == ppp::LinkEvent::Kind::Up) up = true;
  }
  bool server;
  fuzz::DetRandom rnd;
  fuzz::FuzzCredentials creds;
  ppp::StandardAuthFactory factory;
  ppp::Link link;
  std::deque<Bytes> sent;
  Bytes rec;
  bool up = false;
};

void exchange(LinkSide& a, LinkSide& b, Time now) {
  for (int guard = 0; guard < 1000 && (!a.sent.empty() || !b.sent.empty()); ++guard) {
    while (!a.sent.empty()) {
      Bytes f = std::move(a.sent.front());
      a.sent.pop_front();
      fuzz::put_record(b.rec, 0x00, f);
      b.link.receive_frame(f, now);
    }
    while (!b.sent.empty()) {
      Bytes f = std::move(b.sent.front());
      b.sent.pop_front();
      fuzz::put_record(a.rec, 0x00, f);
      a.link.receive_frame(f, now);
    }
  }
}

void link_pair(std::uint8_t policy, bool ipv6) {
  const auto mode = static_cast<std::uint8_t>((policy << 1) | (ipv6 ? 0x20 : 0));
  LinkSide s(mode), c(static_cast<std::uint8_t>(mode | 1));
  Time now{};
  s.link.start(now);
  c.link.start(now);
  exchange(s, c, now);
  const bool up = s.up && c.up;
  if (up) {
    for (auto* side : {&s, &c}) {
      PacketBuffer p;
      (void)p.assign(fuzz::sample_ipv4());
      fuzz::put_op(side->rec, 1);  // recorded, so the target replays the same calls
      (void)side->link.send_ipv4(p, now);
      if (ipv6) {
        fuzz::put_op(side->rec, 2);
        PacketBuffer p6;
        (void)p6.assign(fuzz::sample_ipv6());
        (void)side->link.send_ipv6(p6, now);
      }
    }
    exchange(s, c, now);
  }
  fuzz::put_op(c.rec, 3);
  c.link.close("done", now);
  exchange(s, c, now);
  char name[64];
  std::snprintf(name, sizeof name, "pair-p%u%s", policy, ipv6 ? "-v6" : "");
  for (auto* side : {&s, &c}) fuzz::put_op(side->rec, 0xF8);  // then 7.75 s pass: timers run out
  write_seed("ppp_link", std::string(name) + "-server", s.rec);
  write_seed("ppp_link", std::string(name) + "-client", c.rec);
  std::printf("link pair policy %u ipv6 %d: %s\n", policy, ipv6, up ? "up" : "NOT up");
}

// Two authentication machines against each other.
struct AuthSide final : ppp::FrameSink {
  void send_frame(ppp::Protocol, ByteView info) override { sent.emplace_back(info.begin(), info.end()); }
  std::deque<Bytes> sent;
  Bytes rec;
};

void auth_pair(int method, bool nt_only) {
  fuzz::DetRandom rs(fuzz::kServerSeed), rc(fuzz::kClientSeed);
  fuzz::FuzzCredentials creds;
  ppp::AuthConfig sc = fuzz::auth_config(true, &creds, &rs);
  ppp::AuthConfig cc = fuzz::auth_config(false, &creds, &rc);
  if (nt_only) {
    cc.peer.password.reset();
    cc.peer.nt_hash = auth::nt_password_hash("Tunnel-Lab-7");
  }
  AuthSide s, c;
  s.rec = {static_cast<std::uint8_t>(method)};
  c.rec = {static_cast<std::uint8_t>(method | 4 | (nt_only ? 8 : 0))};
  auto m = static_cast<ppp::AuthMethod>(method);
  auto a = ppp::make_auth_machine(m, ppp::AuthRole::Authenticator, sc, s);
  auto p = ppp::make_auth_machine(m, ppp::AuthRole::Peer, cc, c);
  Time now{};
  a->start(now);
  p->start(now);
  for (int guard = 0; guard < 100 && (!s.sent.empty() || !c.sent.empty()); ++guard) {
    while (!s.sent.empty()) {
      Bytes f = std::move(s.sent.front());
      s.sent.pop_front();
      fuzz::put_record(c.rec, f);
      p->receive(f, now);
    }
    while (!c.sent.empty()) {
      Bytes f = std::move(c.sent.front());
      c.sent.pop_front();
      fuzz::put_record(s.rec, f);
      a->receive(f, now);
    }
  }
  const std::string name = std::string("pair-") + std::string(ppp::to_string(m)) + (nt_only ? "-nthash" : "");
  write_seed("ppp_auth", name + "-authenticator", s.rec);
  write_seed("ppp_auth", name + "-peer", c.rec);
  std::printf("auth pair %s: authenticator %d peer %d\n", name.c_str(), static_cast<int>(a->status()),
              static_cast<int>(p->status()));
}

// Two Sessions built as fuzz_session builds its one.
struct SessionSide final : session::SessionOutput {
  explicit SessionSide(std::uint8_t mode)
      : server((mode & 1) == 0),
        rnd(server ? fuzz::kServerSeed : fuzz::kClientSeed),
        factory(fuzz::auth_config(server, &creds, &rnd)),
        s(fuzz::session_config(mode, &rnd), ids, factory, *this, server ? &hooks : nullptr),
        rec{mode} {}
  void send_gre(MutableByteView p) override { gre.emplace_back(p.begin(), p.end()); }
  void deliver_ipv4(std::uint16_t, ByteView) override {}
  void deliver_ipv6(std::uint16_t, ByteView) override {}
  void on_event(const session::SessionEvent& e) override {
    if (e.kind == session::SessionEvent::Kind::LinkUp) up = true;
  }
  bool server;
  fuzz::DetRandom rnd;
  fuzz::FuzzCredentials creds;
  ppp::StandardAuthFactory factory;
  pptp::SequentialCallIdAllocator ids;
  fuzz::FixedHooks hooks;
  session::Session s;
  std::deque<Bytes> gre;
  Bytes rec;
  Bytes tcp_rec;  // the TCP bytes it received, as PAC/PNS control seeds
  bool up = false;
};

void session_exchange(SessionSide& a, SessionSide& b, Time now) {
  for (int guard = 0; guard < 1000; ++guard) {
    bool any = false;
    for (auto [from, to] : {std::pair{&a, &b}, std::pair{&b, &a}}) {
      Bytes t = from->s.take_tcp_output();
      if (!t.empty()) {
        any = true;
        fuzz::put_record(to->rec, 0x00, t);
        fuzz::put_record(to->tcp_rec, t);
        to->s.receive_tcp(t, now);
      }
      while (!from->gre.empty()) {
        any = true;
        Bytes g = std::move(from->gre.front());
        from->gre.pop_front();
        fuzz::put_record(to->rec, 0x01, g);
        to->s.receive_gre(g, now);
      }
    }
    if (!any) return;
  }
}

void session_pair(std::uint8_t policy, bool ipv6) {
  const auto mode = static_cast<std::uint8_t>((policy << 1) | (ipv6 ? 0x20 : 0));
  SessionSide s(mode), c(static_cast<std::uint8_t>(mode | 1));
  s.tcp_rec = {0x01};  // pptp_control: connection, PAC, not originating
  c.tcp_rec = {0x07};  //               connection, PNS, originating
  Time now{};
  s.s.start(now);
  c.s.start(now);
  session_exchange(s, c, now);
  const bool up = s.up && c.up;
  if (up) {
    PacketBuffer p;
    (void)p.assign(fuzz::sample_ipv4());
    fuzz::put_op(c.rec, 1);
    (void)c.s.send_ipv4(c.s.call_ids().front(), p, now);
    PacketBuffer q;
    (void)q.assign(fuzz::sample_ipv4());
    fuzz::put_op(s.rec, 1);
    (void)s.s.send_ipv4(s.s.call_ids().front(), q, now);
    session_exchange(s, c, now);
  }
  fuzz::put_op(c.rec, 3);
  c.s.stop("done", now);
  session_exchange(s, c, now);
  char name[64];
  std::snprintf(name, sizeof name, "pair-p%u%s", policy, ipv6 ? "-v6" : "");
  for (auto* side : {&s, &c}) fuzz::put_op(side->rec, 0xF8);
  write_seed("session", std::string(name) + "-server", s.rec);
  write_seed("session", std::string(name) + "-client", c.rec);
  if (policy == 0) {
    write_seed("pptp_control", std::string(name) + "-pac", s.tcp_rec);
    write_seed("pptp_control", std::string(name) + "-pns", c.tcp_rec);
  }
  std::printf("session pair policy %u ipv6 %d: %s\n", policy, ipv6, up ? "up" : "NOT up");
}

// ---- hand-written ----

void mppe_round_trips() {
  for (int m : {0x08, 0x09, 0x0A, 0x0C, 0x0E}) {
    const auto mode = static_cast<std::uint8_t>(m);
    Bytes b{mode};
    for (int i = 0; i < 12; ++i) {
      Bytes plain{static_cast<std::uint8_t>(i == 3 ? 1 : (i == 7 ? 2 : 0)), 0x00, 0x21};
      auto ip = fuzz::sample_ipv4();
      plain.insert(plain.end(), ip.begin(), ip.end());
      fuzz::put_record(b, plain);
    }
    write_seed("mppe", "roundtrip-" + std::to_string(mode), b);
  }
}

void configs() {
  write_text("config", "minimal.toml",
             "[ipv4]\nserver_address = \"198.51.100.1\"\npool = \"198.51.100.10-198.51.100.20\"\n");
  write_text("config", "full.toml",
             "[listen]\naddress = \"0.0.0.0\"\nport = 1723\n"
             "[tun]\nname = \"pptpx0\"\nper_session = false\nmtu = 1400\n"
             "[ipv4]\nserver_address = \"198.51.100.1\"\npool = \"198.51.100.0/24\"\ndns = [\"198.51.100.1\", \"198.51.100.2\"]\n"
             "[ipv6]\nenabled = true\nprefix = \"2001:db8:1::/64\"\nserver_interface_id = \"::1\"\ndns = [\"2001:db8::53\"]\n"
             "[auth]\nmethods = [\"mschapv2\", \"mschap\", \"chap-md5\", \"pap\"]\n"
             "secrets_file = \"/etc/pptpx/chap-secrets\"\nserver_name = \"*\"\n"
             "[mppe]\nrequired = false\nstrengths = [40, 56, 128]\nmode = \"stateful\"\n"
             "[limits]\nmax_sessions = 1000\nmax_sessions_per_source = 16\nmax_handshakes_in_progress = 64\n"
             "control_setup_seconds = 30\nauth_seconds = 30\nnetwork_setup_seconds = 30\n"
             "[limits.auth_lockout]\nfailures = 5\nwindow_seconds = 300\nlockout_seconds = 600\n"
             "[echo]\ncontrol_interval_seconds = 60\nlcp_interval_seconds = 30\nlcp_failures = 4\n"
             "[log]\nlevel = \"debug\"\n");
  write_text("config", "errors.toml",
             "[ipv4]\nserver_address = \"300.1.1.1\"\npool = \"198.51.100.20-198.51.100.10\"\n"
             "[mppe]\nstrengths = [64]\nmode = \"sometimes\"\n[bogus]\nx = 1\n");
  write_text("config", "types.toml",
             "[ipv4]\nserver_address = 1\npool = [\"a\"]\ndns = \"x\"\n[listen]\nport = 70000\n"
             "[tun]\nmtu = -1\n[limits]\nmax_sessions = 4294967296\n");
}

void secrets() {
  write_text("secrets", "basic",
             std::string(1, '\0') +
                 "# client      server   secret                              IP addresses\n"
                 "bob           *        \"Tunnel-Lab-7\"                      198.51.100.50\n"
                 "\"alice smith\" pptpx    'pass word'                         *\n"
                 "carol         *        nthash:8846F7EAEE8FB117AD06BDD830B7586C   -\n"
                 "*             *        shared-secret-for-everyone\n");
  write_text("secrets", "escapes",
             std::string(1, '\0') + "a\\sb  * \"x\\ty\\101\\x41\\\n z\" 1.2.3.4 5.6.7.8 # c\nd\"e f\"g * ''\n");
  write_text("secrets", "unsupported", std::string(1, '\0') + "u * p 10.0.0.0/8 !1.2.3.4 host -- @/etc/x\n\"open\n");
  write_text("secrets", "quote-word", std::string(1, '\1') + "we'ird \"wo\\rd\"#\n");
  write_text("secrets", "quote-nthash", std::string(1, '\1') + "nthash:8846f7eaee8fb117ad06bdd830b7586c");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s CAPTURE_DIR OUT_DIR\n", argv[0]);
    return 2;
  }
  g_out = argv[2];
  const fs::path caps = argv[1];
  // policy_variant bits: 0 MS-CHAPv2/MPPE-128 required, 8 = optional/any strength.
  const CaptureInfo infos[] = {
      {"mschapv2-mppe128.pcap", 0, 3, 2},
      {"mschapv2-mppe40.pcap", 0 | 8, 3, 0},
      {"mschapv1-mppe128.pcap", 1, 2, 2},
      {"chapmd5-plain.pcap", 2 | 8, 1, -1},
      {"pap-plain.pcap", 3 | 8, 0, -1},
  };
  for (const auto& ci : infos) from_capture(caps, ci);
  for (std::uint8_t p = 0; p < 16; ++p) link_pair(p, p == 0 || p == 8);
  for (int m = 0; m < 4; ++m) auth_pair(m, false);
  auth_pair(2, true);
  auth_pair(3, true);
  for (int p : {0, 8, 1, 10, 11, 13}) session_pair(static_cast<std::uint8_t>(p), p == 8);
  mppe_round_trips();
  configs();
  secrets();
  std::printf("%zu seed files, %zu octets\n", g_files, g_bytes);
  return 0;
}
