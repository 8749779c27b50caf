// The Link with the real authentication machines (StandardAuthFactory, "ppp-auth"): server and
// client back to back for every method, with MPPE keyed from the real MS-CHAP exchange.
#include <gtest/gtest.h>

#include <deque>
#include <map>

#include "auth/mschap.hpp"
#include "ppp/auth_factory_impl.hpp"
#include "ppp/link.hpp"
#include "ppp_test_support.hpp"

namespace pptpx::ppp {
namespace {

struct Out final : LinkOutput {
  std::deque<Bytes>* wire = nullptr;
  std::vector<Bytes> ipv4;
  std::vector<LinkEvent> events;
  void send_frame(PacketBuffer& f) override { wire->emplace_back(f.view().begin(), f.view().end()); }
  void deliver_ipv4(ByteView p) override { ipv4.emplace_back(p.begin(), p.end()); }
  void deliver_ipv6(ByteView) override {}
  void on_event(const LinkEvent& e) override { events.push_back(e); }
};

struct Result {
  std::vector<LinkEvent> server_events, client_events;
  bool delivered = false;
};

Result run(AuthMethod method, bool mppe, const std::string& password) {
  test::RealAuthEnds ends(1, password);
  for (LinkConfig* l : {&ends.server, &ends.client}) {
    l->policy.auth_methods = {method};
    l->policy.allow_encryption = l->policy.require_encryption = mppe;
  }
  std::deque<Bytes> s_to_c, c_to_s;
  Out so, co;
  so.wire = &s_to_c;
  co.wire = &c_to_s;
  Link server(ends.server, ends.server_auth, so), client(ends.client, ends.client_auth, co);
  Time now = Time{} + std::chrono::seconds(5);
  server.start(now);
  client.start(now);
  auto pump = [&] {
    for (int i = 0; i < 10000; ++i) {
      if (!c_to_s.empty()) {
        Bytes f = std::move(c_to_s.front());
        c_to_s.pop_front();
        server.receive_frame(f, now);
      } else if (!s_to_c.empty()) {
        Bytes f = std::move(s_to_c.front());
        s_to_c.pop_front();
        client.receive_frame(f, now);
      } else {
        std::optional<Time> d = server.deadline();
        if (client.deadline() && (!d || *client.deadline() < *d)) d = client.deadline();
        if (!d || *d > Time{} + std::chrono::seconds(60)) return;
        now = *d;
        server.on_timer(now);
        client.on_timer(now);
      }
    }
  };
  pump();
  Result r;
  if (server.is_up() && client.is_up()) {
    Bytes pkt(64, 0x5A);
    pkt[0] = 0x45;
    PacketBuffer b;
    b.assign(pkt);
    client.send_ipv4(b, now);
    pump();
    r.delivered = so.ipv4.size() == 1 && so.ipv4[0] == pkt;
  }
  r.server_events = so.events;
  r.client_events = co.events;
  return r;
}

const LinkEvent* first(const std::vector<LinkEvent>& ev, LinkEvent::Kind k) {
  for (const auto& e : ev) {
    if (e.kind == k) return &e;
  }
  return nullptr;
}

TEST(LinkRealAuth, MsChapV2WithMppe128) {
  Result r = run(AuthMethod::MsChapV2, true, "Tunnel-Lab-7");
  const LinkEvent* up = first(r.server_events, LinkEvent::Kind::Up);
  ASSERT_TRUE(up) << (r.server_events.empty() ? "" : r.server_events.back().reason);
  EXPECT_EQ(up->up.user, "bob");
  EXPECT_EQ(up->up.auth_method, AuthMethod::MsChapV2);
  ASSERT_TRUE(up->up.mppe);
  EXPECT_EQ(up->up.mppe->strength, auth::MppeStrength::Bits128);
  EXPECT_TRUE(r.delivered);  // keys derived on both sides from the real exchange agree
}

TEST(LinkRealAuth, MsChapV1WithMppe128) {
  Result r = run(AuthMethod::MsChapV1, true, "Tunnel-Lab-7");
  ASSERT_TRUE(first(r.server_events, LinkEvent::Kind::Up))
      << (r.server_events.empty() ? "" : r.server_events.back().reason);
  EXPECT_TRUE(r.delivered);
}

TEST(LinkRealAuth, ChapMd5AndPapWithoutMppe) {
  for (AuthMethod m : {AuthMethod::ChapMd5, AuthMethod::Pap}) {
    SCOPED_TRACE(std::string(to_string(m)));
    Result r = run(m, false, "Tunnel-Lab-7");
    ASSERT_TRUE(first(r.server_events, LinkEvent::Kind::Up))
        << (r.server_events.empty() ? "" : r.server_events.back().reason);
    EXPECT_TRUE(r.delivered);
  }
}

TEST(LinkRealAuth, WrongPasswordGoesDownWithAuthReason) {
  Result r = run(AuthMethod::MsChapV2, true, "wrong");
  EXPECT_FALSE(first(r.server_events, LinkEvent::Kind::Up));
  const LinkEvent* down = first(r.server_events, LinkEvent::Kind::Down);
  ASSERT_TRUE(down);
  EXPECT_EQ(down->reason.rfind("authentication failed (MS-CHAPv2)", 0), 0u) << down->reason;
  ASSERT_TRUE(first(r.client_events, LinkEvent::Kind::Down));
}

}  // namespace
}  // namespace pptpx::ppp
