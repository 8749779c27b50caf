// Control connection state machine in both roles under a fake clock (RFC 2637 §3.1).
#include <gtest/gtest.h>

#include "pptp/control_codec.hpp"
#include "pptp/control_connection.hpp"
#include "support/hex_literal.hpp"
#include "pptp_peers.hpp"

namespace pptpx::pptp {
namespace {

using test::hex;
using test::PeerPair;

TEST(ControlConnection, PnsOriginatesPacAnswersEstablished) {
  PeerPair p;
  p.start();
  EXPECT_EQ(p.pns.state(), ControlState::Established);
  EXPECT_EQ(p.pac.state(), ControlState::Established);
  auto pns_est = test::only<Established>(p.pns_events);
  auto pac_est = test::only<Established>(p.pac_events);
  ASSERT_EQ(pns_est.size(), 1u);
  ASSERT_EQ(pac_est.size(), 1u);
  EXPECT_EQ(pns_est[0].peer_host_name, "pac-host");
  EXPECT_EQ(pac_est[0].peer_host_name, "pns-host");
  EXPECT_EQ(pac_est[0].peer_protocol_version, 0x0100);
}

TEST(ControlConnection, PacRefusesOldProtocolVersion) {
  test::Single s(Role::Pac, false);
  // §2.1 SCCRQ with Protocol Version 0x0001 (older than 1.0), hand-built.
  Bytes sccrq = hex("009c 0001 1a2b3c4d 0001 0000 0001 0000 00000001 00000001 0000 0000");
  sccrq.resize(156, 0);
  s.conn.receive(sccrq, s.now);
  auto out = test::decode_all(s.conn.take_output());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(std::get<StartControlConnectionReply>(out[0]).result_code, 5);
  EXPECT_TRUE(s.conn.closed());
  auto closed = test::only<Closed>(s.conn.take_events());
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_NE(closed[0].reason.find("not supported"), std::string::npos) << closed[0].reason;
}

TEST(ControlConnection, PnsStopsOnRefusedStartReply) {
  test::Single s(Role::Pns, true);
  s.conn.take_output();
  StartControlConnectionReply rp;
  rp.result_code = 4;  // not authorized
  s.conn.receive(encode(rp), s.now);
  auto closed = test::only<Closed>(s.conn.take_events());
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_NE(closed[0].reason.find("requester not authorized"), std::string::npos)
      << closed[0].reason;
}

TEST(ControlConnection, SetupTimeoutWaitingForRequest) {
  test::Single s(Role::Pac, false);
  ASSERT_TRUE(s.conn.deadline().has_value());
  EXPECT_EQ(*s.conn.deadline(), s.now + 60s);
  s.conn.on_timer(s.now + 59s);
  EXPECT_FALSE(s.conn.closed());
  s.conn.on_timer(s.now + 60s);
  EXPECT_TRUE(s.conn.closed());
  auto closed = test::only<Closed>(s.conn.take_events());
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_NE(closed[0].reason.find("no Start-Control-Connection-Request"), std::string::npos);
}

TEST(ControlConnection, SetupTimeoutWaitingForReplyIsConfigurable) {
  ControlConfig c;
  c.role = Role::Pns;
  c.originate = true;
  c.setup_timeout = 5s;
  SequentialCallIdAllocator ids;
  ControlConnection conn(c, ids);
  Time t0 = Time{} + 100s;
  conn.start(t0);
  conn.on_timer(t0 + 5s);
  auto closed = test::only<Closed>(conn.take_events());
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_NE(closed[0].reason.find("no Start-Control-Connection-Reply within 5 s"),
            std::string::npos)
      << closed[0].reason;
}

TEST(ControlConnection, EchoKeepaliveAnsweredKeepsConnection) {
  PeerPair p;
  p.start();
  const Time t = p.now;
  EXPECT_EQ(*p.pns.deadline(), t + 60s);  // §3.1.4: 60 s without a message
  p.pns.on_timer(t + 60s);
  auto out = test::decode_all(p.pns.take_output());
  ASSERT_EQ(out.size(), 1u);
  const auto id = std::get<EchoRequest>(out[0]).identifier;
  p.pac.receive(encode(out[0]), t + 60s);
  auto reply = test::decode_all(p.pac.take_output());
  ASSERT_EQ(reply.size(), 1u);
  EXPECT_EQ(std::get<EchoReply>(reply[0]).identifier, id);
  EXPECT_EQ(std::get<EchoReply>(reply[0]).result_code, 1);
  p.pns.receive(encode(reply[0]), t + 61s);
  p.pns.on_timer(t + 120s);  // reply came: not a timeout, the next echo is due at 121 s
  EXPECT_FALSE(p.pns.closed());
  EXPECT_TRUE(p.pns.take_output().empty());
  EXPECT_EQ(*p.pns.deadline(), t + 121s);
}

TEST(ControlConnection, EchoUnansweredClosesWithReasonAndDropsCalls) {
  PeerPair p;
  p.start();
  p.pns.place_outgoing_call({}, p.now);
  p.pump();
  p.pns_events.clear();
  const Time t = p.now;
  p.pns.on_timer(t + 60s);
  ASSERT_EQ(p.pns.counters().echo_requests_sent, 1u);
  p.pns.take_output();  // lost
  EXPECT_EQ(*p.pns.deadline(), t + 120s);
  p.pns.on_timer(t + 119s);
  EXPECT_FALSE(p.pns.closed());
  p.pns.on_timer(t + 120s);
  EXPECT_TRUE(p.pns.closed());
  auto ev = p.pns.take_events();
  ASSERT_EQ(ev.size(), 2u);
  ASSERT_TRUE(std::holds_alternative<CallDown>(ev[0]));  // calls go down before Closed
  EXPECT_TRUE(std::get<CallDown>(ev[0]).was_up);
  ASSERT_TRUE(std::holds_alternative<Closed>(ev[1]));
  EXPECT_NE(std::get<Closed>(ev[1]).reason.find("no Echo-Reply within 60 s"), std::string::npos);
  EXPECT_EQ(p.pns_ids.used(), 0u);
}

TEST(ControlConnection, EchoIntervalIsConfigurable) {
  PeerPair p([](ControlConfig& pns, ControlConfig&) {
    pns.echo_interval = 10s;
    pns.echo_reply_timeout = 3s;
  });
  p.start();
  p.pns.on_timer(p.now + 10s);
  EXPECT_EQ(p.pns.counters().echo_requests_sent, 1u);
  p.pns.on_timer(p.now + 13s);
  EXPECT_TRUE(p.pns.closed());
}

TEST(ControlConnection, AnyReceivedMessagePostponesEcho) {
  PeerPair p;
  p.start();
  p.pac.on_timer(p.now + 50s);  // nothing yet
  p.pns.receive(encode(EchoRequest{77}), p.now + 50s);
  p.pns.take_output();
  EXPECT_EQ(*p.pns.deadline(), p.now + 110s);
}

TEST(ControlConnection, OrderlyStopBothSides) {
  PeerPair p;
  p.start();
  p.pns.place_outgoing_call({}, p.now);
  p.pump();
  p.pns_events.clear();
  p.pac_events.clear();
  p.pns.stop(StopReason::LocalShutdown, "user asked", p.now);
  EXPECT_EQ(p.pns.state(), ControlState::WaitStopReply);
  p.pump();
  EXPECT_TRUE(p.pns.closed());
  EXPECT_TRUE(p.pac.closed());
  auto pns_closed = test::only<Closed>(p.pns_events);
  auto pac_closed = test::only<Closed>(p.pac_events);
  ASSERT_EQ(pns_closed.size(), 1u);
  ASSERT_EQ(pac_closed.size(), 1u);
  EXPECT_TRUE(pns_closed[0].orderly);
  EXPECT_NE(pac_closed[0].reason.find("local shutdown"), std::string::npos);
  EXPECT_EQ(test::only<CallDown>(p.pns_events).size(), 1u);
  EXPECT_EQ(test::only<CallDown>(p.pac_events).size(), 1u);
  EXPECT_EQ(p.pns_ids.used(), 0u);
  EXPECT_EQ(p.pac_ids.used(), 0u);
}

TEST(ControlConnection, StopReplyTimeout) {
  PeerPair p([](ControlConfig& pns, ControlConfig&) { pns.stop_timeout = 2s; });
  p.start();
  p.pns.stop(StopReason::None, "bye", p.now);
  p.pns.take_output();  // never delivered
  EXPECT_EQ(*p.pns.deadline(), p.now + 2s);
  p.pns.on_timer(p.now + 2s);
  auto closed = test::only<Closed>(p.pns.take_events());
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_FALSE(closed[0].orderly);
  EXPECT_NE(closed[0].reason.find("no Stop-Control-Connection-Reply"), std::string::npos);
}

TEST(ControlConnection, MessageBeforeEstablishedCloses) {
  test::Single s(Role::Pac, false);
  s.conn.receive(encode(OutgoingCallRequest{}), s.now);
  EXPECT_TRUE(s.conn.closed());
  auto closed = test::only<Closed>(s.conn.take_events());
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_NE(closed[0].reason.find("Outgoing-Call-Request received before"), std::string::npos);
}

TEST(ControlConnection, MalformedMessageCloses) {
  PeerPair p;
  p.start();
  p.pac.receive(hex("0010 0001 1a2b3c4e 0005 0000 00000001"), p.now);  // bad cookie
  EXPECT_TRUE(p.pac.closed());
  auto closed = test::only<Closed>(p.pac.take_events());
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_NE(closed[0].reason.find("malformed control message: magic cookie"), std::string::npos);
}

TEST(ControlConnection, AbsurdStreamLengthCloses) {
  PeerPair p;
  p.start();
  p.pac.receive(hex("ffff 0001 1a2b3c4d"), p.now);
  EXPECT_TRUE(p.pac.closed());
}

TEST(ControlConnection, WrongRoleAndStateMessagesAreDroppedAndCounted) {
  PeerPair p;
  p.start();
  p.pac.receive(encode(OutgoingCallReply{}), p.now);       // a PAC never receives OCRP
  p.pac.receive(encode(StartControlConnectionRequest{}), p.now);  // already established
  p.pns.receive(encode(OutgoingCallRequest{}), p.now);     // a PNS never receives OCRQ
  EXPECT_FALSE(p.pac.closed());
  EXPECT_FALSE(p.pns.closed());
  EXPECT_EQ(p.pac.counters().unexpected_message, 2u);
  EXPECT_EQ(p.pns.counters().unexpected_message, 1u);
  auto warnings = test::only<Warning>(p.pac.take_events());
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[0].reason.find("Outgoing-Call-Reply"), std::string::npos);
  EXPECT_TRUE(p.pac.take_output().empty());
}

TEST(ControlConnection, UnknownCallIdsAndStrayEchoRepliesAreCounted) {
  PeerPair p;
  p.start();
  p.pac.receive(encode(CallClearRequest{999}), p.now);
  p.pns.receive(encode(CallDisconnectNotify{999, 1, 0, 0, ""}), p.now);
  p.pns.receive(encode(SetLinkInfo{999, 0, 0}), p.now);
  p.pns.receive(encode(EchoReply{12345, 1, 0}), p.now);
  EXPECT_EQ(p.pac.counters().unknown_call_id, 1u);
  EXPECT_EQ(p.pns.counters().unknown_call_id, 2u);
  EXPECT_EQ(p.pns.counters().echo_reply_mismatch, 1u);
  EXPECT_FALSE(p.pns.closed());
}

TEST(ControlConnection, TransportClosedDropsCalls) {
  PeerPair p;
  p.start();
  p.pns.place_outgoing_call({}, p.now);
  p.pump();
  p.pac_events.clear();
  p.pac.on_transport_closed(p.now);
  auto ev = p.pac.take_events();
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<CallDown>(ev[0]));
  EXPECT_EQ(std::get<Closed>(ev[1]).reason, "TCP connection closed by peer");
  EXPECT_EQ(p.pac_ids.used(), 0u);
  EXPECT_FALSE(p.pac.deadline().has_value());
}

TEST(ControlConnection, CollisionRuleFromRfcExample) {
  // §3.1.3: 192.33.45.17 and 192.33.45.89 collide; the latter wins.
  const std::uint32_t a = (192u << 24) | (33u << 16) | (45u << 8) | 17u;
  const std::uint32_t b = (192u << 24) | (33u << 16) | (45u << 8) | 89u;
  EXPECT_TRUE(wins_collision(b, a));
  EXPECT_FALSE(wins_collision(a, b));
}

TEST(ControlConnection, CollisionOnOneConnectionHigherAddressWins) {
  const std::uint32_t low = 0xC0212D11, high = 0xC0212D59;  // 192.33.45.17 / .89
  PeerPair p([&](ControlConfig& pns, ControlConfig& pac) {
    pns.local_ipv4 = high;
    pns.peer_ipv4 = low;
    pac.originate = true;  // both sides send SCCRQ
    pac.local_ipv4 = low;
    pac.peer_ipv4 = high;
  });
  p.start();
  EXPECT_EQ(p.pns.state(), ControlState::Established);
  EXPECT_EQ(p.pac.state(), ControlState::Established);
  EXPECT_EQ(p.pns.counters().collisions, 1u);
  EXPECT_EQ(p.pac.counters().collisions, 1u);
  // The winner (PNS, higher address) sent no reply; the loser (PAC) did.
  EXPECT_EQ(p.pns_sent_types.count(ControlType::StartControlConnectionReply), 0u);
  EXPECT_EQ(p.pac_sent_types.count(ControlType::StartControlConnectionReply), 1u);
}

TEST(ControlConnection, AbandonSendsNothing) {
  test::Single s(Role::Pns, true);
  s.conn.abandon("collision lost");
  EXPECT_TRUE(s.conn.take_output().empty());  // §3.1.3: no further messages on it
  auto closed = test::only<Closed>(s.conn.take_events());
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].reason, "collision lost");
}

TEST(ControlConnection, EchoRequestAnsweredWhileWaitingForStopReply) {
  PeerPair p;
  p.start();
  p.pns.stop(StopReason::None, "bye", p.now);
  p.pns.take_output();
  p.pns.receive(encode(EchoRequest{5}), p.now);
  auto out = test::decode_all(p.pns.take_output());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(std::get<EchoReply>(out[0]).identifier, 5u);
}

}  // namespace
}  // namespace pptpx::pptp
