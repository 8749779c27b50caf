// Call state machines (RFC 2637 §3.2): outgoing and incoming calls in both roles, clearing,
// Set-Link-Info, WAN-Error-Notify, limits and the shared Call ID allocator.
#include <gtest/gtest.h>

#include <set>

#include "pptp/control_codec.hpp"
#include "pptp/control_connection.hpp"
#include "pptp_peers.hpp"

namespace pptpx::pptp {
namespace {

using test::PeerPair;

TEST(Call, OutgoingCallPnsToPac) {
  PeerPair p;
  p.start();
  auto id = p.pns.place_outgoing_call({}, p.now);
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(p.pns.find_call(*id)->state, CallState::WaitReply);
  p.pump();
  auto pns_up = test::only<CallUp>(p.pns_events);
  auto pac_up = test::only<CallUp>(p.pac_events);
  ASSERT_EQ(pns_up.size(), 1u);
  ASSERT_EQ(pac_up.size(), 1u);
  // Each side's local ID is the other side's peer ID: that is what GRE keys carry.
  EXPECT_EQ(pns_up[0].local_call_id, *id);
  EXPECT_EQ(pac_up[0].peer_call_id, *id);
  EXPECT_EQ(pns_up[0].peer_call_id, pac_up[0].local_call_id);
  EXPECT_EQ(pns_up[0].direction, CallDirection::Outgoing);
  EXPECT_EQ(pns_up[0].peer_recv_window, 64);  // the PAC's configured window, via OCRP
  EXPECT_EQ(p.pns.find_call(*id)->state, CallState::Established);
  EXPECT_EQ(p.pns_sent_types[ControlType::OutgoingCallRequest], 1);
  EXPECT_EQ(p.pac_sent_types[ControlType::OutgoingCallReply], 1);
}

TEST(Call, PnsClearsCallPacAnswersDisconnectNotify) {
  PeerPair p;
  p.start();
  auto id = p.pns.place_outgoing_call({}, p.now);
  p.pump();
  ASSERT_TRUE(p.pns.clear_call(*id, "user hung up", p.now));
  EXPECT_EQ(p.pns.find_call(*id)->state, CallState::WaitDisconnect);
  p.pump();
  auto pns_down = test::only<CallDown>(p.pns_events);
  auto pac_down = test::only<CallDown>(p.pac_events);
  ASSERT_EQ(pns_down.size(), 1u);
  ASSERT_EQ(pac_down.size(), 1u);
  EXPECT_NE(pns_down[0].reason.find("call-clear-request received"), std::string::npos)
      << pns_down[0].reason;
  EXPECT_EQ(pac_down[0].reason, "peer sent Call-Clear-Request");
  EXPECT_EQ(p.pns_sent_types[ControlType::CallClearRequest], 1);
  EXPECT_EQ(p.pac_sent_types[ControlType::CallDisconnectNotify], 1);
  EXPECT_TRUE(p.pns.calls().empty());
  EXPECT_TRUE(p.pac.calls().empty());
  EXPECT_EQ(p.pns_ids.used(), 0u);
  EXPECT_EQ(p.pac_ids.used(), 0u);
  EXPECT_FALSE(p.pns.closed());  // clearing a call leaves the control connection up
}

TEST(Call, PacHangsUp) {
  PeerPair p;
  p.start();
  p.pns.place_outgoing_call({}, p.now);
  p.pump();
  const auto pac_id = test::only<CallUp>(p.pac_events)[0].local_call_id;
  ASSERT_TRUE(p.pac.clear_call(pac_id, "idle timeout", p.now));
  p.pump();
  auto pns_down = test::only<CallDown>(p.pns_events);
  ASSERT_EQ(pns_down.size(), 1u);
  EXPECT_NE(pns_down[0].reason.find("admin shutdown"), std::string::npos) << pns_down[0].reason;
  EXPECT_EQ(test::only<CallDown>(p.pac_events)[0].reason, "idle timeout");
}

TEST(Call, ClearUnknownCallFails) {
  PeerPair p;
  p.start();
  EXPECT_FALSE(p.pns.clear_call(4242, "x", p.now));
}

TEST(Call, ClearBeforeReplyWaitsForDisconnect) {
  PeerPair p;
  p.start();
  auto id = p.pns.place_outgoing_call({}, p.now);
  Bytes ocrq = p.pns.take_output();
  p.pns.clear_call(*id, "changed my mind", p.now);
  Bytes ccrq = p.pns.take_output();
  p.pac.receive(ocrq, p.now);
  Bytes ocrp = p.pac.take_output();
  p.pac.receive(ccrq, p.now);
  Bytes cdn = p.pac.take_output();
  p.pns.receive(ocrp, p.now);
  EXPECT_TRUE(test::only<CallUp>(p.pns.take_events()).empty());  // cleared: no CallUp
  p.pns.receive(cdn, p.now);
  auto down = test::only<CallDown>(p.pns.take_events());
  ASSERT_EQ(down.size(), 1u);
  EXPECT_FALSE(down[0].was_up);
  EXPECT_TRUE(p.pns.calls().empty());
}

TEST(Call, OutgoingCallReplyErrorReportsReason) {
  test::Single s(Role::Pns, true, true);
  auto id = s.conn.place_outgoing_call({}, s.now);
  ASSERT_TRUE(id);
  OutgoingCallReply rp;
  rp.call_id = 50;
  rp.peer_call_id = *id;
  rp.result_code = 4;  // busy
  s.conn.receive(encode(rp), s.now);
  auto down = test::only<CallDown>(s.conn.take_events());
  ASSERT_EQ(down.size(), 1u);
  EXPECT_EQ(down[0].reason, "Outgoing-Call-Reply: busy");
  EXPECT_EQ(s.ids.used(), 0u);
}

TEST(Call, OutgoingCallReplyForUnknownCallIsDropped) {
  test::Single s(Role::Pns, true, true);
  OutgoingCallReply rp;
  rp.peer_call_id = 77;
  rp.result_code = 1;
  s.conn.receive(encode(rp), s.now);
  EXPECT_EQ(s.conn.counters().unknown_call_id, 1u);
  EXPECT_TRUE(test::only<CallUp>(s.conn.take_events()).empty());
}

TEST(Call, PacRefusesOverLimitAndDuplicatePeerId) {
  PeerPair p([](ControlConfig&, ControlConfig& pac) { pac.max_calls = 1; });
  p.start();
  OutgoingCallRequest rq;
  rq.call_id = 10;
  p.pac.receive(encode(rq), p.now);
  p.pac.receive(encode(rq), p.now);  // same peer Call ID again
  rq.call_id = 11;
  p.pac.receive(encode(rq), p.now);  // over the limit
  auto out = test::decode_all(p.pac.take_output());
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(std::get<OutgoingCallReply>(out[0]).result_code, 1);
  EXPECT_EQ(std::get<OutgoingCallReply>(out[1]).result_code, 2);
  EXPECT_EQ(std::get<OutgoingCallReply>(out[1]).error_code, 5);  // bad call id
  EXPECT_EQ(std::get<OutgoingCallReply>(out[2]).result_code, 2);
  EXPECT_EQ(std::get<OutgoingCallReply>(out[2]).error_code, 4);  // no resource
  EXPECT_EQ(std::get<OutgoingCallReply>(out[2]).peer_call_id, 11);
  EXPECT_EQ(p.pac.counters().calls_refused, 2u);
  EXPECT_EQ(p.pac.calls().size(), 1u);
}

TEST(Call, PlaceOutgoingCallNeedsEstablishedPns) {
  test::Single pns_setup(Role::Pns, true);
  EXPECT_FALSE(pns_setup.conn.place_outgoing_call({}, pns_setup.now));
  test::Single pac(Role::Pac, false, true);
  EXPECT_FALSE(pac.conn.place_outgoing_call({}, pac.now));
}

TEST(Call, IncomingCallPacToPns) {
  PeerPair p;
  p.start();
  IncomingCallParams params;
  params.dialing_number = "5551234";
  auto id = p.pac.place_incoming_call(params, p.now);
  ASSERT_TRUE(id);
  EXPECT_EQ(p.pac.find_call(*id)->state, CallState::PacWaitReply);
  p.pump();
  EXPECT_EQ(p.pac_sent_types[ControlType::IncomingCallRequest], 1);
  EXPECT_EQ(p.pns_sent_types[ControlType::IncomingCallReply], 1);
  EXPECT_EQ(p.pac_sent_types[ControlType::IncomingCallConnected], 1);
  auto pns_up = test::only<CallUp>(p.pns_events);
  auto pac_up = test::only<CallUp>(p.pac_events);
  ASSERT_EQ(pns_up.size(), 1u);
  ASSERT_EQ(pac_up.size(), 1u);
  EXPECT_EQ(pac_up[0].local_call_id, *id);
  EXPECT_EQ(pns_up[0].peer_call_id, *id);
  EXPECT_EQ(pac_up[0].peer_call_id, pns_up[0].local_call_id);
  EXPECT_EQ(pns_up[0].direction, CallDirection::Incoming);
}

TEST(Call, IncomingCallRefusedByPns) {
  PeerPair p([](ControlConfig& pns, ControlConfig&) { pns.max_calls = 0; });
  p.start();
  auto id = p.pac.place_incoming_call({}, p.now);
  p.pump();
  auto down = test::only<CallDown>(p.pac_events);
  ASSERT_EQ(down.size(), 1u);
  EXPECT_EQ(down[0].local_call_id, *id);
  EXPECT_EQ(down[0].reason, "Incoming-Call-Reply: general error, error no resource");
  EXPECT_EQ(p.pac_ids.used(), 0u);
}

TEST(Call, IncomingCallPnsWaitsForConnectThenTimesOut) {
  test::Single s(Role::Pns, true, true);
  IncomingCallRequest rq;
  rq.call_id = 33;
  s.conn.receive(encode(rq), s.now);
  auto out = test::decode_all(s.conn.take_output());
  ASSERT_EQ(out.size(), 1u);
  const auto& rp = std::get<IncomingCallReply>(out[0]);
  EXPECT_EQ(rp.result_code, 1);
  EXPECT_EQ(rp.peer_call_id, 33);
  ASSERT_EQ(s.conn.calls().size(), 1u);
  EXPECT_EQ(s.conn.calls()[0].state, CallState::WaitConnect);
  // §3.2.1: no transition within a minute: the whole control connection is closed.
  s.conn.on_timer(s.now + 60s);
  EXPECT_TRUE(s.conn.closed());
  auto ev = s.conn.take_events();
  ASSERT_EQ(test::only<CallDown>(ev).size(), 1u);
  ASSERT_EQ(test::only<Closed>(ev).size(), 1u);
}

TEST(Call, OutgoingCallWithoutReplyTimesOut) {
  PeerPair p;
  p.start();
  p.pns.place_outgoing_call({}, p.now);
  p.pns.take_output();  // lost
  ASSERT_TRUE(p.pns.deadline());
  EXPECT_EQ(*p.pns.deadline(), p.now + 60s);
  p.pns.on_timer(p.now + 60s);
  EXPECT_TRUE(p.pns.closed());
}

TEST(Call, SetLinkInfoSurfacesAccms) {
  PeerPair p;
  p.start();
  auto id = p.pns.place_outgoing_call({}, p.now);
  p.pump();
  ASSERT_TRUE(p.pns.send_set_link_info(*id, 0x00000000, 0x000a0000));
  p.pump();
  auto info = test::only<LinkInfo>(p.pac_events);
  ASSERT_EQ(info.size(), 1u);
  EXPECT_EQ(info[0].local_call_id, test::only<CallUp>(p.pac_events)[0].local_call_id);
  EXPECT_EQ(info[0].send_accm, 0u);
  EXPECT_EQ(info[0].receive_accm, 0x000a0000u);
}

TEST(Call, WanErrorNotifySurfacesCounters) {
  PeerPair p;
  p.start();
  auto id = p.pns.place_outgoing_call({}, p.now);
  p.pump();
  p.pns.receive(encode(WanErrorNotify{*id, 1, 2, 3, 4, 5, 6}), p.now);
  auto wan = test::only<WanError>(p.pns.take_events());
  ASSERT_EQ(wan.size(), 1u);
  EXPECT_EQ(wan[0].local_call_id, *id);
  EXPECT_EQ(wan[0].counters.alignment_errors, 6u);
}

TEST(Call, PacAcceptsDisconnectNotifyFromPns) {
  PeerPair p;
  p.start();
  auto id = p.pns.place_outgoing_call({}, p.now);
  p.pump();
  p.pac.receive(encode(CallDisconnectNotify{*id, 3, 0, 0, ""}), p.now);
  EXPECT_TRUE(p.pac.calls().empty());
}

TEST(Call, SharedAllocatorGivesUniqueIdsAcrossConnections) {
  SequentialCallIdAllocator shared;
  ControlConfig pac_cfg = PeerPair::pac_config();
  std::set<std::uint16_t> ids;
  std::vector<std::unique_ptr<ControlConnection>> conns;
  const Time now = Time{} + 5s;
  for (int c = 0; c < 3; ++c) {
    conns.push_back(std::make_unique<ControlConnection>(pac_cfg, shared));
    auto& conn = *conns.back();
    conn.start(now);
    conn.receive(encode(StartControlConnectionRequest{}), now);
    for (std::uint16_t k = 0; k < 2; ++k) {
      OutgoingCallRequest rq;
      rq.call_id = k;  // every client numbers its calls the same way
      conn.receive(encode(rq), now);
    }
    for (auto& e : test::only<CallUp>(conn.take_events())) ids.insert(e.local_call_id);
  }
  EXPECT_EQ(ids.size(), 6u);
  EXPECT_EQ(shared.used(), 6u);
  conns[1]->on_transport_closed(now);
  EXPECT_EQ(shared.used(), 4u);
  conns.clear();  // destroying connections returns their IDs
  EXPECT_EQ(shared.used(), 0u);
}

TEST(CallIdAllocator, RoundRobinSkipsUsedAndExhausts) {
  SequentialCallIdAllocator a;
  EXPECT_EQ(a.allocate(), 1);
  EXPECT_EQ(a.allocate(), 2);
  a.release(1);
  EXPECT_EQ(a.allocate(), 3);  // a just-released ID is not reused at once
  EXPECT_FALSE(a.in_use(0));
  for (int i = 0; i < 65535 - 2; ++i) ASSERT_TRUE(a.allocate());
  EXPECT_EQ(a.used(), 65535u);
  EXPECT_FALSE(a.allocate());
  a.release(500);
  EXPECT_EQ(a.allocate(), 500);
}

}  // namespace
}  // namespace pptpx::pptp
