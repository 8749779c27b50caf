#include "server/radius_service.hpp"

#include <fstream>

#include <spdlog/spdlog.h>

#include "ppp/auth_random.hpp"
#include "server/ip_address.hpp"

namespace pptpx::server {

namespace {

class Ticket final : public ppp::RemoteAuthTicket {
 public:
  Ticket(RadiusService& service, radius::RequestId id, std::shared_ptr<bool> alive)
      : service_(service), id_(id), alive_(std::move(alive)) {}
  ~Ticket() override {
    if (*alive_) service_.cancel(id_);
  }

 private:
  RadiusService& service_;
  radius::RequestId id_;
  std::shared_ptr<bool> alive_;
};

// A verdict decided here (a local refusal), delivered from the loop unless withdrawn first.
class LocalTicket final : public ppp::RemoteAuthTicket {
 public:
  explicit LocalTicket(std::shared_ptr<bool> live) : live_(std::move(live)) {}
  ~LocalTicket() override { *live_ = false; }

 private:
  std::shared_ptr<bool> live_;
};

std::optional<std::string> read_secret_file(const std::string& path, std::string& why) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) {
    why = "cannot read the RADIUS secret_file \"" + path + "\"; check the path and its permissions";
    return std::nullopt;
  }
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
  if (line.empty()) {
    why = "the RADIUS secret_file \"" + path + "\" starts with an empty line; put the shared secret on the first line";
    return std::nullopt;
  }
  return line;
}

}  // namespace

// One connection's factory: the shared configuration with `remote` pointing at itself, so that
// a verdict wakes the connection it belongs to.
class RadiusService::ConnectionAuth final : public ppp::AuthFactory, public ppp::RemoteVerifier {
 public:
  ConnectionAuth(RadiusService& service, std::uint64_t connection, ppp::AuthConfig config, std::function<void()> wake)
      : service_(service), connection_(connection), config_(std::move(config)), wake_(std::move(wake)) {
    config_.authenticator.remote = this;
  }
  std::unique_ptr<ppp::AuthMachine> create(ppp::AuthMethod method, bool authenticator, ppp::FrameSink& sink) override {
    return ppp::make_auth_machine(method, authenticator ? ppp::AuthRole::Authenticator : ppp::AuthRole::Peer, config_,
                                  sink);
  }
  std::unique_ptr<ppp::RemoteAuthTicket> ask(ppp::RemoteAuthRequest request,
                                             std::function<void(ppp::RemoteAuthVerdict)> done) override {
    return service_.ask_for(connection_, std::move(request), [done = std::move(done), wake = wake_](ppp::RemoteAuthVerdict v) {
      done(std::move(v));
      wake();
    });
  }

 private:
  RadiusService& service_;
  std::uint64_t connection_;
  ppp::AuthConfig config_;
  std::function<void()> wake_;
};

std::unique_ptr<RadiusService> RadiusService::make(asio::io_context& io, const Config& config, ppp::AuthConfig base,
                                                   std::string& why) {
  radius::ClientConfig c;
  c.timeout = config.radius.timeout;
  c.retries = config.radius.retries;
  c.max_fail = config.radius.max_fail;
  c.fail_timeout = config.radius.fail_timeout;
  for (const RadiusServerEntry& e : config.radius.servers) {
    radius::ServerConfig s;
    s.name = e.address + ":" + std::to_string(e.auth_port);
    s.secret = e.secret;
    if (!e.secret_file.empty()) {
      auto secret = read_secret_file(e.secret_file, why);
      if (!secret) return nullptr;
      s.secret = *secret;
    }
    s.weight = e.weight;
    s.backup = e.backup;
    s.require_reply_message_authenticator = e.require_message_authenticator;
    c.servers.push_back(std::move(s));
  }
  NasIdentity nas;
  nas.nas_identifier = config.radius.nas_identifier;
  if (auto a = parse_ipv4(config.radius.nas_ip_address)) nas.nas_ip_address = a->value;
  base.authenticator.fallback_to_credentials = config.auth.source == AuthSource::radius_then_secrets;
  std::unique_ptr<RadiusService> s(new RadiusService(io, std::move(c), std::move(nas), std::move(base)));
  for (const RadiusServerEntry& e : config.radius.servers) {
    const auto addr = asio::ip::make_address_v4(e.address);
    s->auth_endpoints_.emplace_back(addr, e.auth_port);
    s->acct_endpoints_.emplace_back(addr, e.acct_port);
  }
  s->base_.authenticator.remote_timeout = s->verdict_bound();
  if (config.radius.accounting) {
    AccountingConfig ac;
    ac.interim_interval = config.radius.interim_interval;
    ac.stop_queue_limit = config.radius.stop_queue_limit;
    ac.stop_retry_interval = config.radius.stop_retry_interval;
    ac.stop_max_age = config.radius.stop_max_age;
    RadiusService* self = s.get();
    s->accounting_ = std::make_unique<Accounting>(ac, s->client_, s->nas_, [self](Accounting::Key k) {
      return self->counters_of_ ? self->counters_of_(k) : std::nullopt;
    });
  }
  s->relay_reply_message_ = config.radius.reply_message_to_client;
  std::error_code ec;
  s->socket_.open(asio::ip::udp::v4(), ec);
  if (!ec) s->socket_.bind(asio::ip::udp::endpoint(asio::ip::address_v4::any(), 0), ec);
  if (!ec) s->socket_.non_blocking(true, ec);
  if (ec) {
    why = "cannot open the RADIUS client socket: " + ec.message();
    return nullptr;
  }
  s->receive_next();
  return s;
}

RadiusService::RadiusService(asio::io_context& io, radius::ClientConfig client, NasIdentity nas, ppp::AuthConfig base)
    : client_(std::move(client)),
      nas_(std::move(nas)),
      base_(std::move(base)),
      socket_(io),
      timer_(io, [this](Time now) {
        client_.on_timer(now);
        if (accounting_) accounting_->on_timer(now);
        flush(now);
      }),
      ids_(static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count()),
           [] {
             std::uint8_t r[2];
             ppp::default_random_source().fill(r);
             return static_cast<std::uint16_t>(r[0] << 8 | r[1]);
           }()) {}

RadiusService::~RadiusService() { *alive_ = false; }

Duration RadiusService::verdict_bound() const {
  const auto& c = client_.config();
  return c.timeout * static_cast<int>((c.retries + 1) * c.servers.size()) + std::chrono::seconds{5};
}

ppp::AuthFactory& RadiusService::factory_for(std::uint64_t connection, std::function<void()> wake) {
  auto& slot = connections_[connection];
  slot = std::make_unique<ConnectionAuth>(*this, connection, base_, std::move(wake));
  return *slot;
}

void RadiusService::forget(std::uint64_t connection) {
  connections_.erase(connection);
  authorizations_.erase(connection);
}

const RadiusAuthorization* RadiusService::authorization(std::uint64_t connection) const {
  auto it = authorizations_.find(connection);
  return it == authorizations_.end() ? nullptr : &it->second;
}

std::unique_ptr<ppp::RemoteAuthTicket> RadiusService::ask(ppp::RemoteAuthRequest request,
                                                          std::function<void(ppp::RemoteAuthVerdict)> done) {
  return ask_for(0, std::move(request), std::move(done));
}

std::unique_ptr<ppp::RemoteAuthTicket> RadiusService::ask_for(std::uint64_t connection, ppp::RemoteAuthRequest request,
                                                              std::function<void(ppp::RemoteAuthVerdict)> done) {
  if (connection != 0) authorizations_.erase(connection);  // a new attempt: the old Accept no longer speaks
  if (refuse_) {
    if (auto why = refuse_(request.user_name)) {
      // Refused before any Access-Request leaves: RADIUS never sees a locked-out user's attempts.
      ++refused_locally_;
      ppp::RemoteAuthVerdict v;
      v.outcome = ppp::RemoteAuthVerdict::Outcome::Reject;
      v.reason = *why;
      auto live = std::make_shared<bool>(true);
      // Never from inside ask(): the verdict comes from the loop, as a RADIUS reply would.
      asio::post(socket_.get_executor(), [live, v = std::move(v), done = std::move(done)]() mutable {
        if (*live) done(std::move(v));
      });
      return std::make_unique<LocalTicket>(live);
    }
  }
  const Time now = Clock::now();
  const ppp::AuthMethod method = request.method;
  const radius::RequestId id = client_.submit(build_access_request(request, nas_), now);
  pending_[id] = Pending{connection, method, std::move(done)};
  // The verdict must not arrive from inside ask(): flush sends, and completions come later.
  flush(now);
  return std::make_unique<Ticket>(*this, id, alive_);
}

void RadiusService::cancel(radius::RequestId id) {
  client_.cancel(id);
  pending_.erase(id);
}

void RadiusService::receive_next() {
  std::weak_ptr<bool> alive = alive_;
  socket_.async_receive_from(asio::buffer(rx_), rx_from_, [this, alive](const std::error_code& ec, std::size_t n) {
    if (alive.expired() || ec == asio::error::operation_aborted) return;
    if (!ec) {
      const Time now = Clock::now();
      bool known = false;
      for (std::size_t i = 0; i < auth_endpoints_.size(); ++i) {
        if (rx_from_ == auth_endpoints_[i]) {
          client_.receive(i, radius::Port::Auth, ByteView(rx_.data(), n), now);
          known = true;
          break;
        }
        if (rx_from_ == acct_endpoints_[i]) {
          client_.receive(i, radius::Port::Acct, ByteView(rx_.data(), n), now);
          known = true;
          break;
        }
      }
      if (!known) ++unknown_source_;  // a reply from the wrong source: dropped and counted
      flush(now);
    }
    receive_next();
  });
}

void RadiusService::flush(Time now) {
  for (const radius::Datagram& d : client_.take_output()) {
    const auto& to = d.port == radius::Port::Auth ? auth_endpoints_[d.server] : acct_endpoints_[d.server];
    std::error_code ec;
    socket_.send_to(asio::buffer(d.bytes), to, 0, ec);
    if (ec) spdlog::debug("RADIUS: sending to {}: {}", to.address().to_string(), ec.message());
  }
  for (radius::Completion& c : client_.take_completions()) {
    auto it = pending_.find(c.id);
    if (it == pending_.end()) {
      if (accounting_) accounting_->complete(c, now);
      continue;
    }
    Pending p = std::move(it->second);
    pending_.erase(it);
    if (!c.reply) {
      ++unavailable_;
    } else if (c.reply->code == radius::Code::AccessAccept) {
      ++accepts_;
      if (p.connection != 0) authorizations_[p.connection] = authorization_from_accept(*c.reply);
    } else {
      ++rejects_;
    }
    if (!c.reply) {
      spdlog::warn("RADIUS: no server answered an Access-Request (timeout {} s, {} retries per server)",
                   std::chrono::duration_cast<std::chrono::seconds>(client_.config().timeout).count(),
                   client_.config().retries);
    }
    p.done(verdict_from_reply(c, p.method, relay_reply_message_));
  }
  log_dropped();
  // Accounting may have queued more (a failed Stop is not resent from here, but an Interim may be).
  for (const radius::Datagram& d : client_.take_output()) {
    const auto& to = d.port == radius::Port::Auth ? auth_endpoints_[d.server] : acct_endpoints_[d.server];
    std::error_code ec;
    socket_.send_to(asio::buffer(d.bytes), to, 0, ec);
  }
  std::optional<Time> d = client_.deadline();
  if (accounting_) {
    if (auto a = accounting_->deadline(); a && (!d || *a < *d)) d = a;
  }
  if (d) {
    timer_.arm(*d);
  } else {
    timer_.cancel();
  }
}

void RadiusService::fill(control::RadiusCounters& out) const {
  const radius::ClientCounters& c = client_.counters();
  out.enabled = true;
  out.requests = {{"submitted", c.requests},         {"sent", c.sent},
                  {"retransmissions", c.retransmissions}, {"failovers", c.failovers},
                  {"replies", c.replies},            {"timeouts", c.unanswered},
                  {"access_accepts", accepts_},      {"access_rejects", rejects_},
                  {"access_unanswered", unavailable_}, {"servers_marked_dead", c.servers_marked_dead}};
  out.dropped = {{"malformed", c.dropped_malformed},
                 {"unknown_id", c.dropped_unknown_id},
                 {"bad_authenticator", c.dropped_bad_authenticator},
                 {"wrong_code", c.dropped_wrong_code},
                 {"unknown_source", unknown_source_}};
  if (accounting_) {
    const AccountingCounters& a = accounting_->counters();
    out.accounting = {{"starts", a.starts},       {"interims", a.interims},       {"stops", a.stops},
                      {"ons", a.ons},             {"offs", a.offs},               {"sent", a.sent},
                      {"acknowledged", a.acknowledged}, {"failed", a.failed}, {"stops_requeued", a.stops_requeued},
                      {"stops_dropped", a.stops_dropped}};
    out.stops_queued = accounting_->stops_queued();
  }
  const Time now = Clock::now();
  for (std::size_t i = 0; i < client_.config().servers.size(); ++i)
    out.servers.emplace_back(client_.config().servers[i].name, client_.server_alive(i, now));
}

void RadiusService::log_dropped() {
  if (!accounting_) return;
  for (const std::string& s : accounting_->take_dropped()) spdlog::error("RADIUS accounting Stop dropped: {}", s);
}

void RadiusService::accounting_start(Accounting::Key key, AcctSessionInfo session, std::optional<Duration> interim) {
  if (!accounting_) return;
  const Time now = Clock::now();
  accounting_->start(key, std::move(session), interim, now);
  flush(now);
}

void RadiusService::accounting_stop(Accounting::Key key, const AcctCounters& counters, radius::TerminateCause cause) {
  if (!accounting_) return;
  const Time now = Clock::now();
  accounting_->stop(key, counters, cause, now);
  flush(now);
}

void RadiusService::accounting_on() {
  if (!accounting_) return;
  const Time now = Clock::now();
  accounting_->accounting_on(ids_.run_id(), now);
  flush(now);
}

void RadiusService::accounting_off() {
  if (!accounting_) return;
  const Time now = Clock::now();
  accounting_->accounting_off(ids_.run_id(), now);
  flush(now);
}

void RadiusService::give_up_accounting() {
  if (!accounting_) return;
  accounting_->give_up_all();
  log_dropped();
}

}  // namespace pptpx::server
