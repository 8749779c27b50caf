// The RADIUS request machine under a fake clock: matching, checks, retransmission, failover,
// dead servers, weights and backups, Identifier exhaustion, accounting retransmission.
// Replies are built with the codec's response encoder from the secret each server holds.
#include <gtest/gtest.h>

#include "radius/client.hpp"
#include "radius/security.hpp"

namespace pptpx::radius {
namespace {

ClientConfig two_servers() {
  ClientConfig c;
  c.servers = {ServerConfig{"a", "secret-a", 1, false, true}, ServerConfig{"b", "secret-b", 1, false, true}};
  c.timeout = 2s;
  c.retries = 2;
  c.max_fail = 1;
  c.fail_timeout = 30s;
  return c;
}

Request access(std::string user = "bob") {
  Request r;
  r.packet.code = Code::AccessRequest;
  r.packet.add_string(attr::UserName, user);
  r.user_password = "pw";
  return r;
}

// What server `secret` would answer to `request` (a wire Access/Accounting-Request).
Bytes reply_to(ByteView request, std::string_view secret, Code code, bool ma = true) {
  const Packet req = parse(request).packet;
  Packet rep;
  rep.code = code;
  rep.identifier = req.identifier;
  return encode_response(rep, req.authenticator, secret, ma);
}

struct Rig {
  explicit Rig(ClientConfig c) : client(std::move(c), [this](MutableByteView out) {
    for (auto& b : out) b = static_cast<std::uint8_t>(counter++);
  }) {}
  std::vector<Datagram> out() { return client.take_output(); }
  void advance(Duration d) {
    const Time until = now + d;
    while (auto dl = client.deadline()) {
      if (*dl > until) break;
      now = std::max(now, *dl);
      client.on_timer(now);
    }
    now = until;
  }
  unsigned counter = 0;
  Client client;
  Time now = Time{} + 1000s;
};

TEST(RadiusClient, AccessRequestCarriesMessageAuthenticatorAndHiddenPassword) {
  Rig r(two_servers());
  const RequestId id = r.client.submit(access(), r.now);
  auto out = r.out();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].port, Port::Auth);
  const Packet p = parse(out[0].bytes).packet;
  const std::string secret = r.client.config().servers[out[0].server].secret;
  ASSERT_FALSE(p.attributes.empty());
  EXPECT_EQ(p.attributes[0].type, attr::MessageAuthenticator);  // first (BlastRADIUS advice)
  EXPECT_EQ(unhide_user_password(p.find(attr::UserPassword)->value, p.authenticator, secret), "pw");
  // A server could check the Message-Authenticator: recompute it independently of the encoder.
  Packet zeroed = p;
  zeroed.attributes[0].value.assign(16, 0);
  EXPECT_EQ(encode_access_request(zeroed, secret), out[0].bytes);

  r.client.receive(out[0].server, Port::Auth, reply_to(out[0].bytes, secret, Code::AccessAccept), r.now);
  auto done = r.client.take_completions();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].id, id);
  ASSERT_TRUE(done[0].reply);
  EXPECT_EQ(done[0].reply->code, Code::AccessAccept);
  EXPECT_EQ(done[0].request_authenticator, p.authenticator);
  EXPECT_EQ(done[0].secret, secret);
  EXPECT_EQ(r.client.outstanding(), 0u);
  EXPECT_EQ(r.client.deadline(), std::nullopt);
}

TEST(RadiusClient, BadRepliesAreDroppedAndCountedWhileTheRequestWaits) {
  Rig r(two_servers());
  r.client.submit(access(), r.now);
  const Datagram d = r.out().at(0);
  const std::string secret = r.client.config().servers[d.server].secret;
  const std::size_t other = 1 - d.server;
  r.client.receive(d.server, Port::Auth, reply_to(d.bytes, "wrong", Code::AccessAccept), r.now);
  r.client.receive(d.server, Port::Auth, reply_to(d.bytes, secret, Code::AccessAccept, false), r.now);
  r.client.receive(d.server, Port::Auth, reply_to(d.bytes, secret, Code::AccountingResponse), r.now);
  r.client.receive(other, Port::Auth, reply_to(d.bytes, secret, Code::AccessAccept), r.now);  // wrong source
  r.client.receive(d.server, Port::Acct, reply_to(d.bytes, secret, Code::AccessAccept), r.now);
  Bytes wrong_id = reply_to(d.bytes, secret, Code::AccessAccept);
  wrong_id[1] ^= 0x55;
  r.client.receive(d.server, Port::Auth, wrong_id, r.now);
  r.client.receive(d.server, Port::Auth, Bytes{1, 2, 3}, r.now);
  const ClientCounters& c = r.client.counters();
  EXPECT_EQ(c.dropped_bad_authenticator, 2u);
  EXPECT_EQ(c.dropped_wrong_code, 1u);
  EXPECT_EQ(c.dropped_unknown_id, 3u);
  EXPECT_EQ(c.dropped_malformed, 1u);
  EXPECT_TRUE(r.client.take_completions().empty());
  r.client.receive(d.server, Port::Auth, reply_to(d.bytes, secret, Code::AccessReject), r.now);
  auto done = r.client.take_completions();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].reply->code, Code::AccessReject);
}

TEST(RadiusClient, RetransmitsThenFailsOverThenGivesUp) {
  Rig r(two_servers());
  r.client.submit(access(), r.now);
  const Datagram first = r.out().at(0);
  r.advance(2s);
  auto again = r.out();
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].bytes, first.bytes);  // RFC 5080 §2.2.1: byte for byte
  r.advance(2s);
  ASSERT_EQ(r.out().size(), 1u);  // retries = 2: three sends in all
  r.advance(2s);
  auto failover = r.out();
  ASSERT_EQ(failover.size(), 1u);
  EXPECT_NE(failover[0].server, first.server);
  EXPECT_EQ(r.client.counters().failovers, 1u);
  EXPECT_FALSE(r.client.server_alive(first.server, r.now));  // max_fail = 1
  r.advance(6s);
  auto done = r.client.take_completions();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_FALSE(done[0].reply.has_value());
  EXPECT_EQ(r.client.counters().unanswered, 1u);
  EXPECT_EQ(r.client.counters().sent, 6u);
  EXPECT_EQ(r.client.counters().retransmissions, 4u);
}

TEST(RadiusClient, ADeadServerIsSkippedUntilItsFailTimeoutEnds) {
  Rig r(two_servers());
  r.client.submit(access(), r.now);
  const std::size_t dead = r.out().at(0).server;
  r.advance(6s);  // three sends unanswered: dead, failed over
  const Datagram moved = r.out().at(0);
  r.client.receive(moved.server, Port::Auth,
                   reply_to(moved.bytes, r.client.config().servers[moved.server].secret, Code::AccessAccept), r.now);
  for (int i = 0; i < 4; ++i) {
    r.client.submit(access(), r.now);
    EXPECT_NE(r.out().at(0).server, dead);
  }
  r.advance(31s);  // past fail_timeout: the pending requests fail over to the old server...
  EXPECT_TRUE(r.client.server_alive(dead, r.now));
}

TEST(RadiusClient, WeightsAndBackups) {
  ClientConfig c;
  c.servers = {ServerConfig{"a", "s", 3, false}, ServerConfig{"b", "s", 1, false}, ServerConfig{"c", "s", 1, true}};
  Rig r(c);
  std::array<int, 3> count{};
  for (int i = 0; i < 8; ++i) {
    r.client.submit(access(), r.now);
    ++count[r.out().at(0).server];
  }
  EXPECT_EQ(count[0], 6);
  EXPECT_EQ(count[1], 2);
  EXPECT_EQ(count[2], 0);  // a backup is used only when no primary lives
}

TEST(RadiusClient, BackupTakesOverWhenPrimariesAreDead) {
  ClientConfig c;
  c.servers = {ServerConfig{"a", "s", 1, false}, ServerConfig{"c", "s", 1, true}};
  c.retries = 0;
  c.max_fail = 1;
  c.timeout = 1s;
  Rig r(c);
  r.client.submit(access(), r.now);
  EXPECT_EQ(r.out().at(0).server, 0u);
  r.advance(1s);
  EXPECT_EQ(r.out().at(0).server, 1u);
  r.client.submit(access(), r.now);
  EXPECT_EQ(r.out().at(0).server, 1u);
}

TEST(RadiusClient, AccountingRetransmissionUpdatesDelayAndIdentifier) {
  Rig r(two_servers());
  Request acct;
  acct.packet.code = Code::AccountingRequest;
  acct.packet.add_u32(attr::AcctStatusType, static_cast<std::uint32_t>(AcctStatus::Start));
  acct.packet.add_string(attr::AcctSessionId, "s1");
  r.client.submit(acct, r.now);
  const Datagram first = r.out().at(0);
  EXPECT_EQ(first.port, Port::Acct);
  const std::string secret = r.client.config().servers[first.server].secret;
  EXPECT_EQ(verify_accounting_style_request(first.bytes, secret, false), VerifyError::None);
  EXPECT_EQ(parse(first.bytes).packet.find(attr::AcctDelayTime), nullptr);
  r.advance(2s);
  const Datagram second = r.out().at(0);
  EXPECT_EQ(verify_accounting_style_request(second.bytes, secret, false), VerifyError::None);
  const Packet p2 = parse(second.bytes).packet;
  EXPECT_NE(p2.identifier, parse(first.bytes).packet.identifier);
  EXPECT_EQ(p2.find_u32(attr::AcctDelayTime), 2u);
  // The reply to the first transmission's Identifier is no longer expected.
  r.client.receive(first.server, Port::Acct, reply_to(first.bytes, secret, Code::AccountingResponse, false), r.now);
  EXPECT_EQ(r.client.counters().dropped_unknown_id, 1u);
  r.client.receive(second.server, Port::Acct, reply_to(second.bytes, secret, Code::AccountingResponse, false), r.now);
  EXPECT_EQ(r.client.take_completions().size(), 1u);
}

TEST(RadiusClient, QueuesWhenEveryIdentifierIsBusy) {
  ClientConfig c;
  c.servers = {ServerConfig{"a", "s", 1, false}};
  Rig r(c);
  std::vector<Datagram> sent;
  for (int i = 0; i < 257; ++i) r.client.submit(access(), r.now);
  sent = r.out();
  EXPECT_EQ(sent.size(), 256u);
  EXPECT_EQ(r.client.counters().queued_for_identifier, 1u);
  EXPECT_EQ(r.client.outstanding(), 257u);
  r.client.receive(0, Port::Auth, reply_to(sent[10].bytes, "s", Code::AccessAccept), r.now);
  auto queued = r.out();
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(parse(queued[0].bytes).packet.identifier, parse(sent[10].bytes).packet.identifier);
}

TEST(RadiusClient, CancelledRequestsCompleteNeverAndFreeTheirIdentifier) {
  Rig r(two_servers());
  const RequestId id = r.client.submit(access(), r.now);
  const Datagram d = r.out().at(0);
  r.client.cancel(id);
  r.client.receive(d.server, Port::Auth, reply_to(d.bytes, r.client.config().servers[d.server].secret, Code::AccessAccept),
                   r.now);
  EXPECT_TRUE(r.client.take_completions().empty());
  EXPECT_EQ(r.client.counters().dropped_unknown_id, 1u);
  EXPECT_EQ(r.client.deadline(), std::nullopt);
}

}  // namespace
}  // namespace pptpx::radius
