// Two CallLinks (a client and a server PPP link over one PPTP call's GRE channel) joined back to
// back in memory and negotiated up (LCP, MS-CHAPv2, CCP/MPPE, IPCP), so a benchmark can time the
// whole per-packet data path with encryption on:
//   send:    IP packet in a PacketBuffer -> Link (protocol field, MPPE, PPP header) -> GRE header
//            in the headroom -> CallOutput::send_gre (here: kept as a view, not copied)
//   receive: GRE packet -> GreChannel (decode, window) -> copy into the scratch buffer -> Link
//            (MPPE decrypt, protocol) -> CallOutput::deliver_ipv4 (here: counted)
// While negotiating, packets are queued and copied (that part is not timed); once up, `capture`
// mode keeps only the last GRE packet each side sent, without copying.
#pragma once
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "auth/mschap.hpp"
#include "ppp/auth_factory_impl.hpp"
#include "session/call_link.hpp"
#include "support/map_credential_store.hpp"

namespace pptpx::bench {

struct LinkPairOptions {
  bool stateless = true;
  auth::MppeStrength strength = auth::MppeStrength::Bits128;
  std::uint16_t mru = 1500;  // so a 1400-octet IP packet fits after the MPPE overhead
};

class LinkPair {
 public:
  static constexpr std::uint16_t kClientCall = 0x1111, kServerCall = 0x2222;

  explicit LinkPair(LinkPairOptions o) {
    store_.add("bob", "Tunnel-Lab-7");
    ppp::AuthConfig sa;
    sa.authenticator.credentials = &store_;
    server_auth_ = std::make_unique<ppp::StandardAuthFactory>(sa);
    ppp::AuthConfig ca;
    ca.peer.user_name = "bob";
    ca.peer.password = "Tunnel-Lab-7";
    client_auth_ = std::make_unique<ppp::StandardAuthFactory>(ca);

    ppp::Policy policy;
    policy.mppe_strengths = {o.strength};
    policy.allow_stateless = o.stateless;
    policy.allow_stateful = !o.stateless;
    ppp::LinkConfig s;
    s.role = ppp::LinkRole::Server;
    s.policy = policy;
    s.lcp.mru = o.mru;
    s.lcp.echo_interval = Duration::zero();
    s.ipcp.local_address = 0xC6336401;  // 198.51.100.1
    s.ipcp.peer_address = 0xC633640A;   // 198.51.100.10
    ppp::LinkConfig c = s;
    c.role = ppp::LinkRole::Client;
    c.ipcp = {};
    server_out_.peer = &to_client_;
    client_out_.peer = &to_server_;
    server_ = std::make_unique<session::CallLink>(kServerCall, kClientCall, s, pptp::GreWindowConfig{},
                                                  *server_auth_, server_out_);
    client_ = std::make_unique<session::CallLink>(kClientCall, kServerCall, c, pptp::GreWindowConfig{},
                                                  *client_auth_, client_out_);
    server_->start(now_);
    client_->start(now_);
    for (int i = 0; i < 100000 && !(server_out_.up && client_out_.up); ++i) {
      if (!to_server_.empty()) {
        Bytes p = std::move(to_server_.front());
        to_server_.pop_front();
        server_->receive_gre(p, now_);
      } else if (!to_client_.empty()) {
        Bytes p = std::move(to_client_.front());
        to_client_.pop_front();
        client_->receive_gre(p, now_);
      } else {
        auto a = server_->deadline(), b = client_->deadline();
        if (!a && !b) break;
        now_ = std::max(now_, std::min(a.value_or(Time::max()), b.value_or(Time::max())));
        server_->on_timer(now_);
        client_->on_timer(now_);
      }
    }
    if (!(server_out_.up && client_out_.up)) throw std::runtime_error("link pair did not come up");
    server_out_.capture = client_out_.capture = true;
    to_server_.clear();
    to_client_.clear();
  }

  session::CallLink& server() { return *server_; }
  session::CallLink& client() { return *client_; }
  Time now() const { return now_; }
  // The last GRE packet the side sent (capture mode): a view into its PacketBuffer.
  MutableByteView client_sent() const { return client_out_.last; }
  MutableByteView server_sent() const { return server_out_.last; }
  std::uint64_t client_delivered_octets() const { return client_out_.delivered_octets; }
  std::uint64_t server_delivered_octets() const { return server_out_.delivered_octets; }

 private:
  struct Output final : session::CallOutput {
    std::deque<Bytes>* peer = nullptr;
    bool capture = false, up = false;
    MutableByteView last;
    std::uint64_t delivered_octets = 0;
    void send_gre(std::uint16_t, MutableByteView packet) override {
      if (capture) {
        last = packet;
      } else {
        peer->emplace_back(packet.begin(), packet.end());
      }
    }
    void deliver_ipv4(std::uint16_t, ByteView packet) override { delivered_octets += packet.size(); }
    void deliver_ipv6(std::uint16_t, ByteView packet) override { delivered_octets += packet.size(); }
    void link_event(std::uint16_t, const ppp::LinkEvent& e) override {
      if (e.kind == ppp::LinkEvent::Kind::Up) up = true;
    }
  };

  test::MapCredentialStore store_;
  std::unique_ptr<ppp::StandardAuthFactory> server_auth_, client_auth_;
  std::deque<Bytes> to_server_, to_client_;
  Output server_out_, client_out_;
  Time now_{};
  std::unique_ptr<session::CallLink> server_, client_;
};

}  // namespace pptpx::bench
