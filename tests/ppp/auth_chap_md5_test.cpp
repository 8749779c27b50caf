// CHAP-MD5 (RFC 1994) in both roles, against each other in memory under a fake clock.
#include <gtest/gtest.h>

#include <algorithm>
#include <openssl/evp.h>

#include "ppp/auth_chap_md5.hpp"
#include "support/hex_literal.hpp"
#include "auth_test_harness.hpp"

namespace pptpx::ppp {
namespace {

using namespace authtest;  // auth_test_harness.hpp
using pptpx::test::hex;

// RFC 1994 §4.1, computed here with OpenSSL directly (independent of auth/chap_md5).
Bytes md5_of(std::uint8_t id, std::string_view secret, ByteView challenge) {
  // Sized up front: g++ 12 at -O3 misreads vector::insert into a 1-element vector as an
  // out-of-bounds memmove (-Warray-bounds false positive).
  Bytes in(1 + secret.size() + challenge.size());
  in[0] = id;
  std::copy(secret.begin(), secret.end(), in.begin() + 1);
  std::copy(challenge.begin(), challenge.end(), in.begin() + 1 + static_cast<std::ptrdiff_t>(secret.size()));
  Bytes out(16);
  unsigned len = 0;
  EXPECT_EQ(EVP_Digest(in.data(), in.size(), out.data(), &len, EVP_md5(), nullptr), 1);
  return out;
}

TEST(AuthChapMd5, PeerAndAuthenticatorAgree) {
  AuthPair pair(AuthMethod::ChapMd5, peer_config("bob", "Tunnel-Lab-7"));
  pair.store.add_password("bob", "Tunnel-Lab-7");
  pair.auth_random.push(0x21);  // Identifier
  pair.auth_random.push(hex("000102030405060708090a0b0c0d0e0f"));
  pair.start();
  EXPECT_EQ(pair.authenticator->status(), AuthStatus::Succeeded);
  EXPECT_EQ(pair.peer->status(), AuthStatus::Succeeded);
  EXPECT_EQ(pair.authenticator->result().user_name, "bob");
  EXPECT_FALSE(pair.authenticator->result().mppe.has_value());

  // Wire: Challenge = 01 21 len 10 <16 octets> "pptpx"; Response carries MD5(id||secret||chal).
  ASSERT_EQ(pair.from_authenticator.frames.size(), 2u);
  EXPECT_EQ(pair.from_authenticator.frames[0].protocol, Protocol::Chap);
  EXPECT_EQ(pair.from_authenticator.frames[0].information,
            hex("01 21 001a 10 000102030405060708090a0b0c0d0e0f 7070747078"));
  Bytes expected = hex("02 21 0018 10");
  const Bytes digest = md5_of(0x21, "Tunnel-Lab-7", hex("000102030405060708090a0b0c0d0e0f"));
  expected.insert(expected.end(), digest.begin(), digest.end());
  expected.insert(expected.end(), {'b', 'o', 'b'});
  ASSERT_EQ(pair.from_peer.frames.size(), 1u);
  EXPECT_EQ(pair.from_peer.frames[0].information, expected);
  EXPECT_EQ(pair.from_authenticator.frames[1].information[0], 3);  // Success
  EXPECT_EQ(pair.from_authenticator.frames[1].information[1], 0x21);
}

TEST(AuthChapMd5, PeerWithOnlyNtHashFailsAtStart) {
  AuthConfig cfg = peer_config("bob", std::nullopt);
  cfg.peer.nt_hash = auth::NtHash{};
  AuthPair pair(AuthMethod::ChapMd5, cfg);
  pair.peer->start(pair.now);
  EXPECT_EQ(pair.peer->status(), AuthStatus::Failed);
  EXPECT_EQ(pair.peer->result().failure_reason,
            "only an NT hash is configured; PAP/CHAP-MD5 need the plaintext password");
}

TEST(AuthChapMd5, LostResponseCausesNewChallengeAndLateAnswerIsDropped) {
  AuthConfig cfg = peer_config("bob", "Tunnel-Lab-7");
  cfg.authenticator.restart_timeout = 3s;
  AuthPair pair(AuthMethod::ChapMd5, cfg);
  pair.store.add_password("bob", "Tunnel-Lab-7");
  bool held = false;
  authtest::SentFrame late{};
  pair.drop = [&](bool to_peer, const authtest::SentFrame& f) {
    if (!to_peer && !held) {
      held = true;
      late = f;
      return true;
    }
    return false;
  };
  pair.start();
  EXPECT_EQ(pair.authenticator->status(), AuthStatus::Pending);
  pair.run_for(3s);
  EXPECT_EQ(pair.authenticator->status(), AuthStatus::Succeeded);
  EXPECT_EQ(pair.peer->status(), AuthStatus::Succeeded);
  ASSERT_GE(pair.from_authenticator.frames.size(), 3u);
  const Bytes& first = pair.from_authenticator.frames[0].information;
  const Bytes& second = pair.from_authenticator.frames[1].information;
  // RFC 1994 §4.1: Identifier and Value both change with every Challenge.
  EXPECT_EQ(second[0], 1);
  EXPECT_EQ(second[1], static_cast<std::uint8_t>(first[1] + 1));
  EXPECT_NE(Bytes(first.begin() + 5, first.begin() + 21), Bytes(second.begin() + 5, second.begin() + 21));
  // The held Response to the first Challenge now arrives: wrong Identifier, dropped.
  const std::size_t sent = pair.from_authenticator.frames.size();
  pair.authenticator->receive(late.information, pair.now);
  EXPECT_EQ(pair.from_authenticator.frames.size(), sent);
  EXPECT_EQ(counters_of(*pair.authenticator).wrong_identifier, 1u);
  EXPECT_EQ(pair.authenticator->status(), AuthStatus::Succeeded);
}

TEST(AuthChapMd5, AuthenticatorGivesUpAfterMaxChallenges) {
  AuthConfig cfg = peer_config("bob", "Tunnel-Lab-7");
  cfg.authenticator.restart_timeout = 2s;
  cfg.authenticator.max_challenges = 3;
  AuthPair pair(AuthMethod::ChapMd5, cfg);
  pair.drop = [](bool, const authtest::SentFrame&) { return true; };
  pair.start();
  pair.run_for(5s);
  EXPECT_EQ(pair.authenticator->status(), AuthStatus::Pending);
  EXPECT_EQ(pair.from_authenticator.frames.size(), 3u);
  pair.run_for(1s);
  EXPECT_EQ(pair.authenticator->status(), AuthStatus::Failed);
  EXPECT_EQ(pair.authenticator->result().failure_reason, "no Response to 3 Challenges");
  EXPECT_EQ(pair.from_authenticator.frames.size(), 3u);
}

TEST(AuthChapMd5, RepeatedChallengeAfterSuccessGetsSameAnswer) {
  RecordingSink sink;
  AuthPeerConfig cfg = authtest::peer_settings("bob", "Tunnel-Lab-7");
  ChapMd5Peer peer(cfg, sink);
  peer.start(Time{});
  const Bytes challenge = hex("01 07 0009 04 deadbeef");
  peer.receive(challenge, Time{});
  peer.receive(hex("03 07 0004"), Time{});
  EXPECT_EQ(peer.status(), AuthStatus::Succeeded);
  peer.receive(challenge, Time{} + 1s);
  ASSERT_EQ(sink.frames.size(), 2u);
  EXPECT_EQ(sink.frames[0].information, sink.frames[1].information);
  EXPECT_EQ(peer.status(), AuthStatus::Succeeded);
  EXPECT_EQ(peer.deadline(), std::nullopt);
}

TEST(AuthChapMd5, RepeatedResponseAfterSuccessGetsSuccessAgain) {
  AuthPair pair(AuthMethod::ChapMd5, peer_config("bob", "Tunnel-Lab-7"));
  pair.store.add_password("bob", "Tunnel-Lab-7");
  pair.start();
  ASSERT_EQ(pair.authenticator->status(), AuthStatus::Succeeded);
  const std::size_t sent = pair.from_authenticator.frames.size();
  pair.authenticator->receive(pair.from_peer.frames.back().information, pair.now);
  ASSERT_EQ(pair.from_authenticator.frames.size(), sent + 1);
  EXPECT_EQ(pair.from_authenticator.frames.back().information, pair.from_authenticator.frames[sent - 1].information);
  EXPECT_EQ(pair.authenticator->status(), AuthStatus::Succeeded);
}

TEST(AuthChapMd5, PeerDropsSuccessWithWrongIdentifier) {
  RecordingSink sink;
  AuthPeerConfig cfg = authtest::peer_settings("bob", "x");
  ChapMd5Peer peer(cfg, sink);
  peer.start(Time{});
  peer.receive(hex("03 07 0004"), Time{});  // Success before any Challenge
  peer.receive(hex("01 07 0006 01 aa"), Time{});
  peer.receive(hex("03 08 0004"), Time{});  // Success for another Identifier
  peer.receive(hex("04 09 0004"), Time{});  // Failure for another Identifier
  EXPECT_EQ(peer.status(), AuthStatus::Pending);
  EXPECT_EQ(counters_of(peer).wrong_identifier, 3u);
  peer.receive(hex("04 07 0008 6e6f7065"), Time{});
  EXPECT_EQ(peer.status(), AuthStatus::Failed);
  EXPECT_EQ(peer.result().failure_reason, "the authenticator refused user \"bob\": nope");
}

TEST(AuthChapMd5, PeerTimesOutWaitingForChallengeAndForResult) {
  RecordingSink sink;
  AuthPeerConfig cfg = authtest::peer_settings("bob", "x");
  cfg.wait_timeout = 10s;
  {
    ChapMd5Peer peer(cfg, sink);
    peer.start(Time{});
    EXPECT_EQ(peer.deadline(), Time{} + 10s);
    peer.on_timer(Time{} + 9s);
    EXPECT_EQ(peer.status(), AuthStatus::Pending);
    peer.on_timer(Time{} + 10s);
    EXPECT_EQ(peer.status(), AuthStatus::Failed);
    EXPECT_EQ(peer.result().failure_reason, "no Challenge from the authenticator within 10 s");
  }
  {
    ChapMd5Peer peer(cfg, sink);
    peer.start(Time{});
    peer.receive(hex("01 07 0006 01 aa"), Time{} + 5s);
    EXPECT_EQ(peer.deadline(), Time{} + 15s);
    peer.on_timer(Time{} + 15s);
    EXPECT_EQ(peer.status(), AuthStatus::Failed);
    EXPECT_EQ(peer.result().failure_reason, "no Success or Failure within 10 s of our Response");
  }
}

TEST(AuthChapMd5, ReChallengeAfterSuccessIsAnsweredAndFailureThenFails) {
  RecordingSink sink;
  AuthPeerConfig cfg = authtest::peer_settings("bob", "x");
  ChapMd5Peer peer(cfg, sink);
  peer.start(Time{});
  peer.receive(hex("01 07 0006 01 aa"), Time{});
  peer.receive(hex("03 07 0004"), Time{});
  ASSERT_EQ(peer.status(), AuthStatus::Succeeded);
  peer.receive(hex("01 08 0006 01 bb"), Time{} + 60s);  // RFC 1994 §4.1 periodic re-challenge
  ASSERT_EQ(sink.frames.size(), 2u);
  EXPECT_EQ(sink.frames[1].information[1], 0x08);
  EXPECT_EQ(peer.status(), AuthStatus::Succeeded);
  peer.receive(hex("04 08 0004"), Time{} + 61s);
  EXPECT_EQ(peer.status(), AuthStatus::Failed);
}

}  // namespace
}  // namespace pptpx::ppp
