// LCP, IPCP, IPV6CP and CCP option negotiation: two automata back to back, each with the real
// options handler, checked against the values and refusal reasons the RFCs and the policy imply.
#include <gtest/gtest.h>

#include "ppp/ccp.hpp"
#include "ppp/ipcp.hpp"
#include "ppp/ipv6cp.hpp"
#include "ppp/lcp.hpp"
#include "ppp_test_support.hpp"

namespace pptpx::ppp {
namespace {

using test::FsmPair;
using test::SeededRandom;

constexpr std::uint32_t ip(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  return (std::uint32_t{a} << 24) | (std::uint32_t{b} << 16) | (std::uint32_t{c} << 8) | d;
}

// ---------------- LCP ----------------

struct LcpSides {
  LcpConfig server_cfg, client_cfg;
  Policy server_policy, client_policy;
  SeededRandom rs{1}, rc{2};
  std::optional<LcpOptions> server, client;
  std::optional<FsmPair> pair;
  void build() {
    server.emplace(server_cfg, server_policy, true, rs);
    client.emplace(client_cfg, client_policy, false, rc);
    pair.emplace(Protocol::Lcp, *server, *client);
    pair->start();
    pair->run();
  }
};

TEST(Lcp, DefaultsNegotiateMsChapV2Mru1400CompressionAndMagic) {
  LcpSides s;
  s.build();
  ASSERT_EQ(s.pair->a.state(), FsmState::Opened);
  ASSERT_EQ(s.pair->b.state(), FsmState::Opened);
  const LcpResult& sr = s.server->result();
  const LcpResult& cr = s.client->result();
  EXPECT_EQ(sr.we_authenticate, AuthMethod::MsChapV2);
  EXPECT_FALSE(sr.peer_authenticates.has_value());
  EXPECT_EQ(cr.peer_authenticates, AuthMethod::MsChapV2);
  EXPECT_FALSE(cr.we_authenticate.has_value());
  EXPECT_EQ(sr.local_mru, 1400);
  EXPECT_EQ(sr.peer_mru, 1400);
  EXPECT_TRUE(sr.send_pfc && sr.send_acfc && sr.recv_pfc && sr.recv_acfc);
  EXPECT_NE(sr.local_magic, 0u);
  EXPECT_NE(sr.local_magic, cr.local_magic);
  EXPECT_EQ(sr.peer_magic, cr.local_magic);
  EXPECT_EQ(cr.peer_magic, sr.local_magic);
}

TEST(Lcp, AuthenticatorTakesPeersSuggestionWhenPolicyAllowsIt) {
  LcpSides s;
  s.server_policy.auth_methods = {AuthMethod::MsChapV2, AuthMethod::MsChapV1, AuthMethod::ChapMd5};
  s.client_policy.auth_methods = {AuthMethod::ChapMd5};
  s.build();
  ASSERT_EQ(s.pair->a.state(), FsmState::Opened);
  EXPECT_EQ(s.server->result().we_authenticate, AuthMethod::ChapMd5);
  EXPECT_EQ(s.client->result().peer_authenticates, AuthMethod::ChapMd5);
}

TEST(Lcp, AuthenticatorMovesToNextMethodInPolicyOrder) {
  LcpSides s;
  s.server_policy.auth_methods = {AuthMethod::MsChapV2, AuthMethod::MsChapV1};
  s.client_policy.auth_methods = {AuthMethod::Pap, AuthMethod::MsChapV1};  // Naks with PAP first
  s.build();
  ASSERT_EQ(s.pair->a.state(), FsmState::Opened);
  EXPECT_EQ(s.server->result().we_authenticate, AuthMethod::MsChapV1);
}

TEST(Lcp, ReasonWhenPeerRefusesEveryAllowedMethod) {
  LcpSides s;
  s.client_policy.auth_methods = {AuthMethod::Pap};
  s.build();
  EXPECT_NE(s.pair->a.state(), FsmState::Opened);
  EXPECT_EQ(s.pair->a.failure_reason(), "peer refused MS-CHAPv2 and policy allows no other method");
}

TEST(Lcp, ReasonListsEveryRefusedMethod) {
  LcpSides s;
  s.server_policy.auth_methods = {AuthMethod::MsChapV2, AuthMethod::MsChapV1};
  s.client_policy.auth_methods = {AuthMethod::Pap};
  s.build();
  EXPECT_EQ(s.pair->a.failure_reason(), "peer refused MS-CHAPv2 and MS-CHAPv1 and policy allows no other method");
}

TEST(Lcp, ReasonWhenPeerRejectsAuthentication) {
  LcpSides s;
  s.client_policy.auth_methods = {};  // will not authenticate: Rejects the option
  s.build();
  EXPECT_EQ(s.pair->a.failure_reason(),
            "peer rejected the Authentication-Protocol option; policy requires authentication (MS-CHAPv2)");
}

TEST(Lcp, AuthenticatorRejectsBeingAuthenticated) {
  SeededRandom r{3};
  LcpConfig cfg;
  Policy policy;
  LcpOptions server(cfg, policy, true, r);
  server.reset_request();
  Bytes nak;
  Bytes chap{0xC2, 0x23, 0x81};
  EXPECT_EQ(server.check_option(lcp_option::kAuthProtocol, chap, nak), OptionVerdict::Reject);
}

TEST(Lcp, PeerNaksUnacceptableMethodWithItsPreferred) {
  SeededRandom r{3};
  LcpConfig cfg;
  Policy policy;  // MS-CHAPv2 only
  LcpOptions client(cfg, policy, false, r);
  client.reset_request();
  Bytes nak;
  Bytes pap{0xC0, 0x23};
  EXPECT_EQ(client.check_option(lcp_option::kAuthProtocol, pap, nak), OptionVerdict::Nak);
  EXPECT_EQ(nak, (Bytes{0xC2, 0x23, 0x81}));  // RFC 2759 §2: CHAP with algorithm 0x81
  Bytes eap{0xC2, 0x27};
  EXPECT_EQ(client.check_option(lcp_option::kAuthProtocol, eap, nak), OptionVerdict::Nak);
}

TEST(Lcp, OptionChecks) {
  SeededRandom r{3};
  LcpConfig cfg;
  Policy policy;
  LcpOptions h(cfg, policy, true, r);
  h.reset_request();
  Bytes nak;
  EXPECT_EQ(h.check_option(lcp_option::kMru, Bytes{0x05, 0xDC}, nak), OptionVerdict::Ack);
  EXPECT_EQ(h.check_option(lcp_option::kMru, Bytes{0x00, 0x40}, nak), OptionVerdict::Nak);
  EXPECT_EQ(nak, (Bytes{0x00, 0x80}));
  EXPECT_EQ(h.check_option(lcp_option::kMru, Bytes{0x05}, nak), OptionVerdict::Reject);
  // RFC 1662 §7.1: ACCM is meaningless on a synchronous link; accepted whatever its value.
  EXPECT_EQ(h.check_option(lcp_option::kAccm, Bytes{0xFF, 0xFF, 0xFF, 0xFF}, nak), OptionVerdict::Ack);
  EXPECT_EQ(h.check_option(lcp_option::kPfc, {}, nak), OptionVerdict::Ack);
  EXPECT_EQ(h.check_option(lcp_option::kAcfc, {}, nak), OptionVerdict::Ack);
  EXPECT_EQ(h.check_option(13, Bytes{6}, nak), OptionVerdict::Reject);  // Callback (RFC 1570)
  EXPECT_EQ(h.check_option(lcp_option::kQualityProtocol, Bytes{0xC0, 0x25, 0, 0, 0, 10}, nak),
            OptionVerdict::Reject);
  EXPECT_EQ(h.check_option(lcp_option::kMagicNumber, Bytes{0, 0, 0, 0}, nak), OptionVerdict::Nak);
  EXPECT_EQ(nak.size(), 4u);
}

TEST(Lcp, AuthOptionCodec) {
  EXPECT_EQ(parse_auth_option(Bytes{0xC0, 0x23}), AuthMethod::Pap);
  EXPECT_EQ(parse_auth_option(Bytes{0xC2, 0x23, 0x05}), AuthMethod::ChapMd5);
  EXPECT_EQ(parse_auth_option(Bytes{0xC2, 0x23, 0x80}), AuthMethod::MsChapV1);
  EXPECT_EQ(parse_auth_option(Bytes{0xC2, 0x23, 0x81}), AuthMethod::MsChapV2);
  EXPECT_EQ(parse_auth_option(Bytes{0xC2, 0x23, 0x06}), std::nullopt);
  EXPECT_EQ(parse_auth_option(Bytes{0xC2, 0x23}), std::nullopt);
  EXPECT_EQ(parse_auth_option(Bytes{0xC2}), std::nullopt);
  Bytes o;
  append_auth_option(o, AuthMethod::MsChapV1);
  EXPECT_EQ(o, (Bytes{3, 5, 0xC2, 0x23, 0x80}));
}

// A looped-back link (our frames come straight back): RFC 1661 §6.4 magic-number detection.
void run_looped(bool with_auth) {
  SCOPED_TRACE(with_auth ? "with auth" : "without auth");
  SeededRandom r{9};
  LcpConfig cfg;
  Policy policy;
  if (!with_auth) policy.auth_methods.clear();
  LcpOptions h(cfg, policy, true, r);
  test::Endpoint e;
  std::deque<Bytes> loop;
  e.out = &loop;
  Fsm fsm(Protocol::Lcp, "LCP", h, e, e);
  Time now{};
  fsm.up(now);
  fsm.open(now);
  for (int i = 0; i < 200 && !loop.empty(); ++i) {
    Bytes p = std::move(loop.front());
    loop.pop_front();
    fsm.receive(p, now);
  }
  EXPECT_NE(fsm.state(), FsmState::Opened);
  EXPECT_GE(h.loopbacks(), with_auth ? 1 : 5);
  EXPECT_NE(fsm.failure_reason().find("loopback detected"), std::string::npos) << fsm.failure_reason();
}

TEST(Lcp, LoopbackIsDetectedWithReason) {
  run_looped(false);
  run_looped(true);
}

// ---------------- IPCP ----------------

TEST(Ipcp, ServerAssignsAddressAndDnsClientAccepts) {
  IpcpConfig scfg;
  scfg.local_address = ip(198, 51, 100, 1);
  scfg.peer_address = ip(198, 51, 100, 10);
  scfg.dns = {ip(198, 51, 100, 53), ip(198, 51, 100, 54)};
  scfg.nbns = {ip(198, 51, 100, 137), 0};
  IpcpConfig ccfg;
  ccfg.request_dns = true;
  ccfg.request_nbns = true;
  IpcpOptions server(scfg), client(ccfg);
  FsmPair pair(Protocol::Ipcp, server, client);
  pair.start();
  pair.run();
  ASSERT_EQ(pair.a.state(), FsmState::Opened);
  ASSERT_EQ(pair.b.state(), FsmState::Opened);
  EXPECT_EQ(client.result().local_address, ip(198, 51, 100, 10));
  EXPECT_EQ(client.result().peer_address, ip(198, 51, 100, 1));
  EXPECT_EQ(client.result().dns[0], ip(198, 51, 100, 53));
  EXPECT_EQ(client.result().dns[1], ip(198, 51, 100, 54));
  EXPECT_EQ(client.result().nbns[0], ip(198, 51, 100, 137));
  EXPECT_EQ(client.result().nbns[1], 0u);  // Rejected: the server has no secondary NBNS
  EXPECT_EQ(server.result().peer_address, ip(198, 51, 100, 10));
  EXPECT_EQ(server.result().local_address, ip(198, 51, 100, 1));
}

TEST(Ipcp, ServerNaksZeroAddressWithAssignedOne) {
  IpcpConfig scfg;
  scfg.peer_address = ip(198, 51, 100, 10);
  IpcpOptions server(scfg);
  server.reset_request();
  Bytes nak;
  EXPECT_EQ(server.check_option(ipcp_option::kIpAddress, Bytes{0, 0, 0, 0}, nak), OptionVerdict::Nak);
  EXPECT_EQ(nak, (Bytes{198, 51, 100, 10}));
  EXPECT_EQ(server.check_option(ipcp_option::kIpAddress, Bytes{198, 51, 100, 10}, nak), OptionVerdict::Ack);
  EXPECT_EQ(server.check_option(ipcp_option::kIpAddress, Bytes{198, 51, 100, 11}, nak), OptionVerdict::Nak);
}

TEST(Ipcp, VanJacobsonCompressionIsRejected) {
  IpcpConfig cfg;
  IpcpOptions h(cfg);
  h.reset_request();
  Bytes nak;
  // RFC 1332 §3.2: 002d = Van Jacobson TCP/IP, Max-Slot-Id 15, Comp-Slot-Id 1.
  EXPECT_EQ(h.check_option(ipcp_option::kIpCompressionProtocol, Bytes{0x00, 0x2D, 0x0F, 0x01}, nak),
            OptionVerdict::Reject);
  EXPECT_EQ(h.check_option(ipcp_option::kIpAddresses, Bytes{1, 2, 3, 4, 5, 6, 7, 8}, nak), OptionVerdict::Reject);
}

TEST(Ipcp, DnsRequestRejectedWhenServerHasNone) {
  IpcpConfig scfg;
  scfg.local_address = ip(198, 51, 100, 1);
  scfg.peer_address = ip(198, 51, 100, 10);
  IpcpConfig ccfg;
  ccfg.request_dns = true;
  IpcpOptions server(scfg), client(ccfg);
  FsmPair pair(Protocol::Ipcp, server, client);
  pair.start();
  pair.run();
  ASSERT_EQ(pair.b.state(), FsmState::Opened);
  EXPECT_EQ(client.result().dns[0], 0u);
  EXPECT_EQ(client.result().local_address, ip(198, 51, 100, 10));
}

// ---------------- IPV6CP ----------------

TEST(Ipv6cp, RandomIdentifiersAreNonZeroAndDistinct) {
  SeededRandom r1{5}, r2{6};
  Ipv6cpConfig c1, c2;
  Ipv6cpOptions a(c1, r1), b(c2, r2);
  FsmPair pair(Protocol::Ipv6cp, a, b);
  pair.start();
  pair.run();
  ASSERT_EQ(pair.a.state(), FsmState::Opened);
  ASSERT_EQ(pair.b.state(), FsmState::Opened);
  EXPECT_NE(a.result().local_id, 0u);
  EXPECT_NE(a.result().local_id, b.result().local_id);
  EXPECT_EQ(a.result().peer_id, b.result().local_id);
  EXPECT_EQ(b.result().peer_id, a.result().local_id);
}

TEST(Ipv6cp, CollisionIsNakedUntilUnique) {
  SeededRandom r1{5}, r2{6};
  Ipv6cpConfig c1, c2;
  c1.interface_id = c2.interface_id = 0x0200'5eff'fe00'0001ull;
  Ipv6cpOptions a(c1, r1), b(c2, r2);
  FsmPair pair(Protocol::Ipv6cp, a, b);
  pair.start();
  pair.run();
  ASSERT_EQ(pair.a.state(), FsmState::Opened);
  ASSERT_EQ(pair.b.state(), FsmState::Opened);
  EXPECT_NE(a.result().local_id, b.result().local_id);
  EXPECT_NE(a.result().local_id, 0u);
  EXPECT_NE(b.result().local_id, 0u);
  EXPECT_GE(pair.a.counters().naks_sent + pair.b.counters().naks_sent, 1u);
}

TEST(Ipv6cp, ZeroIdentifierIsNaked) {
  SeededRandom r{5};
  Ipv6cpConfig c;
  Ipv6cpOptions h(c, r);
  h.reset_request();
  Bytes nak;
  EXPECT_EQ(h.check_option(ipv6cp_option::kInterfaceIdentifier, Bytes(8, 0), nak), OptionVerdict::Nak);
  ASSERT_EQ(nak.size(), 8u);
  EXPECT_NE(nak, Bytes(8, 0));
  EXPECT_EQ(h.check_option(ipv6cp_option::kIpv6CompressionProtocol, Bytes{0x00, 0x61}, nak), OptionVerdict::Reject);
}

// ---------------- CCP / MPPE ----------------

struct CcpSides {
  Policy server_policy, client_policy;
  std::optional<CcpOptions> server, client;
  std::optional<FsmPair> pair;
  void build() {
    server.emplace(server_policy);
    client.emplace(client_policy);
    pair.emplace(Protocol::Ccp, *server, *client);
    pair->start();
    pair->run();
  }
};

TEST(Ccp, DefaultsNegotiate128BitStatelessBothWays) {
  CcpSides s;
  s.build();
  ASSERT_EQ(s.pair->a.state(), FsmState::Opened);
  ASSERT_EQ(s.pair->b.state(), FsmState::Opened);
  MppeChoice want{auth::MppeStrength::Bits128, true};
  EXPECT_EQ(s.server->send(), want);
  EXPECT_EQ(s.server->receive(), want);
  EXPECT_EQ(s.client->send(), want);
  EXPECT_EQ(s.client->receive(), want);
  // RFC 3078 §2: H (0x01000000) | S (0x40), as pppd sends it (see the captures).
  EXPECT_EQ(s.pair->ea.sent.front(), (Bytes{1, 1, 0, 10, 18, 6, 0x01, 0x00, 0x00, 0x40}));
}

TEST(Ccp, StrongestCommonStrengthIsChosen) {
  CcpSides s;
  s.server_policy.mppe_strengths = {auth::MppeStrength::Bits40, auth::MppeStrength::Bits56,
                                    auth::MppeStrength::Bits128};
  s.client_policy.mppe_strengths = {auth::MppeStrength::Bits40, auth::MppeStrength::Bits56};
  s.build();
  ASSERT_EQ(s.pair->a.state(), FsmState::Opened);
  ASSERT_EQ(s.pair->b.state(), FsmState::Opened);
  EXPECT_EQ(s.server->send()->strength, auth::MppeStrength::Bits56);
  EXPECT_EQ(s.server->receive()->strength, auth::MppeStrength::Bits56);
}

TEST(Ccp, ReasonWhenPeerOffersOnly40Bit) {
  CcpSides s;
  s.client_policy.mppe_strengths = {auth::MppeStrength::Bits40};
  s.build();
  EXPECT_NE(s.pair->a.state(), FsmState::Opened);
  EXPECT_EQ(s.pair->a.failure_reason(), "peer offered only 40-bit MPPE; policy requires 128-bit");
}

class RejectEverything final : public OptionsHandler {
 public:
  void reset_request() override {}
  void build_request(Bytes&) override {}
  OptionVerdict check_option(std::uint8_t, ByteView, Bytes&) override { return OptionVerdict::Reject; }
  void peer_request_acked(ByteView) override {}
  void nak_received(std::uint8_t, ByteView) override {}
  void reject_received(std::uint8_t, ByteView) override {}
};

TEST(Ccp, ReasonWhenPeerRejectsMppe) {
  Policy policy;
  CcpOptions server(policy);
  RejectEverything peer;
  FsmPair pair(Protocol::Ccp, server, peer);
  pair.start();
  pair.run();
  EXPECT_EQ(pair.a.failure_reason(), "peer rejected MPPE; policy requires encryption");
  EXPECT_TRUE(server.mppe_rejected());
}

TEST(Ccp, PeerRejectingMppeIsFineWhenEncryptionOptional) {
  Policy policy;
  policy.require_encryption = false;
  CcpOptions server(policy);
  RejectEverything peer;
  FsmPair pair(Protocol::Ccp, server, peer);
  pair.start();
  pair.run();
  EXPECT_EQ(pair.a.state(), FsmState::Opened);
  EXPECT_FALSE(server.send().has_value());
  EXPECT_FALSE(server.receive().has_value());
}

TEST(Ccp, ReasonWhenPeerRequiresStatefulAndPolicyAllowsOnlyStateless) {
  CcpSides s;
  s.client_policy.allow_stateless = false;
  s.client_policy.allow_stateful = true;
  s.build();
  EXPECT_NE(s.pair->a.state(), FsmState::Opened);
  EXPECT_EQ(s.pair->a.failure_reason(), "peer requires stateful MPPE; policy allows only stateless");
}

TEST(Ccp, StatefulWhenBothPoliciesNameIt) {
  CcpSides s;
  for (Policy* p : {&s.server_policy, &s.client_policy}) {
    p->allow_stateless = false;
    p->allow_stateful = true;
  }
  s.build();
  ASSERT_EQ(s.pair->a.state(), FsmState::Opened);
  EXPECT_EQ(s.server->send(), (MppeChoice{auth::MppeStrength::Bits128, false}));
}

TEST(Ccp, MppcBitAndExtraStrengthsAreClearedByNak) {
  Policy policy;
  CcpOptions h(policy);
  h.reset_request();
  Bytes nak;
  // H | S | C: MPPC compression requested as well.
  EXPECT_EQ(h.check_option(ccp_option::kMppe, Bytes{0x01, 0x00, 0x00, 0x41}, nak), OptionVerdict::Nak);
  EXPECT_EQ(nak, (Bytes{0x01, 0x00, 0x00, 0x40}));
  // H | S | L: two strengths offered, one chosen.
  EXPECT_EQ(h.check_option(ccp_option::kMppe, Bytes{0x01, 0x00, 0x00, 0x60}, nak), OptionVerdict::Nak);
  EXPECT_EQ(nak, (Bytes{0x01, 0x00, 0x00, 0x40}));
  EXPECT_EQ(h.check_option(ccp_option::kMppe, Bytes{0x01, 0x00, 0x00, 0x40}, nak), OptionVerdict::Ack);
  // Deflate (RFC 1979, type 26) and other compressors are refused.
  EXPECT_EQ(h.check_option(26, Bytes{0x78, 0x00}, nak), OptionVerdict::Reject);
}

TEST(Ccp, ReasonWhenPeerOffersOnlyMppc) {
  Policy policy;
  CcpOptions h(policy);
  h.reset_request();
  Bytes nak;
  EXPECT_EQ(h.check_option(ccp_option::kMppe, Bytes{0x00, 0x00, 0x00, 0x01}, nak), OptionVerdict::Reject);
  auto f = h.take_failure();
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(*f, "peer offered no MPPE strength (only MPPC compression); policy requires 128-bit");
}

}  // namespace
}  // namespace pptpx::ppp
