// Two Links (server + client) back to back in memory under a fake clock, with fake
// authentication machines that hand out MS-CHAP key material: IPv4 and IPv6 packets cross both
// ways byte for byte, with and without MPPE; refusals and failures end with their reasons.
#include <gtest/gtest.h>

#include <deque>
#include <memory>

#include "ppp/control_packet.hpp"
#include "ppp/frame.hpp"
#include "ppp/link.hpp"
#include "ppp_test_support.hpp"

namespace pptpx::ppp {
namespace {

using test::SeededRandom;

constexpr std::uint32_t ip(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  return (std::uint32_t{a} << 24) | (std::uint32_t{b} << 16) | (std::uint32_t{c} << 8) | d;
}

struct FakeAuthScript {
  bool fail = false;
  std::string user = "bob";
  int created = 0;
};

// Authenticator sends "C"; the peer answers "R"; the authenticator answers "S" (or "F") and
// both succeed (or fail). MS-CHAP methods leave the same NT hash / NT-Response on both sides,
// so derive_mppe_keys gives mirrored keys.
class FakeAuth final : public AuthMachine {
 public:
  FakeAuth(AuthMethod m, bool authenticator, FrameSink& sink, FakeAuthScript& script)
      : sink_(sink), authenticator_(authenticator), script_(script) {
    result_.method = m;
  }
  AuthMethod method() const override { return result_.method; }
  void start(Time) override {
    if (authenticator_) send("C");
  }
  void receive(ByteView info, Time) override {
    std::string s(info.begin(), info.end());
    if (authenticator_ && s == "R:" + script_.user) {
      finish(!script_.fail);
      send(script_.fail ? "F" : "S");
    } else if (!authenticator_ && s == "C") {
      send("R:" + script_.user);
    } else if (!authenticator_ && (s == "S" || s == "F")) {
      finish(s == "S");
    }
  }
  void on_timer(Time) override {}
  std::optional<Time> deadline() const override { return std::nullopt; }
  AuthStatus status() const override { return status_; }
  const AuthResult& result() const override { return result_; }

 private:
  void send(const std::string& s) {
    Protocol p = result_.method == AuthMethod::Pap ? Protocol::Pap : Protocol::Chap;
    sink_.send_frame(p, ByteView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
  }
  void finish(bool ok) {
    status_ = ok ? AuthStatus::Succeeded : AuthStatus::Failed;
    result_.user_name = script_.user;
    if (!ok) {
      result_.failure_reason = "E=691 authentication failure";
      return;
    }
    if (result_.method == AuthMethod::MsChapV1 || result_.method == AuthMethod::MsChapV2) {
      auth::MppeKeyMaterial m;
      m.method = result_.method == AuthMethod::MsChapV1 ? auth::MppeKeyMaterial::Method::MsChapV1
                                                        : auth::MppeKeyMaterial::Method::MsChapV2;
      for (std::size_t i = 0; i < m.nt_hash.size(); ++i) m.nt_hash[i] = static_cast<std::uint8_t>(0x10 + i);
      for (std::size_t i = 0; i < m.nt_response.size(); ++i) m.nt_response[i] = static_cast<std::uint8_t>(0x80 + i);
      for (std::size_t i = 0; i < m.challenge.size(); ++i) m.challenge[i] = static_cast<std::uint8_t>(0x40 + i);
      m.is_server = authenticator_;
      result_.mppe = m;
    }
  }

  FrameSink& sink_;
  bool authenticator_;
  FakeAuthScript& script_;
  AuthStatus status_ = AuthStatus::Pending;
  AuthResult result_;
};

class FakeFactory final : public AuthFactory {
 public:
  explicit FakeFactory(FakeAuthScript& s) : script_(s) {}
  std::unique_ptr<AuthMachine> create(AuthMethod m, bool authenticator, FrameSink& sink) override {
    ++script_.created;
    return std::make_unique<FakeAuth>(m, authenticator, sink, script_);
  }

 private:
  FakeAuthScript& script_;
};

struct Output final : LinkOutput {
  std::deque<Bytes>* wire = nullptr;
  bool blackhole = false;
  std::vector<Bytes> ipv4, ipv6;
  std::vector<LinkEvent> events;
  std::vector<Bytes> frames;
  void send_frame(PacketBuffer& f) override {
    frames.emplace_back(f.view().begin(), f.view().end());
    EXPECT_GE(f.headroom(), 36u);  // room left for GRE (16) + outer IPv4 (20)
    if (!blackhole) wire->emplace_back(f.view().begin(), f.view().end());
  }
  void deliver_ipv4(ByteView p) override { ipv4.emplace_back(p.begin(), p.end()); }
  void deliver_ipv6(ByteView p) override { ipv6.emplace_back(p.begin(), p.end()); }
  void on_event(const LinkEvent& e) override { events.push_back(e); }
  const LinkEvent* find(LinkEvent::Kind k) const {
    for (const auto& e : events) {
      if (e.kind == k) return &e;
    }
    return nullptr;
  }
};

LinkConfig server_config() {
  LinkConfig c;
  c.role = LinkRole::Server;
  c.ipcp.local_address = ip(198, 51, 100, 1);
  c.ipcp.peer_address = ip(198, 51, 100, 10);
  c.ipcp.dns = {ip(198, 51, 100, 53), 0};
  return c;
}
LinkConfig client_config() {
  LinkConfig c;
  c.role = LinkRole::Client;
  c.ipcp.request_dns = true;
  return c;
}

struct Pair {
  Pair(LinkConfig s, LinkConfig c) {
    s.random = &rs;
    c.random = &rc;
    so.wire = &s_to_c;
    co.wire = &c_to_s;
    server = std::make_unique<Link>(std::move(s), sfactory, so);
    client = std::make_unique<Link>(std::move(c), cfactory, co);
  }
  SeededRandom rs{11}, rc{22};
  FakeAuthScript sscript, cscript;
  FakeFactory sfactory{sscript}, cfactory{cscript};
  Output so, co;
  std::deque<Bytes> s_to_c, c_to_s;
  std::unique_ptr<Link> server, client;
  Time now = Time{} + std::chrono::seconds(10);
  std::function<bool(Bytes&)> c_to_s_filter;  // return false to drop

  void start() {
    server->start(now);
    client->start(now);
  }
  // Delivers frames until both queues are empty; fires timers only if `advance_time`.
  void run(bool advance_time = false, Duration limit = std::chrono::seconds(300)) {
    Time end = now + limit;
    for (int i = 0; i < 100000; ++i) {
      if (!c_to_s.empty()) {
        Bytes f = std::move(c_to_s.front());
        c_to_s.pop_front();
        if (!c_to_s_filter || c_to_s_filter(f)) server->receive_frame(f, now);
        continue;
      }
      if (!s_to_c.empty()) {
        Bytes f = std::move(s_to_c.front());
        s_to_c.pop_front();
        client->receive_frame(f, now);
        continue;
      }
      if (!advance_time) return;
      std::optional<Time> d = server->deadline();
      if (client->deadline() && (!d || *client->deadline() < *d)) d = client->deadline();
      if (!d || *d > end) return;
      now = *d;
      server->on_timer(now);
      client->on_timer(now);
    }
  }
  bool both_up() const { return server->is_up() && client->is_up(); }
};

// A real IPv4 header (version 4, IHL 5, TTL 64, UDP, 198.51.100.10 -> 198.51.100.1, header
// checksum per RFC 791) so that anything checking plausibility of decrypted data sees a packet.
Bytes ipv4_packet(std::uint8_t tag, std::size_t size = 84) {
  Bytes p(size);
  p[0] = 0x45;
  store_be16(p.data() + 2, static_cast<std::uint16_t>(size));
  p[8] = 64;
  p[9] = 17;
  store_be32(p.data() + 12, 0xC633640A);
  store_be32(p.data() + 16, 0xC6336401);
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < 20; i += 2) sum += load_be16(p.data() + i);
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  store_be16(p.data() + 10, static_cast<std::uint16_t>(~sum));
  for (std::size_t i = 20; i < size; ++i) p[i] = static_cast<std::uint8_t>(tag + i);
  return p;
}
Bytes ipv6_packet(std::uint8_t tag, std::size_t size = 104) {
  Bytes p(size);
  p[0] = 0x60;
  for (std::size_t i = 40; i < size; ++i) p[i] = static_cast<std::uint8_t>(tag ^ i);
  return p;
}

bool send4(Link& l, const Bytes& p, Time now) {
  PacketBuffer b;
  b.assign(p);
  return l.send_ipv4(b, now);
}
bool send6(Link& l, const Bytes& p, Time now) {
  PacketBuffer b;
  b.assign(p);
  return l.send_ipv6(b, now);
}

TEST(Link, DefaultPolicyComesUpWithMsChapV2AndMppe128Stateless) {
  Pair p(server_config(), client_config());
  p.start();
  p.run();
  ASSERT_TRUE(p.both_up()) << p.server->down_reason() << " / " << p.client->down_reason();
  const LinkEvent* su = p.so.find(LinkEvent::Kind::Up);
  const LinkEvent* cu = p.co.find(LinkEvent::Kind::Up);
  ASSERT_TRUE(su && cu);
  EXPECT_EQ(su->up.auth_method, AuthMethod::MsChapV2);
  EXPECT_EQ(su->up.user, "bob");
  ASSERT_TRUE(su->up.mppe.has_value());
  EXPECT_EQ(*su->up.mppe, (MppeChoice{auth::MppeStrength::Bits128, true}));
  EXPECT_EQ(*cu->up.mppe, (MppeChoice{auth::MppeStrength::Bits128, true}));
  EXPECT_EQ(su->up.local_ipv4, ip(198, 51, 100, 1));
  EXPECT_EQ(su->up.peer_ipv4, ip(198, 51, 100, 10));
  EXPECT_EQ(cu->up.local_ipv4, ip(198, 51, 100, 10));
  EXPECT_EQ(cu->up.peer_ipv4, ip(198, 51, 100, 1));
  EXPECT_EQ(cu->up.dns[0], ip(198, 51, 100, 53));
  EXPECT_EQ(su->up.peer_mru, 1400);
  EXPECT_EQ(p.server->phase(), LinkPhase::Network);
  EXPECT_EQ(p.sscript.created, 1);
  EXPECT_EQ(p.cscript.created, 1);
}

TEST(Link, Ipv4BothWaysEncryptedByteForByte) {
  Pair p(server_config(), client_config());
  p.start();
  p.run();
  ASSERT_TRUE(p.both_up());
  std::size_t frames_before = p.co.frames.size();
  for (std::uint8_t i = 0; i < 20; ++i) {
    ASSERT_TRUE(send4(*p.client, ipv4_packet(i, 60 + i * 50u), p.now));
    ASSERT_TRUE(send4(*p.server, ipv4_packet(static_cast<std::uint8_t>(100 + i)), p.now));
  }
  // On the wire: protocol 0x00FD (compressed to FD by PFC, no FF 03 by ACFC), not the plaintext.
  const Bytes& wire = p.co.frames[frames_before];
  EXPECT_EQ(wire[0], 0xFD);
  Bytes first = ipv4_packet(0, 60);
  ASSERT_GE(wire.size(), 3u + 2u + first.size());  // FD | MPPE header | 00 21 | packet
  EXPECT_NE(Bytes(wire.begin() + 25, wire.begin() + 45), Bytes(first.begin() + 20, first.begin() + 40));
  p.run();
  ASSERT_EQ(p.so.ipv4.size(), 20u);
  ASSERT_EQ(p.co.ipv4.size(), 20u);
  for (std::uint8_t i = 0; i < 20; ++i) {
    EXPECT_EQ(p.so.ipv4[i], ipv4_packet(i, 60 + i * 50u));
    EXPECT_EQ(p.co.ipv4[i], ipv4_packet(static_cast<std::uint8_t>(100 + i)));
  }
}

TEST(Link, Ipv6BothWaysEncrypted) {
  LinkConfig s = server_config(), c = client_config();
  s.enable_ipv6 = c.enable_ipv6 = true;
  Pair p(s, c);
  p.start();
  p.run();
  ASSERT_TRUE(p.both_up());
  const LinkEvent* su = p.so.find(LinkEvent::Kind::Up);
  const LinkEvent* cu = p.co.find(LinkEvent::Kind::Up);
  const LinkEvent* s6 = p.so.find(LinkEvent::Kind::Ipv6Up);
  const LinkEvent* c6 = p.co.find(LinkEvent::Kind::Ipv6Up);
  const LinkEvent* sv = (su && su->up.local_ipv6_id) ? su : s6;
  const LinkEvent* cv = (cu && cu->up.local_ipv6_id) ? cu : c6;
  ASSERT_TRUE(sv && cv);
  EXPECT_EQ(*sv->up.local_ipv6_id, *cv->up.peer_ipv6_id);
  EXPECT_EQ(*sv->up.peer_ipv6_id, *cv->up.local_ipv6_id);
  EXPECT_NE(*sv->up.local_ipv6_id, *sv->up.peer_ipv6_id);
  ASSERT_TRUE(send6(*p.client, ipv6_packet(1), p.now));
  ASSERT_TRUE(send6(*p.server, ipv6_packet(2, 1280), p.now));
  ASSERT_TRUE(send4(*p.server, ipv4_packet(3), p.now));
  p.run();
  ASSERT_EQ(p.so.ipv6.size(), 1u);
  ASSERT_EQ(p.co.ipv6.size(), 1u);
  EXPECT_EQ(p.so.ipv6[0], ipv6_packet(1));
  EXPECT_EQ(p.co.ipv6[0], ipv6_packet(2, 1280));
  EXPECT_EQ(p.co.ipv4.size(), 1u);
}

TEST(Link, WithoutMppeDataIsPlainAndStillByteForByte) {
  LinkConfig s = server_config(), c = client_config();
  for (LinkConfig* l : {&s, &c}) {
    l->policy.auth_methods = {AuthMethod::Pap};
    l->policy.allow_encryption = false;
    l->policy.require_encryption = false;
    l->enable_ipv6 = true;
  }
  Pair p(s, c);
  p.start();
  p.run();
  ASSERT_TRUE(p.both_up()) << p.server->down_reason();
  EXPECT_FALSE(p.so.find(LinkEvent::Kind::Up)->up.mppe.has_value());
  EXPECT_EQ(p.so.find(LinkEvent::Kind::Up)->up.auth_method, AuthMethod::Pap);
  std::size_t before = p.co.frames.size();
  ASSERT_TRUE(send4(*p.client, ipv4_packet(7), p.now));
  // PFC + ACFC: one protocol byte 0x21 then the packet itself (RFC 1661 §6.5/§6.6).
  Bytes expect{0x21};
  Bytes pkt = ipv4_packet(7);
  expect.insert(expect.end(), pkt.begin(), pkt.end());
  EXPECT_EQ(p.co.frames[before], expect);
  ASSERT_TRUE(send6(*p.server, ipv6_packet(8), p.now));
  p.run();
  ASSERT_EQ(p.so.ipv4.size(), 1u);
  EXPECT_EQ(p.so.ipv4[0], ipv4_packet(7));
  ASSERT_EQ(p.co.ipv6.size(), 1u);
  EXPECT_EQ(p.co.ipv6[0], ipv6_packet(8));
}

TEST(Link, OptionalEncryptionFallsBackWhenPeerRejectsCcp) {
  LinkConfig s = server_config(), c = client_config();
  s.policy.require_encryption = false;               // server would like MPPE
  c.policy.require_encryption = false;
  c.policy.allow_encryption = false;                 // client does not speak CCP: Protocol-Reject
  Pair p(s, c);
  p.start();
  p.run(true, std::chrono::seconds(5));
  ASSERT_TRUE(p.both_up()) << p.server->down_reason();
  EXPECT_FALSE(p.so.find(LinkEvent::Kind::Up)->up.mppe.has_value());
  EXPECT_GE(p.client->counters().protocol_rejects_sent, 1u);
  ASSERT_TRUE(send4(*p.client, ipv4_packet(1), p.now));
  p.run();
  EXPECT_EQ(p.so.ipv4.size(), 1u);
}

// Encryption allowed but not required, and PAP yields no MPPE keys: CCP is not offered, the
// peer's CCP is Protocol-Rejected, and the link comes up unencrypted.
TEST(Link, OptionalEncryptionWithoutKeysSkipsCcp) {
  LinkConfig s = server_config(), c = client_config();
  for (LinkConfig* l : {&s, &c}) {
    l->policy.auth_methods = {AuthMethod::Pap};
    l->policy.require_encryption = false;
  }
  Pair p(s, c);
  p.start();
  p.run(true, std::chrono::seconds(5));
  ASSERT_TRUE(p.both_up()) << p.server->down_reason();
  EXPECT_FALSE(p.so.find(LinkEvent::Kind::Up)->up.mppe.has_value());
  EXPECT_EQ(p.server->ccp().state(), FsmState::Initial);
}

TEST(Link, UnencryptedDataAfterMppeIsDroppedAndCounted) {
  Pair p(server_config(), client_config());
  p.start();
  p.run();
  ASSERT_TRUE(p.both_up());
  Bytes frame{0xFF, 0x03, 0x00, 0x21};
  Bytes pkt = ipv4_packet(5);
  frame.insert(frame.end(), pkt.begin(), pkt.end());
  p.server->receive_frame(frame, p.now);
  EXPECT_EQ(p.so.ipv4.size(), 0u);
  EXPECT_EQ(p.server->counters().dropped_unencrypted, 1u);
}

TEST(Link, DataBeforeUpIsRefusedAndCounted) {
  Pair p(server_config(), client_config());
  EXPECT_FALSE(send4(*p.client, ipv4_packet(1), p.now));
  EXPECT_EQ(p.client->counters().tx_not_ready, 1u);
}

TEST(Link, UnknownProtocolIsProtocolRejected) {
  Pair p(server_config(), client_config());
  p.start();
  p.run();
  ASSERT_TRUE(p.both_up());
  std::size_t before = p.so.frames.size();
  Bytes frame{0xFF, 0x03, 0x00, 0x2B, 0xAA, 0xBB};  // IPX (0x002B)
  p.server->receive_frame(frame, p.now);
  EXPECT_EQ(p.server->counters().protocol_rejects_sent, 1u);
  ASSERT_EQ(p.so.frames.size(), before + 1);
  // FF 03 C0 21 | 08 id 00 08 | 00 2B AA BB  (RFC 1661 §5.7; LCP is never compressed)
  const Bytes& rej = p.so.frames.back();
  ASSERT_EQ(rej.size(), 12u);
  EXPECT_EQ(Bytes(rej.begin(), rej.begin() + 5), (Bytes{0xFF, 0x03, 0xC0, 0x21, 0x08}));
  EXPECT_EQ(Bytes(rej.begin() + 6, rej.end()), (Bytes{0x00, 0x08, 0x00, 0x2B, 0xAA, 0xBB}));
  p.run();
  // The client receives it; a rejected protocol it never uses changes nothing.
  EXPECT_EQ(p.client->counters().protocol_rejects_received, 1u);
  EXPECT_TRUE(p.both_up());
}

TEST(Link, LcpMaintenancePacketsAreAnsweredOrSilentlyAccepted) {
  Pair p(server_config(), client_config());
  p.start();
  p.run();
  ASSERT_TRUE(p.both_up());
  std::size_t before = p.so.frames.size();
  // Identification (RFC 1570 §1.1) and Discard-Request (RFC 1661 §5.9): no response at all.
  Bytes ident{0xFF, 0x03, 0xC0, 0x21, 12, 1, 0, 12, 0, 0, 0, 0, 'M', 'S', 'R', 'A'};
  p.server->receive_frame(ident, p.now);
  Bytes discard{0xFF, 0x03, 0xC0, 0x21, 11, 2, 0, 8, 0, 0, 0, 0};
  p.server->receive_frame(discard, p.now);
  EXPECT_EQ(p.so.frames.size(), before);
  // Echo-Request: Echo-Reply with the same Identifier and data, our Magic-Number in front.
  Bytes echo{0xFF, 0x03, 0xC0, 0x21, 9, 3, 0, 10, 1, 2, 3, 4, 0xAB, 0xCD};
  p.server->receive_frame(echo, p.now);
  ASSERT_EQ(p.so.frames.size(), before + 1);
  Bytes magic(4);
  store_be32(magic.data(), p.server->lcp_result().local_magic);
  Bytes want{0xFF, 0x03, 0xC0, 0x21, 10, 3, 0, 10};
  want.insert(want.end(), magic.begin(), magic.end());
  want.push_back(0xAB);
  want.push_back(0xCD);
  EXPECT_EQ(p.so.frames.back(), want);
  // An unknown LCP code: Code-Reject carrying the packet (RFC 1661 §5.6).
  Bytes unknown{0xFF, 0x03, 0xC0, 0x21, 0x42, 4, 0, 4};
  p.server->receive_frame(unknown, p.now);
  ASSERT_EQ(p.so.frames.size(), before + 2);
  EXPECT_EQ(p.so.frames.back()[4], 7);
  EXPECT_EQ(Bytes(p.so.frames.back().begin() + 8, p.so.frames.back().end()), (Bytes{0x42, 4, 0, 4}));
}

TEST(Link, BadFramesAreCounted) {
  Pair p(server_config(), client_config());
  p.start();
  for (Bytes f : {Bytes{},
                  Bytes{0xFF, 0x05, 0xC0, 0x21},     // bad control field
                  Bytes{0xFF, 0x03, 0xC0},           // cut protocol field
                  Bytes{0xFF, 0x03, 0x00, 0x20}}) {  // even protocol number 0x0020
    p.server->receive_frame(f, p.now);
  }
  EXPECT_EQ(p.server->counters().bad_frame, 4u);
}

TEST(Link, AuthenticationFailureGoesDownWithReason) {
  Pair p(server_config(), client_config());
  p.sscript.fail = true;
  p.cscript.fail = true;
  p.start();
  p.run(true, std::chrono::seconds(30));
  const LinkEvent* sd = p.so.find(LinkEvent::Kind::Down);
  ASSERT_TRUE(sd);
  EXPECT_EQ(sd->reason, "authentication failed (MS-CHAPv2): E=691 authentication failure");
  EXPECT_FALSE(p.so.find(LinkEvent::Kind::Up));
  EXPECT_EQ(p.server->phase(), LinkPhase::Dead);
  ASSERT_TRUE(p.co.find(LinkEvent::Kind::Down));
}

TEST(Link, ReasonWhenPeerRefusesMsChapV2) {
  LinkConfig c = client_config();
  c.policy.auth_methods = {AuthMethod::Pap};
  Pair p(server_config(), c);
  p.start();
  p.run(true, std::chrono::seconds(30));
  const LinkEvent* sd = p.so.find(LinkEvent::Kind::Down);
  ASSERT_TRUE(sd);
  EXPECT_EQ(sd->reason, "peer refused MS-CHAPv2 and policy allows no other method");
}

TEST(Link, ReasonWhenPeerOffersOnly40BitMppe) {
  LinkConfig c = client_config();
  c.policy.mppe_strengths = {auth::MppeStrength::Bits40};
  Pair p(server_config(), c);
  p.start();
  p.run(true, std::chrono::seconds(30));
  const LinkEvent* sd = p.so.find(LinkEvent::Kind::Down);
  ASSERT_TRUE(sd);
  EXPECT_EQ(sd->reason, "peer offered only 40-bit MPPE; policy requires 128-bit");
  EXPECT_FALSE(p.server->is_up());
}

TEST(Link, ReasonWhenPeerRejectsMppe) {
  LinkConfig c = client_config();
  c.policy.allow_encryption = false;
  c.policy.require_encryption = false;  // the client Protocol-Rejects CCP
  Pair p(server_config(), c);
  p.start();
  p.run(true, std::chrono::seconds(30));
  const LinkEvent* sd = p.so.find(LinkEvent::Kind::Down);
  ASSERT_TRUE(sd);
  EXPECT_EQ(sd->reason, "peer rejected protocol CCP; policy requires encryption (MPPE)");
  EXPECT_FALSE(p.so.find(LinkEvent::Kind::Up));
}

TEST(Link, ReasonWhenEncryptionRequiredButAuthYieldsNoKeys) {
  LinkConfig s = server_config(), c = client_config();
  s.policy.auth_methods = {AuthMethod::Pap};  // policy inconsistent: PAP cannot key MPPE
  c.policy.auth_methods = {AuthMethod::Pap};
  Pair p(s, c);
  p.start();
  p.run(true, std::chrono::seconds(30));
  const LinkEvent* sd = p.so.find(LinkEvent::Kind::Down);
  ASSERT_TRUE(sd);
  EXPECT_EQ(sd->reason, "policy requires encryption, but LCP agreed on PAP authentication, which yields no MPPE keys");
}

TEST(Link, KeepaliveDeclaresSilentPeerDead) {
  LinkConfig s = server_config();
  s.lcp.echo_interval = std::chrono::seconds(10);
  s.lcp.echo_max_failures = 3;
  Pair p(s, client_config());
  p.start();
  p.run();
  ASSERT_TRUE(p.both_up());
  // Echo replies flow while the client answers.
  p.run(true, std::chrono::seconds(35));
  EXPECT_GE(p.server->counters().echo_requests_sent, 3u);
  EXPECT_EQ(p.server->counters().echo_replies_received, p.server->counters().echo_requests_sent);
  EXPECT_TRUE(p.server->is_up());
  // Now the client goes silent.
  p.co.blackhole = true;
  p.run(true, std::chrono::seconds(120));
  const LinkEvent* sd = p.so.find(LinkEvent::Kind::Down);
  ASSERT_TRUE(sd);
  EXPECT_EQ(sd->reason, "peer did not answer 3 LCP Echo-Requests");
}

TEST(Link, AdministrativeCloseBringsBothDown) {
  Pair p(server_config(), client_config());
  p.start();
  p.run();
  ASSERT_TRUE(p.both_up());
  p.client->close("user hung up", p.now);
  EXPECT_EQ(p.client->phase(), LinkPhase::Terminate);
  p.run();  // the server answers the Terminate-Request and waits in Stopping
  EXPECT_EQ(p.server->phase(), LinkPhase::Terminate);
  EXPECT_FALSE(p.server->is_up());
  p.run(true, std::chrono::seconds(30));
  ASSERT_TRUE(p.co.find(LinkEvent::Kind::Down));
  EXPECT_EQ(p.co.find(LinkEvent::Kind::Down)->reason, "user hung up");
  ASSERT_TRUE(p.so.find(LinkEvent::Kind::Down));
  EXPECT_EQ(p.so.find(LinkEvent::Kind::Down)->reason, "peer sent LCP Terminate-Request: user hung up");
  EXPECT_EQ(p.server->phase(), LinkPhase::Dead);
  EXPECT_EQ(p.client->phase(), LinkPhase::Dead);
}

TEST(Link, CloseBeforeStartEmitsDownAtOnce) {
  Pair p(server_config(), client_config());
  p.server->close("shutting down", p.now);
  ASSERT_TRUE(p.so.find(LinkEvent::Kind::Down));
  EXPECT_EQ(p.so.find(LinkEvent::Kind::Down)->reason, "shutting down");
  EXPECT_TRUE(p.so.frames.empty());
  p.server->start(p.now);  // a closed link stays closed
  EXPECT_TRUE(p.so.frames.empty());
}

TEST(Link, LowerDownEmitsDownOnce) {
  Pair p(server_config(), client_config());
  p.start();
  p.run();
  p.server->lower_down("call cleared", p.now);
  p.server->lower_down("again", p.now);
  int downs = 0;
  for (const auto& e : p.so.events) downs += e.kind == LinkEvent::Kind::Down;
  EXPECT_EQ(downs, 1);
  EXPECT_EQ(p.so.find(LinkEvent::Kind::Down)->reason, "call cleared");
}

TEST(Link, NoReplyAtAllEndsWithLcpReason) {
  Pair p(server_config(), client_config());
  p.so.blackhole = true;
  p.server->start(p.now);
  p.run(true, std::chrono::seconds(60));
  ASSERT_TRUE(p.so.find(LinkEvent::Kind::Down));
  EXPECT_EQ(p.so.find(LinkEvent::Kind::Down)->reason, "LCP: no acceptable reply to 10 Configure-Requests");
  EXPECT_EQ(p.server->lcp().state(), FsmState::Stopped);
  EXPECT_FALSE(p.server->deadline().has_value());
  // A late Configure-Request does not revive a Link that has gone Down.
  std::size_t frames = p.so.frames.size();
  Bytes req{0xFF, 0x03, 0xC0, 0x21, 0x01, 0x01, 0x00, 0x04};
  p.server->receive_frame(req, p.now);
  EXPECT_EQ(p.so.frames.size(), frames);
  EXPECT_EQ(p.server->counters().dropped_after_down, 1u);
}

TEST(Link, StatefulMppeResyncsAfterLossWithResetRequest) {
  LinkConfig s = server_config(), c = client_config();
  for (LinkConfig* l : {&s, &c}) {
    l->policy.allow_stateless = false;
    l->policy.allow_stateful = true;
  }
  Pair p(s, c);
  p.start();
  p.run();
  ASSERT_TRUE(p.both_up());
  EXPECT_EQ(*p.so.find(LinkEvent::Kind::Up)->up.mppe, (MppeChoice{auth::MppeStrength::Bits128, false}));
  ASSERT_TRUE(send4(*p.client, ipv4_packet(1), p.now));
  p.run();
  ASSERT_EQ(p.so.ipv4.size(), 1u);
  // Lose one encrypted packet on the way to the server.
  bool dropped = false;
  p.c_to_s_filter = [&](Bytes&) {
    if (dropped) return true;
    dropped = true;
    return false;
  };
  ASSERT_TRUE(send4(*p.client, ipv4_packet(2), p.now));
  p.run();
  ASSERT_TRUE(send4(*p.client, ipv4_packet(3), p.now));  // out of sync: dropped, Reset-Request
  p.run();
  EXPECT_GE(p.server->counters().reset_requests_sent, 1u);
  EXPECT_GE(p.client->counters().reset_requests_received, 1u);
  ASSERT_TRUE(send4(*p.client, ipv4_packet(4), p.now));  // FLUSHED: back in sync
  p.run();
  ASSERT_FALSE(p.so.ipv4.empty());
  EXPECT_EQ(p.so.ipv4.back(), ipv4_packet(4));
  EXPECT_GE(p.server->counters().mppe_lost_sync, 1u);
}

TEST(Link, StatelessMppeSurvivesLossWithoutReset) {
  Pair p(server_config(), client_config());
  p.start();
  p.run();
  ASSERT_TRUE(p.both_up());
  int n = 0;
  p.c_to_s_filter = [&](Bytes&) { return ++n % 3 != 0; };  // every third frame lost
  for (std::uint8_t i = 0; i < 9; ++i) ASSERT_TRUE(send4(*p.client, ipv4_packet(i), p.now));
  p.run();
  ASSERT_EQ(p.so.ipv4.size(), 6u);
  EXPECT_EQ(p.so.ipv4[0], ipv4_packet(0));
  EXPECT_EQ(p.so.ipv4[2], ipv4_packet(3));
  EXPECT_EQ(p.server->counters().reset_requests_sent, 0u);
}

TEST(Link, OversizePacketIsRefused) {
  Pair p(server_config(), client_config());
  p.start();
  p.run();
  ASSERT_TRUE(p.both_up());
  // Peer MRU 1400; MPPE adds its header (2) and the inner protocol field (2).
  EXPECT_EQ(p.co.find(LinkEvent::Kind::Up)->up.mtu, 1396);
  EXPECT_FALSE(send4(*p.client, ipv4_packet(1, 1397), p.now));
  EXPECT_EQ(p.client->counters().tx_too_big, 1u);
  ASSERT_TRUE(send4(*p.client, ipv4_packet(1, 1396), p.now));
  EXPECT_LE(p.co.frames.back().size(), 1u + 1400u);  // FD + information field within the MRU
  p.run();
  ASSERT_EQ(p.so.ipv4.size(), 1u);
  EXPECT_EQ(p.so.ipv4[0], ipv4_packet(1, 1396));
}

// RFC 1661 §3.2/§4.3: a Configure-Request in Opened renegotiates LCP; the link goes back
// through authentication and the NCPs and comes up again, with fresh MPPE state.
TEST(Link, LcpRenegotiationBringsTheLinkUpAgain) {
  Pair p(server_config(), client_config());
  p.start();
  p.run();
  ASSERT_TRUE(p.both_up());
  Bytes req{0xFF, 0x03, 0xC0, 0x21, 0x01, 0x77, 0x00, 0x04};  // Configure-Request, no options
  p.server->receive_frame(req, p.now);
  EXPECT_FALSE(p.server->is_up());
  EXPECT_EQ(p.server->phase(), LinkPhase::Establish);
  p.run(true, std::chrono::seconds(30));
  ASSERT_TRUE(p.both_up()) << p.server->down_reason();
  int ups = 0;
  for (const auto& e : p.so.events) ups += e.kind == LinkEvent::Kind::Up;
  EXPECT_EQ(ups, 2);
  EXPECT_FALSE(p.so.find(LinkEvent::Kind::Down));
  EXPECT_EQ(p.sscript.created, 2);
  ASSERT_TRUE(send4(*p.client, ipv4_packet(9), p.now));
  p.run();
  ASSERT_EQ(p.so.ipv4.size(), 1u);
  EXPECT_EQ(p.so.ipv4[0], ipv4_packet(9));
}

// Garbage in every phase: nothing crashes, nothing is delivered, and a good link stays usable
// (run under the Sanitize build for memory errors).
TEST(Link, RandomFramesNeverCrashOrDeliver) {
  SeededRandom r{99};
  for (int phase_steps : {0, 3, 8, 1000}) {
    Pair p(server_config(), client_config());
    p.start();
    for (int i = 0; i < phase_steps && (!p.c_to_s.empty() || !p.s_to_c.empty()); ++i) {
      if (!p.c_to_s.empty()) {
        Bytes f = std::move(p.c_to_s.front());
        p.c_to_s.pop_front();
        p.server->receive_frame(f, p.now);
      }
      if (!p.s_to_c.empty()) {
        Bytes f = std::move(p.s_to_c.front());
        p.s_to_c.pop_front();
        p.client->receive_frame(f, p.now);
      }
    }
    for (int i = 0; i < 3000; ++i) {
      std::uint8_t len_byte[2];
      r.fill(len_byte);
      Bytes f(len_byte[0] % 64);
      r.fill(f);
      // Steer some frames at real protocols so the parsers behind them are exercised.
      static const std::uint8_t protos[][2] = {{0xC0, 0x21}, {0x80, 0x21}, {0x80, 0xFD}, {0x00, 0xFD},
                                               {0xC2, 0x23}, {0x80, 0x57}, {0x00, 0x21}};
      if (f.size() >= 4 && (len_byte[1] & 1)) {
        f[0] = 0xFF;
        f[1] = 0x03;
        f[2] = protos[len_byte[1] % 7][0];
        f[3] = protos[len_byte[1] % 7][1];
      }
      p.server->receive_frame(f, p.now);
    }
    EXPECT_TRUE(p.so.ipv4.empty());
    EXPECT_GT(p.server->counters().frames_in, 2999u);
  }
}

// LinkConfig::setup_timeout (server [limits] network_setup_seconds): from start() to Up.
TEST(Link, SetupDeadlineEndsALinkWhoseIpcpNeverOpens) {
  LinkConfig s = server_config();
  s.setup_timeout = std::chrono::seconds(5);  // well inside IPCP's own 10 x 3 s of retries
  Pair p(s, client_config());
  // The client's IPCP frames (PPP protocol 0x8021, RFC 1332 §2; address/control may be
  // compressed away, RFC 1661 §6.6) never reach the server.
  p.c_to_s_filter = [](Bytes& f) {
    const bool full = f.size() >= 4 && f[0] == 0xFF && f[2] == 0x80 && f[3] == 0x21;
    const bool acfc = f.size() >= 2 && f[0] == 0x80 && f[1] == 0x21;
    return !(full || acfc);
  };
  p.start();
  p.run(true, std::chrono::seconds(20));
  const LinkEvent* sd = p.so.find(LinkEvent::Kind::Down);
  ASSERT_TRUE(sd) << "phase " << to_string(p.server->phase()) << ", events " << p.so.events.size()
                  << ", up " << p.server->is_up() << ", ipcp " << to_string(p.server->ipcp().state());
  EXPECT_FALSE(p.so.find(LinkEvent::Kind::Up));
  EXPECT_EQ(sd->reason,
            "network setup deadline passed: the link was not up 5 s after the call came up (in Network phase)");
}

TEST(Link, SetupDeadlineIsForgottenOnceTheLinkIsUp) {
  LinkConfig s = server_config();
  s.setup_timeout = std::chrono::seconds(5);
  Pair p(s, client_config());
  p.start();
  p.run();
  ASSERT_TRUE(p.both_up());
  p.run(true, std::chrono::seconds(60));
  EXPECT_TRUE(p.server->is_up());
  EXPECT_FALSE(p.so.find(LinkEvent::Kind::Down));
}

// RFC 1661 §6.1 and §5.1/§5.8 (issue 19, "also seen"): the server's MRU is 1400 (LcpConfig
// default) and the client asks for 1000. Frames up to 1500 octets are received whatever the
// MRU (the MUST of §6.1), longer ones are dropped and counted; an Echo-Reply never exceeds the
// peer's MRU (its Data cut to fit, as Rejected-Information is, §5.7).
TEST(Link, FramesBeyondTheMruAndEchoRepliesWithinThePeersMru) {
  LinkConfig s = server_config(), c = client_config();
  for (LinkConfig* l : {&s, &c}) {
    l->policy.auth_methods = {AuthMethod::Pap};
    l->policy.allow_encryption = false;
    l->policy.require_encryption = false;
  }
  c.lcp.mru = 1000;
  Pair p(s, c);
  p.start();
  p.run();
  ASSERT_TRUE(p.both_up()) << p.server->down_reason();
  ASSERT_EQ(p.server->lcp_result().peer_mru, 1000);
  ASSERT_EQ(p.server->lcp_result().local_mru, 1400);
  const auto echo = [](std::uint8_t id, std::size_t data) {
    Bytes f{0xFF, 0x03, 0xC0, 0x21, 9, id, 0, 0};
    store_be16(f.data() + 6, static_cast<std::uint16_t>(8 + data));
    f.resize(4 + 8 + data, 0x5A);  // Magic-Number 0x5A5A5A5A (not ours), then the data
    return f;
  };
  std::size_t before = p.so.frames.size();
  // 1568-octet LCP packet: beyond 1500 and the MRU: no reply, counted.
  Bytes e1 = echo(1, 1560);
  p.server->receive_frame(e1, p.now);
  EXPECT_EQ(p.so.frames.size(), before);
  EXPECT_EQ(p.server->counters().dropped_too_long, 1u);
  // 1208 octets: received (within 1500), answered within the client's MRU of 1000.
  Bytes e2 = echo(2, 1200);
  p.server->receive_frame(e2, p.now);
  ASSERT_EQ(p.so.frames.size(), before + 1);
  const Bytes& r = p.so.frames.back();
  ASSERT_EQ(r.size(), 4u + 1000u);  // FF 03 C0 21 + an LCP packet of Length 1000
  EXPECT_EQ(r[4], 10);
  EXPECT_EQ(r[5], 2);
  EXPECT_EQ(load_be16(r.data() + 6), 1000);
  EXPECT_EQ(p.server->counters().echo_replies_truncated, 1u);
  // A small one is answered whole.
  Bytes e3 = echo(3, 20);
  p.server->receive_frame(e3, p.now);
  ASSERT_EQ(p.so.frames.size(), before + 2);
  EXPECT_EQ(load_be16(p.so.frames.back().data() + 6), 28);
  // IPv4: 1450 octets (above the MRU of 1400, within 1500) is delivered, 1600 is not.
  for (std::size_t size : {1450u, 1600u}) {
    Bytes f{0xFF, 0x03, 0x00, 0x21};
    Bytes pkt = ipv4_packet(9, size);
    f.insert(f.end(), pkt.begin(), pkt.end());
    p.server->receive_frame(f, p.now);
  }
  ASSERT_EQ(p.so.ipv4.size(), 1u);
  EXPECT_EQ(p.so.ipv4[0], ipv4_packet(9, 1450));
  EXPECT_EQ(p.server->counters().dropped_too_long, 2u);
  EXPECT_TRUE(p.both_up());
}

}  // namespace
}  // namespace pptpx::ppp

namespace pptpx::ppp {
namespace {

bool frames_hold(const std::vector<Bytes>& frames, std::string_view text) {
  for (const auto& f : frames) {
    const std::string s(f.begin(), f.end());
    if (s.find(text) != std::string::npos) return true;
  }
  return false;
}

// Renegotiates LCP on an up link (RFC 1661 §4.3: a Configure-Request in Opened), with the auth
// scripts of both sides now naming `user`.
void reauthenticate_as(Pair& p, const std::string& user) {
  p.sscript.user = user;
  p.cscript.user = user;
  Bytes req{0xFF, 0x03, 0xC0, 0x21, 0x01, 0x77, 0x00, 0x04};  // Configure-Request, no options
  p.server->receive_frame(req, p.now);
  p.run(true, std::chrono::seconds(30));
}

// Issue 19 item 1: a re-authentication on an up link must name the user the link is up as, or
// the link ends (else one account's link could switch to another account past its lockout). The
// log reason names both; the peer's Terminate-Request carries only the fixed text.
TEST(LinkReauth, AnotherUserEndsTheLink) {
  Pair p(server_config(), client_config());
  p.start();
  p.run();
  ASSERT_TRUE(p.both_up());
  const std::string first = p.so.find(LinkEvent::Kind::Up)->up.user;
  ASSERT_FALSE(first.empty());
  reauthenticate_as(p, "carol");
  const LinkEvent* down = p.so.find(LinkEvent::Kind::Down);
  ASSERT_NE(down, nullptr);
  EXPECT_EQ(down->reason.rfind("re-authentication named user \"carol\", but the call is up as user \"" + first + "\"", 0),
            0u)
      << down->reason;
  int ups = 0;
  for (const auto& e : p.so.events) ups += e.kind == LinkEvent::Kind::Up;
  EXPECT_EQ(ups, 1);  // never up as carol
  EXPECT_TRUE(frames_hold(p.so.frames, "re-authentication must name the same user"));
  EXPECT_FALSE(frames_hold(p.so.frames, "carol"));
}

TEST(LinkReauth, TheSameUserComesUpAgain) {
  Pair p(server_config(), client_config());
  p.start();
  p.run();
  ASSERT_TRUE(p.both_up());
  reauthenticate_as(p, p.sscript.user);
  EXPECT_TRUE(p.both_up()) << p.server->down_reason();
  EXPECT_FALSE(p.so.find(LinkEvent::Kind::Down));
}

// A failed re-authentication is an authentication failure like any other: its reason starts
// "authentication failed" (what the server counts toward the lockout) and the Down event names
// the user that was tried.
TEST(LinkReauth, FailureIsReportedWithTheNameTried) {
  Pair p(server_config(), client_config());
  p.start();
  p.run();
  ASSERT_TRUE(p.both_up());
  p.sscript.fail = true;
  reauthenticate_as(p, "carol");
  const LinkEvent* down = p.so.find(LinkEvent::Kind::Down);
  ASSERT_NE(down, nullptr);
  EXPECT_EQ(down->reason.rfind("authentication failed", 0), 0u) << down->reason;
  EXPECT_EQ(down->up.user, "carol");
  EXPECT_TRUE(frames_hold(p.so.frames, "authentication failed"));
  EXPECT_FALSE(frames_hold(p.so.frames, "E=691 authentication failure"));  // the fake's reason stays local
}

}  // namespace
}  // namespace pptpx::ppp
