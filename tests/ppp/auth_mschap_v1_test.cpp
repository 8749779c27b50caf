// MS-CHAPv1 (RFC 2433) in both roles: the RFC's own example values, then the two machines
// against each other in memory.
#include <gtest/gtest.h>

#include "ppp/auth_mschap_v1.hpp"
#include "support/hex_literal.hpp"
#include "auth_test_harness.hpp"

namespace pptpx::ppp {
namespace {

using namespace authtest;  // auth_test_harness.hpp
using pptpx::test::hex;
using pptpx::test::hex_array;

// RFC 2433 Appendix B.2 (password "MyPw").
const char* const kRfcChallenge = "10 2D B5 DF 08 5D 30 41";
const char* const kRfcNtHash = "FC 15 6A F7 ED CD 6C 0E DD E3 33 7D 42 7F 4E AC";
const char* const kRfcNtResponse = "4E 9D 3C 8F 9C FD 38 5D 5B F4 D3 24 67 91 95 6C A4 C3 51 AB 40 9A 3D 61";

// RFC 2433 §5 Response Value: 24-octet LAN Manager response (zero-filled), 24-octet NT
// response, Use-Windows-NT-compatible-Challenge-Response flag.
Bytes rfc_response_packet(std::uint8_t id, std::string_view name, std::uint8_t use_nt = 1) {
  const Bytes value = authtest::concat({Bytes(24, 0), hex(kRfcNtResponse), Bytes{use_nt}});
  return authtest::chap_packet(2, id, value, name);
}

struct V1Authenticator : authtest::AuthenticatorRig {
  V1Authenticator() : AuthenticatorRig(0x05, hex(kRfcChallenge)) {}
};

TEST(AuthMsChapV1, AuthenticatorAcceptsRfc2433ExampleResponse) {
  V1Authenticator h;
  h.store.add_password("User", "MyPw");
  MsChapV1Authenticator a(h.cfg, h.random, h.sink);
  a.start(Time{});
  ASSERT_EQ(h.sink.frames.size(), 1u);
  EXPECT_EQ(h.sink.frames[0].information, hex("01 05 0012 08 102DB5DF085D3041 7070747078"));
  a.receive(rfc_response_packet(0x05, "User"), Time{});
  EXPECT_EQ(a.status(), AuthStatus::Succeeded) << a.result().failure_reason;
  EXPECT_EQ(a.result().user_name, "User");
  ASSERT_TRUE(a.result().mppe.has_value());
  const auth::MppeKeyMaterial& m = *a.result().mppe;
  EXPECT_EQ(m.method, auth::MppeKeyMaterial::Method::MsChapV1);
  EXPECT_TRUE(m.is_server);
  EXPECT_EQ(m.nt_hash, (hex_array<16>(kRfcNtHash)));
  EXPECT_EQ(m.challenge, (hex_array<8>(kRfcChallenge)));
  ASSERT_EQ(h.sink.frames.size(), 2u);
  EXPECT_EQ(h.sink.frames[1].information[0], 3);
  EXPECT_EQ(h.sink.frames[1].information[1], 0x05);
}

TEST(AuthMsChapV1, NtHashOnlyStoreWorks) {
  V1Authenticator h;
  h.store.add_nt_hash("User", hex_array<16>(kRfcNtHash));
  MsChapV1Authenticator a(h.cfg, h.random, h.sink);
  a.start(Time{});
  a.receive(rfc_response_packet(0x05, "User"), Time{});
  EXPECT_EQ(a.status(), AuthStatus::Succeeded) << a.result().failure_reason;
}

TEST(AuthMsChapV1, LanManagerOnlyResponseIsRefused) {
  V1Authenticator h;
  h.store.add_password("User", "MyPw");
  MsChapV1Authenticator a(h.cfg, h.random, h.sink);
  a.start(Time{});
  a.receive(rfc_response_packet(0x05, "User", 0), Time{});
  EXPECT_EQ(a.status(), AuthStatus::Failed);
  EXPECT_EQ(a.result().failure_reason,
            "user \"User\" sent only a LAN Manager response, which is not supported");
}

TEST(AuthMsChapV1, WrongPasswordGetsE691Failure) {
  V1Authenticator h;
  h.store.add_password("User", "NotMyPw");
  MsChapV1Authenticator a(h.cfg, h.random, h.sink);
  a.start(Time{});
  a.receive(rfc_response_packet(0x05, "User"), Time{});
  EXPECT_EQ(a.status(), AuthStatus::Failed);
  EXPECT_EQ(a.result().failure_reason, "wrong password for user \"User\"");
  EXPECT_FALSE(a.result().mppe.has_value());
  ASSERT_EQ(h.sink.frames.size(), 2u);
  // RFC 2433 §8: Failure, Identifier copied, Message "E=691 R=0".
  EXPECT_EQ(h.sink.frames[1].information, hex("04 05 000d 453d363931 20 523d30"));
}

TEST(AuthMsChapV1, PeerProducesRfc2433ExampleResponse) {
  for (bool hash_only : {false, true}) {
    RecordingSink sink;
    AuthPeerConfig cfg;
    cfg.user_name = "User";
    if (hash_only) {
      cfg.nt_hash = hex_array<16>(kRfcNtHash);
    } else {
      cfg.password = "MyPw";
    }
    MsChapV1Peer peer(cfg, sink);
    peer.start(Time{});
    peer.receive(authtest::chap_packet(1, 0x05, hex(kRfcChallenge)), Time{});
    ASSERT_EQ(sink.frames.size(), 1u);
    EXPECT_EQ(sink.frames[0].protocol, Protocol::Chap);
    EXPECT_EQ(sink.frames[0].information, rfc_response_packet(0x05, "User"));
    peer.receive(hex("03 05 0004"), Time{});
    EXPECT_EQ(peer.status(), AuthStatus::Succeeded);
    ASSERT_TRUE(peer.result().mppe.has_value());
    EXPECT_FALSE(peer.result().mppe->is_server);
    EXPECT_EQ(peer.result().mppe->nt_hash, (hex_array<16>(kRfcNtHash)));
    EXPECT_EQ(peer.result().mppe->challenge, (hex_array<8>(kRfcChallenge)));
  }
}

TEST(AuthMsChapV1, PairAgreesAndBothHoldMppeMaterial) {
  AuthPair pair(AuthMethod::MsChapV1, peer_config("bob", "Tunnel-Lab-7"));
  pair.store.add_password("bob", "Tunnel-Lab-7");
  pair.start();
  ASSERT_EQ(pair.authenticator->status(), AuthStatus::Succeeded);
  ASSERT_EQ(pair.peer->status(), AuthStatus::Succeeded);
  const auto& a = *pair.authenticator->result().mppe;
  const auto& p = *pair.peer->result().mppe;
  EXPECT_TRUE(a.is_server);
  EXPECT_FALSE(p.is_server);
  EXPECT_EQ(a.nt_hash, p.nt_hash);
  EXPECT_EQ(a.challenge, p.challenge);
}

TEST(AuthMsChapV1, PairWrongPasswordGivesReadableReason) {
  AuthPair pair(AuthMethod::MsChapV1, peer_config("bob", "wrong"));
  pair.store.add_password("bob", "Tunnel-Lab-7");
  pair.start();
  EXPECT_EQ(pair.authenticator->status(), AuthStatus::Failed);
  EXPECT_EQ(pair.authenticator->result().user_name, "bob");
  EXPECT_EQ(pair.peer->status(), AuthStatus::Failed);
  EXPECT_EQ(pair.peer->result().failure_reason,
            "E=691 authentication failure (retry not allowed)");
  EXPECT_FALSE(pair.peer->result().mppe.has_value());
}

TEST(AuthMsChapV1, UnknownUser) {
  AuthPair pair(AuthMethod::MsChapV1, peer_config("eve", "x"));
  pair.store.add_password("bob", "Tunnel-Lab-7");
  pair.start();
  EXPECT_EQ(pair.authenticator->result().failure_reason, "unknown user \"eve\"");
  EXPECT_EQ(pair.peer->status(), AuthStatus::Failed);
}

TEST(AuthMsChapV1, PeerDropsChallengeOfWrongSize) {
  RecordingSink sink;
  AuthPeerConfig cfg = authtest::peer_settings("User", "MyPw");
  MsChapV1Peer peer(cfg, sink);
  peer.start(Time{});
  peer.receive(hex("01 05 0015 10 00112233445566778899aabbccddeeff"), Time{});  // 16, not 8
  EXPECT_TRUE(sink.frames.empty());
  EXPECT_EQ(counters_of(peer).malformed, 1u);
  EXPECT_EQ(peer.status(), AuthStatus::Pending);
}

TEST(AuthMsChapV1, PeerWithoutAnySecretFailsAtStart) {
  RecordingSink sink;
  AuthPeerConfig cfg;
  cfg.user_name = "User";
  MsChapV1Peer peer(cfg, sink);
  peer.start(Time{});
  EXPECT_EQ(peer.status(), AuthStatus::Failed);
  EXPECT_EQ(peer.result().failure_reason, "no password or NT hash configured");
}

}  // namespace
}  // namespace pptpx::ppp
