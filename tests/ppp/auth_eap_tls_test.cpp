// EAP (RFC 3748) with EAP-TLS (RFC 5216): our authenticator and peer machines talking to each
// other in memory, with a PKI the test makes (tests/support/test_certs.hpp): a good certificate,
// a wrong CA, an expired and a revoked certificate, the wrong server name, TLS flights cut into
// many small fragments, lost packets, and peers that never finish.
#include <gtest/gtest.h>

#include <chrono>
#include <deque>

#include "auth/mppe_keys.hpp"
#include "ppp/auth_eap.hpp"
#include "ppp/auth_factory_impl.hpp"
#include "ppp/lcp.hpp"
#include "support/temp_dir.hpp"
#include "support/test_certs.hpp"

namespace pptpx::ppp {
namespace {

using test::PkiKey;
using test::TestPki;
using namespace std::chrono_literals;

struct QueueSink final : FrameSink {
  void send_frame(Protocol protocol, ByteView information) override {
    EXPECT_EQ(protocol, Protocol::Eap);
    frames.emplace_back(information.begin(), information.end());
    ++sent;
    largest = std::max(largest, information.size());
  }
  std::deque<Bytes> frames;
  std::size_t sent = 0;
  std::size_t largest = 0;
};

class FixedRandom final : public RandomSource {
 public:
  void fill(MutableByteView out) override {
    for (auto& b : out) b = 0x42;
  }
};

// One PKI per test binary run: a CA, a second (wrong) CA, the server, and several users.
struct Pki {
  test::ScopedTempDir dir;
  PkiKey ca = TestPki::make_ca("Test Office CA");
  PkiKey other_ca = TestPki::make_ca("Somebody Else CA");
  PkiKey server = TestPki::make_leaf("vpn.example.test", ca, 10, -3600, 86400, "DNS:vpn.example.test");
  PkiKey alice = TestPki::make_leaf("alice", ca, 11);
  PkiKey mallory = TestPki::make_leaf("mallory", other_ca, 12);
  PkiKey expired = TestPki::make_leaf("bob", ca, 13, -86400 * 10, -86400);
  PkiKey revoked = TestPki::make_leaf("carol", ca, 14);
  PkiKey dave = TestPki::make_leaf("Dave Example", ca, 15, -3600, 86400, "email:dave@example.test");
  Pki() {
    TestPki::write_cert(dir.file("ca.pem"), {&ca});
    TestPki::write_cert(dir.file("other-ca.pem"), {&other_ca});
    TestPki::write_crl(dir.file("crl.pem"), ca, {14});
    for (auto [name, k] : {std::pair<const char*, const PkiKey*>{"server", &server},
                           {"alice", &alice},
                           {"mallory", &mallory},
                           {"expired", &expired},
                           {"revoked", &revoked},
                           {"dave", &dave}}) {
      TestPki::write_cert(dir.file(std::string(name) + ".pem"), {k});
      TestPki::write_key(dir.file(std::string(name) + ".key"), *k);
    }
  }
  auth::EapTlsFiles files(const std::string& who, const std::string& ca_name = "ca") const {
    auth::EapTlsFiles f;
    f.ca = dir.file(ca_name + ".pem");
    f.cert = dir.file(who + ".pem");
    f.key = dir.file(who + ".key");
    return f;
  }
};

const Pki& pki() {
  static const Pki* p = new Pki;  // made once; its directory outlives the tests
  return *p;
}

struct Ends {
  QueueSink to_peer;           // what the authenticator sent
  QueueSink to_authenticator;  // what the peer sent
  FixedRandom random;
  AuthenticatorConfig a;
  AuthPeerConfig p;
  std::unique_ptr<EapAuthenticator> server;
  std::unique_ptr<EapPeer> client;
  Time now{};

  Ends(const auth::EapTlsFiles& server_files, const auth::EapTlsFiles& client_files, bool crl = false) {
    auth::EapTlsFiles sf = server_files;
    if (crl) sf.crl = pki().dir.file("crl.pem");
    a.eap_tls = auth::EapTlsContext::create(true, sf);
    p.eap_tls = auth::EapTlsContext::create(false, client_files);
    p.user_name = "alice-identity";
  }
  void make() {
    server = std::make_unique<EapAuthenticator>(a, random, to_peer);
    client = std::make_unique<EapPeer>(p, to_authenticator);
  }
  // Delivers frames both ways until both sides have decided or `max_steps` deliveries.
  void run(std::size_t max_steps = 10000) {
    if (!server) make();
    server->start(now);
    client->start(now);
    for (std::size_t i = 0; i < max_steps; ++i) {
      if (!to_peer.frames.empty()) {
        Bytes f = std::move(to_peer.frames.front());
        to_peer.frames.pop_front();
        client->receive(f, now);
      } else if (!to_authenticator.frames.empty()) {
        Bytes f = std::move(to_authenticator.frames.front());
        to_authenticator.frames.pop_front();
        server->receive(f, now);
      } else {
        break;
      }
    }
  }
};

auth::EapTlsFiles with_server_name(auth::EapTlsFiles f, const std::string& name) {
  f.server_name = name;
  return f;
}

TEST(EapTls, GoodCertificateAuthenticatesBothAndAgreesOnMppeKeys) {
  Ends e(pki().files("server"), with_server_name(pki().files("alice"), "vpn.example.test"));
  e.run();
  ASSERT_EQ(e.server->status(), AuthStatus::Succeeded) << e.server->result().failure_reason;
  ASSERT_EQ(e.client->status(), AuthStatus::Succeeded) << e.client->result().failure_reason;
  EXPECT_EQ(e.server->result().method, AuthMethod::EapTls);
  EXPECT_EQ(e.server->result().user_name, "alice");  // from the certificate's CN, not the Identity
  EXPECT_EQ(e.server->identity(), "alice-identity");
  ASSERT_TRUE(e.server->result().mppe && e.client->result().mppe);
  for (auto strength : {auth::MppeStrength::Bits128, auth::MppeStrength::Bits40}) {
    const auto s = auth::derive_mppe_keys(*e.server->result().mppe, strength);
    const auto c = auth::derive_mppe_keys(*e.client->result().mppe, strength);
    EXPECT_EQ(s.send, c.recv);
    EXPECT_EQ(s.recv, c.send);
    EXPECT_NE(s.send, s.recv);  // two directions, two keys
  }
  EXPECT_TRUE(e.to_peer.frames.empty());
  EXPECT_TRUE(e.to_authenticator.frames.empty());
  // Default fragment size: a whole flight of P-256 certificates fits one fragment each way.
  EXPECT_LE(e.to_peer.largest, 1400u + 10u);
}

TEST(EapTls, UserNameFromTheEmailSubjectAltNameWhenConfigured) {
  Ends e(pki().files("server"), pki().files("alice"));
  e.a.eap_tls_user_from = auth::EapTlsUserFrom::SanEmail;
  e.run();  // alice's certificate has no e-mail SAN: refused with the reason
  EXPECT_EQ(e.server->status(), AuthStatus::Failed);
  EXPECT_NE(e.server->result().failure_reason.find("no e-mail subjectAltName"), std::string::npos)
      << e.server->result().failure_reason;
  Ends d(pki().files("server"), pki().files("dave"));
  d.a.eap_tls_user_from = auth::EapTlsUserFrom::SanEmail;
  d.run();
  ASSERT_EQ(d.server->status(), AuthStatus::Succeeded) << d.server->result().failure_reason;
  EXPECT_EQ(d.server->result().user_name, "dave@example.test");
}

TEST(EapTls, SmallFragmentsCarryTheHandshake) {
  Ends e(pki().files("server"), pki().files("alice"));
  e.a.eap_tls_fragment = 24;
  e.p.eap_tls_fragment = 24;
  e.run();
  ASSERT_EQ(e.server->status(), AuthStatus::Succeeded) << e.server->result().failure_reason;
  ASSERT_EQ(e.client->status(), AuthStatus::Succeeded) << e.client->result().failure_reason;
  // Code(1) Id(1) Length(2) Type(1) Flags(1) TLS-Length(4) + 24 octets of TLS at most.
  EXPECT_LE(e.to_peer.largest, 34u);
  EXPECT_LE(e.to_authenticator.largest, 34u);
  EXPECT_GT(e.to_peer.sent, 40u);  // the server's certificate flight alone is hundreds of octets
  const auto s = auth::derive_mppe_keys(*e.server->result().mppe, auth::MppeStrength::Bits128);
  const auto c = auth::derive_mppe_keys(*e.client->result().mppe, auth::MppeStrength::Bits128);
  EXPECT_EQ(s.send, c.recv);
}

TEST(EapTls, LostPacketsAreRetransmitted) {
  Ends e(pki().files("server"), pki().files("alice"));
  e.make();
  e.server->start(e.now);
  e.client->start(e.now);
  std::size_t delivered = 0;
  for (int i = 0; i < 2000 && (e.server->status() == AuthStatus::Pending || e.client->status() == AuthStatus::Pending);
       ++i) {
    if (!e.to_peer.frames.empty()) {
      Bytes f = std::move(e.to_peer.frames.front());
      e.to_peer.frames.pop_front();
      // Every third Request is lost. (Not Success: it is never retransmitted, RFC 3748 §4.2; a
      // peer that misses it gives up after wait_timeout - see PeerGivesUpOnASilentServer.)
      if (++delivered % 3 == 0 && f[0] == 1) continue;
      e.client->receive(f, e.now);
    } else if (!e.to_authenticator.frames.empty()) {
      Bytes f = std::move(e.to_authenticator.frames.front());
      e.to_authenticator.frames.pop_front();
      if (++delivered % 4 == 0) continue;  // and every fourth Response
      e.server->receive(f, e.now);
    } else {
      e.now += 3s;  // the authenticator's restart timer
      e.server->on_timer(e.now);
      e.client->on_timer(e.now);
    }
  }
  EXPECT_EQ(e.server->status(), AuthStatus::Succeeded) << e.server->result().failure_reason;
  EXPECT_EQ(e.client->status(), AuthStatus::Succeeded) << e.client->result().failure_reason;
  EXPECT_GT(e.server->counters().retransmissions, 0u);
}

TEST(EapTls, WrongCaIsRefusedByTheServer) {
  Ends e(pki().files("server"), pki().files("mallory"));
  e.run();
  EXPECT_EQ(e.server->status(), AuthStatus::Failed);
  EXPECT_NE(e.server->result().failure_reason.find("certificate was refused"), std::string::npos)
      << e.server->result().failure_reason;
  EXPECT_EQ(e.client->status(), AuthStatus::Failed);
  EXPECT_FALSE(e.server->result().mppe);
}

TEST(EapTls, ClientRefusesAServerFromAnotherCa) {
  Ends e(pki().files("server"), pki().files("alice", "other-ca"));
  e.run();
  EXPECT_EQ(e.client->status(), AuthStatus::Failed);
  EXPECT_NE(e.client->result().failure_reason.find("server's certificate was refused"), std::string::npos)
      << e.client->result().failure_reason;
  EXPECT_EQ(e.server->status(), AuthStatus::Failed);
}

TEST(EapTls, ExpiredCertificateIsRefused) {
  Ends e(pki().files("server"), pki().files("expired"));
  e.run();
  EXPECT_EQ(e.server->status(), AuthStatus::Failed);
  EXPECT_NE(e.server->result().failure_reason.find("expired"), std::string::npos) << e.server->result().failure_reason;
  EXPECT_EQ(e.client->status(), AuthStatus::Failed);
}

TEST(EapTls, RevokedCertificateIsRefusedWithTheCrl) {
  {
    Ends e(pki().files("server"), pki().files("revoked"), /*crl=*/true);
    e.run();
    EXPECT_EQ(e.server->status(), AuthStatus::Failed);
    EXPECT_NE(e.server->result().failure_reason.find("revoked"), std::string::npos)
        << e.server->result().failure_reason;
  }
  {
    Ends e(pki().files("server"), pki().files("alice"), /*crl=*/true);  // not on the CRL
    e.run();
    EXPECT_EQ(e.server->status(), AuthStatus::Succeeded) << e.server->result().failure_reason;
  }
}

TEST(EapTls, WrongServerNameIsRefusedByTheClient) {
  Ends e(pki().files("server"), with_server_name(pki().files("alice"), "other.example.test"));
  e.run();
  EXPECT_EQ(e.client->status(), AuthStatus::Failed);
  EXPECT_NE(e.client->result().failure_reason.find("hostname mismatch"), std::string::npos)
      << e.client->result().failure_reason;
  EXPECT_EQ(e.server->status(), AuthStatus::Failed);  // our alert ends it there too
}

TEST(EapTls, RefusedUserInTheStoreIsRefusedDespiteACertificate) {
  struct Store final : auth::CredentialStore {
    std::optional<auth::Credential> find(std::string_view name) const override {
      if (name != "alice") return std::nullopt;
      auth::Credential c;
      c.refused = "account disabled";
      return c;
    }
  } store;
  Ends e(pki().files("server"), pki().files("alice"));
  e.a.credentials = &store;
  e.run();
  EXPECT_EQ(e.server->status(), AuthStatus::Failed);
  EXPECT_NE(e.server->result().failure_reason.find("account disabled"), std::string::npos);
  EXPECT_EQ(e.client->status(), AuthStatus::Failed);
}

TEST(EapTls, SilentPeerIsGivenUpAfterTheRetransmissionBound) {
  Ends e(pki().files("server"), pki().files("alice"));
  e.a.max_challenges = 4;
  e.make();
  e.server->start(e.now);
  for (int i = 0; i < 100 && e.server->status() == AuthStatus::Pending; ++i) {
    e.now += 3s;
    e.server->on_timer(e.now);
  }
  EXPECT_EQ(e.server->status(), AuthStatus::Failed);
  EXPECT_EQ(e.server->counters().retransmissions, 4u);
  EXPECT_EQ(e.to_peer.sent, 1u + 4u + 1u);  // Identity, 4 retransmissions, Failure
  const auto last = parse_eap(e.to_peer.frames.back());
  EXPECT_EQ(last.packet.code, EapCode::Failure);
}

// A peer that answers every Request promptly but never finishes: its "TLS message" is an endless
// run of 1-octet fragments with M set. The reassembly bound or eap_timeout ends it.
TEST(EapTls, PeerThatNeverFinishesIsBounded) {
  Ends e(pki().files("server"), pki().files("alice"));
  e.make();
  e.server->start(e.now);
  std::size_t rounds = 0;
  while (e.server->status() == AuthStatus::Pending && rounds < 100000) {
    ASSERT_FALSE(e.to_peer.frames.empty());
    const Bytes req = e.to_peer.frames.back();
    e.to_peer.frames.clear();
    const auto p = parse_eap(req);
    ASSERT_EQ(p.packet.code, EapCode::Request);
    const std::uint8_t data[] = {eap_tls_flag::kMore, 0x16};
    const Bytes resp = *p.packet.type == eap_type::kIdentity
                           ? build_eap(EapCode::Response, p.packet.identifier, eap_type::kIdentity, {})
                           : build_eap(EapCode::Response, p.packet.identifier, eap_type::kTls, data);
    e.now += 100ms;
    e.server->receive(resp, e.now);
    e.server->on_timer(e.now);
    ++rounds;
  }
  EXPECT_EQ(e.server->status(), AuthStatus::Failed);
  EXPECT_LE(rounds, 601u);  // 60 s at 100 ms a round
  EXPECT_NE(e.server->result().failure_reason.find("did not finish"), std::string::npos)
      << e.server->result().failure_reason;
}

TEST(EapTls, OversizedLengthIsRefused) {
  Ends e(pki().files("server"), pki().files("alice"));
  e.make();
  e.server->start(e.now);
  auto id = parse_eap(e.to_peer.frames.back()).packet.identifier;
  e.server->receive(build_eap(EapCode::Response, id, eap_type::kIdentity, {}), e.now);
  id = parse_eap(e.to_peer.frames.back()).packet.identifier;
  const std::uint8_t big[] = {eap_tls_flag::kLength | eap_tls_flag::kMore, 0x00, 0x10, 0x00, 0x01, 0x16};
  e.server->receive(build_eap(EapCode::Response, id, eap_type::kTls, big), e.now);
  EXPECT_EQ(e.server->status(), AuthStatus::Failed);
  EXPECT_NE(e.server->result().failure_reason.find("larger than 65536"), std::string::npos);
}

TEST(EapTls, ResponseWithAnotherIdentifierIsDropped) {
  Ends e(pki().files("server"), pki().files("alice"));
  e.make();
  e.server->start(e.now);
  const auto id = parse_eap(e.to_peer.frames.back()).packet.identifier;
  e.server->receive(build_eap(EapCode::Response, static_cast<std::uint8_t>(id + 1), eap_type::kIdentity, {}), e.now);
  EXPECT_EQ(e.server->counters().wrong_identifier, 1u);
  EXPECT_EQ(e.server->state(), EapAuthenticatorState::Identity);
  EXPECT_EQ(e.to_peer.sent, 1u);
}

TEST(EapTls, PeerNaksOtherMethodsWithEapTls) {
  Ends e(pki().files("server"), pki().files("alice"));
  e.make();
  e.client->start(e.now);
  const std::uint8_t md5_challenge[] = {16, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  e.client->receive(build_eap(EapCode::Request, 7, 4, md5_challenge), e.now);  // EAP-MD5
  ASSERT_EQ(e.to_authenticator.frames.size(), 1u);
  // RFC 3748 §5.3.1: Response, same Identifier, Type 3, desired type 13.
  const Bytes expected = {2, 7, 0, 6, 3, 13};
  EXPECT_EQ(e.to_authenticator.frames.back(), expected);
  // A repeated Request gets the same Response again (§4.1).
  e.client->receive(build_eap(EapCode::Request, 7, 4, md5_challenge), e.now);
  EXPECT_EQ(e.to_authenticator.frames.back(), expected);
  EXPECT_EQ(e.client->counters().retransmissions, 1u);
}

TEST(EapTls, AuthenticatorRefusesAPeerThatNaks) {
  Ends e(pki().files("server"), pki().files("alice"));
  e.make();
  e.server->start(e.now);
  auto id = parse_eap(e.to_peer.frames.back()).packet.identifier;
  e.server->receive(build_eap(EapCode::Response, id, eap_type::kIdentity, {}), e.now);
  id = parse_eap(e.to_peer.frames.back()).packet.identifier;
  const std::uint8_t md5[] = {4};
  e.server->receive(build_eap(EapCode::Response, id, eap_type::kNak, md5), e.now);
  EXPECT_EQ(e.server->status(), AuthStatus::Failed);
  EXPECT_NE(e.server->result().failure_reason.find("does not do EAP-TLS"), std::string::npos);
  EXPECT_EQ(parse_eap(e.to_peer.frames.back()).packet.code, EapCode::Failure);
}

TEST(EapTls, PeerRefusesSuccessBeforeTheHandshake) {
  Ends e(pki().files("server"), pki().files("alice"));
  e.make();
  e.client->start(e.now);
  e.client->receive(build_eap(EapCode::Request, 1, eap_type::kIdentity, {}), e.now);
  e.client->receive(build_eap(EapCode::Success, 1), e.now);
  EXPECT_EQ(e.client->status(), AuthStatus::Failed);
  EXPECT_NE(e.client->result().failure_reason.find("possible impostor"), std::string::npos);
  EXPECT_FALSE(e.client->result().mppe);
}

TEST(EapTls, PeerGivesUpOnASilentServer) {
  Ends e(pki().files("server"), pki().files("alice"));
  e.make();
  e.client->start(e.now);
  e.now += e.p.wait_timeout;
  e.client->on_timer(e.now);
  EXPECT_EQ(e.client->status(), AuthStatus::Failed);
}

TEST(EapTls, MissingConfigurationFailsOnStartWithAReason) {
  QueueSink sink;
  FixedRandom random;
  EapAuthenticator a(AuthenticatorConfig{}, random, sink);
  a.start(Time{});
  EXPECT_EQ(a.status(), AuthStatus::Failed);
  EXPECT_NE(a.result().failure_reason.find("[eap_tls]"), std::string::npos);
  EapPeer p(AuthPeerConfig{}, sink);
  p.start(Time{});
  EXPECT_EQ(p.status(), AuthStatus::Failed);
  EXPECT_NE(p.result().failure_reason.find("--cert"), std::string::npos);
}

TEST(EapTls, ContextRefusesAKeyThatDoesNotMatchTheCertificate) {
  auth::EapTlsFiles f = pki().files("server");
  f.key = pki().dir.file("alice.key");
  EXPECT_THROW(auth::EapTlsContext::create(true, f), std::runtime_error);
  f = pki().files("server");
  f.ca = pki().dir.file("no-such-ca.pem");
  try {
    auth::EapTlsContext::create(true, f);
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("no-such-ca.pem"), std::string::npos) << e.what();
  }
}

TEST(EapTls, LcpNamesEapAsAuthenticationProtocol) {
  // RFC 2284 §2.1 (RFC 3748 §7): Authentication-Protocol C227, no data.
  const std::uint8_t value[] = {0xc2, 0x27};
  EXPECT_EQ(parse_auth_option(value), AuthMethod::EapTls);
  Bytes options;
  append_auth_option(options, AuthMethod::EapTls);
  const Bytes expected = {0x03, 0x04, 0xc2, 0x27};
  EXPECT_EQ(options, expected);
  const std::uint8_t with_data[] = {0xc2, 0x27, 13};
  EXPECT_FALSE(parse_auth_option(with_data));
}

TEST(EapTls, FactoryMakesEapMachinesAndRoutesByCode) {
  QueueSink sink;
  AuthConfig config;
  EXPECT_NE(dynamic_cast<EapAuthenticator*>(make_auth_machine(AuthMethod::EapTls, AuthRole::Authenticator, config,
                                                              sink).get()),
            nullptr);
  EXPECT_NE(dynamic_cast<EapPeer*>(make_auth_machine(AuthMethod::EapTls, AuthRole::Peer, config, sink).get()), nullptr);
  const std::uint8_t request[] = {1, 1, 0, 5, 1}, response[] = {2, 1, 0, 5, 1}, success[] = {3, 1, 0, 4};
  EXPECT_EQ(auth_packet_role(Protocol::Eap, request), AuthRole::Peer);
  EXPECT_EQ(auth_packet_role(Protocol::Eap, response), AuthRole::Authenticator);
  EXPECT_EQ(auth_packet_role(Protocol::Eap, success), AuthRole::Peer);
}

}  // namespace
}  // namespace pptpx::ppp
