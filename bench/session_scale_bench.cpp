// Scale figures of the sans-I/O Session (issue 7: 10,000 sessions under 32 KiB each; 2,000
// setups/s), measured in memory with no sockets:
//   BM_SessionSetup:  one full setup per iteration, client and server on this one thread —
//                     PPTP control (SCCRQ/SCCRP, OCRQ/OCRP), LCP, MS-CHAPv2, CCP/MPPE-128, IPCP —
//                     until both sides report LinkUp, then both are destroyed. items_per_second
//                     is the setup rate one core sustains for BOTH ends, which bounds what a load
//                     generator on the same machine as the server can reach.
//   BM_SessionMemory: N server sessions brought up (each by a client that is destroyed right
//                     after), kept alive; reports heap in use (glibc mallinfo2, so OpenSSL's
//                     contexts count) and resident set growth per server session.
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <deque>
#include <memory>
#include <vector>

#include "link_pair.hpp"
#include "pptp/call_id_allocator.hpp"
#include "session/session.hpp"

namespace pptpx::bench {
namespace {

// Server-side addressing from 198.18.0.0/15 (the benchmarking range of RFC 2544), one per call.
struct PoolHooks final : session::CallHooks {
  std::uint32_t next = 0xC6120002;  // 198.18.0.2
  bool prepare_call(std::uint16_t, ppp::LinkConfig& cfg, std::string&) override {
    cfg.ipcp.local_address = 0xC6120001;  // 198.18.0.1
    cfg.ipcp.peer_address = next++;
    return true;
  }
  void call_finished(std::uint16_t) override {}
};

// One side's output: GRE to the other side's queue, events remembered as flags.
struct SideOutput final : session::SessionOutput {
  std::deque<Bytes>* gre_to_peer = nullptr;
  bool link_up = false, closed = false;
  void send_gre(MutableByteView packet) override { gre_to_peer->emplace_back(packet.begin(), packet.end()); }
  void deliver_ipv4(std::uint16_t, ByteView) override {}
  void deliver_ipv6(std::uint16_t, ByteView) override {}
  void on_event(const session::SessionEvent& e) override {
    // Counts as up only with what the issue measures: MS-CHAPv2 and MPPE-128.
    if (e.kind == session::SessionEvent::Kind::LinkUp && e.link.auth_method == ppp::AuthMethod::MsChapV2 &&
        e.link.mppe && e.link.mppe->strength == auth::MppeStrength::Bits128)
      link_up = true;
    if (e.kind == session::SessionEvent::Kind::Closed) closed = true;
  }
};

// Everything a server shares across its sessions, and a client factory.
class Lab {
 public:
  Lab() {
    store_.add("bob", "Tunnel-Lab-7");
    ppp::AuthConfig sa;
    sa.authenticator.credentials = &store_;
    server_auth_ = std::make_unique<ppp::StandardAuthFactory>(sa);
    ppp::AuthConfig ca;
    ca.peer.user_name = "bob";
    ca.peer.password = "Tunnel-Lab-7";
    client_auth_ = std::make_unique<ppp::StandardAuthFactory>(ca);
    server_cfg_.role = session::SessionRole::Server;
    server_cfg_.control.host_name = "server";
    client_cfg_.role = session::SessionRole::Client;
    client_cfg_.control.host_name = "client";
  }

  struct Server {
    SideOutput out;
    std::unique_ptr<session::Session> session;
  };

  // Brings one session up; the returned server side stays, the client is destroyed. nullptr on
  // failure.
  std::unique_ptr<Server> setup(Time& now) {
    auto s = std::make_unique<Server>();
    SideOutput cout;
    std::deque<Bytes> to_server, to_client;
    s->out.gre_to_peer = &to_client;
    cout.gre_to_peer = &to_server;
    s->session = std::make_unique<session::Session>(server_cfg_, server_ids_, *server_auth_, s->out, &hooks_);
    session::Session client(client_cfg_, client_ids_, *client_auth_, cout);
    s->session->start(now);
    client.start(now);
    for (int i = 0; i < 10000 && !(s->out.link_up && cout.link_up); ++i) {
      bool moved = false;
      if (Bytes b = client.take_tcp_output(); !b.empty()) { s->session->receive_tcp(b, now); moved = true; }
      if (Bytes b = s->session->take_tcp_output(); !b.empty()) { client.receive_tcp(b, now); moved = true; }
      while (!to_server.empty()) {
        Bytes p = std::move(to_server.front());
        to_server.pop_front();
        s->session->receive_gre(p, now);
        moved = true;
      }
      while (!to_client.empty()) {
        Bytes p = std::move(to_client.front());
        to_client.pop_front();
        client.receive_gre(p, now);
        moved = true;
      }
      if (!moved) {  // nothing in flight: the next timer
        auto a = s->session->deadline(), b = client.deadline();
        if (!a && !b) break;
        now = std::max(now, std::min(a.value_or(Time::max()), b.value_or(Time::max())));
        if (auto d = s->session->deadline(); d && *d <= now) s->session->on_timer(now);
        if (auto d = client.deadline(); d && *d <= now) client.on_timer(now);
      }
    }
    if (!(s->out.link_up && cout.link_up)) return nullptr;
    s->out.gre_to_peer = &dropped_;  // the client is gone: later keepalives go nowhere
    return s;
  }
  void forget_dropped() { dropped_.clear(); }

 private:
  test::MapCredentialStore store_;
  std::unique_ptr<ppp::StandardAuthFactory> server_auth_, client_auth_;
  pptp::SequentialCallIdAllocator server_ids_, client_ids_;
  PoolHooks hooks_;
  session::SessionConfig server_cfg_, client_cfg_;
  std::deque<Bytes> dropped_;
};

void BM_SessionSetup(benchmark::State& state) {
  Lab lab;
  Time now{};
  std::uint64_t failed = 0;
  for (auto _ : state) {
    auto s = lab.setup(now);
    if (!s) ++failed;
    benchmark::DoNotOptimize(s.get());
    lab.forget_dropped();
  }
  if (failed != 0) state.SkipWithError("setups failed");
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("full MS-CHAPv2 + MPPE-128 + IPCP setups, both ends on one thread");
}
BENCHMARK(BM_SessionSetup)->Unit(benchmark::kMicrosecond);

std::size_t heap_in_use() { return mallinfo2().uordblks; }
std::size_t rss_bytes() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return static_cast<std::size_t>(resident) * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

void BM_SessionMemory(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    Lab lab;
    Time now{};
    std::vector<std::unique_ptr<Lab::Server>> servers;
    servers.reserve(n);
    // One session first, so one-time costs (OpenSSL provider loading, allocator arenas) are not
    // charged to the N.
    auto warm = lab.setup(now);
    lab.forget_dropped();
    malloc_trim(0);
    const std::size_t heap0 = heap_in_use(), rss0 = rss_bytes();
    for (std::size_t i = 0; i < n; ++i) {
      auto s = lab.setup(now);
      if (!s) {
        state.SkipWithError("a setup failed");
        return;
      }
      servers.push_back(std::move(s));
    }
    lab.forget_dropped();
    const std::size_t heap1 = heap_in_use(), rss1 = rss_bytes();
    const double dn = static_cast<double>(n);
    state.counters["heap_bytes_per_session"] = (static_cast<double>(heap1) - static_cast<double>(heap0)) / dn;
    state.counters["rss_bytes_per_session"] = (static_cast<double>(rss1) - static_cast<double>(rss0)) / dn;
    state.counters["sessions"] = dn;
    // Where it sits: the fixed-size parts (the rest is the heap they own: OpenSSL RC4 contexts,
    // auth machines, strings, maps).
    state.counters["sizeof_Session"] = static_cast<double>(sizeof(session::Session));
    state.counters["sizeof_CallLink"] = static_cast<double>(sizeof(session::CallLink));
    state.counters["sizeof_Link"] = static_cast<double>(sizeof(ppp::Link));
  }
  state.SetLabel("server side only: Session + its SideOutput (~80 B); clients destroyed");
}
BENCHMARK(BM_SessionMemory)->Arg(1000)->Arg(10000)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace pptpx::bench
