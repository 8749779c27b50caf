#include "loadgen/load_generator.hpp"

#include <arpa/inet.h>
#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <spdlog/spdlog.h>

#include "client/client_options.hpp"
#include "client/host_call_id.hpp"
#include "loadgen/bench_stats.hpp"
#include "loadgen/icmp_echo.hpp"
#include "net/event_loop.hpp"
#include "net/gre_socket.hpp"
#include "net/tcp_listener.hpp"
#include "ppp/auth_factory_impl.hpp"
#include "ppp/ccp.hpp"
#include "session/session.hpp"
#include "util/bytes.hpp"
#include "util/packet_buffer.hpp"

namespace pptpx::loadgen {

namespace {

constexpr Duration kDrainLimit = std::chrono::seconds(3);
constexpr Duration kTeardownLimit = std::chrono::seconds(30);
constexpr std::size_t kMaxEarlyGre = 8;  // GRE that beat the Outgoing-Call-Reply over TCP, per session
// The echo is sent again (next sequence number) this often until a reply or --ping-timeout, as
// ping does: one request or reply lost in a burst of thousands is not a broken tunnel.
constexpr Duration kPingInterval = std::chrono::seconds(1);

Duration seconds(double s) { return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(s)); }
double to_seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

class Bench;

// One bench session (see the sketch in load_generator.hpp).
class BenchSession final : private session::SessionOutput, private pptp::CallIdAllocator {
 public:
  enum class Phase { Waiting, Connecting, Negotiating, Up, Stopping, Done };

  BenchSession(Bench& bench, std::size_t index);
  ~BenchSession() override { session_.reset(); }  // first: the session releases its Call IDs to us
  BenchSession(const BenchSession&) = delete;
  BenchSession& operator=(const BenchSession&) = delete;
  void start(Time now);
  void receive_gre(ByteView gre, Time now);
  void stop(Time now);              // orderly teardown of an Up session
  void abort(const std::string& why, Time now);  // give up on a session that is not up
  Phase phase() const { return phase_; }
  bool ping_pending() const { return ping_sent_ && !ping_resolved_; }

 private:
  // SessionOutput
  void send_gre(MutableByteView packet) override;
  void deliver_ipv4(std::uint16_t call_id, ByteView packet) override;
  void deliver_ipv6(std::uint16_t, ByteView) override {}
  void on_event(const session::SessionEvent& e) override;
  // CallIdAllocator: the bench's shared IDs, with this session recorded as the owner so GRE is
  // demultiplexed to it from the moment the Outgoing-Call-Request leaves.
  std::optional<std::uint16_t> allocate() override;
  void release(std::uint16_t id) override;
  bool in_use(std::uint16_t id) const override;

  void on_connected(asio::ip::tcp::socket socket, Time now);
  void pump(Time now);
  void on_timer(Time now);
  void finish(Time now);
  void send_ping(Time now);

  Bench& bench_;
  std::size_t index_;
  Phase phase_ = Phase::Waiting;
  net::DeadlineTimer timer_;
  std::unique_ptr<asio::ip::tcp::socket> connecting_;
  std::shared_ptr<net::TcpStream> stream_;
  std::unique_ptr<session::Session> session_;
  std::vector<std::uint16_t> own_ids_;
  std::vector<Bytes> early_gre_;
  Time started_{};
  Time setup_deadline_{};
  Time draining_since_{};
  Time ping_deadline_{};
  Time ping_next_{};
  std::uint16_t ping_seq_ = 0;  // last sequence number sent
  bool tcp_gone_ = false;
  bool closed_event_ = false;
  bool peer_closed_tcp_ = false;
  bool call_known_ = false;       // the session has its call (CallUp): GRE can go to it  // the server cut TCP before the Stop-Control-Connection exchange ended
  bool ping_sent_ = false, ping_resolved_ = false;
  std::uint32_t local_ip_ = 0, peer_ip_ = 0;
  std::uint16_t call_id_ = 0;
  std::string failure_;
};

class Bench {
 public:
  Bench(const BenchOptions& o, const ppp::Policy& policy, std::string password);
  int run();

  // For the sessions.
  asio::io_context& io() { return loop_.io(); }
  const BenchOptions& options() const { return o_; }
  const ppp::Policy& policy() const { return policy_; }
  ppp::AuthFactory& auth() { return *auth_; }
  pptp::CallIdAllocator& shared_ids() { return ids_; }
  void own_call(std::uint16_t id, BenchSession* s) { by_call_[id] = s; }
  asio::ip::tcp::endpoint endpoint() const { return endpoint_; }
  void queue_gre(ByteView gre) {
    if (gre_->full()) gre_->flush();
    gre_->queue_copy(server_, gre);
  }
  void flush_gre() {
    if (gre_->queued() > 0) gre_->flush();
  }
  void session_up(Time started, Time now);
  void session_failed(const std::string& reason, Time now);
  void session_lost(const std::string& reason, Time now);  // an Up session ended by itself
  void session_closed(bool clean, Time now);                // an Up session we stopped is done
  void ping_result(bool ok, Time now);
  bool stopping() const { return stage_ >= Stage::Teardown; }
  // Sessions that ended, deleted from advance() (never inside their own call stack).
  void bury(std::unique_ptr<session::Session> s) {
    graveyard_.push_back(std::move(s));
    asio::post(loop_.io(), [this] { advance(Clock::now()); });
  }

 private:
  enum class Stage { Setup, Holding, Teardown, Finished };
  void launch_due(Time now);
  void advance(Time now);
  void begin_teardown(Time now);
  void on_gre_readable();
  void report();

  BenchOptions o_;
  ppp::Policy policy_;
  net::EventLoop loop_;
  std::unique_ptr<ppp::StandardAuthFactory> auth_;
  // Random like a real client's; not claimed in the namespace (thousands of calls, one process).
  pptp::RandomCallIdAllocator ids_{client::random_call_id_bits};
  std::vector<BenchSession*> by_call_ = std::vector<BenchSession*>(65536, nullptr);
  std::unique_ptr<net::GreSocket> gre_;
  std::unique_ptr<net::ReadableWatch> gre_watch_;
  net::DeadlineTimer launch_timer_;
  net::DeadlineTimer stage_timer_;
  asio::ip::tcp::endpoint endpoint_;
  in_addr server_{};
  std::vector<std::unique_ptr<BenchSession>> sessions_;
  std::vector<std::unique_ptr<session::Session>> graveyard_;  // after sessions_: destroyed first

  Stage stage_ = Stage::Setup;
  std::size_t launched_ = 0, in_setup_ = 0, up_ = 0, failed_ = 0, lost_ = 0;
  std::size_t pings_ok_ = 0, pings_failed_ = 0;
  std::size_t closed_clean_ = 0, closed_unclean_ = 0, to_close_ = 0;
  std::vector<double> latencies_ms_;
  FailureTally failures_, losses_;
  Time t0_{}, last_up_{}, setup_done_{}, teardown_start_{}, teardown_done_{};
  bool teardown_timed_out_ = false;
};

// ---- BenchSession ----

BenchSession::BenchSession(Bench& bench, std::size_t index)
    : bench_(bench), index_(index), timer_(bench.io(), [this](Time now) { on_timer(now); }) {}

void BenchSession::start(Time now) {
  phase_ = Phase::Connecting;
  started_ = now;
  setup_deadline_ = now + seconds(bench_.options().setup_timeout_seconds);
  timer_.arm(setup_deadline_);
  connecting_ = std::make_unique<asio::ip::tcp::socket>(bench_.io());
  connecting_->async_connect(bench_.endpoint(), [this, sock = connecting_.get()](const std::error_code& e) {
    if (phase_ != Phase::Connecting || sock != connecting_.get()) return;
    const Time t = Clock::now();
    if (e) {
      abort("TCP connect failed (" + e.message() + ")", t);
      return;
    }
    on_connected(std::move(*connecting_), t);
  });
}

void BenchSession::on_connected(asio::ip::tcp::socket socket, Time now) {
  connecting_.reset();
  phase_ = Phase::Negotiating;
  std::error_code ignored;
  socket.set_option(asio::ip::tcp::no_delay(true), ignored);
  session::SessionConfig sc;
  sc.role = session::SessionRole::Client;
  sc.control.host_name = "pptpx-bench";
  sc.link.policy = bench_.policy();
  sc.link.enable_ipv6 = false;
  session::SessionOutput& out = *this;
  pptp::CallIdAllocator& ids = *this;
  session_ = std::make_unique<session::Session>(sc, ids, bench_.auth(), out);
  stream_ = net::TcpStream::make(
      std::move(socket),
      [this](ByteView b) {
        if (!session_) return;
        const Time t = Clock::now();
        session_->receive_tcp(b, t);
        // GRE that arrived before the call was known to the session (the server starts LCP as
        // soon as it sends the Outgoing-Call-Reply): hand it over now.
        if (!early_gre_.empty() && session_ && call_known_) {
          auto early = std::move(early_gre_);
          early_gre_.clear();
          for (const Bytes& g : early) session_->receive_gre(g, t);
        }
        pump(t);
        bench_.flush_gre();
      },
      [this](const std::error_code& why) {
        tcp_gone_ = true;
        if (!closed_event_) peer_closed_tcp_ = true;
        if (!session_) return;
        if (failure_.empty())
          failure_ = "the server closed the control connection" + (why ? " (" + why.message() + ")" : std::string());
        const Time t = Clock::now();
        session_->on_transport_closed(t);
        pump(t);
        bench_.flush_gre();
      });
  stream_->start();
  session_->start(now);
  pump(now);
}

void BenchSession::receive_gre(ByteView gre, Time now) {
  if (!session_) return;
  if (!call_known_) {
    if (early_gre_.size() < kMaxEarlyGre) early_gre_.emplace_back(gre.begin(), gre.end());
    return;
  }
  session_->receive_gre(gre, now);
  pump(now);
}

void BenchSession::pump(Time now) {
  if (!session_) return;
  Bytes out = session_->take_tcp_output();
  if (!out.empty() && !tcp_gone_) stream_->send(out);
  if (session_->closed()) {
    if (draining_since_ == Time{}) draining_since_ = now;
    if (tcp_gone_ || stream_->pending_bytes() == 0 || now - draining_since_ >= kDrainLimit) {
      finish(now);
    } else {
      timer_.arm(now + std::chrono::milliseconds(20));
    }
    return;
  }
  std::optional<Time> next = session_->deadline();
  auto sooner = [&next](Time t) { next = next ? std::min(*next, t) : t; };
  if (phase_ == Phase::Negotiating) sooner(setup_deadline_);
  if (ping_pending()) sooner(std::min(ping_deadline_, ping_next_));
  if (next) {
    if (timer_.armed() != next) timer_.arm(*next);
  } else {
    timer_.cancel();
  }
}

void BenchSession::on_timer(Time now) {
  if ((phase_ == Phase::Connecting || phase_ == Phase::Negotiating) && now >= setup_deadline_) {
    abort("not up within " + std::to_string(bench_.options().setup_timeout_seconds) +
              " s (--setup-timeout)" + (phase_ == Phase::Connecting ? " (TCP connect)" : ""),
          now);
    return;
  }
  if (ping_pending() && now >= ping_deadline_) {
    ping_resolved_ = true;
    bench_.ping_result(false, now);
  } else if (ping_pending() && now >= ping_next_ && session_ && !session_->closed()) {
    send_ping(now);
  }
  if (!session_) return;
  if (!session_->closed()) session_->on_timer(now);
  pump(now);
  bench_.flush_gre();
}

void BenchSession::abort(const std::string& why, Time now) {
  if (phase_ != Phase::Connecting && phase_ != Phase::Negotiating) return;
  if (failure_.empty() || phase_ == Phase::Connecting || why.find("--setup-timeout") != std::string::npos) failure_ = why;
  connecting_.reset();
  tcp_gone_ = true;
  finish(now);
}

void BenchSession::stop(Time now) {
  if (phase_ != Phase::Up || !session_) return;
  phase_ = Phase::Stopping;
  session_->stop("the load generator is done", now);
  pump(now);
}

void BenchSession::finish(Time now) {
  const Phase was = phase_;
  phase_ = Phase::Done;
  timer_.cancel();
  if (stream_) stream_->close();
  stream_.reset();
  early_gre_.clear();
  // We may be inside the session's own call stack: the bench deletes it later.
  if (session_) bench_.bury(std::move(session_));
  if (ping_pending()) {
    ping_resolved_ = true;
    bench_.ping_result(false, now);
  }
  switch (was) {
    case Phase::Connecting:
    case Phase::Negotiating: bench_.session_failed(failure_, now); break;
    case Phase::Up: bench_.session_lost(failure_, now); break;
    case Phase::Stopping: bench_.session_closed(closed_event_ && !peer_closed_tcp_, now); break;
    case Phase::Waiting:
    case Phase::Done: break;
  }
}

void BenchSession::send_gre(MutableByteView packet) { bench_.queue_gre(packet); }

void BenchSession::deliver_ipv4(std::uint16_t, ByteView packet) {
  if (!ping_pending()) return;
  for (std::uint16_t seq = 1; seq <= ping_seq_; ++seq) {
    if (is_echo_reply(packet, peer_ip_, local_ip_, call_id_, seq)) {
      ping_resolved_ = true;
      bench_.ping_result(true, Clock::now());
      return;
    }
  }
}

void BenchSession::send_ping(Time now) {
  PacketBuffer p;
  const std::size_t n = build_echo_request(local_ip_, peer_ip_, call_id_, ++ping_seq_,
                                           MutableByteView(p.data(), p.tailroom()));
  p.push_back(n);
  if (!ping_sent_) ping_deadline_ = now + seconds(bench_.options().ping_timeout_seconds);
  ping_sent_ = true;
  ping_next_ = now + kPingInterval;
  session_->send_ipv4(call_id_, p, now);
}

void BenchSession::on_event(const session::SessionEvent& e) {
  using K = session::SessionEvent::Kind;
  const Time now = Clock::now();
  switch (e.kind) {
    case K::CallUp: call_known_ = true; break;  // (Session::call_ids() allocates: not per packet)
    case K::ControlUp:
    case K::Ipv6Up: break;
    case K::LinkUp:
      if (phase_ != Phase::Negotiating) break;
      phase_ = Phase::Up;
      local_ip_ = e.link.local_ipv4;
      peer_ip_ = e.link.peer_ipv4;
      call_id_ = e.call_id;
      bench_.session_up(started_, now);
      if (bench_.options().ping) {
        // Not from inside the link's own event: send from the loop.
        asio::post(bench_.io(), [this] {
          if (phase_ == Phase::Up && session_ && !ping_sent_) {
            const Time t = Clock::now();
            send_ping(t);
            pump(t);
            bench_.flush_gre();
          }
        });
      }
      if (bench_.stopping()) {
        asio::post(bench_.io(), [this] { stop(Clock::now()); bench_.flush_gre(); });
      }
      break;
    case K::LinkDown:
      if (failure_.empty() || phase_ == Phase::Up) failure_ = e.reason;
      break;
    case K::Closed:
      closed_event_ = true;
      if (failure_.empty()) failure_ = e.reason;
      break;
    case K::Warning: spdlog::debug("session {}: {}", index_, e.reason); break;
  }
}

std::optional<std::uint16_t> BenchSession::allocate() {
  auto id = bench_.shared_ids().allocate();
  if (id) {
    own_ids_.push_back(*id);
    bench_.own_call(*id, this);
  }
  return id;
}

void BenchSession::release(std::uint16_t id) {
  std::erase(own_ids_, id);
  bench_.own_call(id, nullptr);
  bench_.shared_ids().release(id);
}

bool BenchSession::in_use(std::uint16_t id) const { return bench_.shared_ids().in_use(id); }

// ---- Bench ----

Bench::Bench(const BenchOptions& o, const ppp::Policy& policy, std::string password)
    : o_(o),
      policy_(policy),
      launch_timer_(loop_.io(), [this](Time now) { launch_due(now); }),
      stage_timer_(loop_.io(), [this](Time now) { advance(now); }) {
  ppp::AuthConfig a;
  a.peer.user_name = o.user;
  a.peer.password = std::move(password);
  auth_ = std::make_unique<ppp::StandardAuthFactory>(a);
}

int Bench::run() {
  asio::ip::tcp::resolver resolver(loop_.io());
  std::error_code ec;
  auto results = resolver.resolve(asio::ip::tcp::v4(), o_.server, std::to_string(o_.port), ec);
  if (ec || results.empty()) {
    std::fprintf(stderr, "pptpx bench: cannot resolve \"%s\" to an IPv4 address; give an address or a name that "
                 "resolves\n", o_.server.c_str());
    return 2;
  }
  endpoint_ = results.begin()->endpoint();
  server_.s_addr = htonl(endpoint_.address().to_v4().to_uint());

  // One TCP socket per session plus a few: raise the soft open-files limit to the hard one.
  rlimit rl{};
  const rlim_t need = static_cast<rlim_t>(o_.sessions) + 64;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < need) {
    rl.rlim_cur = std::min(rl.rlim_max, std::max(need, rl.rlim_cur));
    setrlimit(RLIMIT_NOFILE, &rl);
    getrlimit(RLIMIT_NOFILE, &rl);
  }
  if (rl.rlim_cur < need) {
    std::fprintf(stderr, "pptpx bench: %u sessions need %llu open files but the limit is %llu; raise it "
                 "(ulimit -n, or LimitNOFILE=) or use fewer --sessions\n", o_.sessions,
                 static_cast<unsigned long long>(need), static_cast<unsigned long long>(rl.rlim_cur));
    return 2;
  }

  net::GreSocket::Options go;
  go.receive_buffer_bytes = 8 << 20;
  go.send_buffer_bytes = 8 << 20;
  gre_ = std::make_unique<net::GreSocket>(go);
  if (!gre_->ok()) {
    std::fprintf(stderr, "pptpx bench: %s\n", gre_->error().c_str());
    return 1;
  }
  gre_watch_ = std::make_unique<net::ReadableWatch>(loop_.io(), gre_->fd(), [this] { on_gre_readable(); });
  loop_.handle_signals(
      [this](int) {
        if (stage_ >= Stage::Teardown) {
          loop_.stop();  // a second signal: leave now
          return;
        }
        std::fprintf(stderr, "pptpx bench: signal: stopping early, tearing down what is up\n");
        begin_teardown(Clock::now());
      },
      [] {});

  sessions_.reserve(o_.sessions);
  for (std::size_t i = 0; i < o_.sessions; ++i) sessions_.push_back(std::make_unique<BenchSession>(*this, i));
  std::printf("bench: %u sessions to %s:%u as \"%s\", %.0f/s, at most %u setting up at once\n", o_.sessions,
              endpoint_.address().to_string().c_str(), o_.port, o_.user.c_str(), o_.rate, o_.concurrency);
  std::fflush(stdout);
  t0_ = Clock::now();
  launch_due(t0_);
  loop_.run();
  report();
  const bool all_up = up_ == o_.sessions;
  const bool pings = !o_.ping || pings_ok_ == up_;
  const bool clean = closed_clean_ == to_close_ && lost_ == 0 && !teardown_timed_out_;
  return all_up && pings && clean ? 0 : 1;
}

void Bench::launch_due(Time now) {
  if (stage_ != Stage::Setup) return;
  while (launched_ < o_.sessions && in_setup_ < o_.concurrency) {
    const Time due = t0_ + seconds(static_cast<double>(launched_) / o_.rate);
    if (due > now) {
      if (launch_timer_.armed() != due) launch_timer_.arm(due);
      return;
    }
    ++in_setup_;
    sessions_[launched_++]->start(now);
  }
  // Blocked by --concurrency: session_up/session_failed call again when a setup ends.
}

void Bench::session_up(Time started, Time now) {
  --in_setup_;
  ++up_;
  last_up_ = now;
  latencies_ms_.push_back(to_seconds(now - started) * 1000.0);
  launch_due(now);
  asio::post(loop_.io(), [this] { advance(Clock::now()); });
}

void Bench::session_failed(const std::string& reason, Time now) {
  --in_setup_;
  ++failed_;
  failures_.add(reason);
  launch_due(now);
  asio::post(loop_.io(), [this] { advance(Clock::now()); });
}

void Bench::session_lost(const std::string& reason, Time) {
  ++lost_;
  losses_.add(reason);
  asio::post(loop_.io(), [this] { advance(Clock::now()); });
}

void Bench::session_closed(bool clean, Time) {
  ++(clean ? closed_clean_ : closed_unclean_);
  asio::post(loop_.io(), [this] { advance(Clock::now()); });
}

void Bench::ping_result(bool ok, Time) {
  ++(ok ? pings_ok_ : pings_failed_);
  asio::post(loop_.io(), [this] { advance(Clock::now()); });
}

// Setup -> (every session up or failed, every echo answered or timed out) Holding
//       -> (--hold elapsed) Teardown -> (every stopped session done, or 30 s) Finished.
void Bench::advance(Time now) {
  graveyard_.clear();
  if (stage_ == Stage::Setup) {
    if (up_ + failed_ < o_.sessions) return;
    if (o_.ping && pings_ok_ + pings_failed_ < up_) return;
    setup_done_ = now;
    stage_ = Stage::Holding;
    std::printf("bench: setup finished: %zu up, %zu failed%s\n", up_, failed_,
                o_.hold_seconds > 0 ? ("; holding " + std::to_string(static_cast<long>(std::lround(o_.hold_seconds))) + " s").c_str() : "");
    std::fflush(stdout);
    stage_timer_.arm(now + seconds(o_.hold_seconds));
    return;
  }
  if (stage_ == Stage::Holding) {
    if (now >= setup_done_ + seconds(o_.hold_seconds)) begin_teardown(now);
    return;
  }
  if (stage_ == Stage::Teardown) {
    const bool done = closed_clean_ + closed_unclean_ >= to_close_;
    if (done || now >= teardown_start_ + kTeardownLimit) {
      teardown_timed_out_ = !done;
      teardown_done_ = now;
      stage_ = Stage::Finished;
      stage_timer_.cancel();
      launch_timer_.cancel();
      loop_.stop();
    }
  }
}

void Bench::begin_teardown(Time now) {
  if (stage_ >= Stage::Teardown) return;
  if (stage_ == Stage::Setup) setup_done_ = now;
  stage_ = Stage::Teardown;
  teardown_start_ = now;
  launch_timer_.cancel();
  std::size_t never_started = 0;
  for (auto& s : sessions_) {
    switch (s->phase()) {
      case BenchSession::Phase::Waiting: ++never_started; break;
      case BenchSession::Phase::Connecting:
      case BenchSession::Phase::Negotiating: s->abort("stopped by a signal before it came up", now); break;
      case BenchSession::Phase::Up:
        ++to_close_;
        s->stop(now);
        break;
      case BenchSession::Phase::Stopping:
      case BenchSession::Phase::Done: break;
    }
  }
  flush_gre();
  if (never_started > 0) {
    failed_ += never_started;
    for (std::size_t i = 0; i < never_started; ++i) failures_.add("not started (stopped by a signal)");
  }
  stage_timer_.arm(now + kTeardownLimit);
  asio::post(loop_.io(), [this] { advance(Clock::now()); });
}

void Bench::on_gre_readable() {
  const Time now = Clock::now();
  // Until a short batch says the socket is empty (no extra recvmmsg just to hear EAGAIN).
  do {
    auto batch = gre_->receive_batch();
    for (const net::GreDatagram& d : batch) {
      // Only the server under test, and only for one of our calls: the Call ID sits in bytes 6-7
      // of the enhanced GRE header (RFC 2637 §4.1); a shorter datagram is not ours.
      if (d.peer.s_addr != server_.s_addr || d.gre.size() < 8) continue;
      if (BenchSession* s = by_call_[load_be16(d.gre.data() + 6)]) s->receive_gre(d.gre, now);
    }
  } while (!gre_->drained());
  flush_gre();
}

void Bench::report() {
  const LatencySummary l = summarize(latencies_ms_);
  const double setup_span = up_ > 0 ? to_seconds(last_up_ - t0_) : 0;
  const double rate = setup_rate(up_, setup_span);
  std::printf("sessions: %u attempted, %zu up, %zu failed\n", o_.sessions, up_, failed_);
  std::printf("setup rate: %.1f sessions/s (%zu up between the first TCP connect and the last IPCP up, %.3f s; "
              "offered %.0f/s)\n", rate, up_, setup_span, o_.rate);
  std::printf("setup latency (TCP connect to IPCP up): p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n", l.p50,
              l.p90, l.p99, l.max);
  if (o_.ping) std::printf("echo through the tunnel: %zu of %zu answered\n", pings_ok_, up_);
  if (failed_ > 0) {
    std::printf("failures by reason:\n");
    for (const auto& [reason, n] : failures_.grouped()) std::printf("  %zu x %s\n", n, reason.c_str());
  }
  if (lost_ > 0) {
    std::printf("lost while up (before teardown):\n");
    for (const auto& [reason, n] : losses_.grouped()) std::printf("  %zu x %s\n", n, reason.c_str());
  }
  std::printf("teardown: %zu of %zu closed cleanly (Call-Clear-Request, Stop-Control-Connection), %zu not, in %.3f s%s\n",
              closed_clean_, to_close_, closed_unclean_, to_seconds(teardown_done_ - teardown_start_),
              teardown_timed_out_ ? " (gave up after 30 s)" : "");
  // One line for scripts.
  std::printf("result: attempted=%u up=%zu failed=%zu rate=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f "
              "echo_ok=%zu lost=%zu closed_clean=%zu\n", o_.sessions, up_, failed_, rate, l.p50, l.p90, l.p99, l.max,
              pings_ok_, lost_, closed_clean_);
  const auto& g = gre_->counters();
  spdlog::info("GRE: {} in, {} out, {} not sent", g.rx_datagrams, g.tx_datagrams, g.tx_dropped);
  std::fflush(stdout);
}

}  // namespace

int run_bench(const BenchOptions& options) {
  if (std::string e = validate(options); !e.empty()) {
    std::fprintf(stderr, "pptpx bench: %s\n", e.c_str());
    return 2;
  }
  client::ClientOptions co;
  co.auth = options.auth;
  co.mppe = options.mppe;
  co.mppe_stateful = options.mppe_stateful;
  ppp::Policy policy;
  if (std::string e = client::parse_policy(co, policy); !e.empty()) {
    std::fprintf(stderr, "pptpx bench: %s\n", e.c_str());
    return 2;
  }
  std::string password;
  if (std::string e = client::read_password_file(options.password_file, password); !e.empty()) {
    std::fprintf(stderr, "pptpx bench: %s\n", e.c_str());
    return 2;
  }
  Bench b(options, policy, std::move(password));
  return b.run();
}

}  // namespace pptpx::loadgen
