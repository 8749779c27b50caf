// PAP (RFC 1334 §2) in both roles, against each other in memory under a fake clock.
#include <gtest/gtest.h>

#include "ppp/auth_pap.hpp"
#include "ppp/auth_pap_packet.hpp"
#include "support/hex_literal.hpp"
#include "auth_test_harness.hpp"

namespace pptpx::ppp {
namespace {

using namespace authtest;  // auth_test_harness.hpp
using pptpx::test::hex;

TEST(AuthPap, PeerAndAuthenticatorAgree) {
  AuthPair pair(AuthMethod::Pap, peer_config("bob", "Tunnel-Lab-7"));
  pair.store.add_password("bob", "Tunnel-Lab-7");
  pair.start();
  EXPECT_EQ(pair.authenticator->status(), AuthStatus::Succeeded);
  EXPECT_EQ(pair.peer->status(), AuthStatus::Succeeded);
  EXPECT_EQ(pair.authenticator->result().user_name, "bob");
  EXPECT_EQ(pair.authenticator->result().method, AuthMethod::Pap);
  EXPECT_FALSE(pair.authenticator->result().mppe.has_value());
  EXPECT_FALSE(pair.peer->result().mppe.has_value());
  EXPECT_EQ(pair.authenticator->deadline(), std::nullopt);
  EXPECT_EQ(pair.peer->deadline(), std::nullopt);
  ASSERT_EQ(pair.from_peer.frames.size(), 1u);
  EXPECT_EQ(pair.from_peer.frames[0].protocol, Protocol::Pap);
}

TEST(AuthPap, RequestBytesFollowRfc1334Layout) {
  // RFC 1334 §2.2.1: Code 1, Identifier, Length, Peer-ID-Length, Peer-ID, Passwd-Length, Password.
  RecordingSink sink;
  ScriptedRandom random;
  random.push(0x42);  // first Identifier
  AuthPeerConfig cfg = authtest::peer_settings("bob", "pw");
  PapPeer peer(cfg, random, sink);
  peer.start(Time{});
  ASSERT_EQ(sink.frames.size(), 1u);
  EXPECT_EQ(sink.frames[0].information, hex("01 42 000b 03 626f62 02 7077"));
  EXPECT_EQ(peer.state(), PapPeerState::RequestSent);
}

TEST(AuthPap, AckBytesCarryRequestIdentifier) {
  authtest::AuthenticatorRig h;
  h.store.add_password("bob", "pw");
  PapAuthenticator a(h.cfg, h.sink);
  a.start(Time{});
  a.receive(hex("01 77 000b 03 626f62 02 7077"), Time{});
  ASSERT_EQ(h.sink.frames.size(), 1u);
  // Code 2, same Identifier, Msg-Length 14, "Access granted".
  EXPECT_EQ(h.sink.frames[0].information, hex("02 77 0013 0e 4163636573732067 72616e746564"));
  EXPECT_EQ(a.status(), AuthStatus::Succeeded);
  EXPECT_EQ(a.state(), PapAuthenticatorState::Acked);
}

TEST(AuthPap, WrongPasswordIsAnsweredWithOneNak) {
  // The refusal itself is checked for PAP and CHAP-MD5 alike in auth_plaintext_methods_test.cpp.
  AuthPair pair(AuthMethod::Pap, peer_config("bob", "guess"));
  pair.store.add_password("bob", "Tunnel-Lab-7");
  pair.start();
  ASSERT_EQ(pair.from_authenticator.frames.size(), 1u);
  EXPECT_EQ(pair.from_authenticator.frames[0].information[0], 3);  // Authenticate-Nak
}

TEST(AuthPap, PeerWithOnlyNtHashFailsAtStartWithoutSending) {
  AuthConfig cfg = peer_config("bob", std::nullopt);
  cfg.peer.nt_hash = auth::NtHash{};
  AuthPair pair(AuthMethod::Pap, cfg);
  pair.start();
  EXPECT_EQ(pair.peer->status(), AuthStatus::Failed);
  EXPECT_NE(pair.peer->result().failure_reason.find("need the plaintext password"), std::string::npos);
  EXPECT_TRUE(pair.from_peer.frames.empty());
}

TEST(AuthPap, PeerRetransmitsWithNewIdentifiersThenGivesUp) {
  AuthConfig cfg = peer_config("bob", "Tunnel-Lab-7");
  cfg.peer.max_requests = 4;
  cfg.peer.restart_timeout = 3s;
  AuthPair pair(AuthMethod::Pap, cfg);
  pair.drop = [](bool, const authtest::SentFrame&) { return true; };  // nothing gets through
  const Time t0 = pair.now;
  pair.start();
  pair.run_for(11s);  // transmissions at +0, +3, +6, +9
  EXPECT_EQ(pair.peer->status(), AuthStatus::Pending);
  EXPECT_EQ(pair.from_peer.frames.size(), 4u);
  EXPECT_EQ(pair.peer->deadline(), t0 + 12s);
  pair.run_for(2s);  // the fourth times out at +12: give up
  EXPECT_EQ(pair.peer->status(), AuthStatus::Failed);
  EXPECT_EQ(pair.peer->result().failure_reason, "no reply to 4 Authenticate-Requests");
  EXPECT_EQ(pair.from_peer.frames.size(), 4u);
  // RFC 1334 §2.2.1: the Identifier changes with every Request.
  for (std::size_t i = 1; i < pair.from_peer.frames.size(); ++i) {
    EXPECT_EQ(pair.from_peer.frames[i].information[1],
              static_cast<std::uint8_t>(pair.from_peer.frames[i - 1].information[1] + 1));
  }
  EXPECT_EQ(counters_of(*pair.peer).retransmissions, 3u);
}

TEST(AuthPap, LostAckIsRepeatedForTheRetransmittedRequest) {
  AuthPair pair(AuthMethod::Pap, peer_config("bob", "Tunnel-Lab-7"));
  pair.store.add_password("bob", "Tunnel-Lab-7");
  int acks_seen = 0;
  pair.drop = [&](bool to_peer, const authtest::SentFrame&) { return to_peer && acks_seen++ == 0; };
  pair.start();
  EXPECT_EQ(pair.authenticator->status(), AuthStatus::Succeeded);
  EXPECT_EQ(pair.peer->status(), AuthStatus::Pending);
  pair.run_for(5s);
  EXPECT_EQ(pair.peer->status(), AuthStatus::Succeeded);
  ASSERT_EQ(pair.from_authenticator.frames.size(), 2u);
  // The second Ack answers the second Request (RFC 1334 §2.2.2: Identifier copied).
  EXPECT_EQ(pair.from_authenticator.frames[1].information[0], 2);
  EXPECT_EQ(pair.from_authenticator.frames[1].information[1], pair.from_peer.frames[1].information[1]);
  EXPECT_EQ(counters_of(*pair.authenticator).retransmissions, 1u);
}

TEST(AuthPap, LateAckForEarlierRequestIsAccepted) {
  RecordingSink sink;
  ScriptedRandom random;
  random.push(0x10);
  AuthPeerConfig cfg = authtest::peer_settings("bob", "pw");
  PapPeer peer(cfg, random, sink);
  peer.start(Time{});
  peer.on_timer(Time{} + 3s);  // second Request, Identifier 0x11
  ASSERT_EQ(sink.frames.size(), 2u);
  peer.receive(hex("02 10 0005 00"), Time{} + 4s);  // Ack for the first one
  EXPECT_EQ(peer.status(), AuthStatus::Succeeded);
}

TEST(AuthPap, ReplyWithForeignIdentifierIsDroppedAndCounted) {
  RecordingSink sink;
  ScriptedRandom random;
  random.push(0x10);
  AuthPeerConfig cfg = authtest::peer_settings("bob", "pw");
  PapPeer peer(cfg, random, sink);
  peer.start(Time{});
  peer.receive(hex("02 99 0005 00"), Time{});
  peer.receive(hex("03 98 0005 00"), Time{});
  EXPECT_EQ(peer.status(), AuthStatus::Pending);
  EXPECT_EQ(counters_of(peer).wrong_identifier, 2u);
}

TEST(AuthPap, AuthenticatorTimesOutWithoutRequest) {
  AuthConfig cfg = peer_config("bob", "Tunnel-Lab-7");
  cfg.authenticator.request_timeout = 20s;
  AuthPair pair(AuthMethod::Pap, cfg);
  pair.drop = [](bool, const authtest::SentFrame&) { return true; };
  const Time t0 = pair.now;
  pair.start();
  EXPECT_EQ(pair.authenticator->deadline(), t0 + 20s);
  pair.run_for(19s);
  EXPECT_EQ(pair.authenticator->status(), AuthStatus::Pending);
  pair.run_for(1s);
  EXPECT_EQ(pair.authenticator->status(), AuthStatus::Failed);
  EXPECT_EQ(pair.authenticator->result().failure_reason,
            "no Authenticate-Request from the peer within 20 s");
  EXPECT_TRUE(pair.from_authenticator.frames.empty());
}

TEST(AuthPap, RequestBeforeStartIsDiscarded) {
  authtest::AuthenticatorRig h;
  h.store.add_password("bob", "pw");
  PapAuthenticator a(h.cfg, h.sink);
  a.receive(hex("01 01 000b 03 626f62 02 7077"), Time{});
  EXPECT_EQ(a.status(), AuthStatus::Pending);
  EXPECT_TRUE(h.sink.frames.empty());
  EXPECT_EQ(counters_of(a).unexpected, 1u);
}

TEST(AuthPap, NakLostThenRepeatedRequestGetsNakAgain) {
  authtest::AuthenticatorRig h;
  h.store.add_password("bob", "pw");
  PapAuthenticator a(h.cfg, h.sink);
  a.start(Time{});
  a.receive(hex("01 01 000b 03 626f62 02 7878"), Time{});
  // RFC 1334 §2.2.1: the same reply Code, even if the second try has the right password.
  a.receive(hex("01 02 000b 03 626f62 02 7077"), Time{});
  ASSERT_EQ(h.sink.frames.size(), 2u);
  EXPECT_EQ(h.sink.frames[1].information[0], 3);
  EXPECT_EQ(h.sink.frames[1].information[1], 2);
  EXPECT_EQ(a.status(), AuthStatus::Failed);
}

}  // namespace
}  // namespace pptpx::ppp

namespace pptpx::ppp {
namespace {

TEST(AuthPap, PeerRefusesNamesThatDoNotFitTheOneOctetLength) {
  authtest::RecordingSink sink;
  authtest::ScriptedRandom random;
  AuthPeerConfig cfg;
  cfg.user_name = std::string(256, 'u');  // RFC 1334 §2.2.1: Peer-ID-Length is one octet
  cfg.password = "pw";
  PapPeer peer(cfg, random, sink);
  peer.start(Time{});
  EXPECT_EQ(peer.status(), AuthStatus::Failed);
  EXPECT_EQ(peer.result().failure_reason, "user name or password longer than 255 octets");
  EXPECT_TRUE(sink.frames.empty());
}

TEST(AuthPap, ReasonsQuoteUnprintableNamesSafely) {
  AuthPair pair(AuthMethod::Pap, authtest::peer_config(std::string("ev\x01l\n", 5) + std::string(200, 'x'), "pw"));
  pair.start();
  const std::string& reason = pair.authenticator->result().failure_reason;
  EXPECT_EQ(reason.rfind("unknown user \"ev\\x01l\\x0axxx", 0), 0u) << reason;
  EXPECT_NE(reason.find("...\""), std::string::npos) << reason;  // cut, not 200 x's
  EXPECT_LT(reason.size(), 160u);
  // The result keeps the exact bytes for the server's per-user counting.
  EXPECT_EQ(pair.authenticator->result().user_name.size(), 205u);
}

}  // namespace
}  // namespace pptpx::ppp
