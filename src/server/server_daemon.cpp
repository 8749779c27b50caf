#include "server/server_daemon.hpp"

#include <arpa/inet.h>
#include <linux/capability.h>

#include <array>
#include <cstring>

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include <asio/post.hpp>
#include <spdlog/spdlog.h>

#include "net/capabilities.hpp"
#include "net/event_loop.hpp"
#include "net/gre_socket.hpp"
#include "net/icmp_too_big.hpp"
#include "net/ip_packet.hpp"
#include "net/ipv4_fragment.hpp"
#include "net/link_config.hpp"
#include "net/mss_clamp.hpp"
#include "net/tcp_listener.hpp"
#include "net/tun_device.hpp"
#include "net/tun_reader.hpp"
#include "net/tun_writer.hpp"
#include "ppp/auth_factory_impl.hpp"
#include "ppp/auth_random.hpp"
#include "ppp/ipv6cp.hpp"
#include "pptp/call_id_allocator.hpp"
#include "ppp/auth_machine_base.hpp"
#include "server/address_pool.hpp"
#include "server/auth_lockout.hpp"
#include "server/control_refusal.hpp"
#include "server/dae_service.hpp"
#include "net/service_notify.hpp"
#include "server/handshake_tracker.hpp"
#include "server/open_files_limit.hpp"
#include "server/operations.hpp"
#include "server/radius_service.hpp"
#include "server/ipv6_addressing.hpp"
#include "server/secrets_store.hpp"
#include "server/server_connection.hpp"
#include "server/server_policy.hpp"
#include "server/session_table.hpp"
#include "server/terminate_cause.hpp"
#include "util/bytes.hpp"

namespace pptpx::server {

struct CallTun {
  std::optional<net::TunDevice> dev;
  std::unique_ptr<net::ReadableWatch> watch;  // declared after dev: destroyed first
};

namespace {

constexpr Duration kShutdownLimit = std::chrono::seconds(3);

// Data-path drops, logged at exit.
struct DropCounters {
  std::uint64_t gre_short = 0;         // shorter than the 8-byte enhanced GRE header (RFC 2637 §4.1)
  std::uint64_t gre_unknown_call = 0;  // Call ID of no current call
  std::uint64_t gre_wrong_source = 0;  // Call ID of a call whose control connection has another peer
  std::uint64_t tun_not_ip = 0;        // neither IPv4 nor IPv6, or IPv6 with [ipv6] disabled
  std::uint64_t tun_no_session = 0;    // destination is no client's address
  std::uint64_t tun_refused = 0;       // the session dropped it (call not up yet, too big, ...)
  std::uint64_t tun_write_failed = 0;
  std::uint64_t tun_too_big = 0;       // above the client's MTU with DF set (or IPv6, or unfragmentable)
  std::uint64_t tun_fragmented = 0;    // above the client's MTU, DF clear: sent as IPv4 fragments
  std::uint64_t icmp_too_big_sent = 0;     // not a drop: "fragmentation needed" / "packet too big" sent back
  std::uint64_t icmp_too_big_limited = 0;  // such errors not sent: over the rate limit
  std::uint64_t mss_clamped = 0;       // not a drop: TCP SYNs whose MSS was lowered ([tun] mss_clamp)
  std::uint64_t sessions_refused = 0;  // over a session limit at accept
  std::uint64_t ipv6_id_collisions = 0;  // a client's IPv6 interface id is another call's: no IPv6 for it
  std::uint64_t calls_never_up = 0;       // calls that ended before their link came up (setup failed)
  std::uint64_t auth_locked_out = 0;      // authentications refused because the user was locked out
  // Connections the server closed itself (issue 19): the peer did not read its control messages
  // (send queue past its bound), no link up within control_setup + network_setup of accept, no
  // call for [limits] no_call_seconds.
  std::uint64_t control_send_queue_full = 0;
  std::uint64_t control_no_link_in_time = 0;
  std::uint64_t control_no_call = 0;
};

LockoutRule lockout_rule(const Config& c) {
  LockoutRule r;
  r.failures = c.limits.auth_lockout.failures;
  r.window = c.limits.auth_lockout.window;
  r.lockout = c.limits.auth_lockout.lockout;
  return r;
}

long long whole_seconds(Duration d) { return std::chrono::duration_cast<std::chrono::seconds>(d).count(); }

class Daemon final : public ConnectionHost, private radius::DaeTarget {
 public:
  explicit Daemon(const Config& config)
      : config_(config),
        secrets_(config.auth.secrets_file, config.auth.server_name),
        pool_(config.ipv4.pool, config.ipv4.server_address),
        ipv6_ids_(config.ipv6.server_interface_id),
        ipv6_(config.ipv6.enabled ? std::optional<Ipv6Prefix>(config.ipv6.prefix) : std::nullopt),
        session_config_(make_session_config(config)) {}
  // Connections go first: their sessions point at the tables, pool and devices below.
  ~Daemon() override {
    connections_.clear();
    // Declared before the event loop: their timers and socket must go while it lives.
    limits_timer_.reset();
    acct_exit_timer_.reset();
    radius_.reset();
  }
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  int run();

  // ConnectionHost
  bool host_prepare_call(Connection& c, CallRecord& call, ppp::LinkConfig& config, std::string& why) override;
  bool host_prepare_network(Connection& c, CallRecord& call, const std::string& user, ppp::IpcpConfig& ipcp,
                            std::string& why) override;
  void host_link_up(Connection& c, CallRecord& call) override;
  void host_link_up_tun(Connection& c, CallRecord& call);
  void host_ipv6_up(Connection& c, CallRecord& call, std::uint64_t local_id, std::uint64_t peer_id) override;
  const Ipv6Addressing& host_ipv6_addressing() const override { return ipv6_; }
  void host_link_down(Connection& c, CallRecord& call, const session::SessionEvent& e) override {
    if (ops_) ops_->link_down(c, call, e);
    radius_link_down(c, call, e);
  }
  void host_call_finished(Connection& c, CallRecord& call) override;
  void host_send_gre(in_addr peer, ByteView gre) override;
  void host_write_tun(CallRecord& call, ByteView packet) override;
  void host_mark_dirty(Connection& c) override;
  void host_flush() override { pump_dirty(); }
  void host_connection_done(Connection& c) override;
  void host_auth_failed(Connection& c, const std::string& user) override;

 private:
  // radius::DaeTarget ([radius.dae], RFC 5176): the calls whose link is up.
  std::vector<radius::DaeSession> dae_sessions() const override;
  void dae_disconnect(const radius::DaeSession& s) override;
  void dae_change(const radius::DaeSession& s, const radius::CoaChange& change) override;

  std::string open_resources();
  void on_accept(asio::ip::tcp::socket socket);
  bool on_gre_readable();  // true: more to read (bounded to GreSocket::kBatchesPerTurn batches)
  void on_tun_readable();
  void on_call_tun_readable(std::uint16_t call_id, net::TunDevice& tun);
  std::string open_call_tun(CallRecord& call);
  void read_tun(net::TunDevice& tun, std::optional<std::uint16_t> call_id);
  bool fit_to_client(Connection& c, std::uint16_t call_id, PacketBuffer& packet, bool v6, net::TunDevice& tun,
                     Time now);
  void send_too_big(ByteView packet, std::uint16_t mtu, bool v6, net::TunDevice& tun, Time now);
  std::uint16_t link_mtu(std::uint16_t client_mtu) const;
  int tun_ifindex() const { return tun_ ? tun_->ifindex() : 0; }
  std::string add_server_ipv6_addresses(int ifindex);
  void drop_ipv6(CallRecord& call);
  void pump_dirty();
  void shutdown(int signo);
  // Every connection is gone while stopping: Accounting-Off, a bounded wait for accounting, exit.
  void finish_shutdown();
  // RADIUS accounting and limits (radius_accounting.hpp, session_limits.hpp).
  void radius_link_up(Connection& c, CallRecord& call);
  void radius_link_down(Connection& c, CallRecord& call, const session::SessionEvent& e);
  void check_limits();
  void start_limits_timer();  // once a second while any call has a Session-/Idle-Timeout
  static Accounting::Key acct_key(const Connection& c, std::uint16_t call_id) { return c.id() << 16 | call_id; }
  std::vector<std::string> reload();
  std::string open_operations();
  void flush_gre();
  void log_counters();

  Config config_;
  net::ServiceNotifier notifier_;  // systemd Type=notify: READY=1, RELOADING=1, STATUS=
  SecretsStore secrets_;
  Ipv4Pool pool_;
  Ipv6InterfaceIds ipv6_ids_;
  Ipv6Addressing ipv6_;
  session::SessionConfig session_config_;
  std::unique_ptr<ppp::StandardAuthFactory> auth_;
  // [auth] source = "radius" / "radius-then-secrets", or [radius] servers for accounting.
  std::unique_ptr<RadiusService> radius_;
  std::unique_ptr<net::DeadlineTimer> limits_timer_;  // once a second while a call has RADIUS limits
  std::unique_ptr<net::DeadlineTimer> acct_exit_timer_;  // the exit waits for accounting
  bool finishing_ = false;
  // Unpredictable Call IDs (issue 19): from OpenSSL's CSPRNG, as CHAP challenges are.
  pptp::RandomCallIdAllocator ids_{[] {
    std::uint8_t r[4];
    ppp::default_random_source().fill(r);
    return load_be32(r);
  }};

  net::EventLoop loop_;
  std::unique_ptr<net::GreSocket> gre_;
  std::optional<net::TunDevice> tun_;
  std::unique_ptr<net::LinkConfig> netcfg_;
  std::unique_ptr<net::TcpListener> listener_;
  std::unique_ptr<net::ReadableWatch> gre_watch_, tun_watch_;
  std::unique_ptr<net::DeadlineTimer> shutdown_timer_;

  std::map<std::uint64_t, std::unique_ptr<Connection>> connections_;
  std::map<std::uint32_t, unsigned> per_source_;  // peer IPv4 (network order) -> connections
  // [limits.auth_lockout] per source address (dotted quad) and per user name (auth_lockout.hpp);
  // a locked-out user is "not on file" to the authenticators.
  FailureLockout address_lockout_{lockout_rule(config_)};
  FailureLockout user_lockout_{lockout_rule(config_)};
  LockedOutCredentials credentials_{secrets_, user_lockout_, [] { return Clock::now(); }};
  std::vector<Connection*> dirty_;
  HandshakeTracker handshakes_;  // [limits] max_handshakes_in_progress
  SessionTable<Connection> table_;
  std::uint64_t next_id_ = 1;
  bool stopping_ = false;
  DropCounters drops_;

  // GRE packets handed to the socket are copied here: GreSocket::queue() does not copy, and the
  // session's buffers are reused before the batch is flushed.
  std::vector<std::uint8_t> tx_slots_ = std::vector<std::uint8_t>(net::GreSocket::kMaxBatch * net::GreSocket::kSlotSize);
  PacketBuffer rx_packet_;
  net::TunReader tun_reader_;  // splits TUN super-segments ([tun] offload)
  net::TunWriter tun_writer_;  // joins received TCP segments into GSO writes ([tun] offload)
  net::IcmpRateLimit icmp_limit_;  // ICMP too-big errors: 100/s (RFC 1812 §4.3.2.8, RFC 4443 §2.4 (f))
  std::array<std::uint8_t, net::kIcmp6ErrorMax> icmp_buf_{};
  std::unique_ptr<Operations> ops_;  // pptpx ctl, /metrics, accounting (server/operations.hpp); goes first
  std::unique_ptr<DaeService> dae_;  // [radius.dae] listen; declared after loop_: its socket goes first
  PacketBuffer clamp_buf_;     // a SYN from a client, copied to lower its MSS
  std::vector<PacketBuffer> fragments_ = std::vector<PacketBuffer>(4);  // (1500 - 20) / (576 - 20) < 4
};

std::string Daemon::open_resources() {
  if (auto errors = secrets_.reload(); !errors.empty()) {
    std::string all;
    for (const auto& e : errors) all += (all.empty() ? "" : "; ") + e;
    return "cannot use the secrets file: " + all;
  }
  pool_.set_reservations(secrets_.table()->static_addresses());
  ppp::AuthConfig auth_config;
  try {
    auth_config = make_auth_config(config_, credentials_);
  } catch (const std::runtime_error& e) {
    return std::string(e.what()) + " ([eap_tls] in " + config_.source_file + ")";
  }
  auth_ = std::make_unique<ppp::StandardAuthFactory>(auth_config);
  if (config_.auth.source != AuthSource::secrets || (!config_.radius.servers.empty() && config_.radius.accounting)) {
    std::string why;
    radius_ = RadiusService::make(loop_.io(), config_, auth_config, why);
    if (!radius_) return why + " ([radius] in " + config_.source_file + ")";
    // A user locked out here is refused before any Access-Request ([limits.auth_lockout]).
    radius_->set_local_refusal([this](const std::string& user) -> std::optional<std::string> {
      const std::string key = lockout_user_key(user);
      if (key.empty()) return std::nullopt;
      const Time now = Clock::now();
      if (auto until = user_lockout_.locked_until(key, now))
        return "locked out for " + std::to_string(whole_seconds(*until - now)) +
               " s more ([limits.auth_lockout]); RADIUS was not asked";
      return std::nullopt;
    });
  }

  if (!config_.radius.dae.listen.empty()) {
    std::string why;
    dae_ = DaeService::make(loop_.io(), config_, *this, why);
    if (!dae_) return why + " ([radius.dae] in " + config_.source_file + ")";
    spdlog::info("RADIUS Disconnect/CoA (RFC 5176): listening on {}:{} for {} client(s)", config_.radius.dae.address,
                 dae_->port(), config_.radius.dae.clients.size());
  }

  net::GreSocket::Options gre_opts;
  if (inet_pton(AF_INET, config_.listen.address.c_str(), &gre_opts.bind_address) != 1)
    return "listen address \"" + config_.listen.address + "\" is not an IPv4 address; fix [listen] address in " +
           config_.source_file;
  gre_opts.receive_buffer_bytes = 4 << 20;
  gre_opts.send_buffer_bytes = 4 << 20;
  gre_ = std::make_unique<net::GreSocket>(gre_opts);
  if (!gre_->ok()) return gre_->error();

  netcfg_ = std::make_unique<net::LinkConfig>();
  if (!netcfg_->ok()) return netcfg_->open_error();
  if (!config_.tun.per_session) {
    std::string error;
    net::TunOptions tun_opts;
    tun_opts.name = config_.tun.name;
    tun_opts.offload = config_.tun.offload;
    tun_ = net::TunDevice::open(tun_opts, error);
    if (!tun_) return error;
    if (!tun_->offload_warning().empty()) spdlog::warn("{}", tun_->offload_warning());
    const in_addr server = to_in_addr(config_.ipv4.server_address);
    for (const std::string& e : {netcfg_->set_mtu(tun_->ifindex(), config_.tun.mtu),
                                 netcfg_->add_ipv4_address(tun_->ifindex(), server, 32, server)}) {
      if (!e.empty()) return e;
    }
    // IPv6 addresses come from IPV6CP, none from the kernel (its random fe80:: would talk first).
    if (std::string e = netcfg_->disable_ipv6_autoconf(tun_->ifindex()); !e.empty() && config_.ipv6.enabled) return e;
    if (std::string e = netcfg_->set_up(tun_->ifindex(), true); !e.empty()) return e;
    if (config_.ipv6.enabled) {
      if (std::string e = add_server_ipv6_addresses(tun_->ifindex()); !e.empty()) return e;
    }
  }

  listener_ = std::make_unique<net::TcpListener>(loop_.io(), config_.listen.address, config_.listen.port,
                                                 [this](asio::ip::tcp::socket s) { on_accept(std::move(s)); });
  if (!listener_->ok()) return listener_->error();
  gre_watch_ = std::make_unique<net::ReadableWatch>(loop_.io(), gre_->fd(), net::ReadableWatch::Bounded{},
                                                     [this] { return on_gre_readable(); });
  if (tun_) tun_watch_ = std::make_unique<net::ReadableWatch>(loop_.io(), tun_->fd(), [this] { on_tun_readable(); });
  return {};
}

int Daemon::run() {
  // One TCP socket per session (two fds with [tun] per_session): the common soft limit of 1,024
  // would refuse sessions long before [limits] max_sessions.
  if (const auto nofile = raise_open_files_limit(open_files_needed(config_.limits.max_sessions, config_.tun.per_session));
      !nofile.warning.empty())
    spdlog::warn("{}", nofile.warning);
  if (std::string e = open_resources(); !e.empty()) {
    spdlog::error("pptpx server: {}", e);
    return 1;
  }
  // The listener, the raw GRE socket and the TUN device are open: keep only CAP_NET_ADMIN (TUN
  // devices per session, their addresses and routes); CAP_NET_RAW and the rest go.
  if (net::effective_capabilities() & (1ULL << CAP_NET_ADMIN)) {
    if (std::string e = net::keep_only_capabilities({CAP_NET_ADMIN}); !e.empty())
      spdlog::warn("could not drop capabilities: {}", e);
    else
      spdlog::info("capabilities: kept CAP_NET_ADMIN only");
  }
  if (std::string e = open_operations(); !e.empty()) {
    spdlog::error("pptpx server: {}", e);
    return 1;
  }
  loop_.handle_signals([this](int signo) { shutdown(signo); }, [this] { reload(); });
  if (radius_ && radius_->accounting_enabled()) {
    radius_->set_counters_provider([this](Accounting::Key key) -> std::optional<AcctCounters> {
      auto it = connections_.find(key >> 16);
      if (it == connections_.end()) return std::nullopt;
      const CallRecord* call = it->second->call_record(static_cast<std::uint16_t>(key & 0xFFFF));
      if (call == nullptr || !call->up) return std::nullopt;
      return AcctCounters{call->bytes_in, call->bytes_out, call->packets_in, call->packets_out};
    });
    radius_->accounting_on();  // RFC 2866 §5.1: the NAS starts; its servers may close our old sessions
    spdlog::info("RADIUS accounting: Accounting-On sent; interim updates every {} s (0: only when the Access-Accept "
                 "asks)", whole_seconds(config_.radius.interim_interval));
  }
  if (config_.ipv6.enabled)
    spdlog::info("IPv6: server {}, prefix {}/{}", to_string(link_local_address(config_.ipv6.server_interface_id)),
                 to_string(config_.ipv6.prefix.address), static_cast<unsigned>(config_.ipv6.prefix.length));
  spdlog::info("listening on {}:{}, {} with {}, pool {}-{}, {} users", config_.listen.address, listener_->port(),
               tun_ ? "TUN " + tun_->name() : "a TUN per session (" + config_.tun.name + "N)", to_string(config_.ipv4.server_address), to_string(config_.ipv4.pool.first),
               to_string(config_.ipv4.pool.last), secrets_.table()->size());
  notifier_.ready("listening on " + config_.listen.address + ":" + std::to_string(listener_->port()) + ", 0 sessions");
  if (!notifier_.error().empty()) spdlog::warn("{}", notifier_.error());
  loop_.run();
  ops_.reset();  // removes the control socket
  log_counters();
  spdlog::info("server stopped");
  return 0;
}

void Daemon::on_accept(asio::ip::tcp::socket socket) {
  if (stopping_) return;
  std::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  if (ec || !remote.address().is_v4()) return;
  const std::uint32_t src = htonl(remote.address().to_v4().to_uint());
  const std::string from = remote.address().to_string();
  if (connections_.size() >= config_.limits.max_sessions) {
    ++drops_.sessions_refused;
    spdlog::warn("refusing a connection from {}: {} sessions is the limit ([limits] max_sessions)", from,
                 config_.limits.max_sessions);
    return;
  }
  if (per_source_[src] >= config_.limits.max_sessions_per_source) {
    ++drops_.sessions_refused;
    spdlog::warn("refusing a connection from {}: {} sessions from one address is the limit "
                 "([limits] max_sessions_per_source)", from, config_.limits.max_sessions_per_source);
    return;
  }
  const Time now = Clock::now();
  if (auto until = address_lockout_.locked_until(from, now)) {
    ++drops_.sessions_refused;
    spdlog::warn("refusing a connection from {}: locked out for {} s more after {} authentication failures "
                 "([limits.auth_lockout])", from, whole_seconds(*until - now), config_.limits.auth_lockout.failures);
    // Tell the peer (SCCRP Result Code 4 with the reason, control_refusal.hpp).
    refuse_control_connection(loop_.io(), std::move(socket),
                              "address locked out for " + std::to_string(whole_seconds(*until - now)) + " s after " +
                                  std::to_string(config_.limits.auth_lockout.failures) + " failed logins");
    return;
  }
  if (handshakes_.reached(config_.limits.max_handshakes_in_progress, [this](std::uint64_t cid) {
        auto it = connections_.find(cid);
        return it != connections_.end() && it->second->handshaking();
      })) {
    ++drops_.sessions_refused;
    spdlog::warn("refusing a connection from {}: {} handshakes in progress is the limit "
                 "([limits] max_handshakes_in_progress)", from, config_.limits.max_handshakes_in_progress);
    return;
  }
  ++per_source_[src];
  const std::uint64_t id = next_id_++;
  const bool via_radius = radius_ && config_.auth.source != AuthSource::secrets;
  ppp::AuthFactory& auth = !via_radius ? static_cast<ppp::AuthFactory&>(*auth_) : radius_->factory_for(id, [this, id] {
    asio::post(loop_.io(), [this, id] {
      if (auto it = connections_.find(id); it != connections_.end()) it->second->wake(Clock::now());
    });
  });
  auto c = std::make_unique<Connection>(*this, id, std::move(socket), session_config_, ids_, auth, loop_.io(),
                                       ConnectionDeadlines::Limits{config_.limits.control_setup + config_.limits.network_setup,
                                                                   config_.limits.no_call});
  handshakes_.add(id);
  Connection* raw = c.get();
  connections_[id] = std::move(c);
  notifier_.sessions(connections_.size());
  raw->start(Clock::now());
  pump_dirty();
}

bool Daemon::on_gre_readable() {
  const Time now = Clock::now();
  // Until a short batch says the socket is empty (no extra recvmmsg just to hear EAGAIN), or
  // kBatchesPerTurn batches: then the event loop runs what else is ready and calls again.
  std::size_t batches = 0;
  do {
    auto batch = gre_->receive_batch();
    for (const net::GreDatagram& d : batch) {
      // The enhanced GRE header's Key field carries the Call ID in bytes 6-7 (RFC 2637 §4.1);
      // a datagram too short to hold it lies about being PPTP.
      if (d.gre.size() < 8) {
        ++drops_.gre_short;
        continue;
      }
      const std::uint16_t call_id = load_be16(d.gre.data() + 6);
      Connection* c = table_.find_call(call_id);
      if (c == nullptr) {
        ++drops_.gre_unknown_call;
        continue;
      }
      if (c->peer().s_addr != d.peer.s_addr) {
        ++drops_.gre_wrong_source;
        continue;
      }
      c->receive_gre(d.gre, now);
    }
  } while (!gre_->drained() && ++batches < net::GreSocket::kBatchesPerTurn);
  pump_dirty();
  return !gre_->drained();
}

void Daemon::on_tun_readable() { read_tun(*tun_, std::nullopt); }

// Packets from a TUN device: the shared one routes by destination address; a call's own device
// (per_session) belongs to that call.
void Daemon::read_tun(net::TunDevice& tun, std::optional<std::uint16_t> call_id) {
  const Time now = Clock::now();
  for (;;) {
    // One IP packet, or the next segment of a TCP super-segment ([tun] offload).
    if (!tun_reader_.next(tun, rx_packet_, config_.tun.mtu)) break;
    auto addrs = net::ip_addresses(rx_packet_.view());
    const bool v6 = addrs && addrs->family == AF_INET6;
    if (!addrs || (v6 && !config_.ipv6.enabled)) {
      ++drops_.tun_not_ip;
      continue;
    }
    Connection* c = nullptr;
    std::uint16_t call = 0;
    const SessionTable<Connection>::Route* route = nullptr;
    if (call_id) {
      c = table_.find_call(*call_id);
      call = *call_id;
    } else if (!v6) {
      route = table_.find_address(ntohl(addrs->dst4.s_addr));
    } else {
      // By destination: fe80::<id> or <prefix>::<id> names the client with that identifier.
      Ipv6Address dst;
      std::memcpy(dst.bytes.data(), &addrs->dst6, dst.bytes.size());
      if (auto id = ipv6_.interface_id(dst)) route = table_.find_ipv6(*id);
    }
    if (route != nullptr) {
      c = route->connection;
      call = route->call_id;
    }
    if (c == nullptr) {
      ++drops_.tun_no_session;
      continue;
    }
    if (!fit_to_client(*c, call, rx_packet_, addrs->family == AF_INET6, tun, now)) continue;
    if (!(v6 ? c->send_ipv6(call, rx_packet_, now) : c->send_ipv4(call, rx_packet_, now))) ++drops_.tun_refused;
  }
  pump_dirty();
}

std::uint16_t Daemon::link_mtu(std::uint16_t client_mtu) const {
  const auto ours = static_cast<std::uint16_t>(config_.tun.mtu);
  return client_mtu == 0 ? ours : std::min(ours, client_mtu);
}

// Makes a packet from the TUN fit the client's link: a TCP SYN's MSS is lowered to the tunnel
// MTU ([tun] mss_clamp); a packet above the client's MTU (its MRU less the MPPE overhead, which
// may be below [tun] mtu on the shared TUN) goes as IPv4 fragments when DF is clear (RFC 791
// §2.3), else is dropped and counted, and the sender told so with an ICMP error written back
// into the TUN (send_too_big). False when the packet was dealt with here.
bool Daemon::fit_to_client(Connection& c, std::uint16_t call_id, PacketBuffer& packet, bool v6, net::TunDevice& tun,
                           Time now) {
  const std::uint16_t mtu = link_mtu(c.call_mtu(call_id));
  if (config_.tun.mss_clamp && net::clamp_tcp_mss(packet.view(), mtu)) ++drops_.mss_clamped;
  if (packet.size() <= mtu) return true;
  const auto f = v6 ? net::FragmentResult{} : net::fragment_ipv4(packet.view(), mtu, fragments_);
  if (f.status != net::FragmentStatus::Ok) {
    ++drops_.tun_too_big;
    if (v6 || f.status == net::FragmentStatus::DontFragment) send_too_big(packet.view(), mtu, v6, tun, now);
    return false;
  }
  ++drops_.tun_fragmented;
  for (std::size_t i = 0; i < f.count; ++i)
    if (!c.send_ipv4(call_id, fragments_[i], now)) ++drops_.tun_refused;
  return false;
}

// The router's answer to a packet too big for the client's link, so that the sender's path-MTU
// discovery learns `mtu`: ICMP "fragmentation needed and DF set" (RFC 1191 §4) or ICMPv6 "packet
// too big" (RFC 4443 §3.2, RFC 8201), written into the TUN the packet came from. Its source is
// the client's address (the packet's destination), as if the far end of the client's link
// answered: our own TUN address would arrive at the local kernel as a martian (a packet from a
// local address on a non-loopback interface) and be dropped before ICMP sees it. The builders
// refuse errors about errors, non-first fragments and multicast/broadcast.
void Daemon::send_too_big(ByteView packet, std::uint16_t mtu, bool v6, net::TunDevice& tun, Time now) {
  std::size_t n = 0;
  if (!v6 && packet.size() >= 20) {
    n = net::build_icmp4_frag_needed(packet, mtu, load_be32(packet.data() + 16), icmp_buf_);
  } else if (v6 && packet.size() >= 40) {
    n = net::build_icmp6_packet_too_big(packet, mtu, std::span<const std::uint8_t, 16>(packet.data() + 24, 16),
                                        icmp_buf_);
  }
  if (n == 0) return;
  if (!icmp_limit_.allow(now)) {
    ++drops_.icmp_too_big_limited;
    return;
  }
  ++drops_.icmp_too_big_sent;
  if (!tun_writer_.write(tun, ByteView(icmp_buf_.data(), n))) ++drops_.tun_write_failed;
}

void Daemon::pump_dirty() {
  // The end of a batch: what the TUN writer holds goes out now.
  if (!tun_writer_.flush()) ++drops_.tun_write_failed;
  const Time now = Clock::now();
  // pump() may mark other connections dirty (never itself again): loop until quiet.
  while (!dirty_.empty()) {
    std::vector<Connection*> work;
    work.swap(dirty_);
    for (Connection* c : work) c->pump(now);
  }
  flush_gre();
}

void Daemon::host_mark_dirty(Connection& c) {
  if (c.dirty) return;
  c.dirty = true;
  dirty_.push_back(&c);
}

void Daemon::host_connection_done(Connection& c) {
  const std::uint64_t id = c.id();
  const std::uint32_t src = c.peer().s_addr;
  if (c.send_queue_overflowed()) ++drops_.control_send_queue_full;
  if (c.expired() == ConnectionDeadlines::Expired::first_link) ++drops_.control_no_link_in_time;
  if (c.expired() == ConnectionDeadlines::Expired::no_call) ++drops_.control_no_call;
  // Deleting it now would pull the stack from under the caller: do it from the loop.
  asio::post(loop_.io(), [this, id, src] {
    auto it = connections_.find(id);
    if (it == connections_.end()) return;
    std::erase(dirty_, it->second.get());
    connections_.erase(it);
    if (!stopping_) notifier_.sessions(connections_.size());
    if (radius_) radius_->forget(id);
    if (auto p = per_source_.find(src); p != per_source_.end() && --p->second == 0) per_source_.erase(p);
    if (stopping_ && connections_.empty()) finish_shutdown();
  });
}

void Daemon::host_auth_failed(Connection& c, const std::string& user) {
  const auto& rule = config_.limits.auth_lockout;
  if (rule.failures == 0) return;
  const Time now = Clock::now();
  const std::string name = lockout_user_key(user);  // empty: the peer gave no name (timed out)
  char addr[INET_ADDRSTRLEN] = {};
  const in_addr peer = c.peer();
  inet_ntop(AF_INET, &peer, addr, sizeof addr);
  if (!name.empty()) {
    if (auto until = user_lockout_.locked_until(name, now)) {
      // LockedOutCredentials refused it: the client got the reply a wrong password gets.
      ++drops_.auth_locked_out;
      spdlog::warn("#{} {}: {} is locked out for {} s more ([limits.auth_lockout]): refused with the reply "
                   "a wrong password gets", c.id(), c.peer_text(), ppp::describe_user(user), whole_seconds(*until - now));
    } else if (user_lockout_.record_failure(name, now)) {
      spdlog::warn("user \"{}\": {} authentication failures within {} s, the last from {}: refusing this user for {} s",
                   ppp::printable(name), rule.failures, whole_seconds(rule.window), addr, whole_seconds(rule.lockout));
    }
  }
  if (address_lockout_.record_failure(addr, now))
    spdlog::warn("{}: {} authentication failures within {} s: refusing this address for {} s", c.peer_text(),
                 rule.failures, whole_seconds(rule.window), whole_seconds(rule.lockout));
}

bool Daemon::host_prepare_call(Connection& c, CallRecord& call, ppp::LinkConfig& config, std::string& why) {
  if (stopping_) {
    why = "the server is shutting down";
    return false;
  }
  // The user is not known yet (PPP authenticates after the call is up): the client's address is
  // chosen in host_prepare_network.
  config.ipcp.local_address = config_.ipv4.server_address.value;
  config.ipcp.peer_address = 0;
  for (std::size_t i = 0; i < config_.ipv4.dns.size() && i < 2; ++i) config.ipcp.dns[i] = config_.ipv4.dns[i].value;
  // IPV6CP: a client proposing an interface id another session holds is Nak'd with a free one.
  config.ipv6cp.peer_id_taken = [this](std::uint64_t id) { return ipv6_ids_.in_use(id); };
  table_.add_call(call.call_id, &c);
  return true;
}

bool Daemon::host_prepare_network(Connection& c, CallRecord& call, const std::string& user, ppp::IpcpConfig& ipcp,
                                  std::string& why) {
  const auto secrets = secrets_.lookup(user);
  if (secrets && secrets->addresses == AddressPolicy::none) {
    why = "the secrets file gives \"" + user + "\" no address (\"-\" in the 4th column)";
    return false;
  }
  std::optional<Ipv4Address> wanted = secrets ? secrets->static_address() : std::nullopt;
  // The Access-Accept's Framed-IP-Address (RFC 2865 §5.8) comes before the pool and the file.
  const RadiusAuthorization* authz = radius_ ? radius_->authorization(c.id()) : nullptr;
  if (authz && authz->framed_ip) wanted = Ipv4Address{*authz->framed_ip};
  if (authz) {
    // RFC 2548 §2.7.5/§2.7.6: the DNS servers the client is given (IPCP, RFC 1877).
    for (std::size_t i = 0; i < 2; ++i)
      if (authz->dns[i]) ipcp.dns[i] = *authz->dns[i];
    if (const std::string d = describe(*authz); !d.empty())
      spdlog::info("#{} call {}: RADIUS Access-Accept for \"{}\": {}", c.id(), call.call_id, ppp::printable(user), d);
  }
  // An LCP renegotiation asks again: keep the address if it is still the right one.
  if (call.address != 0 && (!wanted || wanted->value == call.address)) {
    ipcp.peer_address = call.address;
    return true;
  }
  if (call.address != 0) {
    if (call.routed) {
      if (const std::string e = netcfg_->del_ipv4_route(tun_->ifindex(), to_in_addr(Ipv4Address{call.address}), 32);
          !e.empty())
        spdlog::warn("{}", e);
      call.routed = false;
    }
    table_.remove_address(call.address);
    pool_.release(Ipv4Address{call.address});
    call.address = 0;
  }
  auto a = pool_.allocate(user, wanted);
  if (!a.address) {
    why = authz && authz->framed_ip ? "the Framed-IP-Address " + to_string(*wanted) +
                                          " from RADIUS cannot be used (" + a.error +
                                          "); fix the user's reply attributes on the RADIUS server"
                                    : a.error;
    return false;
  }
  call.address = a.address->value;
  ipcp.peer_address = call.address;
  table_.add_address(call.address, &c, call.call_id);
  if (wanted) spdlog::debug("#{} call {}: {} address {} for \"{}\"", c.id(), call.call_id,
                            authz && authz->framed_ip ? "RADIUS" : "static", to_string(*wanted), user);
  return true;
}

std::string Daemon::open_call_tun(CallRecord& call) {
  auto t = std::make_shared<CallTun>();
  std::string error;
  net::TunOptions opts;
  opts.name = config_.tun.name + "%d";
  opts.offload = config_.tun.offload;
  auto dev = net::TunDevice::open(opts, error);
  if (!dev) return error;
  if (!dev->offload_warning().empty()) spdlog::warn("{}", dev->offload_warning());
  t->dev.emplace(std::move(*dev));
  const int idx = t->dev->ifindex();
  // Point-to-point: our tunnel address with the client's as the peer, which is also its route.
  for (const std::string& e : {netcfg_->set_mtu(idx, link_mtu(call.mtu)),  // the client's MRU, not above ours
                               netcfg_->add_ipv4_address(idx, to_in_addr(config_.ipv4.server_address), 32,
                                                         to_in_addr(Ipv4Address{call.address}))}) {
    if (!e.empty()) return e;
  }
  if (std::string e = netcfg_->disable_ipv6_autoconf(idx); !e.empty() && config_.ipv6.enabled) return e;
  if (std::string e = netcfg_->set_up(idx, true); !e.empty()) return e;
  if (config_.ipv6.enabled) {
    if (std::string e = add_server_ipv6_addresses(idx); !e.empty()) return e;
  }
  const std::uint16_t call_id = call.call_id;
  net::TunDevice* devp = &*t->dev;
  t->watch = std::make_unique<net::ReadableWatch>(loop_.io(), devp->fd(), [this, call_id, devp] { read_tun(*devp, call_id); });
  call.tun = std::move(t);
  return {};
}

void Daemon::host_link_up(Connection& c, CallRecord& call) {
  if (radius_) {
    if (const RadiusAuthorization* a = radius_->authorization(c.id()); a && a->framed_mtu && call.mtu > *a->framed_mtu)
      call.mtu = *a->framed_mtu;  // RFC 2865 §5.12: packets to the client stay within Framed-MTU
  }
  host_link_up_tun(c, call);
  radius_link_up(c, call);
  call.interface = call.tun ? call.tun->dev->name() : tun_ ? tun_->name() : std::string();
  if (ops_) ops_->link_up(c, call);
}

void Daemon::host_link_up_tun(Connection& c, CallRecord& call) {
  if (config_.tun.per_session) {
    if (std::string e = open_call_tun(call); !e.empty()) {
      spdlog::error("#{} {}: {}", c.id(), c.peer_text(), e);
      // Not from inside the session's own event: stop it from the loop.
      asio::post(loop_.io(), [this, id = c.id()] {
        if (auto it = connections_.find(id); it != connections_.end()) {
          it->second->set_end(SessionEnd::ServerError);
          it->second->stop("the server could not set up the tunnel interface", Clock::now());
          pump_dirty();
        }
      });
      return;
    }
    spdlog::info("#{} {} call {}: interface {}", c.id(), c.peer_text(), call.call_id, call.tun->dev->name());
    return;
  }
  const std::string e = netcfg_->add_ipv4_route(tun_->ifindex(), to_in_addr(Ipv4Address{call.address}), 32);
  if (!e.empty()) {
    spdlog::error("#{} {}: {}", c.id(), c.peer_text(), e);
    return;
  }
  call.routed = true;
}

std::string Daemon::add_server_ipv6_addresses(int ifindex) {
  // fe80::<server id>/64 (the link-local network, RFC 4291 §2.5.6) and <prefix>::<server id>/128:
  // each client's addresses get a /128 route when its IPV6CP opens, as IPv4 gets a /32.
  const auto addrs = ipv6_.addresses(config_.ipv6.server_interface_id);
  for (std::size_t i = 0; i < addrs.size(); ++i) {
    const std::uint8_t len = i == 0 ? 64 : 128;
    if (std::string e = netcfg_->add_ipv6_address(ifindex, to_in6_addr(addrs[i]), len); !e.empty()) return e;
  }
  return {};
}

void Daemon::host_ipv6_up(Connection& c, CallRecord& call, std::uint64_t, std::uint64_t peer_id) {
  if (!config_.ipv6.enabled || (config_.tun.per_session && !call.tun)) return;
  if (call.ipv6_id == peer_id) return;  // an LCP renegotiation kept the identifier
  drop_ipv6(call);
  std::uint8_t r[8];
  ppp::default_random_source().fill(r);
  const std::uint64_t id = ipv6_ids_.allocate(peer_id, ppp::load_be64(r));
  if (id != peer_id) {
    // Two clients negotiated the same identifier at once (peer_id_taken Naks it once one holds
    // it): on one shared TUN they would share addresses, so this one gets no IPv6 (IPv4 goes on).
    ipv6_ids_.release(id);
    ++drops_.ipv6_id_collisions;
    spdlog::warn("#{} {} call {}: the client's IPv6 interface id {} is another session's; IPv6 is not carried "
                 "for this call", c.id(), c.peer_text(), call.call_id, to_string(link_local_address(peer_id)));
    return;
  }
  call.ipv6_id = id;
  table_.add_ipv6(id, &c, call.call_id);
  const int idx = call.tun ? call.tun->dev->ifindex() : tun_ifindex();
  for (const Ipv6Address& a : ipv6_.addresses(id)) {
    if (std::string e = netcfg_->add_ipv6_route(idx, to_in6_addr(a), 128); !e.empty()) {
      spdlog::error("#{} {}: {}", c.id(), c.peer_text(), e);
      continue;
    }
    if (!call.tun) call.ipv6_routed = true;  // a per-session device takes its routes with it
  }
}

// Forgets the call's IPv6 identifier: its routes on the shared TUN, the table entry, the id.
void Daemon::drop_ipv6(CallRecord& call) {
  if (!call.ipv6_id) return;
  if (call.ipv6_routed && tun_) {
    for (const Ipv6Address& a : ipv6_.addresses(*call.ipv6_id)) {
      if (std::string e = netcfg_->del_ipv6_route(tun_->ifindex(), to_in6_addr(a), 128); !e.empty())
        spdlog::warn("{}", e);
    }
  }
  call.ipv6_routed = false;
  table_.remove_ipv6(*call.ipv6_id);
  ipv6_ids_.release(*call.ipv6_id);
  call.ipv6_id.reset();
}

void Daemon::host_call_finished(Connection&, CallRecord& call) {
  if (call.up_since == Time{}) ++drops_.calls_never_up;
  drop_ipv6(call);
  if (!tun_writer_.flush()) ++drops_.tun_write_failed;  // it may hold packets for call.tun
  call.tun.reset();  // closing a per-session device removes it with its address and route
  if (call.routed) {
    const std::string e = netcfg_->del_ipv4_route(tun_->ifindex(), to_in_addr(Ipv4Address{call.address}), 32);
    if (!e.empty()) spdlog::warn("{}", e);
    call.routed = false;
  }
  table_.remove_call(call.call_id);
  if (call.address != 0) {
    table_.remove_address(call.address);
    pool_.release(Ipv4Address{call.address});
    call.address = 0;
  }
}

void Daemon::host_send_gre(in_addr peer, ByteView gre) {
  if (gre.size() > net::GreSocket::kSlotSize) return;  // cannot happen: PacketBuffer is as large as a slot
  if (gre_->full()) gre_->flush();
  std::uint8_t* slot = tx_slots_.data() + gre_->queued() * net::GreSocket::kSlotSize;
  std::memcpy(slot, gre.data(), gre.size());
  gre_->queue(peer, ByteView(slot, gre.size()));
}

void Daemon::flush_gre() {
  if (gre_ && gre_->queued() > 0) gre_->flush();
}

void Daemon::host_write_tun(CallRecord& call, ByteView packet) {
  net::TunDevice* dev = call.tun ? &*call.tun->dev : tun_ ? &*tun_ : nullptr;
  if (config_.tun.mss_clamp) {
    // A client's SYN: the MSS it offers is what hosts here may send it, so at most our MTU and its.
    if (const auto site = net::find_mss_to_clamp(packet, link_mtu(call.mtu)); site && packet.size() <= clamp_buf_.tailroom()) {
      clamp_buf_.reset();
      std::memcpy(clamp_buf_.push_back(packet.size()), packet.data(), packet.size());
      net::apply_mss_clamp(clamp_buf_.view(), *site);
      packet = clamp_buf_.view();
      ++drops_.mss_clamped;
    }
  }
  if (dev == nullptr || !tun_writer_.write(*dev, packet)) ++drops_.tun_write_failed;
}

void Daemon::shutdown(int signo) {
  if (stopping_) return;
  stopping_ = true;
  notifier_.stopping();
  spdlog::info("signal {}: stopping {} session(s)", signo, connections_.size());
  listener_.reset();
  const Time now = Clock::now();
  std::vector<Connection*> all;
  for (auto& [id, c] : connections_) all.push_back(c.get());
  // RFC 2637 §2.3: Reason 3 (local shutdown), so clients can say the server went away on purpose.
  for (Connection* c : all) {
    c->set_end(SessionEnd::ServerShutdown);
    c->stop("the server is shutting down", now, pptp::StopReason::LocalShutdown);
  }
  pump_dirty();
  if (connections_.empty()) {
    finish_shutdown();
    return;
  }
  shutdown_timer_ = std::make_unique<net::DeadlineTimer>(loop_.io(), [this](Time) {
    spdlog::warn("{} session(s) did not close within {} s; exiting anyway", connections_.size(),
                 std::chrono::duration_cast<std::chrono::seconds>(kShutdownLimit).count());
    finish_shutdown();
  });
  shutdown_timer_->arm(now + kShutdownLimit);
}

std::vector<std::string> Daemon::reload() {
  notifier_.reloading();
  auto errors = secrets_.reload();
  const std::string count = std::to_string(connections_.size()) + (connections_.size() == 1 ? " session" : " sessions");
  if (!errors.empty()) {
    for (const auto& e : errors) spdlog::error("reload: {}", e);
    spdlog::error("reload: kept the previous secrets; fix {} and send SIGHUP again", secrets_.path());
    notifier_.ready("reload failed, previous secrets kept; " + count);
    return errors;
  }
  notifier_.ready("reloaded; " + count);
  pool_.set_reservations(secrets_.table()->static_addresses());
  spdlog::info("reload: {} users from {}; {} session(s) kept", secrets_.table()->size(), secrets_.path(),
               connections_.size());
  return {};
}

// The operator's side (server/operations.hpp): read-only views, and the hooks it may call.
std::string Daemon::open_operations() {
  OperationsHooks hooks;
  hooks.counters = [this](control::DaemonCounters& d) {
    d.gre_dropped = {{"short", drops_.gre_short}, {"unknown_call", drops_.gre_unknown_call},
                     {"wrong_source", drops_.gre_wrong_source}};
    d.tun_dropped = {{"not_ip", drops_.tun_not_ip},         {"no_session", drops_.tun_no_session},
                     {"refused", drops_.tun_refused},       {"write_failed", drops_.tun_write_failed},
                     {"too_big", drops_.tun_too_big}};
    d.gre_received = gre_->counters().rx_datagrams;
    d.gre_sent = gre_->counters().tx_datagrams;
    d.icmp_too_big_sent = drops_.icmp_too_big_sent;
    d.mss_clamped = drops_.mss_clamped;
    d.connections_refused = drops_.sessions_refused;
    d.connections_closed = {{"send_queue_full", drops_.control_send_queue_full},
                            {"no_link_in_time", drops_.control_no_link_in_time},
                            {"no_call", drops_.control_no_call}};
    if (dae_) {
      const radius::DaeCounters& c = dae_->counters();
      d.radius_dae = {{"received", c.received},
                      {"dropped_unknown_client", c.dropped_unknown_client},
                      {"dropped_malformed", c.dropped_malformed},
                      {"dropped_not_request", c.dropped_not_request},
                      {"dropped_bad_authenticator", c.dropped_bad_authenticator},
                      {"dropped_bad_message_authenticator", c.dropped_bad_message_authenticator},
                      {"dropped_event_timestamp", c.dropped_event_timestamp},
                      {"disconnect_ack", c.disconnect_ack},
                      {"disconnect_nak", c.disconnect_nak},
                      {"coa_ack", c.coa_ack},
                      {"coa_nak", c.coa_nak},
                      {"duplicates", c.duplicates}};
    }
  };
  hooks.terminate = [this](std::uint64_t id, const std::string& reason) {
    auto it = connections_.find(id);
    if (it == connections_.end()) return false;
    spdlog::info("#{} {}: {} (pptpx ctl kill)", id, it->second->peer_text(), reason);
    it->second->terminate(reason, Clock::now(), SessionEnd::OperatorKill);
    pump_dirty();
    return true;
  };
  if (radius_) hooks.radius = [this](control::RadiusCounters& r) { radius_->fill(r); };
  hooks.reload_secrets = [this](std::size_t& users) {
    auto errors = reload();
    users = secrets_.table()->size();
    return errors;
  };
  ops_ = std::make_unique<Operations>(loop_.io(), config_,
                                      OperationsView{connections_, pool_, address_lockout_, user_lockout_},
                                      std::move(hooks));
  return ops_->open();
}

void Daemon::radius_link_up(Connection& c, CallRecord& call) {
  if (!radius_) return;
  const RadiusAuthorization* a = radius_->authorization(c.id());
  if (a && (a->session_timeout || a->idle_timeout)) {
    call.limits = SessionLimits(call.up_since, a->session_timeout, a->idle_timeout);
    start_limits_timer();
  }
  if (!radius_->accounting_enabled() || !call.acct_session_id.empty()) return;  // renegotiation: one Start
  AcctSessionInfo s;
  s.session_id = radius_->new_session_id();
  s.user = call.user;
  s.framed_ip = call.address;
  char peer[INET_ADDRSTRLEN] = {};
  const in_addr p = c.peer();
  inet_ntop(AF_INET, &p, peer, sizeof peer);
  s.calling_station = peer;
  s.nas_port = call.call_id;
  s.radius_authenticated = a != nullptr;
  if (a) s.classes = a->classes;
  s.started = call.up_since;
  call.acct_session_id = s.session_id;
  spdlog::info("#{} call {}: RADIUS accounting Start, Acct-Session-Id {}", c.id(), call.call_id, s.session_id);
  radius_->accounting_start(acct_key(c, call.call_id), std::move(s), a ? a->interim_interval : std::nullopt);
}

void Daemon::radius_link_down(Connection& c, CallRecord& call, const session::SessionEvent& e) {
  if (!radius_ || call.acct_session_id.empty() || !radius_->accounting_open(acct_key(c, call.call_id))) return;
  const radius::TerminateCause cause = terminate_cause(c.end(), e.reason);
  spdlog::info("#{} call {}: RADIUS accounting Stop, Acct-Session-Id {}, Acct-Terminate-Cause {}", c.id(),
               call.call_id, call.acct_session_id, to_string(cause));
  radius_->accounting_stop(acct_key(c, call.call_id),
                           AcctCounters{call.bytes_in, call.bytes_out, call.packets_in, call.packets_out}, cause);
  call.acct_session_id.clear();
}

void Daemon::start_limits_timer() {
  if (limits_timer_) return;
  limits_timer_ = std::make_unique<net::DeadlineTimer>(loop_.io(), [this](Time now) {
    check_limits();
    limits_timer_->arm(now + std::chrono::seconds{1});
  });
  limits_timer_->arm(Clock::now() + std::chrono::seconds{1});
}

void Daemon::check_limits() {
  const Time now = Clock::now();
  std::vector<std::pair<Connection*, SessionLimits::Expired>> due;
  for (auto& [id, c] : connections_) {
    if (auto e = c->check_limits(now)) due.emplace_back(c.get(), std::move(*e));
  }
  for (auto& [c, e] : due) {
    spdlog::info("#{} {}: ending the session: {}", c->id(), c->peer_text(), e.reason);
    c->terminate(e.reason, now, e.end);
  }
  if (!due.empty()) pump_dirty();
}

void Daemon::finish_shutdown() {
  if (finishing_) return;
  finishing_ = true;
  if (shutdown_timer_) shutdown_timer_->cancel();
  if (limits_timer_) limits_timer_->cancel();
  if (!radius_ || !radius_->accounting_enabled()) {
    loop_.stop();
    return;
  }
  // Sessions that did not close in time (kShutdownLimit) get their Stop now: they end with the process.
  for (auto& [id, c] : connections_) {
    for (const auto& [call_id, call] : c->calls()) {
      if (call.acct_session_id.empty()) continue;
      spdlog::info("#{} call {}: RADIUS accounting Stop, Acct-Session-Id {}, Acct-Terminate-Cause NAS-Reboot "
                   "(still open at exit)", id, call_id, call.acct_session_id);
      radius_->accounting_stop(acct_key(*c, call_id),
                               AcctCounters{call.bytes_in, call.bytes_out, call.packets_in, call.packets_out},
                               radius::TerminateCause::NasReboot);
    }
  }
  radius_->accounting_off();
  // The Stops and the Accounting-Off get every server's retransmissions, within a bound.
  const auto& rc = radius_->client_config();
  const Duration bound = std::min<Duration>(
      rc.timeout * static_cast<int>((rc.retries + 1) * rc.servers.size()) + std::chrono::milliseconds{500},
      std::chrono::seconds{15});
  const Time until = Clock::now() + bound;
  acct_exit_timer_ = std::make_unique<net::DeadlineTimer>(loop_.io(), [this, until, bound](Time now) {
    if (radius_->accounting_settled() || now >= until) {
      if (!radius_->accounting_settled())
        spdlog::warn("RADIUS accounting: not every record was answered within {} ms of stopping; exiting anyway",
                     std::chrono::duration_cast<std::chrono::milliseconds>(bound).count());
      radius_->give_up_accounting();
      loop_.stop();
      return;
    }
    acct_exit_timer_->arm(now + std::chrono::milliseconds{20});
  });
  acct_exit_timer_->arm(Clock::now());
}

std::vector<radius::DaeSession> Daemon::dae_sessions() const {
  std::vector<radius::DaeSession> out;
  for (const auto& [id, c] : connections_) {
    char peer[INET_ADDRSTRLEN] = {};
    const in_addr a = c->peer();
    inet_ntop(AF_INET, &a, peer, sizeof peer);
    for (const auto& [call_id, call] : c->calls()) {
      if (!call.up) continue;
      radius::DaeSession s;
      s.key = (id << 16) | call_id;
      // The accounting's Acct-Session-Id; without accounting, the session's number (ctl sessions).
      s.acct_session_id = call.acct_session_id.empty() ? std::to_string(id) : call.acct_session_id;
      s.user_name = call.user;
      s.framed_ip = call.address;
      s.calling_station_id = peer;
      out.push_back(std::move(s));
    }
  }
  return out;
}

void Daemon::dae_disconnect(const radius::DaeSession& s) {
  auto it = connections_.find(s.key >> 16);
  if (it == connections_.end()) return;
  // The path of `pptpx ctl kill`: Call-Disconnect-Notify carrying the reason, then
  // Stop-Control-Connection-Request; the client prints the reason.
  spdlog::info("#{} {}: disconnected by RADIUS (Disconnect-Request for {})", it->first, it->second->peer_text(),
               ppp::describe_user(s.user_name));
  it->second->terminate("disconnected by RADIUS", Clock::now(), SessionEnd::RadiusDisconnect);
  pump_dirty();
}

void Daemon::dae_change(const radius::DaeSession& s, const radius::CoaChange& change) {
  auto it = connections_.find(s.key >> 16);
  if (it == connections_.end()) return;
  if (it->second->change_limits(static_cast<std::uint16_t>(s.key & 0xffff), change.session_timeout,
                                 change.idle_timeout))
    start_limits_timer();
}

void Daemon::log_counters() {
  if (dae_) {
    const radius::DaeCounters& c = dae_->counters();
    spdlog::info("RADIUS Disconnect/CoA: {} requests; dropped: {} unknown client, {} malformed, {} not a request, {} bad "
                 "authenticator, {} bad Message-Authenticator, {} Event-Timestamp; Disconnect {} ACK {} NAK, CoA {} ACK "
                 "{} NAK, {} retransmissions", c.received, c.dropped_unknown_client, c.dropped_malformed,
                 c.dropped_not_request, c.dropped_bad_authenticator, c.dropped_bad_message_authenticator,
                 c.dropped_event_timestamp, c.disconnect_ack, c.disconnect_nak, c.coa_ack, c.coa_nak, c.duplicates);
  }
  const auto& g = gre_->counters();
  spdlog::info("sessions: {} calls ended before their link came up; authentication lockouts: {} addresses, {} users, "
               "{} attempts refused while the user was locked out", drops_.calls_never_up,
               address_lockout_.lockouts(), user_lockout_.lockouts(), drops_.auth_locked_out);
  spdlog::info("control connections closed by the server: {} not reading their replies (send queue full), {} with no "
               "link up in time, {} without a call for too long", drops_.control_send_queue_full,
               drops_.control_no_link_in_time, drops_.control_no_call);
  const auto& t = tun_reader_.counters();
  const auto& w = tun_writer_.counters();
  spdlog::info("TUN offload: {} super-segments split into {} packets; dropped: {} bad header, {} malformed, "
               "{} unsupported, {} too big; {} above a client's MTU dropped, {} fragmented; {} ICMP too-big sent, "
               "{} ICMP too-big rate-limited; {} MSS clamped; {} GSO writes joined {} segments",
               t.super_segments, t.segments, t.bad_header, t.malformed, t.unsupported, t.too_big, drops_.tun_too_big,
               drops_.tun_fragmented, drops_.icmp_too_big_sent, drops_.icmp_too_big_limited, drops_.mss_clamped,
               w.gso_writes, w.joined);
  spdlog::info("GRE: {} datagrams in, {} out, {} not sent; dropped: {} short, {} unknown call, {} wrong source; "
               "TUN dropped: {} not IP (or IPv6 while off), {} no session, {} refused by session, {} write failures; "
               "{} connections refused; {} IPv6 interface id collisions",
               g.rx_datagrams, g.tx_datagrams, g.tx_dropped, drops_.gre_short, drops_.gre_unknown_call,
               drops_.gre_wrong_source, drops_.tun_not_ip, drops_.tun_no_session, drops_.tun_refused,
               drops_.tun_write_failed, drops_.sessions_refused, drops_.ipv6_id_collisions);
}

}  // namespace

int run_server(const Config& config) {
  Daemon d(config);
  return d.run();
}

}  // namespace pptpx::server
