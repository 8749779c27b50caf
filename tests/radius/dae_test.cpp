// The RFC 5176 Dynamic Authorization core. Requests are assembled octet by octet here and
// authenticated with OpenSSL directly (not with the codec under test):
//   Request Authenticator  = MD5(Code+Identifier+Length+16 zero octets+Attributes+Secret)
//                            (RFC 5176 §2.3, RFC 2866 §3)
//   Response Authenticator = MD5(Code+Identifier+Length+Request Authenticator+Attributes+Secret)
//   Message-Authenticator  = HMAC-MD5(Secret, packet with the Authenticator as above and the
//                            Message-Authenticator value zeroed) (RFC 3579 §3.2, RFC 5176 §3.5)
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>
#include <vector>

#include "radius/dae.hpp"

namespace pptpx::radius {
namespace {

constexpr std::string_view kSecret = "dae-shared-secret";
constexpr std::uint32_t kClient = 0xC0000201;  // 192.0.2.1
constexpr std::int64_t kNow = 1'800'000'000;

Bytes md5(const Bytes& in) {
  Bytes out(16);
  unsigned int n = 0;
  EVP_Digest(in.data(), in.size(), out.data(), &n, EVP_md5(), nullptr);
  return out;
}

Bytes hmac_md5(std::string_view key, const Bytes& in) {
  Bytes out(16);
  unsigned int n = 0;
  HMAC(EVP_md5(), key.data(), static_cast<int>(key.size()), in.data(), in.size(), out.data(), &n);
  return out;
}

struct A {
  std::uint8_t type;
  Bytes value;
};
A text(std::uint8_t type, std::string_view s) { return {type, Bytes(s.begin(), s.end())}; }
A u32(std::uint8_t type, std::uint32_t v) {
  return {type, Bytes{static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
                      static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)}};
}

// A Disconnect-Request (40) or CoA-Request (43), signed with `secret`; `with_ma` adds a
// Message-Authenticator (first), `bad_ma` spoils it.
Bytes request(std::uint8_t code, std::uint8_t id, const std::vector<A>& attrs, std::string_view secret = kSecret,
              bool with_ma = false, bool bad_ma = false) {
  Bytes body;
  std::size_t ma_at = 0;
  if (with_ma) {
    body.push_back(80);
    body.push_back(18);
    ma_at = 20 + 2;
    body.insert(body.end(), 16, 0);
  }
  for (const A& a : attrs) {
    body.push_back(a.type);
    body.push_back(static_cast<std::uint8_t>(a.value.size() + 2));
    body.insert(body.end(), a.value.begin(), a.value.end());
  }
  const std::size_t len = 20 + body.size();
  Bytes p{code, id, static_cast<std::uint8_t>(len >> 8), static_cast<std::uint8_t>(len)};
  p.insert(p.end(), 16, 0);
  p.insert(p.end(), body.begin(), body.end());
  if (with_ma) {
    Bytes mac = hmac_md5(secret, p);
    if (bad_ma) mac[0] ^= 1;
    std::copy(mac.begin(), mac.end(), p.begin() + static_cast<std::ptrdiff_t>(ma_at));
  }
  Bytes signed_input = p;
  signed_input.insert(signed_input.end(), secret.begin(), secret.end());
  const Bytes auth = md5(signed_input);
  std::copy(auth.begin(), auth.end(), p.begin() + 4);
  return p;
}

// Checks the reply's Response Authenticator against the request; returns its attributes.
std::vector<A> check_reply(const Bytes& reply, const Bytes& req, std::uint8_t code, std::string_view secret = kSecret) {
  EXPECT_GE(reply.size(), 20u);
  if (reply.size() < 20) return {};
  EXPECT_EQ(reply[0], code);
  EXPECT_EQ(reply[1], req[1]);
  EXPECT_EQ(static_cast<std::size_t>(reply[2] << 8 | reply[3]), reply.size());
  Bytes in(reply.begin(), reply.begin() + 4);
  in.insert(in.end(), req.begin() + 4, req.begin() + 20);
  in.insert(in.end(), reply.begin() + 20, reply.end());
  in.insert(in.end(), secret.begin(), secret.end());
  EXPECT_EQ(md5(in), Bytes(reply.begin() + 4, reply.begin() + 20)) << "Response Authenticator";
  std::vector<A> out;
  for (std::size_t pos = 20; pos + 2 <= reply.size();) {
    const std::size_t l = reply[pos + 1];
    out.push_back({reply[pos], Bytes(reply.begin() + static_cast<std::ptrdiff_t>(pos + 2),
                                     reply.begin() + static_cast<std::ptrdiff_t>(pos + l))});
    pos += l;
  }
  return out;
}

std::optional<std::uint32_t> error_cause(const std::vector<A>& attrs) {
  for (const A& a : attrs)
    if (a.type == 101 && a.value.size() == 4)
      return static_cast<std::uint32_t>(a.value[0] << 24 | a.value[1] << 16 | a.value[2] << 8 | a.value[3]);
  return std::nullopt;
}

class FakeNas final : public DaeTarget {
 public:
  std::vector<DaeSession> sessions;
  std::vector<std::uint64_t> disconnected;
  std::vector<std::pair<std::uint64_t, CoaChange>> changed;
  std::vector<DaeSession> dae_sessions() const override { return sessions; }
  void dae_disconnect(const DaeSession& s) override { disconnected.push_back(s.key); }
  void dae_change(const DaeSession& s, const CoaChange& c) override { changed.emplace_back(s.key, c); }
};

class Dae : public ::testing::Test {
 protected:
  Dae() : server_(config()) {
    nas_.sessions = {{1, "7", "bob", 0xC6336402, "203.0.113.5"},     // 198.51.100.2
                     {2, "8", "alice", 0xC6336403, "203.0.113.6"},   // 198.51.100.3
                     {3, "9", "bob", 0xC6336404, "203.0.113.7"}};    // 198.51.100.4
  }
  static DaeConfig config() {
    DaeConfig c;
    c.clients = {{kClient, std::string(kSecret), false}, {0xC0000202, "other-secret", true}};
    c.nas_identifier = "pptpx-test";
    return c;
  }
  DaeOutcome send(const Bytes& d, std::uint32_t from = kClient, std::int64_t now = kNow) {
    return server_.receive(from, 40000, d, now, Time{} + std::chrono::seconds{now - kNow}, nas_);
  }
  DaeServer server_;
  FakeNas nas_;
};

TEST_F(Dae, DisconnectByAcctSessionIdIsAckedAndEndsThatSession) {
  const Bytes req = request(40, 7, {text(44, "8")});
  const DaeOutcome o = send(req);
  ASSERT_FALSE(o.dropped);
  const auto attrs = check_reply(o.reply, req, 41);
  EXPECT_FALSE(error_cause(attrs));
  EXPECT_EQ(nas_.disconnected, (std::vector<std::uint64_t>{2}));
  EXPECT_EQ(server_.counters().disconnect_ack, 1u);
}

TEST_F(Dae, EverySessionOfAUserNameIsDisconnected) {
  const Bytes req = request(40, 1, {text(1, "bob")});
  const DaeOutcome o = send(req);
  check_reply(o.reply, req, 41);
  EXPECT_EQ(nas_.disconnected, (std::vector<std::uint64_t>{1, 3}));
  EXPECT_EQ(o.matched, 2u);
}

TEST_F(Dae, SeveralAttributesMustAllMatch) {
  // bob's sessions are .2 and .4: bob at .3 (alice's address) matches nothing.
  Bytes req = request(40, 2, {text(1, "bob"), u32(8, 0xC6336403)});
  DaeOutcome o = send(req);
  EXPECT_EQ(error_cause(check_reply(o.reply, req, 42)), 503u);
  EXPECT_TRUE(nas_.disconnected.empty());
  req = request(40, 3, {text(1, "bob"), u32(8, 0xC6336404), text(31, "203.0.113.7")});
  o = send(req);
  check_reply(o.reply, req, 41);
  EXPECT_EQ(nas_.disconnected, (std::vector<std::uint64_t>{3}));
}

TEST_F(Dae, NoMatchIsNakWithErrorCause503) {
  const Bytes req = request(40, 4, {text(1, "mallory")});
  const DaeOutcome o = send(req);
  EXPECT_EQ(error_cause(check_reply(o.reply, req, 42)), 503u);
  EXPECT_EQ(server_.counters().disconnect_nak, 1u);
}

TEST_F(Dae, CoaAppliesSessionAndIdleTimeout) {
  const Bytes req = request(43, 5, {text(1, "alice"), u32(27, 600), u32(28, 30)});
  const DaeOutcome o = send(req);
  check_reply(o.reply, req, 44);
  ASSERT_EQ(nas_.changed.size(), 1u);
  EXPECT_EQ(nas_.changed[0].first, 2u);
  EXPECT_EQ(nas_.changed[0].second.session_timeout, 600u);
  EXPECT_EQ(nas_.changed[0].second.idle_timeout, 30u);
  EXPECT_EQ(server_.counters().coa_ack, 1u);
}

TEST_F(Dae, CoaWithOnlyOneTimeoutLeavesTheOtherUnchanged) {
  const Bytes req = request(43, 6, {text(44, "7"), u32(28, 0)});
  check_reply(send(req).reply, req, 44);
  ASSERT_EQ(nas_.changed.size(), 1u);
  EXPECT_FALSE(nas_.changed[0].second.session_timeout);
  EXPECT_EQ(nas_.changed[0].second.idle_timeout, 0u);
}

TEST_F(Dae, CoaNoMatchIsCoaNak503) {
  const Bytes req = request(43, 7, {text(1, "nobody"), u32(27, 60)});
  EXPECT_EQ(error_cause(check_reply(send(req).reply, req, 45)), 503u);
  EXPECT_TRUE(nas_.changed.empty());
}

TEST_F(Dae, UnsupportedAttributesAreNakedWith401AndNothingChanges) {
  // NAS-Port (5) identifies sessions we do not number that way; Filter-Id (11) is a change we
  // cannot make: the CoA is atomic, so alice's timeout is not changed either.
  Bytes req = request(40, 8, {text(1, "bob"), u32(5, 3)});
  EXPECT_EQ(error_cause(check_reply(send(req).reply, req, 42)), 401u);
  req = request(43, 9, {text(1, "alice"), u32(27, 60), text(11, "acl")});
  EXPECT_EQ(error_cause(check_reply(send(req).reply, req, 45)), 401u);
  // Session-Timeout is an authorization change, which a Disconnect-Request cannot carry.
  req = request(40, 10, {text(1, "bob"), u32(27, 60)});
  EXPECT_EQ(error_cause(check_reply(send(req).reply, req, 42)), 401u);
  EXPECT_TRUE(nas_.changed.empty());
  EXPECT_TRUE(nas_.disconnected.empty());
}

TEST_F(Dae, AuthorizeOnlyIsNakedWith405) {
  // RFC 5176 §3.2: Service-Type "Authorize Only" (17) MUST be answered with a NAK.
  const Bytes req = request(40, 11, {text(1, "bob"), u32(6, 17)});
  EXPECT_EQ(error_cause(check_reply(send(req).reply, req, 42)), 405u);
  EXPECT_TRUE(nas_.disconnected.empty());
}

TEST_F(Dae, MissingIdentificationIs402AndForeignNasIs403AndBadValueIs407) {
  Bytes req = request(40, 12, {u32(55, static_cast<std::uint32_t>(kNow))});
  EXPECT_EQ(error_cause(check_reply(send(req).reply, req, 42)), 402u);
  req = request(40, 13, {text(1, "bob"), text(32, "another-nas")});
  EXPECT_EQ(error_cause(check_reply(send(req).reply, req, 42)), 403u);
  req = request(40, 14, {text(1, "bob"), text(32, "pptpx-test")});
  check_reply(send(req).reply, req, 41);
  req = request(40, 15, {A{8, Bytes{198, 51, 100}}});
  EXPECT_EQ(error_cause(check_reply(send(req).reply, req, 42)), 407u);
}

TEST_F(Dae, UnknownClientIsDroppedAndCounted) {
  const DaeOutcome o = send(request(40, 16, {text(1, "bob")}), 0xC0000263);
  EXPECT_EQ(o.dropped, DaeDrop::UnknownClient);
  EXPECT_TRUE(o.reply.empty());
  EXPECT_TRUE(nas_.disconnected.empty());
  EXPECT_EQ(server_.counters().dropped_unknown_client, 1u);
}

TEST_F(Dae, WrongSecretIsDroppedAndCounted) {
  const DaeOutcome o = send(request(40, 17, {text(1, "bob")}, "not-the-secret"));
  EXPECT_EQ(o.dropped, DaeDrop::BadAuthenticator);
  EXPECT_TRUE(o.reply.empty());
  EXPECT_TRUE(nas_.disconnected.empty());
  EXPECT_EQ(server_.counters().dropped_bad_authenticator, 1u);
}

TEST_F(Dae, TamperedRequestIsDropped) {
  Bytes req = request(40, 18, {text(1, "bob")});
  req.back() = 'x';  // "box": the authenticator no longer covers it
  EXPECT_EQ(send(req).dropped, DaeDrop::BadAuthenticator);
}

TEST_F(Dae, MessageAuthenticatorIsCheckedAndRequiredWhereConfigured) {
  Bytes req = request(40, 19, {text(1, "bob")}, kSecret, true, true);
  EXPECT_EQ(send(req).dropped, DaeDrop::BadMessageAuthenticator);
  req = request(40, 20, {text(1, "bob")}, kSecret, true);
  DaeOutcome o = send(req);
  ASSERT_FALSE(o.dropped);
  const auto attrs = check_reply(o.reply, req, 41);
  // The reply carries one too: HMAC-MD5 over the reply with the Request Authenticator in place.
  ASSERT_FALSE(attrs.empty());
  EXPECT_EQ(attrs[0].type, 80);
  Bytes copy = o.reply;
  std::copy(req.begin() + 4, req.begin() + 20, copy.begin() + 4);
  std::fill(copy.begin() + 22, copy.begin() + 38, 0);
  EXPECT_EQ(hmac_md5(kSecret, copy), attrs[0].value);
  // The second client requires one: a request without it is dropped.
  o = send(request(40, 21, {text(1, "bob")}, "other-secret"), 0xC0000202);
  EXPECT_EQ(o.dropped, DaeDrop::BadMessageAuthenticator);
  EXPECT_FALSE(send(request(40, 22, {text(1, "bob")}, "other-secret", true), 0xC0000202).dropped);
  EXPECT_EQ(server_.counters().dropped_bad_message_authenticator, 2u);
}

TEST_F(Dae, EventTimestampOutsideTheWindowIsDropped) {
  const auto ts = [](std::int64_t t) { return u32(55, static_cast<std::uint32_t>(t)); };
  EXPECT_EQ(send(request(40, 23, {text(1, "bob"), ts(kNow - 301)})).dropped, DaeDrop::EventTimestamp);
  EXPECT_EQ(send(request(40, 24, {text(1, "bob"), ts(kNow + 301)})).dropped, DaeDrop::EventTimestamp);
  EXPECT_TRUE(nas_.disconnected.empty());
  EXPECT_FALSE(send(request(40, 25, {text(1, "bob"), ts(kNow - 299)})).dropped);
  EXPECT_EQ(server_.counters().dropped_event_timestamp, 2u);
}

TEST(DaeConfigured, RequiredEventTimestampDropsRequestsWithout) {
  DaeConfig c;
  c.clients = {{kClient, std::string(kSecret), false}};
  c.require_event_timestamp = true;
  c.event_timestamp_window = std::chrono::seconds{10};
  DaeServer s(c);
  FakeNas nas;
  nas.sessions = {{1, "1", "bob", 0, "203.0.113.5"}};
  EXPECT_EQ(s.receive(kClient, 1, request(40, 1, {text(1, "bob")}), kNow, Time{}, nas).dropped, DaeDrop::EventTimestamp);
  EXPECT_EQ(s.receive(kClient, 1, request(40, 2, {text(1, "bob"), u32(55, kNow - 11)}), kNow, Time{}, nas).dropped,
            DaeDrop::EventTimestamp);
  EXPECT_FALSE(s.receive(kClient, 1, request(40, 3, {text(1, "bob"), u32(55, kNow - 9)}), kNow, Time{}, nas).dropped);
  EXPECT_EQ(nas.disconnected.size(), 1u);
}

TEST_F(Dae, ARetransmissionGetsTheSameReplyWithoutActingAgain) {
  const Bytes req = request(40, 26, {text(44, "7")});
  const DaeOutcome first = send(req);
  nas_.sessions.erase(nas_.sessions.begin());  // the session is gone now
  const DaeOutcome again = send(req, kClient, kNow + 2);
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.reply, first.reply);
  EXPECT_EQ(nas_.disconnected.size(), 1u);
  // Past the memory, the same datagram is a new request: no such session any more.
  const DaeOutcome later = send(req, kClient, kNow + 60);
  EXPECT_FALSE(later.duplicate);
  EXPECT_EQ(error_cause(check_reply(later.reply, req, 42)), 503u);
}

TEST_F(Dae, ProxyStateIsEchoed) {
  const Bytes req = request(40, 27, {A{33, Bytes{1, 2, 3}}, text(1, "alice")});
  const auto attrs = check_reply(send(req).reply, req, 41);
  ASSERT_EQ(attrs.size(), 1u);
  EXPECT_EQ(attrs[0].type, 33);
  EXPECT_EQ(attrs[0].value, (Bytes{1, 2, 3}));
}

TEST_F(Dae, MalformedAndWrongCodeAreDropped) {
  Bytes req = request(40, 28, {text(1, "bob")});
  req[21] = 40;  // attribute length past the end
  EXPECT_EQ(send(req).dropped, DaeDrop::Malformed);
  EXPECT_EQ(send(request(4, 29, {text(1, "bob")})).dropped, DaeDrop::NotARequest);  // Accounting-Request
  EXPECT_EQ(send(Bytes{40, 1, 0}).dropped, DaeDrop::Malformed);
  EXPECT_TRUE(nas_.disconnected.empty());
}

}  // namespace
}  // namespace pptpx::radius
