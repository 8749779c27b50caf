// RADIUS accounting (server/radius_accounting.hpp) through the real request machine under a fake
// clock: the Accounting-Request bytes (Request Authenticator recomputed here with OpenSSL's MD5
// per RFC 2866 §3, attribute values per RFC 2866 §5 / RFC 2869 §5), the interim timer and its
// override by Acct-Interim-Interval, Acct-Delay-Time, the bounded Stop queue; the
// Acct-Terminate-Cause mapping (numbers from RFC 2866 §5.10); Access-Accept attributes; limits.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <set>

#include "radius/security.hpp"
#include "server/radius_accounting.hpp"
#include "server/radius_authorization.hpp"
#include "server/session_limits.hpp"
#include "server/terminate_cause.hpp"

namespace pptpx::server {
namespace {

using namespace std::chrono_literals;
using radius::AcctStatus;
using radius::Code;
namespace attr = radius::attr;

constexpr std::string_view kSecret = "acct-secret";

// RFC 2866 §3: MD5(Code + Identifier + Length + 16 zero octets + request attributes + secret).
std::array<std::uint8_t, 16> rfc2866_authenticator(ByteView wire, std::string_view secret) {
  Bytes in(wire.begin(), wire.end());
  std::fill(in.begin() + 4, in.begin() + 20, std::uint8_t{0});
  in.insert(in.end(), secret.begin(), secret.end());
  std::array<std::uint8_t, 16> md{};
  unsigned len = 0;
  EXPECT_EQ(EVP_Digest(in.data(), in.size(), md.data(), &len, EVP_md5(), nullptr), 1);
  return md;
}

radius::ClientConfig one_server(unsigned retries = 1) {
  radius::ClientConfig c;
  c.servers = {radius::ServerConfig{"a", std::string(kSecret), 1, false, false}};
  c.timeout = 1s;
  c.retries = retries;
  c.max_fail = 100;
  return c;
}

struct Rig {
  explicit Rig(AccountingConfig ac = {}, radius::ClientConfig cc = one_server())
      : client(std::move(cc), [this](MutableByteView out) {
          for (auto& b : out) b = static_cast<std::uint8_t>(counter++);
        }),
        acct(ac, client, NasIdentity{"nas-1", 0xC0000201u}, [this](Accounting::Key k) -> std::optional<AcctCounters> {
          if (k != 7) return std::nullopt;
          return traffic;
        }) {}
  // Runs both machines' timers up to now + d; completions go to the accounting machine.
  void advance(Duration d) {
    const Time until = now + d;
    for (;;) {
      std::optional<Time> dl = client.deadline();
      if (auto a = acct.deadline(); a && (!dl || *a < *dl)) dl = a;
      if (!dl || *dl > until) break;
      now = std::max(now, *dl);
      client.on_timer(now);
      acct.on_timer(now);
      pump();
    }
    now = until;
  }
  void pump() {
    for (auto& c : client.take_completions()) acct.complete(c, now);
  }
  std::vector<radius::Datagram> out() {
    auto o = client.take_output();
    sent.insert(sent.end(), o.begin(), o.end());
    return o;
  }
  void answer(const radius::Datagram& d) {
    const radius::Packet req = radius::parse(d.bytes).packet;
    radius::Packet rep;
    rep.code = Code::AccountingResponse;
    rep.identifier = req.identifier;
    client.receive(d.server, radius::Port::Acct, radius::encode_response(rep, req.authenticator, kSecret, false), now);
    pump();
  }
  unsigned counter = 0;
  radius::Client client;
  Accounting acct;
  AcctCounters traffic;
  std::vector<radius::Datagram> sent;
  Time now = Time{} + 5000s;
};

AcctSessionInfo session(Time started) {
  AcctSessionInfo s;
  s.session_id = "65A1B2C3BEEF-00000001";
  s.user = "bob";
  s.framed_ip = 0xC6336405u;  // 198.51.100.5
  s.calling_station = "192.0.2.2";
  s.nas_port = 4242;
  s.classes = {Bytes{'g', 'o', 'l', 'd'}, Bytes{0x00, 0xFF}};
  s.radius_authenticated = true;
  s.started = started;
  return s;
}

std::uint32_t u32(const radius::Packet& p, std::uint8_t type) {
  auto v = p.find_u32(type);
  EXPECT_TRUE(v.has_value()) << "attribute " << static_cast<int>(type);
  return v.value_or(0xDEADBEEF);
}

TEST(RadiusAccounting, StartPacketBytesAndAuthenticator) {
  Rig r;
  r.acct.start(7, session(r.now), std::nullopt, r.now);
  auto o = r.out();
  ASSERT_EQ(o.size(), 1u);
  EXPECT_EQ(o[0].port, radius::Port::Acct);
  const Bytes& w = o[0].bytes;
  ASSERT_GE(w.size(), 20u);
  EXPECT_EQ(w[0], 4);  // Accounting-Request (RFC 2866 §4.1)
  EXPECT_EQ(static_cast<std::size_t>(w[2] << 8 | w[3]), w.size());
  const auto expected = rfc2866_authenticator(w, kSecret);
  EXPECT_TRUE(std::equal(expected.begin(), expected.end(), w.begin() + 4));
  const radius::Packet p = radius::parse(w).packet;
  EXPECT_EQ(u32(p, attr::AcctStatusType), 1u);  // Start
  EXPECT_EQ(p.find_string(attr::AcctSessionId), "65A1B2C3BEEF-00000001");
  EXPECT_EQ(p.find_string(attr::UserName), "bob");
  EXPECT_EQ(p.find_string(attr::NasIdentifier), "nas-1");
  EXPECT_EQ(u32(p, attr::NasIpAddress), 0xC0000201u);
  EXPECT_EQ(u32(p, attr::NasPort), 4242u);
  EXPECT_EQ(u32(p, attr::NasPortType), 5u);   // Virtual (RFC 2865 §5.41)
  EXPECT_EQ(u32(p, attr::FramedIpAddress), 0xC6336405u);
  EXPECT_EQ(p.find_string(attr::CallingStationId), "192.0.2.2");
  EXPECT_EQ(u32(p, attr::AcctAuthentic), 1u);  // RADIUS
  std::vector<Bytes> classes;
  for (const auto& a : p.attributes)
    if (a.type == attr::Class) classes.push_back(a.value);
  EXPECT_EQ(classes, (std::vector<Bytes>{Bytes{'g', 'o', 'l', 'd'}, Bytes{0x00, 0xFF}}));
  EXPECT_EQ(p.find(attr::AcctSessionTime), nullptr);  // only in Interim-Update and Stop
  EXPECT_EQ(p.find(attr::AcctDelayTime), nullptr);
  EXPECT_EQ(p.find(attr::MessageAuthenticator), nullptr);
}

TEST(RadiusAccounting, StopCarriesTimeTrafficGigawordsAndCause) {
  Rig r;
  const Time up = r.now;
  r.acct.start(7, session(up), std::nullopt, r.now);
  r.answer(r.out().at(0));
  r.now += 95s;
  // 5 * 2^32 + 7 octets in, 2^32 - 1 out.
  r.acct.stop(7, AcctCounters{(5ULL << 32) + 7, 0xFFFFFFFFULL, 123, 456}, radius::TerminateCause::IdleTimeout, r.now);
  auto o = r.out();
  ASSERT_EQ(o.size(), 1u);
  const auto expected = rfc2866_authenticator(o[0].bytes, kSecret);
  EXPECT_TRUE(std::equal(expected.begin(), expected.end(), o[0].bytes.begin() + 4));
  const radius::Packet p = radius::parse(o[0].bytes).packet;
  EXPECT_EQ(u32(p, attr::AcctStatusType), 2u);
  EXPECT_EQ(u32(p, attr::AcctSessionTime), 95u);
  EXPECT_EQ(u32(p, attr::AcctInputOctets), 7u);
  EXPECT_EQ(u32(p, attr::AcctInputGigawords), 5u);
  EXPECT_EQ(u32(p, attr::AcctOutputOctets), 0xFFFFFFFFu);
  EXPECT_EQ(u32(p, attr::AcctOutputGigawords), 0u);
  EXPECT_EQ(u32(p, attr::AcctInputPackets), 123u);
  EXPECT_EQ(u32(p, attr::AcctOutputPackets), 456u);
  EXPECT_EQ(u32(p, attr::AcctTerminateCause), 4u);  // Idle-Timeout
  r.answer(o[0]);
  EXPECT_EQ(r.acct.counters().acknowledged, 2u);
  EXPECT_FALSE(r.acct.started(7));
}

TEST(RadiusAccounting, AccountingOnOff) {
  Rig r;
  r.acct.accounting_on("RUN1", r.now);
  r.acct.accounting_off("RUN1", r.now);
  auto o = r.out();
  ASSERT_EQ(o.size(), 2u);
  EXPECT_EQ(u32(radius::parse(o[0].bytes).packet, attr::AcctStatusType), 7u);
  EXPECT_EQ(u32(radius::parse(o[1].bytes).packet, attr::AcctStatusType), 8u);
  EXPECT_EQ(radius::parse(o[1].bytes).packet.find_string(attr::AcctSessionId), "RUN1");
}

TEST(RadiusAccounting, RetransmissionCarriesDelayTimeWithNewIdentifierAndAuthenticator) {
  Rig r;
  r.acct.start(7, session(r.now), std::nullopt, r.now);
  const radius::Datagram first = r.out().at(0);
  r.advance(1s);  // timeout: retransmitted
  const radius::Datagram second = r.out().at(0);
  const radius::Packet p1 = radius::parse(first.bytes).packet, p2 = radius::parse(second.bytes).packet;
  EXPECT_NE(p1.identifier, p2.identifier);  // RFC 2866 §5.2: a new Identifier, a new authenticator
  EXPECT_NE(p1.authenticator, p2.authenticator);
  EXPECT_EQ(u32(p2, attr::AcctDelayTime), 1u);
  const auto expected = rfc2866_authenticator(second.bytes, kSecret);
  EXPECT_TRUE(std::equal(expected.begin(), expected.end(), second.bytes.begin() + 4));
}

TEST(RadiusAccounting, InterimOnConfiguredIntervalAndOverride) {
  AccountingConfig ac;
  ac.interim_interval = 60s;
  Rig r(ac);
  const Time up = r.now;
  r.acct.start(7, session(up), std::nullopt, r.now);
  r.answer(r.out().at(0));
  EXPECT_EQ(r.acct.deadline(), up + 60s);
  r.traffic = AcctCounters{1000, 2000, 10, 20};
  r.advance(59s);
  EXPECT_TRUE(r.out().empty());
  r.advance(1s);
  auto o = r.out();
  ASSERT_EQ(o.size(), 1u);
  const radius::Packet p = radius::parse(o[0].bytes).packet;
  EXPECT_EQ(u32(p, attr::AcctStatusType), 3u);  // Interim-Update
  EXPECT_EQ(u32(p, attr::AcctSessionTime), 60u);
  EXPECT_EQ(u32(p, attr::AcctInputOctets), 1000u);
  EXPECT_EQ(u32(p, attr::AcctOutputOctets), 2000u);
  EXPECT_EQ(u32(p, attr::AcctInputPackets), 10u);
  r.answer(o[0]);
  EXPECT_EQ(r.acct.deadline(), up + 120s);

  // Acct-Interim-Interval from the Access-Accept (RFC 2869 §5.16) overrides the configured one.
  Rig s(ac);
  const Time up2 = s.now;
  s.acct.start(7, session(up2), 10s, s.now);
  s.answer(s.out().at(0));
  s.advance(10s);
  auto o2 = s.out();
  ASSERT_EQ(o2.size(), 1u);
  EXPECT_EQ(u32(radius::parse(o2[0].bytes).packet, attr::AcctSessionTime), 10u);
  s.answer(o2[0]);
  s.advance(10s);
  EXPECT_EQ(s.out().size(), 1u);
  EXPECT_EQ(s.acct.counters().interims, 2u);
}

TEST(RadiusAccounting, NoInterimWithoutInterval) {
  Rig r;
  r.acct.start(7, session(r.now), std::nullopt, r.now);
  r.answer(r.out().at(0));
  EXPECT_FALSE(r.acct.deadline().has_value());
}

TEST(RadiusAccounting, StopSurvivesAnOutageWithGrowingDelayTime) {
  AccountingConfig ac;
  ac.stop_retry_interval = 30s;
  Rig r(ac, one_server(0));
  const Time end = r.now;
  r.acct.start(7, session(r.now - 100s), std::nullopt, r.now);
  r.acct.stop(7, AcctCounters{1, 2, 3, 4}, radius::TerminateCause::UserRequest, r.now);
  EXPECT_EQ(r.out().size(), 2u);
  r.advance(1s);  // both time out (no retries): the Stop is queued, the Start is not
  EXPECT_EQ(r.acct.counters().failed, 2u);
  EXPECT_EQ(r.acct.stops_queued(), 1u);
  EXPECT_TRUE(r.out().empty());
  r.advance(30s);  // resent
  auto o = r.out();
  ASSERT_EQ(o.size(), 1u);
  const radius::Packet p = radius::parse(o[0].bytes).packet;
  EXPECT_EQ(u32(p, attr::AcctStatusType), 2u);
  EXPECT_EQ(u32(p, attr::AcctDelayTime), static_cast<std::uint32_t>((r.now - end) / 1s));
  EXPECT_EQ(u32(p, attr::AcctSessionTime), 100u);  // the session's time, not the delay
  r.answer(o[0]);
  EXPECT_EQ(r.acct.stops_queued(), 0u);
  EXPECT_EQ(r.acct.counters().stops_dropped, 0u);
  EXPECT_TRUE(r.acct.take_dropped().empty());
}

TEST(RadiusAccounting, StopQueueBoundDropsTheOldestAndSaysWhatItHeld) {
  AccountingConfig ac;
  ac.stop_queue_limit = 2;
  Rig r(ac, one_server(0));
  for (Accounting::Key k : {1, 2, 3}) {
    AcctSessionInfo s = session(r.now);
    s.session_id = "S" + std::to_string(k);
    r.acct.start(k, s, std::nullopt, r.now);
    r.acct.stop(k, AcctCounters{k * 100, 0, 0, 0}, radius::TerminateCause::LostCarrier, r.now);
  }
  r.out();
  r.advance(1s);
  EXPECT_EQ(r.acct.stops_queued(), 2u);
  const auto dropped = r.acct.take_dropped();
  ASSERT_EQ(dropped.size(), 1u);
  EXPECT_NE(dropped[0].find("Acct-Session-Id=S1 "), std::string::npos) << dropped[0];
  EXPECT_NE(dropped[0].find("Acct-Input-Octets=100"), std::string::npos) << dropped[0];
  EXPECT_NE(dropped[0].find("Acct-Terminate-Cause=Lost-Carrier"), std::string::npos) << dropped[0];
  EXPECT_NE(dropped[0].find("User-Name=\"bob\""), std::string::npos) << dropped[0];
  EXPECT_EQ(r.acct.counters().stops_dropped, 1u);
}

TEST(RadiusAccounting, StopOlderThanTheMaximumAgeIsDropped) {
  AccountingConfig ac;
  ac.stop_retry_interval = 60s;
  ac.stop_max_age = 150s;
  Rig r(ac, one_server(0));
  r.acct.start(7, session(r.now), std::nullopt, r.now);
  r.acct.stop(7, AcctCounters{}, radius::TerminateCause::UserRequest, r.now);
  r.out();
  r.advance(200s);  // resent at 61 s and 122 s, never answered; given up at 150 s
  EXPECT_EQ(r.acct.stops_queued(), 0u);
  EXPECT_EQ(r.acct.take_dropped().size(), 1u);
  EXPECT_FALSE(r.acct.deadline().has_value());
}

TEST(RadiusAccounting, GiveUpAllAtExitReportsUnacknowledgedStops) {
  Rig r;
  r.acct.start(7, session(r.now), std::nullopt, r.now);
  r.acct.stop(7, AcctCounters{}, radius::TerminateCause::NasReboot, r.now);
  r.acct.give_up_all();
  const auto d = r.acct.take_dropped();
  ASSERT_EQ(d.size(), 1u);
  EXPECT_NE(d[0].find("Acct-Terminate-Cause=NAS-Reboot"), std::string::npos);
  EXPECT_EQ(r.acct.in_flight(), 0u);
}

TEST(RadiusAccounting, SessionIdsUniqueWithinAndAcrossRuns) {
  AcctSessionIds a(0x65A1B2C3u, 0xBEEF), b(0x65A1B2C3u, 0xBEF0), c(0x65A1B2C4u, 0xBEEF);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    EXPECT_TRUE(seen.insert(a.next()).second);
    EXPECT_TRUE(seen.insert(b.next()).second);
    EXPECT_TRUE(seen.insert(c.next()).second);
  }
  AcctSessionIds d(0x65A1B2C3u, 0xBEEF);
  EXPECT_EQ(d.next(), "65A1B2C3BEEF-00000001");
}

// RFC 2866 §5.10 numbers: 1 User-Request, 2 Lost-Carrier, 4 Idle-Timeout, 5 Session-Timeout,
// 6 Admin-Reset, 8 Port-Error, 9 NAS-Error, 11 NAS-Reboot, 17 User-Error.
TEST(TerminateCause, FromWhatTheServerDecided) {
  auto n = [](SessionEnd e) { return static_cast<unsigned>(terminate_cause(e, "whatever")); };
  EXPECT_EQ(n(SessionEnd::OperatorKill), 6u);
  EXPECT_EQ(n(SessionEnd::RadiusDisconnect), 6u);
  EXPECT_EQ(n(SessionEnd::SessionTimeout), 5u);
  EXPECT_EQ(n(SessionEnd::IdleTimeout), 4u);
  EXPECT_EQ(n(SessionEnd::ServerShutdown), 11u);
  EXPECT_EQ(n(SessionEnd::ServerError), 9u);
}

TEST(TerminateCause, FromTheLinkReason) {
  auto n = [](std::string_view reason) { return static_cast<unsigned>(terminate_cause(SessionEnd::None, reason)); };
  EXPECT_EQ(n("peer sent LCP Terminate-Request: User request"), 1u);
  EXPECT_EQ(n("control connection closed: peer sent Stop-Control-Connection-Request (none (general request))"), 1u);
  EXPECT_EQ(n("peer sent Call-Clear-Request"), 1u);
  EXPECT_EQ(n("peer did not answer 5 LCP Echo-Requests"), 2u);
  EXPECT_EQ(n("control connection closed: TCP connection closed by peer"), 2u);
  EXPECT_EQ(n("control connection closed: no Echo-Reply within 60 s"), 2u);
  EXPECT_EQ(n("the server is shutting down"), 11u);
  EXPECT_EQ(n("disconnected by RADIUS"), 6u);
  EXPECT_EQ(n("address setup failed: the address pool is exhausted"), 9u);
  EXPECT_EQ(n("re-authentication named \"eve\", but the call is up as \"bob\""), 17u);
  EXPECT_EQ(n("peer rejected MPPE-encrypted packets; policy requires encryption"), 17u);
  EXPECT_EQ(n("control connection closed: malformed control message: bad magic"), 8u);
  EXPECT_EQ(n("something nobody foresaw"), 9u);
}

TEST(RadiusAuthorization, ReadsTheAcceptAttributes) {
  radius::Packet p;
  p.code = Code::AccessAccept;
  p.add_u32(attr::FramedIpAddress, 0xC6336409u);
  p.add_u32(attr::SessionTimeout, 30);
  p.add_u32(attr::IdleTimeout, 0);  // no limit
  p.add_u32(attr::AcctInterimInterval, 600);
  p.add_u32(attr::FramedMtu, 1400);
  p.add_string(attr::Class, "c1");
  p.add_string(attr::Class, "c2");
  p.add_string(attr::FramedRoute, "203.0.113.0/24 0.0.0.0 1");
  p.add_vendor(radius::kVendorMicrosoft, radius::ms::PrimaryDnsServer, Bytes{192, 0, 2, 53});
  p.add_vendor(radius::kVendorMicrosoft, radius::ms::SecondaryDnsServer, Bytes{192, 0, 2});  // wrong length
  const RadiusAuthorization a = authorization_from_accept(p);
  EXPECT_EQ(a.framed_ip, 0xC6336409u);
  EXPECT_EQ(a.session_timeout, Duration{30s});
  EXPECT_FALSE(a.idle_timeout.has_value());
  EXPECT_EQ(a.interim_interval, Duration{600s});
  EXPECT_EQ(a.framed_mtu, 1400);
  EXPECT_EQ(a.classes, (std::vector<Bytes>{Bytes{'c', '1'}, Bytes{'c', '2'}}));
  EXPECT_EQ(a.framed_routes, std::vector<std::string>{"203.0.113.0/24 0.0.0.0 1"});
  EXPECT_EQ(a.dns[0], 0xC0000235u);
  EXPECT_FALSE(a.dns[1].has_value());

  // RFC 2865 §5.8: 0xFFFFFFFE "the NAS should select an address": the pool.
  radius::Packet q;
  q.code = Code::AccessAccept;
  q.add_u32(attr::FramedIpAddress, 0xFFFFFFFEu);
  EXPECT_FALSE(authorization_from_accept(q).framed_ip.has_value());
}

TEST(SessionLimits, SessionAndIdleTimeouts) {
  const Time up = Time{} + 100s;
  SessionLimits s(up, 30s, std::nullopt);
  EXPECT_FALSE(s.check(up + 29s, 0));
  auto e = s.check(up + 30s, 5);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->end, SessionEnd::SessionTimeout);

  SessionLimits idle(up, std::nullopt, 10s);
  EXPECT_FALSE(idle.check(up + 5s, 1));   // traffic at 5 s restarts the clock
  EXPECT_FALSE(idle.check(up + 14s, 1));
  auto i = idle.check(up + 15s, 1);
  ASSERT_TRUE(i);
  EXPECT_EQ(i->end, SessionEnd::IdleTimeout);
  EXPECT_FALSE(SessionLimits(up, std::nullopt, std::nullopt).any());
}

}  // namespace
}  // namespace pptpx::server
