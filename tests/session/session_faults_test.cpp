// Sessions over a hostile wire and with mismatched settings: the link still comes up through
// 5% loss, reordering and duplication; stateful MPPE resynchronises with CCP Reset-Requests;
// stateless keeps going; nothing is delivered corrupted; every refusal names its reason.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "session/session_pair.hpp"

namespace pptpx::test {
namespace {

using auth::MppeStrength;
using ppp::AuthMethod;
using session::SessionEvent;

ppp::Policy mppe_policy(bool stateless) {
  ppp::Policy p;  // defaults: MS-CHAPv2, MPPE-128 required
  p.allow_stateless = stateless;
  p.allow_stateful = !stateless;
  return p;
}

std::string as_key(const Bytes& b) { return std::string(b.begin(), b.end()); }

WireFaults lossy(std::uint64_t seed) {
  WireFaults f;
  f.drop = 0.05;
  f.reorder = 0.05;
  f.duplicate = 0.05;
  f.seed = seed;
  return f;
}

struct LossyResult {
  std::size_t sent = 0, received = 0;
  std::uint64_t reset_requests = 0;
  std::size_t clean_sent = 0, clean_received = 0;  // after the wire is repaired
};

// Sends `n` packets each way over a lossy wire; checks every delivered packet is one that was
// sent, unmodified, and none twice.
LossyResult run_lossy(bool stateless, std::uint64_t seed) {
  PairOptions o;
  o.server_policy = mppe_policy(stateless);
  o.client_policy = mppe_policy(stateless);
  o.c2s_gre = lossy(seed);
  o.s2c_gre = lossy(seed + 1);
  SessionPair pair(o);
  pair.start();
  EXPECT_TRUE(pair.run_until([&] { return pair.both_up(); }, std::chrono::seconds(120)));
  if (!pair.both_up()) return {};
  // Packets are kept as strings: g++ 12 at -O3 flags std::set<std::vector<uint8_t>>'s
  // comparison with a false -Wstringop-overread.
  std::set<std::string> sent_c2s, sent_s2c;
  LossyResult r;
  for (std::uint32_t i = 0; i < 2000; ++i) {
    Bytes a = make_ipv4_packet(0xC633640A, 0xCB007102, i, 60 + (i * 31) % 1300);
    Bytes b = make_ipv4_packet(0xCB007102, 0xC633640A, 100000 + i, 60 + (i * 17) % 1300);
    pair.client_send(a);
    pair.server_send(b);
    sent_c2s.insert(as_key(a));
    sent_s2c.insert(as_key(b));
    r.sent += 2;
    pair.run_for(std::chrono::microseconds(200));
  }
  pair.run_for(std::chrono::seconds(2));
  // Repair the wire: whatever state the lossy phase left, traffic must now flow completely.
  const std::size_t before_c = pair.client_out().ipv4.size(), before_s = pair.server_out().ipv4.size();
  pair.c2s_gre().set_faults(WireFaults{});
  pair.s2c_gre().set_faults(WireFaults{});
  for (std::uint32_t i = 0; i < 50; ++i) {
    Bytes a = make_ipv4_packet(0xC633640A, 0xCB007102, 50000 + i, 100 + i);
    Bytes b = make_ipv4_packet(0xCB007102, 0xC633640A, 150000 + i, 100 + i);
    pair.client_send(a);
    pair.server_send(b);
    sent_c2s.insert(as_key(a));
    sent_s2c.insert(as_key(b));
    r.clean_sent += 2;
    pair.run_for(std::chrono::milliseconds(1));
  }
  pair.run_for(std::chrono::seconds(1));
  r.clean_received = (pair.client_out().ipv4.size() - before_c) + (pair.server_out().ipv4.size() - before_s);
  std::set<std::string> seen;
  for (const auto& p : pair.server_out().ipv4) {
    EXPECT_TRUE(sent_c2s.count(as_key(p))) << "server received a packet the client never sent (corrupted)";
    EXPECT_TRUE(seen.insert(as_key(p)).second) << "duplicate delivered";
  }
  for (const auto& p : pair.client_out().ipv4) {
    EXPECT_TRUE(sent_s2c.count(as_key(p))) << "client received a packet the server never sent (corrupted)";
    EXPECT_TRUE(seen.insert(as_key(p)).second) << "duplicate delivered";
  }
  r.received = seen.size();
  const auto* sc = pair.server().call(pair.server_call());
  const auto* cc = pair.client().call(pair.client_call());
  if (sc && cc) r.reset_requests = sc->link().counters().reset_requests_sent + cc->link().counters().reset_requests_sent;
  return r;
}

TEST(SessionLossyWire, StatelessMppeKeepsGoingThroughLossReorderAndDuplication) {
  LossyResult r = run_lossy(true, 7);
  // 5% loss each way (and reordering beyond the 4-slot window, which also costs packets): most
  // packets arrive; stateless MPPE needs no resynchronisation.
  EXPECT_GT(r.received, r.sent * 80 / 100) << r.received << " of " << r.sent;
  EXPECT_EQ(r.reset_requests, 0u);
  EXPECT_EQ(r.clean_received, r.clean_sent);
}

TEST(SessionLossyWire, StatefulMppeResynchronisesWithResetRequests) {
  LossyResult r = run_lossy(false, 11);
  // Stateful mode discards everything from a loss until the sender's FLUSHED answer arrives
  // (about one round trip of packets), so fewer arrive; but it resynchronises every time, and
  // once the wire is repaired every packet arrives.
  EXPECT_GT(r.reset_requests, 10u);
  EXPECT_GT(r.received, r.sent / 4) << r.received << " of " << r.sent;
  EXPECT_EQ(r.clean_received, r.clean_sent);
}

std::string down_reason(SessionPair& pair, bool client) {
  const auto& ev = client ? pair.client_out().events : pair.server_out().events;
  for (const auto& e : ev)
    if (e.kind == SessionEvent::Kind::LinkDown) return e.reason;
  return "(no LinkDown)";
}

TEST(SessionRefusals, WrongPasswordFailsWithE691OnTheClient) {
  PairOptions o;
  o.password = "not-the-password";
  SessionPair pair(o);
  pair.start();
  ASSERT_TRUE(pair.run_until([&] { return pair.client().closed() && pair.server().closed(); }, std::chrono::seconds(60)));
  EXPECT_FALSE(pair.both_up());
  EXPECT_NE(down_reason(pair, true).find("691"), std::string::npos) << down_reason(pair, true);
  EXPECT_NE(down_reason(pair, false).find("bob"), std::string::npos) << down_reason(pair, false);
  EXPECT_EQ(pair.hooks().finished, 1);
}

TEST(SessionRefusals, Peer40BitOnlyAgainst128BitPolicyNamesBothStrengths) {
  PairOptions o;
  o.client_policy.mppe_strengths = {MppeStrength::Bits40};
  SessionPair pair(o);
  pair.start();
  ASSERT_TRUE(pair.run_until([&] { return pair.client().closed() && pair.server().closed(); }, std::chrono::seconds(120)));
  std::string why = down_reason(pair, false);
  EXPECT_NE(why.find("40-bit"), std::string::npos) << why;
  EXPECT_NE(why.find("128-bit"), std::string::npos) << why;
}

TEST(SessionRefusals, ClientRefusingMppeAgainstRequiredEncryption) {
  PairOptions o;
  o.client_policy.allow_encryption = false;
  o.client_policy.require_encryption = false;
  SessionPair pair(o);
  pair.start();
  ASSERT_TRUE(pair.run_until([&] { return pair.client().closed() && pair.server().closed(); }, std::chrono::seconds(120)));
  EXPECT_FALSE(pair.both_up());
  std::string why = down_reason(pair, false);
  EXPECT_NE(why.find("encryption"), std::string::npos) << why;
}

TEST(SessionRefusals, NoCommonAuthenticationMethod) {
  PairOptions o;
  o.client_policy.auth_methods = {AuthMethod::Pap};
  o.client_policy.allow_encryption = false;
  o.client_policy.require_encryption = false;
  SessionPair pair(o);
  pair.start();
  ASSERT_TRUE(pair.run_until([&] { return pair.client().closed() && pair.server().closed(); }, std::chrono::seconds(120)));
  EXPECT_FALSE(pair.both_up());
  std::string why = down_reason(pair, false) + " / " + down_reason(pair, true);
  EXPECT_NE(why.find("MS-CHAPv2"), std::string::npos) << why;
}

TEST(SessionTeardown, ServerStopTakesTheClientDownWithAReason) {
  SessionPair pair(PairOptions{});
  pair.start();
  ASSERT_TRUE(pair.run_until([&] { return pair.both_up(); }, std::chrono::seconds(30)));
  pair.server().stop("server shutting down", pair.now());
  ASSERT_TRUE(pair.run_until([&] { return pair.client().closed() && pair.server().closed(); }, std::chrono::seconds(90)));
  EXPECT_NE(pair.client_out().find(SessionEvent::Kind::LinkDown), nullptr);
  EXPECT_NE(pair.client_out().find(SessionEvent::Kind::Closed), nullptr);
}

TEST(SessionTeardown, SilentPeerIsDetectedByKeepalives) {
  SessionPair pair(PairOptions{});
  pair.start();
  ASSERT_TRUE(pair.run_until([&] { return pair.both_up(); }, std::chrono::seconds(30)));
  // The client vanishes: every packet from it is lost from now on, and TCP goes quiet too
  // (we simply stop feeding the server anything from the client).
  WireFaults dead;
  dead.drop = 1.0;
  pair.c2s_gre().set_faults(dead);
  pair.client().on_transport_closed(pair.now());  // client side gives up its TCP silently
  ASSERT_TRUE(pair.run_until([&] { return pair.server_out().find(SessionEvent::Kind::LinkDown) != nullptr; },
                             std::chrono::minutes(5)));
  std::string why = down_reason(pair, false);
  EXPECT_FALSE(why.empty());
}

}  // namespace
}  // namespace pptpx::test
