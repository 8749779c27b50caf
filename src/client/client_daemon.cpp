#include "client/client_daemon.hpp"

#include <arpa/inet.h>
#include <linux/capability.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>

#include <asio/connect.hpp>
#include <asio/post.hpp>
#include <asio/ip/tcp.hpp>
#include <spdlog/spdlog.h>

#include "client/dns_config.hpp"
#include "client/gateway_route.hpp"
#include "client/preflight.hpp"
#include "client/host_call_id.hpp"
#include "client/run_command.hpp"
#include "net/capabilities.hpp"
#include "net/event_loop.hpp"
#include "net/gre_socket.hpp"
#include "net/ip_packet.hpp"
#include "net/link_config.hpp"
#include "net/mss_clamp.hpp"
#include "net/tcp_listener.hpp"
#include "net/tun_device.hpp"
#include "net/tun_reader.hpp"
#include "net/tun_writer.hpp"
#include "ppp/auth_factory_impl.hpp"
#include "ppp/ccp.hpp"
#include "pptp/call_id_allocator.hpp"
#include "session/gre_drop_report.hpp"
#include "session/session.hpp"
#include "util/bytes.hpp"

namespace pptpx::client {

namespace {

constexpr Duration kDrainLimit = std::chrono::seconds(3);

std::string join_commas(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

std::string ipv4_text(std::uint32_t host_order) {
  in_addr a{};
  a.s_addr = htonl(host_order);
  char buf[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &a, buf, sizeof buf);
  return buf;
}

// One client process: a sequence of attempts (one without --persist), each a TCP connection with
// its Session, and the TUN device while the link is up.
//
//   Idle -> Connecting -> Running (session) -> Draining (session closed, TCP output leaving)
//     ^                                                  |
//     +---- backoff timer (--persist) <--- Finished <----+---> exit (no --persist, or a signal)
class Client final : private session::SessionOutput {
 public:
  Client(const ClientOptions& o, const ppp::Policy& policy, std::string password, std::vector<Ipv4Cidr> routes,
         std::vector<Ipv6Cidr> routes6, std::optional<Ipv6Cidr> prefix6,
         std::shared_ptr<const auth::EapTlsContext> eap_tls)
      : o_(o), policy_(policy), routes_(std::move(routes)), routes6_(std::move(routes6)), prefix6_(prefix6),
        timer_(loop_.io(), [this](Time now) { on_timer(now); }) {
    ppp::AuthConfig a;
    a.peer.user_name = o.user;
    if (!password.empty() || !eap_tls) a.peer.password = std::move(password);
    a.peer.eap_tls = std::move(eap_tls);
    auth_ = std::make_unique<ppp::StandardAuthFactory>(a);
  }

  int run();

 private:
  enum class State { Idle, Connecting, Running, Draining, Stopped };

  void start_attempt();
  void on_connected(asio::ip::tcp::socket socket);
  void attempt_failed(const std::string& reason);
  void finish_attempt();
  void pump(Time now);
  void on_timer(Time now);
  bool on_gre_readable();  // true: more to read (bounded to GreSocket::kBatchesPerTurn batches)
  void on_tun_readable();
  void on_signal(int signo);
  void link_up(const ppp::LinkUpInfo& info);
  void ipv6_up(const ppp::LinkUpInfo& info);
  void link_down();
  void hooks_up(const ppp::LinkUpInfo& info, std::uint32_t mtu);
  void hooks_down();
  std::string gre_summary(std::uint16_t call_id) const;  // the call's GRE drops, for "link down"
  session::GreStaleWarning gre_stale_warning_;           // stale GRE drops: logged at most every 10 s
  void flush_gre() {
    if (gre_ && gre_->queued() > 0) gre_->flush();
  }

  // SessionOutput
  void send_gre(MutableByteView packet) override;
  void deliver_ipv4(std::uint16_t call_id, ByteView packet) override;
  void deliver_ipv6(std::uint16_t, ByteView packet) override {
    write_tun(packet);
  }
  void on_event(const session::SessionEvent& e) override;

  ClientOptions o_;
  ppp::Policy policy_;
  std::vector<Ipv4Cidr> routes_;
  std::vector<Ipv6Cidr> routes6_;
  std::optional<Ipv6Cidr> prefix6_;  // --ipv6-prefix
  std::optional<std::uint64_t> ipv6_id_;  // our interface id, once its addresses are on the TUN
  net::EventLoop loop_;
  std::unique_ptr<ppp::StandardAuthFactory> auth_;
  pptp::RandomCallIdAllocator random_ids_{random_call_id_bits};
  HostClaimedCallIdAllocator ids_{random_ids_};  // unique among pptpx clients in this namespace
  net::DeadlineTimer timer_;
  std::unique_ptr<net::GreSocket> gre_;
  std::unique_ptr<net::ReadableWatch> gre_watch_, tun_watch_;
  std::optional<net::TunDevice> tun_;
  std::optional<PathToServer> pinned_;
  in_addr server_{};
  std::string server_text_;

  State state_ = State::Idle;
  std::unique_ptr<asio::ip::tcp::socket> connecting_;
  std::shared_ptr<net::TcpStream> stream_;
  std::unique_ptr<session::Session> session_;
  bool tcp_gone_ = false;
  bool was_up_ = false;        // this attempt reached LinkUp
  bool ever_up_ = false;
  bool stop_requested_ = false;
  std::string failure_;        // the first reason the attempt ended
  Time draining_since_{};
  Time connect_deadline_{};
  unsigned backoff_seconds_ = 1;
  int exit_code_ = 1;

  std::vector<std::uint8_t> tx_slots_ = std::vector<std::uint8_t>(net::GreSocket::kMaxBatch * net::GreSocket::kSlotSize);
  PacketBuffer rx_packet_;
  net::TunReader tun_reader_;    // splits TUN super-segments (--offload)
  net::TunWriter tun_writer_;    // joins received TCP segments into GSO writes (--offload)
  PacketBuffer clamp_buf_;       // a SYN from the server, copied to lower its MSS
  std::uint16_t tun_mtu_ = 1400;  // the TUN's MTU: --mtu, lowered to the server's MRU
  DnsConfig dns_;                 // --dns
  std::optional<std::vector<std::pair<std::string, std::string>>> hook_env_;  // set while "up"
  void write_tun(ByteView packet);
};

int Client::run() {
  // Resolve once: the server's address also pins GRE (only its packets are accepted).
  asio::ip::tcp::resolver resolver(loop_.io());
  std::error_code ec;
  auto results = resolver.resolve(asio::ip::tcp::v4(), o_.server, std::to_string(o_.port), ec);
  if (ec || results.empty()) {
    std::fprintf(stderr, "pptpx client: cannot resolve \"%s\" to an IPv4 address (%s); give an address or a name "
                 "that resolves\n", o_.server.c_str(), ec ? ec.message().c_str() : "no IPv4 address");
    return 2;
  }
  const auto ep = results.begin()->endpoint();
  server_.s_addr = htonl(ep.address().to_v4().to_uint());
  server_text_ = ep.address().to_string();

  net::GreSocket::Options go;
  go.receive_buffer_bytes = 4 << 20;
  go.send_buffer_bytes = 4 << 20;
  gre_ = std::make_unique<net::GreSocket>(go);
  if (!gre_->ok()) {
    std::fprintf(stderr, "pptpx client: %s\n", gre_->error().c_str());
    return 1;
  }
  gre_watch_ = std::make_unique<net::ReadableWatch>(loop_.io(), gre_->fd(), net::ReadableWatch::Bounded{},
                                                     [this] { return on_gre_readable(); });
  // The raw GRE socket is open (once, reused by --persist attempts): keep only CAP_NET_ADMIN, for
  // the TUN device and the routes set up (and removed) later; CAP_NET_RAW and the rest go.
  if (net::effective_capabilities() & (1ULL << CAP_NET_ADMIN)) {
    if (std::string e = net::keep_only_capabilities({CAP_NET_ADMIN}); !e.empty())
      spdlog::warn("could not drop capabilities: {}", e);
  }
  loop_.handle_signals([this](int signo) { on_signal(signo); }, [] {});
  start_attempt();
  loop_.run();
  return exit_code_;
}

void Client::start_attempt() {
  state_ = State::Connecting;
  tcp_gone_ = false;
  was_up_ = false;
  failure_.clear();
  spdlog::info("connecting to {}:{} as \"{}\"", server_text_, o_.port, o_.user);
  connecting_ = std::make_unique<asio::ip::tcp::socket>(loop_.io());
  asio::ip::tcp::endpoint ep(asio::ip::address_v4(ntohl(server_.s_addr)), o_.port);
  connect_deadline_ = Clock::now() + std::chrono::seconds(o_.connect_timeout_seconds);
  timer_.arm(connect_deadline_);
  connecting_->async_connect(ep, [this, sock = connecting_.get()](const std::error_code& e) {
    if (state_ != State::Connecting || sock != connecting_.get()) return;
    if (e) {
      attempt_failed("cannot connect to " + server_text_ + ":" + std::to_string(o_.port) + " (" + e.message() +
                     "); check the address and that the server is running");
      return;
    }
    on_connected(std::move(*connecting_));
  });
}

void Client::on_connected(asio::ip::tcp::socket socket) {
  connecting_.reset();
  timer_.cancel();
  state_ = State::Running;
  session::SessionConfig sc;
  sc.role = session::SessionRole::Client;
  sc.control.host_name = "pptpx-client";
  sc.link.policy = policy_;
  sc.link.ipcp.request_dns = true;
  sc.link.lcp.echo_interval = std::chrono::seconds(o_.echo_interval_seconds);  // --echo-interval
  sc.link.lcp.echo_max_failures = static_cast<int>(o_.echo_failures);          // --echo-failures
  sc.link.enable_ipv6 = o_.ipv6;  // a server without IPv6 Protocol-Rejects IPV6CP: IPv4 only
  // Ask for the MTU plus the MPPE header and inner protocol (RFC 3078 §3), so the server may send
  // whole MTU-sized packets.
  sc.link.lcp.mru = static_cast<std::uint16_t>(std::min<std::uint32_t>(o_.mtu + 4, 1500));
  session::SessionOutput& out = *this;
  session_ = std::make_unique<session::Session>(sc, ids_, *auth_, out);
  stream_ = net::TcpStream::make(
      std::move(socket),
      [this](ByteView b) {
        if (!session_) return;
        session_->receive_tcp(b, Clock::now());
        pump(Clock::now());
      },
      [this](const std::error_code& why) {
        tcp_gone_ = true;
        if (!session_) return;
        if (failure_.empty())
          failure_ = "the server closed the control connection" + (why ? " (" + why.message() + ")" : std::string());
        session_->on_transport_closed(Clock::now());
        pump(Clock::now());
      });
  stream_->start();
  session_->start(Clock::now());
  pump(Clock::now());
}

void Client::pump(Time now) {
  // The end of a batch of GRE packets or of a timer (the GRE window may release held packets):
  // what the TUN writer holds goes out.
  tun_writer_.flush();
  if (!session_) return;
  Bytes out = session_->take_tcp_output();
  if (!out.empty() && !tcp_gone_) stream_->send(out);
  flush_gre();
  if (session_->closed()) {
    if (state_ == State::Running) {
      state_ = State::Draining;
      draining_since_ = now;
    }
    if (tcp_gone_ || stream_->pending_bytes() == 0 || now - draining_since_ >= kDrainLimit) {
      finish_attempt();
    } else {
      timer_.arm(now + std::chrono::milliseconds(20));
    }
    return;
  }
  if (auto d = session_->deadline()) {
    if (timer_.armed() != d) timer_.arm(*d);
  } else {
    timer_.cancel();
  }
}

void Client::on_timer(Time now) {
  if (state_ == State::Connecting) {
    attempt_failed("no answer from " + server_text_ + ":" + std::to_string(o_.port) + " within " +
                   std::to_string(o_.connect_timeout_seconds) + " s; check the address and any firewall");
    return;
  }
  if (state_ == State::Idle) {  // backoff over
    start_attempt();
    return;
  }
  if (!session_) return;
  if (state_ == State::Running) session_->on_timer(now);
  pump(now);
}

void Client::attempt_failed(const std::string& reason) {
  connecting_.reset();
  if (failure_.empty()) failure_ = reason;
  finish_attempt();
}

void Client::finish_attempt() {
  link_down();
  if (stream_) stream_->close();
  stream_.reset();
  // The session may still be on the stack (we can be called from its output): delete it later.
  if (session_) {
    std::shared_ptr<session::Session> old(session_.release());
    asio::post(loop_.io(), [old] {});
  }
  timer_.cancel();
  if (stop_requested_) {
    spdlog::info("disconnected");
    exit_code_ = 0;
    state_ = State::Stopped;
    loop_.stop();
    return;
  }
  std::fprintf(stderr, "pptpx client: %s: %s\n", was_up_ ? "connection ended" : "connection failed",
               failure_.empty() ? "no reason given" : failure_.c_str());
  std::fflush(stderr);
  if (!o_.persist) {
    exit_code_ = 1;
    state_ = State::Stopped;
    loop_.stop();
    return;
  }
  if (was_up_) backoff_seconds_ = 1;
  spdlog::info("reconnecting in {} s (--persist)", backoff_seconds_);
  state_ = State::Idle;
  timer_.arm(Clock::now() + std::chrono::seconds(backoff_seconds_));
  backoff_seconds_ = std::min(backoff_seconds_ * 2, std::max(1u, o_.max_backoff_seconds));
}

void Client::on_signal(int signo) {
  stop_requested_ = true;
  spdlog::info("signal {}: disconnecting", signo);
  if (state_ == State::Running && session_) {
    session_->stop("the user disconnected", Clock::now());
    pump(Clock::now());
    return;
  }
  if (state_ == State::Draining) return;
  finish_attempt();
}

bool Client::on_gre_readable() {
  const Time now = Clock::now();
  std::optional<std::uint16_t> ours;
  if (session_ && state_ == State::Running) {
    if (auto ids = session_->call_ids(); !ids.empty()) ours = ids.front();
  }
  // Until a short batch says the socket is empty (no extra recvmmsg just to hear EAGAIN), or
  // kBatchesPerTurn batches: then the event loop runs what else is ready and calls again.
  std::size_t batches = 0;
  do {
    auto batch = gre_->receive_batch();
    for (const net::GreDatagram& d : batch) {
      // Only the server we dialled may send us GRE, and only for our call: other clients on
      // this host see the same packets on their raw sockets. The Call ID sits in bytes 6-7 of
      // the enhanced GRE header (RFC 2637 §4.1); a shorter datagram is not ours either.
      if (!ours || d.peer.s_addr != server_.s_addr || d.gre.size() < 8 || load_be16(d.gre.data() + 6) != *ours)
        continue;
      session_->receive_gre(d.gre, now);
    }
  } while (!gre_->drained() && ++batches < net::GreSocket::kBatchesPerTurn);
  if (ours && session_)
    if (const session::CallLink* call = session_->call(*ours))
      if (auto w = gre_stale_warning_.poll(call->receive_window().counters(), now)) spdlog::warn("{}", *w);
  pump(now);
  return !gre_->drained();
}

void Client::on_tun_readable() {
  const Time now = Clock::now();
  for (;;) {
    // One IP packet, or the next segment of a TCP super-segment (--offload).
    if (!tun_reader_.next(*tun_, rx_packet_, tun_mtu_)) break;
    if (!session_ || state_ != State::Running) continue;
    auto calls = session_->call_ids();
    if (calls.empty()) continue;
    auto addrs = net::ip_addresses(rx_packet_.view());
    if (!addrs) continue;
    if (o_.mss_clamp) net::clamp_tcp_mss(rx_packet_.view(), tun_mtu_);
    if (addrs->family == AF_INET6) {
      if (ipv6_id_) session_->send_ipv6(calls.front(), rx_packet_, now);
      continue;
    }
    session_->send_ipv4(calls.front(), rx_packet_, now);
  }
  pump(now);
}

void Client::send_gre(MutableByteView packet) {
  if (packet.size() > net::GreSocket::kSlotSize) return;
  if (gre_->full()) gre_->flush();
  std::uint8_t* slot = tx_slots_.data() + gre_->queued() * net::GreSocket::kSlotSize;
  std::memcpy(slot, packet.data(), packet.size());
  gre_->queue(server_, ByteView(slot, packet.size()));
}

void Client::deliver_ipv4(std::uint16_t, ByteView packet) { write_tun(packet); }

void Client::write_tun(ByteView packet) {
  if (!tun_) return;
  if (o_.mss_clamp) {
    // A SYN from the far side: the MSS it offers is what we may send it, at most our TUN MTU.
    if (const auto site = net::find_mss_to_clamp(packet, tun_mtu_); site && packet.size() <= clamp_buf_.tailroom()) {
      clamp_buf_.reset();
      std::memcpy(clamp_buf_.push_back(packet.size()), packet.data(), packet.size());
      net::apply_mss_clamp(clamp_buf_.view(), *site);
      packet = clamp_buf_.view();
    }
  }
  tun_writer_.write(*tun_, packet);
}

void Client::on_event(const session::SessionEvent& e) {
  using K = session::SessionEvent::Kind;
  switch (e.kind) {
    case K::ControlUp: spdlog::debug("control connection up"); break;
    case K::CallUp: spdlog::debug("call up; PPP starts"); break;
    case K::LinkUp: link_up(e.link); break;
    case K::Ipv6Up: ipv6_up(e.link); break;
    case K::LinkDown:
      if (failure_.empty() || was_up_) failure_ = e.reason;
      spdlog::info("link down: {}{}", e.reason, gre_summary(e.call_id));
      link_down();
      break;
    case K::Closed:
      // The server's Stop-Control-Connection-Request said Reason 3 (RFC 2637 §2.3): it is going
      // away on purpose; that explains the Call-Disconnect-Notify that came just before.
      if (e.reason.find("(local shutdown)") != std::string::npos) failure_ = "server shut down (" + e.reason + ")";
      if (failure_.empty()) failure_ = e.reason;
      spdlog::debug("control connection closed: {}", e.reason);
      break;
    case K::Warning: spdlog::debug("{}", e.reason); break;
  }
}

void Client::link_up(const ppp::LinkUpInfo& info) {
  std::string error;
  net::TunOptions to;
  to.name = o_.tun_name;
  to.offload = o_.offload;
  tun_ = net::TunDevice::open(to, error);
  if (tun_ && !tun_->offload_warning().empty()) spdlog::warn("{}", tun_->offload_warning());
  // net/ words its advice for the server's config file; the client's knob is --tun-name.
  if (auto at = error.find("[tun] name"); at != std::string::npos) error.replace(at, 10, "--tun-name");
  std::string problem = error;
  net::LinkConfig nl;
  if (problem.empty() && !nl.ok()) problem = nl.open_error();
  in_addr local{}, peer{};
  local.s_addr = htonl(info.local_ipv4);
  peer.s_addr = htonl(info.peer_ipv4);
  // What the server takes (its MRU less the MPPE overhead), and no more than we asked to receive.
  const std::uint32_t mtu = std::min<std::uint32_t>(o_.mtu, info.mtu);
  tun_mtu_ = static_cast<std::uint16_t>(mtu);
  if (problem.empty()) {
    const int idx = tun_->ifindex();
    // Addresses on the tunnel come from IPCP and IPV6CP only (no kernel-made fe80::); where IPv6
    // is off in the kernel this fails, and IPv4 goes on without it.
    if (std::string e = nl.disable_ipv6_autoconf(idx); !e.empty()) spdlog::debug("{}", e);
    for (const std::string& e :
         {nl.set_mtu(idx, mtu), nl.add_ipv4_address(idx, local, 32, peer), nl.set_up(idx, true)}) {
      if (!e.empty() && problem.empty()) problem = e;
    }
    for (const Ipv4Cidr& r : routes_) {
      if (problem.empty()) problem = nl.add_ipv4_route(idx, r.network, r.prefix_len);
    }
    if (problem.empty() && o_.default_route) {
      std::string why;
      auto path = find_path_to(server_, why);
      if (!path) problem = why;
      else if (std::string e = pin_host_route(server_, *path, true); !e.empty()) problem = e;
      else {
        pinned_ = path;
        in_addr half{};
        problem = nl.add_ipv4_route(idx, half, 1);
        half.s_addr = htonl(0x80000000u);
        if (problem.empty()) problem = nl.add_ipv4_route(idx, half, 1);
      }
    }
  }
  if (!problem.empty()) {
    failure_ = "the link came up but the TUN device could not be set up: " + problem;
    tun_.reset();
    // Not from inside the session's own event: stop it from the loop.
    asio::post(loop_.io(), [this] {
      if (session_ && state_ == State::Running) {
        session_->stop("client could not configure its tunnel interface", Clock::now());
        pump(Clock::now());
      }
    });
    return;
  }
  was_up_ = ever_up_ = true;
  backoff_seconds_ = 1;
  tun_watch_ = std::make_unique<net::ReadableWatch>(loop_.io(), tun_->fd(), [this] { on_tun_readable(); });
  std::string dns;
  for (auto d : info.dns)
    if (d != 0) dns += (dns.empty() ? "" : ", ") + ipv4_text(d);
  std::string routes;
  // As routed: a --route with host bits set shows its network.
  for (const auto& r : routes_) routes += (routes.empty() ? "" : ", ") + cidr_text(r);
  for (const auto& r : routes6_) routes += (routes.empty() ? "" : ", ") + cidr_text(r);
  if (o_.default_route) routes += std::string(routes.empty() ? "" : ", ") + "default (0.0.0.0/1, 128.0.0.0/1)";
  // IPV6CP may have opened before IPCP (its identifiers are here), open later (Ipv6Up), or have
  // finished already: a server without IPv6 Protocol-Rejects it (RFC 1661 §5.7), and the link
  // stays IPv4-only.
  bool ipv6_refused = false;
  if (auto ids = session_->call_ids(); !ids.empty())
    if (const session::CallLink* call = session_->call(ids.front())) {
      const ppp::FsmState s = call->link().ipv6cp().state();
      ipv6_refused = s == ppp::FsmState::Stopped || s == ppp::FsmState::Closed;
    }
  const std::string ipv6 = !o_.ipv6            ? "off"
                           : info.local_ipv6_id ? ipv6_text(ipv6_link_local(*info.local_ipv6_id)) + " peer " +
                                                      ipv6_text(ipv6_link_local(info.peer_ipv6_id.value_or(0)))
                           : ipv6_refused       ? "refused by the server (IPv4 only)"
                                                : "not negotiated yet";
  std::printf("connected: auth %s, encryption %s, address %s, peer %s, DNS %s, interface %s (MTU %u), routes %s, "
              "IPv6 %s\n",
              info.auth_method ? std::string(to_string(*info.auth_method)).c_str() : "none",
              info.mppe ? ("MPPE " + ppp::describe(*info.mppe)).c_str() : "none", ipv4_text(info.local_ipv4).c_str(),
              ipv4_text(info.peer_ipv4).c_str(), dns.empty() ? "none" : dns.c_str(), tun_->name().c_str(), mtu,
              routes.empty() ? "none" : routes.c_str(), ipv6.c_str());
  std::fflush(stdout);
  hooks_up(info, mtu);
  if (info.local_ipv6_id) ipv6_up(info);
}

// --dns and --up-script once the link is up; hooks_down() undoes them (--down-script first).
// The scripts get pppd's ip-up arguments (interface, tty, speed, local, remote, ipparam) and
// environment names (IFNAME, IPLOCAL, IPREMOTE, DNS1, DNS2, PEERNAME, USEPEERDNS), plus PPTPX_*.
void Client::hooks_up(const ppp::LinkUpInfo& info, std::uint32_t mtu) {
  std::vector<std::string> dns;
  for (auto d : info.dns)
    if (d != 0) dns.push_back(ipv4_text(d));
  std::vector<std::pair<std::string, std::string>> env{
      {"IFNAME", tun_->name()},
      {"IPLOCAL", ipv4_text(info.local_ipv4)},
      {"IPREMOTE", ipv4_text(info.peer_ipv4)},
      {"PEERNAME", server_text_},
      {"USEPEERDNS", o_.use_dns ? "1" : ""},
      {"PPTPX_SERVER", server_text_},
      {"PPTPX_USER", o_.user},
      {"PPTPX_MTU", std::to_string(mtu)},
      {"PPTPX_AUTH", info.auth_method ? std::string(to_string(*info.auth_method)) : "none"},
      {"PPTPX_ENCRYPTION", info.mppe ? "MPPE " + ppp::describe(*info.mppe) : "none"},
  };
  for (std::size_t i = 0; i < dns.size() && i < 2; ++i) env.emplace_back("DNS" + std::to_string(i + 1), dns[i]);
  hook_env_ = env;
  if (o_.use_dns) {
    std::string how;
    if (std::string e = dns_.apply(tun_->name(), dns, o_.default_route, how); !e.empty())
      spdlog::warn("--dns: {}", e);
    else
      spdlog::info("DNS servers {} applied {}", join_commas(dns), how);
  }
  if (!o_.up_script.empty()) {
    const CommandResult r = run_command({o_.up_script, tun_->name(), "pptpx", "0", ipv4_text(info.local_ipv4),
                                         ipv4_text(info.peer_ipv4), server_text_},
                                        {}, env);
    if (!r.ok()) spdlog::warn("--up-script: {}", r.error);
  }
}

void Client::hooks_down() {
  if (!hook_env_) return;
  auto env = std::move(*hook_env_);
  hook_env_.reset();
  if (!o_.down_script.empty()) {
    env.emplace_back("PPTPX_REASON", failure_);
    std::string ifname, local, remote;
    for (const auto& [k, v] : env) {
      if (k == "IFNAME") ifname = v;
      if (k == "IPLOCAL") local = v;
      if (k == "IPREMOTE") remote = v;
    }
    const CommandResult r = run_command({o_.down_script, ifname, "pptpx", "0", local, remote, server_text_}, {}, env);
    if (!r.ok()) spdlog::warn("--down-script: {}", r.error);
  }
  if (std::string e = dns_.revert(); !e.empty()) spdlog::warn("--dns: could not remove the DNS servers: {}", e);
}

// IPV6CP opened: fe80::<our id>/64 on the TUN (RFC 5072 §5), <prefix>::<our id> with
// --ipv6-prefix (no router advertisements come over this link), and the IPv6 --route entries.
// A failure here is reported; IPv4 carries on.
void Client::ipv6_up(const ppp::LinkUpInfo& info) {
  if (!tun_ || !info.local_ipv6_id || !info.peer_ipv6_id || ipv6_id_ == info.local_ipv6_id) return;
  net::LinkConfig nl;
  std::string problem = nl.ok() ? std::string() : nl.open_error();
  const int idx = tun_->ifindex();
  const in6_addr ll = ipv6_link_local(*info.local_ipv6_id);
  if (problem.empty()) problem = nl.add_ipv6_address(idx, ll, 64);
  std::string extra;
  if (problem.empty() && prefix6_) {
    const in6_addr a = ipv6_with_interface_id(prefix6_->network, *info.local_ipv6_id);
    problem = nl.add_ipv6_address(idx, a, prefix6_->prefix_len);
    extra += ", address " + ipv6_text(a) + "/" + std::to_string(prefix6_->prefix_len);
  }
  for (const Ipv6Cidr& r : routes6_) {
    if (!problem.empty()) break;
    problem = nl.add_ipv6_route(idx, r.network, r.prefix_len);
    extra += ", route " + ipv6_text(r.network) + "/" + std::to_string(r.prefix_len);
  }
  if (!problem.empty()) {
    spdlog::warn("IPv6 came up but could not be set up on {}: {}; IPv4 only", tun_->name(), problem);
    return;
  }
  ipv6_id_ = info.local_ipv6_id;
  std::printf("ipv6: address %s/64, peer %s, interface %s%s\n", ipv6_text(ll).c_str(),
              ipv6_text(ipv6_link_local(*info.peer_ipv6_id)).c_str(), tun_->name().c_str(), extra.c_str());
  std::fflush(stdout);
}

std::string Client::gre_summary(std::uint16_t call_id) const {
  const session::CallLink* call = session_ ? session_->call(call_id) : nullptr;
  return call != nullptr ? session::gre_drop_summary(call->receive_window().counters()) : std::string();
}

void Client::link_down() {
  hooks_down();
  tun_watch_.reset();
  if (pinned_) {
    if (std::string e = pin_host_route(server_, *pinned_, false); !e.empty()) spdlog::warn("{}", e);
    pinned_.reset();
  }
  tun_writer_.flush();  // it may hold packets for tun_
  tun_.reset();  // closing the device removes it with its address and routes
  ipv6_id_.reset();
}

}  // namespace

int run_client(const ClientOptions& options) {
  ppp::Policy policy;
  if (std::string e = parse_policy(options, policy); !e.empty()) {
    std::fprintf(stderr, "pptpx client: %s\n", e.c_str());
    return 2;
  }
  std::vector<Ipv4Cidr> routes;
  std::vector<Ipv6Cidr> routes6;
  for (const auto& r : options.routes) {
    if (r.find(':') != std::string::npos) {  // an IPv6 network, used once IPV6CP opens
      Ipv6Cidr c6;
      if (std::string e = parse_cidr6(r, c6); !e.empty()) {
        std::fprintf(stderr, "pptpx client: %s\n", e.c_str());
        return 2;
      }
      if (c6.had_host_bits)
        spdlog::warn("--route {} has host bits set; routing the network {}", r, cidr_text(c6));
      routes6.push_back(c6);
      continue;
    }
    Ipv4Cidr c;
    if (std::string e = parse_cidr(r, c); !e.empty()) {
      std::fprintf(stderr, "pptpx client: %s\n", e.c_str());
      return 2;
    }
    if (c.had_host_bits) spdlog::warn("--route {} has host bits set; routing the network {}", r, cidr_text(c));
    routes.push_back(c);
  }
  std::string password;
  if (!options.password_file.empty() || needs_password(options)) {
    if (std::string e = read_password_file(options.password_file, password); !e.empty()) {
      std::fprintf(stderr, "pptpx client: %s\n", e.c_str());
      return 2;
    }
  }
  std::shared_ptr<const auth::EapTlsContext> eap_tls;
  if (std::string e = eap_tls_problem(options); !e.empty()) {
    std::fprintf(stderr, "pptpx client: %s\n", e.c_str());
    return 2;
  }
  if (!options.cert.empty() && !options.key.empty() && !options.ca.empty()) {
    try {
      eap_tls = auth::EapTlsContext::create(false, {options.ca, options.cert, options.key, "", options.server_name});
    } catch (const std::runtime_error& e) {
      std::fprintf(stderr, "pptpx client: %s\n", e.what());
      return 2;
    }
    if (options.server_name.empty() && !needs_password(options)) {
      spdlog::warn("EAP-TLS without --server-name: any certificate issued by {} is taken as the server", options.ca);
    }
  }
  std::optional<Ipv6Cidr> prefix6;
  if (!options.ipv6_prefix.empty()) {
    Ipv6Cidr p;
    if (std::string e = parse_ipv6_prefix(options.ipv6_prefix, p); !e.empty()) {
      std::fprintf(stderr, "pptpx client: %s\n", e.c_str());
      return 2;
    }
    prefix6 = p;
  }
  if (!options.ipv6 && (!routes6.empty() || prefix6)) {
    std::fprintf(stderr, "pptpx client: --no-ipv6 leaves nothing to carry IPv6 --route or --ipv6-prefix; drop one\n");
    return 2;
  }
  // What a killed client's --dns left behind (this network namespace only).
  for (const std::string& line : DnsConfig::recover_stale()) spdlog::info("{}", line);
  // Before dialling: a server should never log a session that could not carry a byte.
  if (const Preflight p = check_before_dialling(options); !p.problem.empty()) {
    std::fprintf(stderr, "pptpx client: %s\n", p.problem.c_str());
    return p.exit_code;
  }
  Client c(options, policy, std::move(password), std::move(routes), std::move(routes6), prefix6, std::move(eap_tls));
  return c.run();
}

}  // namespace pptpx::client
