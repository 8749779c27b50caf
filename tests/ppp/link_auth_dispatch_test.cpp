// Which authentication machine a PAP/CHAP packet goes to (ppp::auth_packet_role, as Link::dispatch
// uses it): by Code, RFC 1994 §4.1/§4.2 (Challenge, Success, Failure to the peer; Response to the
// authenticator) and RFC 1334 §2.2 (Request to the authenticator; Ack, Nak to the peer).
//
// Our LCP never agrees to mutual authentication (an authenticator Rejects the peer's
// Auth-Protocol option, lcp.cpp), so a real Link holds one machine at most. Hence two tests:
//  - Link level: mid-CHAP, a server Link drops a Challenge sent to it (it has no peer machine)
//    instead of feeding it to its authenticator, a client drops a Response likewise, and the
//    exchange still completes.
//  - Mutual CHAP: two sides that each run an authenticator and a peer on CHAP, every packet routed
//    only by auth_packet_role, as Link::dispatch would: all four machines succeed.
#include <gtest/gtest.h>

#include <deque>

#include "auth_test_harness.hpp"
#include "ppp/auth_factory_impl.hpp"
#include "ppp/frame.hpp"
#include "ppp/link.hpp"
#include "ppp_test_support.hpp"
#include "support/map_credential_store.hpp"  // MutualSide

namespace pptpx::ppp {
namespace {

struct QueueOut final : LinkOutput {
  std::deque<Bytes>* wire = nullptr;
  std::vector<LinkEvent> events;
  void send_frame(PacketBuffer& f) override { wire->emplace_back(f.view().begin(), f.view().end()); }
  void deliver_ipv4(ByteView) override {}
  void deliver_ipv6(ByteView) override {}
  void on_event(const LinkEvent& e) override { events.push_back(e); }
};

// The CHAP Code of a frame, if it is a CHAP frame.
std::optional<std::uint8_t> chap_code(const Bytes& frame) {
  const FrameHeader h = parse_frame_header(frame);
  if (h.error != FrameError::Ok || h.protocol != 0xC223 || frame.size() <= h.header_size) {
    return std::nullopt;
  }
  return frame[h.header_size];
}

TEST(LinkAuthDispatch, ChallengeToAnAuthenticatorAndResponseToAPeerAreDropped) {
  test::RealAuthEnds ends(11);
  for (LinkConfig* l : {&ends.server, &ends.client}) {
    l->policy.auth_methods = {AuthMethod::ChapMd5};
    l->policy.allow_encryption = l->policy.require_encryption = false;
  }
  std::deque<Bytes> s_to_c, c_to_s;
  QueueOut so, co;
  so.wire = &s_to_c;
  co.wire = &c_to_s;
  Link server(ends.server, ends.server_auth, so), client(ends.client, ends.client_auth, co);
  const Time now = Time{} + std::chrono::seconds(5);
  server.start(now);
  client.start(now);

  bool challenge_bounced = false, response_bounced = false;
  for (int i = 0; i < 1000 && (!s_to_c.empty() || !c_to_s.empty()); ++i) {
    const bool from_server = !s_to_c.empty();
    std::deque<Bytes>& q = from_server ? s_to_c : c_to_s;
    Bytes f = std::move(q.front());
    q.pop_front();
    const auto code = chap_code(f);
    if (from_server && code == 1 && !challenge_bounced) {
      // The server's own Challenge, sent back to it: a peer-role packet, and the server has no
      // peer machine. Before role dispatch it went to the authenticator (the one CHAP machine).
      ASSERT_EQ(server.phase(), LinkPhase::Authenticate);
      const auto before = server.counters().dropped_wrong_phase;
      Bytes echo = f;
      server.receive_frame(echo, now);
      EXPECT_EQ(server.counters().dropped_wrong_phase, before + 1);
      challenge_bounced = true;
    }
    if (!from_server && code == 2 && !response_bounced) {
      // The client's Response, sent back to it: for an authenticator, which the client lacks.
      ASSERT_EQ(client.phase(), LinkPhase::Authenticate);
      const auto before = client.counters().dropped_wrong_phase;
      Bytes echo = f;
      client.receive_frame(echo, now);
      EXPECT_EQ(client.counters().dropped_wrong_phase, before + 1);
      response_bounced = true;
    }
    (from_server ? client : server).receive_frame(f, now);
  }
  EXPECT_TRUE(challenge_bounced);
  EXPECT_TRUE(response_bounced);
  ASSERT_TRUE(server.is_up()) << (so.events.empty() ? "" : so.events.back().reason);
  ASSERT_TRUE(client.is_up());
  ASSERT_FALSE(so.events.empty());
  EXPECT_EQ(so.events.front().kind, LinkEvent::Kind::Up);
  EXPECT_EQ(so.events.front().up.user, "bob");
  EXPECT_EQ(so.events.front().up.auth_method, AuthMethod::ChapMd5);
}

// One side of a mutual authentication: it checks the other side's user and proves its own, both
// machines sending through one sink (as both send through one Link).
struct MutualSide {
  MutualSide(AuthMethod method, const std::string& own_user, const std::string& own_password,
             const std::string& other_user, const std::string& other_password) {
    store.add(other_user, other_password);
    AuthConfig cfg;
    cfg.authenticator.credentials = &store;
    cfg.peer.user_name = own_user;
    cfg.peer.password = own_password;
    cfg.random = &random;
    authenticator = make_auth_machine(method, AuthRole::Authenticator, cfg, out);
    peer = make_auth_machine(method, AuthRole::Peer, cfg, out);
  }
  AuthMachine& machine_for(AuthRole r) { return r == AuthRole::Authenticator ? *authenticator : *peer; }

  pptpx::test::MapCredentialStore store;
  authtest::ScriptedRandom random;
  authtest::RecordingSink out;
  std::unique_ptr<AuthMachine> authenticator, peer;
  std::size_t delivered = 0;
};

TEST(LinkAuthDispatch, MutualChapRoutesEachPacketByCode) {
  for (AuthMethod method : {AuthMethod::ChapMd5, AuthMethod::MsChapV1, AuthMethod::MsChapV2}) {
    SCOPED_TRACE(std::string(to_string(method)));
    MutualSide a(method, "alice", "alice-pw", "bob", "Tunnel-Lab-7");
    MutualSide b(method, "bob", "Tunnel-Lab-7", "alice", "alice-pw");
    const Time now = Time{} + std::chrono::seconds(1);
    for (MutualSide* side : {&a, &b}) {
      side->authenticator->start(now);
      side->peer->start(now);
    }
    int to_authenticator = 0, to_peer = 0;
    for (int guard = 0; guard < 100; ++guard) {
      bool moved = false;
      for (auto [from, to] : {std::pair{&a, &b}, std::pair{&b, &a}}) {
        while (from->delivered < from->out.frames.size()) {
          const Bytes info = from->out.frames[from->delivered++].information;
          const auto role = auth_packet_role(Protocol::Chap, info);
          ASSERT_TRUE(role.has_value());
          ++(*role == AuthRole::Authenticator ? to_authenticator : to_peer);
          to->machine_for(*role).receive(info, now);
          moved = true;
        }
      }
      if (!moved) break;
    }
    for (MutualSide* side : {&a, &b}) {
      EXPECT_EQ(side->authenticator->status(), AuthStatus::Succeeded)
          << side->authenticator->result().failure_reason;
      EXPECT_EQ(side->peer->status(), AuthStatus::Succeeded) << side->peer->result().failure_reason;
    }
    EXPECT_EQ(a.authenticator->result().user_name, "bob");
    EXPECT_EQ(b.authenticator->result().user_name, "alice");
    // Each way: one Response to an authenticator; a Challenge and a Success to a peer.
    EXPECT_EQ(to_authenticator, 2);
    EXPECT_EQ(to_peer, 4);
  }
}

}  // namespace
}  // namespace pptpx::ppp
