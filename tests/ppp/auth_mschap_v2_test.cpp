// MS-CHAPv2 (RFC 2759) in both roles: the RFC §9.2 example on the wire, mutual authentication,
// domain handling, then the two machines against each other in memory.
#include <gtest/gtest.h>

#include "ppp/auth_mschap_v2.hpp"
#include "support/hex_literal.hpp"
#include "auth_test_harness.hpp"

namespace pptpx::ppp {
namespace {

using namespace authtest;  // auth_test_harness.hpp
using pptpx::test::hex;
using pptpx::test::hex_array;

// RFC 2759 §9.2 (user "User", password "clientPass").
const char* const kAuthChallenge = "5B 5D 7C 7D 7B 3F 2F 3E 3C 2C 60 21 32 26 26 28";
const char* const kPeerChallenge = "21 40 23 24 25 5E 26 2A 28 29 5F 2B 3A 33 7C 7E";
const char* const kPasswordHash = "44 EB BA 8D 53 12 B8 D6 11 47 44 11 F5 69 89 AE";
const char* const kNtResponse = "82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54 42 33 11 4A 3D 85 D6 DF";
const std::string kAuthString = "S=407A5589115FD0D6209F510FE9C04566932CDA56";

// RFC 2759 §4 Response Value: 16-octet Peer-Challenge, 8 reserved zeros, 24-octet NT-Response,
// Flags (0).
Bytes response_packet(std::uint8_t id, std::string_view name) {
  const Bytes value =
      authtest::concat({hex(kPeerChallenge), Bytes(8, 0), hex(kNtResponse), Bytes{0}});
  return authtest::chap_packet(2, id, value, name);
}

Bytes challenge_packet(std::uint8_t id) { return authtest::chap_packet(1, id, hex(kAuthChallenge)); }

struct V2Authenticator : authtest::AuthenticatorRig {
  V2Authenticator() : AuthenticatorRig(0x2a, hex(kAuthChallenge)) {}
};

TEST(AuthMsChapV2, AuthenticatorAcceptsRfc2759ExampleAndEmitsItsAuthenticatorResponse) {
  V2Authenticator h;
  h.store.add_password("User", "clientPass");
  MsChapV2Authenticator a(h.cfg, h.random, h.sink);
  a.start(Time{});
  ASSERT_EQ(h.sink.frames.size(), 1u);
  Bytes expected_challenge = challenge_packet(0x2a);
  expected_challenge[3] = 0x1a;  // our Name "pptpx" follows the Value
  expected_challenge.insert(expected_challenge.end(), {'p', 'p', 't', 'p', 'x'});
  EXPECT_EQ(h.sink.frames[0].information, expected_challenge);

  a.receive(response_packet(0x2a, "User"), Time{});
  ASSERT_EQ(a.status(), AuthStatus::Succeeded) << a.result().failure_reason;
  ASSERT_EQ(h.sink.frames.size(), 2u);
  const Bytes& success = h.sink.frames[1].information;
  EXPECT_EQ(success[0], 3);
  EXPECT_EQ(success[1], 0x2a);
  // RFC 2759 §5: "S=<auth_string> M=<message>", the auth string from §9.2.
  EXPECT_EQ(text_of(ByteView(success).subspan(4)), kAuthString + " M=Access granted");

  ASSERT_TRUE(a.result().mppe.has_value());
  const auth::MppeKeyMaterial& m = *a.result().mppe;
  EXPECT_EQ(m.method, auth::MppeKeyMaterial::Method::MsChapV2);
  EXPECT_TRUE(m.is_server);
  EXPECT_EQ(m.nt_hash, (hex_array<16>(kPasswordHash)));
  EXPECT_EQ(m.nt_response, (hex_array<24>(kNtResponse)));
}

TEST(AuthMsChapV2, NtHashOnlyStoreGivesSameAnswer) {
  V2Authenticator h;
  h.store.add_nt_hash("User", hex_array<16>(kPasswordHash));
  MsChapV2Authenticator a(h.cfg, h.random, h.sink);
  a.start(Time{});
  a.receive(response_packet(0x2a, "User"), Time{});
  ASSERT_EQ(a.status(), AuthStatus::Succeeded) << a.result().failure_reason;
  EXPECT_EQ(text_of(ByteView(h.sink.frames[1].information).subspan(4, 42)), kAuthString);
}

TEST(AuthMsChapV2, DomainPrefixIsStrippedForHashButNotForLookup) {
  V2Authenticator h;
  h.store.add_password("EXAMPLE\\User", "clientPass");
  MsChapV2Authenticator a(h.cfg, h.random, h.sink);
  a.start(Time{});
  // RFC 2759 §4: the NT-Response hashes "User" even though the Name carries the domain.
  a.receive(response_packet(0x2a, "EXAMPLE\\User"), Time{});
  ASSERT_EQ(a.status(), AuthStatus::Succeeded) << a.result().failure_reason;
  EXPECT_EQ(h.store.last_lookup, "EXAMPLE\\User");
  EXPECT_EQ(a.result().user_name, "EXAMPLE\\User");
  EXPECT_EQ(text_of(ByteView(h.sink.frames[1].information).subspan(4, 42)), kAuthString);
}

TEST(AuthMsChapV2, StoreDecidesWhetherDomainNamesMatch) {
  V2Authenticator h;
  h.store.add_password("User", "clientPass");  // this store matches names exactly
  MsChapV2Authenticator a(h.cfg, h.random, h.sink);
  a.start(Time{});
  a.receive(response_packet(0x2a, "EXAMPLE\\User"), Time{});
  EXPECT_EQ(a.status(), AuthStatus::Failed);
  // The log names the account too (auth/user_name.hpp: after the last backslash).
  EXPECT_EQ(a.result().failure_reason, "unknown user \"EXAMPLE\\User\" (account \"User\")");
}

TEST(AuthMsChapV2, WrongPasswordGetsRfc2759FailureMessage) {
  V2Authenticator h;
  h.store.add_password("User", "serverPass");
  MsChapV2Authenticator a(h.cfg, h.random, h.sink);
  a.start(Time{});
  a.receive(response_packet(0x2a, "User"), Time{});
  EXPECT_EQ(a.status(), AuthStatus::Failed);
  EXPECT_EQ(a.result().failure_reason, "wrong password for user \"User\"");
  EXPECT_EQ(a.result().user_name, "User");
  ASSERT_EQ(h.sink.frames.size(), 2u);
  EXPECT_EQ(h.sink.frames[1].information,
            chap_status_packet(4, 0x2a, "E=691 R=0 C=5B5D7C7D7B3F2F3E3C2C602132262628 V=3 M=Authentication failed"));
}

TEST(AuthMsChapV2, ResponseWithWrongValueSizeIsDropped) {
  V2Authenticator h;
  h.store.add_password("User", "clientPass");
  MsChapV2Authenticator a(h.cfg, h.random, h.sink);
  a.start(Time{});
  Bytes short_value = response_packet(0x2a, "");
  short_value[4] = 48;  // Value-Size one short: the flags octet becomes the Name
  a.receive(short_value, Time{});
  EXPECT_EQ(a.status(), AuthStatus::Pending);
  EXPECT_EQ(counters_of(a).malformed, 1u);
  EXPECT_EQ(h.sink.frames.size(), 1u);
}

struct V2Peer {
  explicit V2Peer(std::string user = "User") {
    cfg.user_name = std::move(user);
    cfg.password = "clientPass";
    random.push(hex(kPeerChallenge));
  }
  AuthPeerConfig cfg;
  ScriptedRandom random;
  RecordingSink sink;
};

TEST(AuthMsChapV2, PeerProducesRfc2759ExampleAndVerifiesAuthenticatorResponse) {
  V2Peer h;
  MsChapV2Peer peer(h.cfg, h.random, h.sink);
  peer.start(Time{});
  peer.receive(challenge_packet(0x2a), Time{});
  ASSERT_EQ(h.sink.frames.size(), 1u);
  EXPECT_EQ(h.sink.frames[0].information, response_packet(0x2a, "User"));
  peer.receive(chap_status_packet(3, 0x2a, kAuthString + " M=Access granted"), Time{});
  ASSERT_EQ(peer.status(), AuthStatus::Succeeded) << peer.result().failure_reason;
  ASSERT_TRUE(peer.result().mppe.has_value());
  EXPECT_FALSE(peer.result().mppe->is_server);
  EXPECT_EQ(peer.result().mppe->nt_hash, (hex_array<16>(kPasswordHash)));
  EXPECT_EQ(peer.result().mppe->nt_response, (hex_array<24>(kNtResponse)));
}

TEST(AuthMsChapV2, PeerWithNtHashAndDomainProducesSameResponse) {
  V2Peer h("EXAMPLE\\User");
  h.cfg.password.reset();
  h.cfg.nt_hash = hex_array<16>(kPasswordHash);
  MsChapV2Peer peer(h.cfg, h.random, h.sink);
  peer.start(Time{});
  peer.receive(challenge_packet(0x2a), Time{});
  ASSERT_EQ(h.sink.frames.size(), 1u);
  EXPECT_EQ(h.sink.frames[0].information, response_packet(0x2a, "EXAMPLE\\User"));
  peer.receive(chap_status_packet(3, 0x2a, kAuthString), Time{});  // no M= part at all
  EXPECT_EQ(peer.status(), AuthStatus::Succeeded) << peer.result().failure_reason;
}

TEST(AuthMsChapV2, PeerRejectsWrongAuthenticatorResponse) {
  V2Peer h;
  MsChapV2Peer peer(h.cfg, h.random, h.sink);
  peer.start(Time{});
  peer.receive(challenge_packet(0x2a), Time{});
  std::string forged = kAuthString;
  forged[10] = forged[10] == '0' ? '1' : '0';
  peer.receive(chap_status_packet(3, 0x2a, forged + " M=Access granted"), Time{});
  EXPECT_EQ(peer.status(), AuthStatus::Failed);
  EXPECT_EQ(peer.result().failure_reason,
            "server's authenticator response did not verify: possible impostor");
  EXPECT_FALSE(peer.result().mppe.has_value());
}

TEST(AuthMsChapV2, PeerRejectsSuccessWithoutAuthenticatorResponse) {
  V2Peer h;
  MsChapV2Peer peer(h.cfg, h.random, h.sink);
  peer.start(Time{});
  peer.receive(challenge_packet(0x2a), Time{});
  peer.receive(chap_status_packet(3, 0x2a, "M=Access granted"), Time{});
  EXPECT_EQ(peer.status(), AuthStatus::Failed);
  EXPECT_EQ(peer.result().failure_reason,
            "server's authenticator response is missing: possible impostor");
}

TEST(AuthMsChapV2, PeerDescribesFailure) {
  V2Peer h;
  MsChapV2Peer peer(h.cfg, h.random, h.sink);
  peer.start(Time{});
  peer.receive(challenge_packet(0x2a), Time{});
  peer.receive(chap_status_packet(4, 0x2a, "E=649 R=0 C=00000000000000000000000000000000 V=3 M=no dial-in"), Time{});
  EXPECT_EQ(peer.status(), AuthStatus::Failed);
  EXPECT_EQ(peer.result().failure_reason, "E=649 no dial-in permission (retry not allowed): no dial-in");
}

TEST(AuthMsChapV2, RepeatedChallengeGetsTheSameResponseEvenAfterSuccess) {
  V2Peer h;
  MsChapV2Peer peer(h.cfg, h.random, h.sink);
  peer.start(Time{});
  peer.receive(challenge_packet(0x2a), Time{});
  peer.receive(challenge_packet(0x2a), Time{});
  peer.receive(chap_status_packet(3, 0x2a, kAuthString), Time{});
  ASSERT_EQ(peer.status(), AuthStatus::Succeeded);
  peer.receive(challenge_packet(0x2a), Time{});
  ASSERT_EQ(h.sink.frames.size(), 3u);
  EXPECT_EQ(h.sink.frames[0].information, h.sink.frames[1].information);
  EXPECT_EQ(h.sink.frames[0].information, h.sink.frames[2].information);
  EXPECT_EQ(peer.status(), AuthStatus::Succeeded);
}

TEST(AuthMsChapV2, PairAgreesAndBothHoldMatchingMppeMaterial) {
  AuthConfig cfg = peer_config("CORP\\bob", "Tunnel-Lab-7");
  AuthPair pair(AuthMethod::MsChapV2, cfg);
  pair.store.add_nt_hash("CORP\\bob", auth::nt_password_hash("Tunnel-Lab-7"));
  pair.start();
  ASSERT_EQ(pair.authenticator->status(), AuthStatus::Succeeded) << pair.authenticator->result().failure_reason;
  ASSERT_EQ(pair.peer->status(), AuthStatus::Succeeded) << pair.peer->result().failure_reason;
  const auto& a = *pair.authenticator->result().mppe;
  const auto& p = *pair.peer->result().mppe;
  EXPECT_TRUE(a.is_server);
  EXPECT_FALSE(p.is_server);
  EXPECT_EQ(a.nt_hash, p.nt_hash);
  EXPECT_EQ(a.nt_response, p.nt_response);
  EXPECT_EQ(a.method, auth::MppeKeyMaterial::Method::MsChapV2);
}

TEST(AuthMsChapV2, PairWrongPasswordAndUnknownUser) {
  {
    AuthPair pair(AuthMethod::MsChapV2, peer_config("bob", "wrong"));
    pair.store.add_password("bob", "Tunnel-Lab-7");
    pair.start();
    EXPECT_EQ(pair.authenticator->status(), AuthStatus::Failed);
    EXPECT_EQ(pair.authenticator->result().user_name, "bob");
    EXPECT_EQ(pair.peer->status(), AuthStatus::Failed);
    EXPECT_EQ(pair.peer->result().failure_reason,
              "E=691 authentication failure (retry not allowed): Authentication failed");
  }
  {
    AuthPair pair(AuthMethod::MsChapV2, peer_config("nobody", "x"));
    pair.store.add_password("bob", "Tunnel-Lab-7");
    pair.start();
    EXPECT_EQ(pair.authenticator->result().failure_reason, "unknown user \"nobody\"");
    EXPECT_EQ(pair.authenticator->result().user_name, "nobody");
    EXPECT_EQ(pair.peer->status(), AuthStatus::Failed);
  }
}

TEST(AuthMsChapV2, LostSuccessIsRepeatedWithSameAuthenticatorResponse) {
  AuthConfig cfg = peer_config("bob", "Tunnel-Lab-7");
  AuthPair pair(AuthMethod::MsChapV2, cfg);
  pair.store.add_password("bob", "Tunnel-Lab-7");
  int from_auth = 0;
  pair.drop = [&](bool to_peer, const authtest::SentFrame&) { return to_peer && from_auth++ == 1; };
  pair.start();
  ASSERT_EQ(pair.authenticator->status(), AuthStatus::Succeeded);
  ASSERT_EQ(pair.peer->status(), AuthStatus::Pending);
  // The peer retransmits its Response (as a peer whose Success was lost might); same reply.
  pair.authenticator->receive(pair.from_peer.frames.back().information, pair.now);
  pair.pump();
  ASSERT_EQ(pair.from_authenticator.frames.size(), 3u);
  EXPECT_EQ(pair.from_authenticator.frames[1].information, pair.from_authenticator.frames[2].information);
  EXPECT_EQ(pair.peer->status(), AuthStatus::Succeeded);
}

}  // namespace
}  // namespace pptpx::ppp

namespace pptpx::ppp {
namespace {

TEST(AuthMsChapV2, LostResponseNewChallengeFreshPeerChallengeThenSuccess) {
  AuthConfig cfg = authtest::peer_config("bob", "Tunnel-Lab-7");
  cfg.authenticator.restart_timeout = 3s;
  authtest::AuthPair pair(AuthMethod::MsChapV2, cfg);
  pair.store.add_password("bob", "Tunnel-Lab-7");
  int responses = 0;
  pair.drop = [&](bool to_peer, const authtest::SentFrame&) { return !to_peer && responses++ == 0; };
  pair.start();
  EXPECT_EQ(pair.peer->status(), AuthStatus::Pending);
  pair.run_for(3s);
  ASSERT_EQ(pair.authenticator->status(), AuthStatus::Succeeded) << pair.authenticator->result().failure_reason;
  ASSERT_EQ(pair.peer->status(), AuthStatus::Succeeded) << pair.peer->result().failure_reason;
  ASSERT_EQ(pair.from_peer.frames.size(), 2u);
  // A new Challenge got a new Response with a new Peer-Challenge (RFC 2759 §4: random each time).
  const Bytes& r1 = pair.from_peer.frames[0].information;
  const Bytes& r2 = pair.from_peer.frames[1].information;
  EXPECT_NE(r1[1], r2[1]);
  EXPECT_NE(Bytes(r1.begin() + 5, r1.begin() + 21), Bytes(r2.begin() + 5, r2.begin() + 21));
  EXPECT_EQ(pair.authenticator->result().mppe->nt_response, pair.peer->result().mppe->nt_response);
}

}  // namespace
}  // namespace pptpx::ppp
