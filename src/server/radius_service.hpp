// The RADIUS client shell: one non-blocking UDP socket and one deadline timer on the server's
// Asio loop around the sans-I/O radius::Client, and the ppp::RemoteVerifier the authenticators
// ask. Nothing here blocks: while RADIUS thinks, other sessions keep setting up and passing
// traffic.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <asio.hpp>

#include "control/snapshot.hpp"
#include "net/event_loop.hpp"
#include "ppp/auth_factory.hpp"
#include "ppp/auth_factory_impl.hpp"
#include "ppp/auth_remote.hpp"
#include "radius/client.hpp"
#include "server/config.hpp"
#include "server/radius_accounting.hpp"
#include "server/radius_auth.hpp"
#include "server/radius_authorization.hpp"

namespace pptpx::server {

class RadiusService final : public ppp::RemoteVerifier {
 public:
  // nullptr with `why` (one sentence) when a secret_file cannot be read or the socket cannot be
  // opened. `base` is the authenticators' configuration (credentials for the fallback).
  static std::unique_ptr<RadiusService> make(asio::io_context& io, const Config& config, ppp::AuthConfig base,
                                             std::string& why);
  ~RadiusService() override;

  std::unique_ptr<ppp::RemoteAuthTicket> ask(ppp::RemoteAuthRequest request,
                                             std::function<void(ppp::RemoteAuthVerdict)> done) override;

  // The authentication factory for one connection: its authenticators ask this service, and
  // `wake` runs (it should post to the loop) when a verdict for them has arrived.
  ppp::AuthFactory& factory_for(std::uint64_t connection, std::function<void()> wake);
  void forget(std::uint64_t connection);
  // What the last Access-Accept for `connection` said (nullptr: none, e.g. the secrets file
  // decided). Kept until forget().
  const RadiusAuthorization* authorization(std::uint64_t connection) const;

  // Accounting (radius_accounting.hpp); all no-ops when it is off.
  bool accounting_enabled() const { return accounting_ != nullptr; }
  // The traffic of a session by its key, for Interim-Updates.
  void set_counters_provider(Accounting::CountersOf f) { counters_of_ = std::move(f); }
  std::string new_session_id() { return ids_.next(); }
  // A Start was made for `key` and no Stop yet.
  bool accounting_open(Accounting::Key key) const { return accounting_ && accounting_->started(key); }
  void accounting_start(Accounting::Key key, AcctSessionInfo session, std::optional<Duration> interim);
  void accounting_stop(Accounting::Key key, const AcctCounters& counters, radius::TerminateCause cause);
  void accounting_on();
  void accounting_off();
  // Nothing of accounting still waits for a server (the daemon's exit waits for this, bounded).
  bool accounting_settled() const { return !accounting_ || accounting_->in_flight() == 0; }
  // At exit: Stops not acknowledged are logged with their contents.
  void give_up_accounting();
  const Accounting* accounting() const { return accounting_.get(); }
  bool server_alive(std::size_t i) const { return client_.server_alive(i, Clock::now()); }
  const radius::ClientConfig& client_config() const { return client_.config(); }

  // Asked before every Access-Request: a reason (for the log) refuses the user without asking
  // RADIUS, e.g. a user locked out by [limits.auth_lockout]; nullopt asks.
  void set_local_refusal(std::function<std::optional<std::string>(const std::string& user)> refuse) {
    refuse_ = std::move(refuse);
  }
  std::uint64_t refused_locally() const { return refused_locally_; }

  const radius::ClientCounters& counters() const { return client_.counters(); }
  // For `pptpx ctl stats` and /metrics.
  void fill(control::RadiusCounters& out) const;
  std::uint64_t dropped_unknown_source() const { return unknown_source_; }
  // The longest an authenticator may wait: every server, every retransmission, and a margin.
  Duration verdict_bound() const;
  void cancel(radius::RequestId id);

 private:
  RadiusService(asio::io_context& io, radius::ClientConfig client, NasIdentity nas, ppp::AuthConfig base);
  std::unique_ptr<ppp::RemoteAuthTicket> ask_for(std::uint64_t connection, ppp::RemoteAuthRequest request,
                                                 std::function<void(ppp::RemoteAuthVerdict)> done);
  void log_dropped();
  void receive_next();
  void flush(Time now);

  struct Pending {
    std::uint64_t connection = 0;
    ppp::AuthMethod method;
    std::function<void(ppp::RemoteAuthVerdict)> done;
  };
  class ConnectionAuth;

  radius::Client client_;
  NasIdentity nas_;
  ppp::AuthConfig base_;
  asio::ip::udp::socket socket_;
  net::DeadlineTimer timer_;
  std::vector<asio::ip::udp::endpoint> auth_endpoints_, acct_endpoints_;
  std::array<std::uint8_t, radius::kMaxPacket> rx_{};
  asio::ip::udp::endpoint rx_from_;
  std::map<radius::RequestId, Pending> pending_;
  std::map<std::uint64_t, std::unique_ptr<ConnectionAuth>> connections_;
  std::uint64_t unknown_source_ = 0;
  std::uint64_t accepts_ = 0, rejects_ = 0, unavailable_ = 0;
  std::map<std::uint64_t, RadiusAuthorization> authorizations_;
  Accounting::CountersOf counters_of_;
  std::unique_ptr<Accounting> accounting_;
  AcctSessionIds ids_;
  bool relay_reply_message_ = false;  // [radius] reply_message_to_client
  std::function<std::optional<std::string>(const std::string&)> refuse_;
  std::uint64_t refused_locally_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace pptpx::server
