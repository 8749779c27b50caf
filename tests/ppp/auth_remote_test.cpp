// Asynchronous verdicts (ppp/auth_remote.hpp): every authenticator method hands the peer's
// proof to a RemoteVerifier and stays Pending while it thinks, with the fake clock running;
// the verdict, a Reject, an Unavailable with and without the local fallback, a timeout, and a
// machine destroyed while waiting.
#include <gtest/gtest.h>

#include <algorithm>

#include "auth/mschap.hpp"
#include "crypto/digest.hpp"
#include "auth_test_harness.hpp"
#include "ppp/auth_chap_common.hpp"
#include "ppp/auth_pap.hpp"

namespace pptpx::ppp {
namespace {

using namespace authtest;

// Records questions; the test answers them when it likes (as a RADIUS server would, later).
class FakeVerifier final : public RemoteVerifier {
 public:
  struct Question {
    RemoteAuthRequest request;
    std::function<void(RemoteAuthVerdict)> done;
    std::shared_ptr<bool> alive;
  };
  class Ticket final : public RemoteAuthTicket {
   public:
    explicit Ticket(std::shared_ptr<bool> alive) : alive_(std::move(alive)) {}
    ~Ticket() override { *alive_ = false; }

   private:
    std::shared_ptr<bool> alive_;
  };
  std::unique_ptr<RemoteAuthTicket> ask(RemoteAuthRequest request, std::function<void(RemoteAuthVerdict)> done) override {
    auto alive = std::make_shared<bool>(true);
    questions.push_back({std::move(request), std::move(done), alive});
    return std::make_unique<Ticket>(alive);
  }
  // false when the asker withdrew its question.
  bool answer(std::size_t i, RemoteAuthVerdict v) {
    if (!*questions.at(i).alive) return false;
    questions.at(i).done(std::move(v));
    return true;
  }
  std::vector<Question> questions;
};

AuthConfig remote_config(FakeVerifier& verifier, std::string user, std::string password) {
  AuthConfig c = peer_config(std::move(user), std::move(password));
  c.authenticator.remote = &verifier;
  c.authenticator.remote_timeout = 10s;
  return c;
}

RemoteAuthVerdict verdict(RemoteAuthVerdict::Outcome o, std::string message = {}, std::string reason = {}) {
  RemoteAuthVerdict v;
  v.outcome = o;
  v.message = std::move(message);
  v.reason = std::move(reason);
  return v;
}

TEST(AuthRemote, EveryMethodWaitsForTheVerdictWhileTimeRuns) {
  for (AuthMethod m : {AuthMethod::Pap, AuthMethod::ChapMd5, AuthMethod::MsChapV1}) {
    SCOPED_TRACE(std::string(to_string(m)));
    FakeVerifier v;
    AuthPair pair(m, remote_config(v, "bob", "pw"));
    pair.start();
    ASSERT_EQ(v.questions.size(), 1u);
    EXPECT_EQ(v.questions[0].request.method, m);
    EXPECT_EQ(v.questions[0].request.user_name, "bob");
    EXPECT_EQ(pair.store.lookups, 0);  // the local store is not consulted
    if (m == AuthMethod::Pap) {
      EXPECT_EQ(text_of(v.questions[0].request.response), "pw");
    } else {
      EXPECT_EQ(v.questions[0].request.challenge.size(), m == AuthMethod::MsChapV1 ? 8u : 16u);
      EXPECT_EQ(v.questions[0].request.response.size(), m == AuthMethod::ChapMd5 ? 16u : 49u);
    }
    // Time passes: no verdict yet, nothing decided, no retransmitted Challenge.
    const std::size_t sent = pair.from_authenticator.frames.size();
    pair.run_for(5s);
    EXPECT_EQ(pair.authenticator->status(), AuthStatus::Pending);
    EXPECT_EQ(pair.from_authenticator.frames.size(), sent);
    ASSERT_TRUE(v.answer(0, verdict(RemoteAuthVerdict::Outcome::Accept)));
    EXPECT_EQ(pair.authenticator->deadline(), kDueNow);
    pair.run_for(1s);
    EXPECT_EQ(pair.authenticator->status(), AuthStatus::Succeeded);
    EXPECT_EQ(pair.peer->status(), AuthStatus::Succeeded);
  }
}

TEST(AuthRemote, ChapMd5RequestCarriesWhatRadiusNeeds) {
  FakeVerifier v;
  AuthPair pair(AuthMethod::ChapMd5, remote_config(v, "bob", "pw"));
  pair.start();
  ASSERT_EQ(v.questions.size(), 1u);
  const RemoteAuthRequest& q = v.questions[0].request;
  // RFC 1994 §4.1: Response Value = MD5(Identifier + secret + Challenge), computed here by the test.
  Bytes in{q.identifier, 'p', 'w'};
  in.insert(in.end(), q.challenge.begin(), q.challenge.end());
  const auto expected = crypto::md5({in});
  EXPECT_TRUE(std::equal(expected.begin(), expected.end(), q.response.begin(), q.response.end()));
}

TEST(AuthRemote, MsChapV2SuccessCarriesTheRemoteAuthenticatorResponse) {
  FakeVerifier v;
  AuthPair pair(AuthMethod::MsChapV2, remote_config(v, "bob", "Tunnel-Lab-7"));
  pair.start();
  ASSERT_EQ(v.questions.size(), 1u);
  const RemoteAuthRequest& q = v.questions[0].request;
  ASSERT_EQ(q.challenge.size(), 16u);
  ASSERT_EQ(q.response.size(), 49u);
  // What the RADIUS server computes (RFC 2759 §8.7) from its own copy of the password.
  auth::Challenge16 auth_challenge{}, peer_challenge{};
  auth::NtResponse nt{};
  std::copy_n(q.challenge.begin(), 16, auth_challenge.begin());
  std::copy_n(q.response.begin(), 16, peer_challenge.begin());
  std::copy_n(q.response.begin() + 24, 24, nt.begin());
  const auto hash = auth::nt_password_hash("Tunnel-Lab-7");
  const auto s = auth::mschapv2_authenticator_response(hash, nt, peer_challenge, auth_challenge, "bob");
  RemoteAuthVerdict ok = verdict(RemoteAuthVerdict::Outcome::Accept, auth::format_authenticator_response(s));
  auth::MppeKeyMaterial keys;
  keys.nt_hash = hash;
  keys.nt_response = nt;
  keys.is_server = true;
  ok.mppe = keys;
  ASSERT_TRUE(v.answer(0, ok));
  pair.run_for(1s);
  EXPECT_EQ(pair.authenticator->status(), AuthStatus::Succeeded);
  EXPECT_EQ(pair.peer->status(), AuthStatus::Succeeded);  // the peer verified S=
  ASSERT_TRUE(pair.authenticator->result().mppe.has_value());
  EXPECT_EQ(pair.authenticator->result().mppe->nt_response, nt);
}

TEST(AuthRemote, MsChapV2AcceptWithoutAuthenticatorResponseIsRefused) {
  FakeVerifier v;
  AuthPair pair(AuthMethod::MsChapV2, remote_config(v, "bob", "pw"));
  pair.start();
  ASSERT_TRUE(v.answer(0, verdict(RemoteAuthVerdict::Outcome::Accept)));
  pair.run_for(1s);
  EXPECT_EQ(pair.authenticator->status(), AuthStatus::Failed);
  EXPECT_NE(pair.authenticator->result().failure_reason.find("MS-CHAP2-Success"), std::string::npos);
}

TEST(AuthRemote, RejectRelaysTheMsChapErrorToThePeer) {
  FakeVerifier v;
  AuthPair pair(AuthMethod::MsChapV2, remote_config(v, "bob", "pw"));
  pair.start();
  ASSERT_TRUE(v.answer(0, verdict(RemoteAuthVerdict::Outcome::Reject, "E=649 R=0 V=3", "Reply-Message: no dial-in")));
  pair.run_for(1s);
  EXPECT_EQ(pair.authenticator->status(), AuthStatus::Failed);
  EXPECT_NE(pair.authenticator->result().failure_reason.find("no dial-in"), std::string::npos);
  ASSERT_EQ(pair.peer->status(), AuthStatus::Failed);
  EXPECT_NE(pair.peer->result().failure_reason.find("649"), std::string::npos);
  // Without a relayed text the peer gets E=691 with our challenge.
  FakeVerifier v2;
  AuthPair pair2(AuthMethod::MsChapV2, remote_config(v2, "bob", "pw"));
  pair2.start();
  ASSERT_TRUE(v2.answer(0, verdict(RemoteAuthVerdict::Outcome::Reject)));
  pair2.run_for(1s);
  EXPECT_NE(pair2.peer->result().failure_reason.find("691"), std::string::npos);
}

TEST(AuthRemote, UnavailableFallsBackToTheSecretsOnlyWhenAllowed) {
  for (bool fallback : {false, true}) {
    SCOPED_TRACE(fallback);
    for (AuthMethod m : {AuthMethod::Pap, AuthMethod::ChapMd5, AuthMethod::MsChapV1, AuthMethod::MsChapV2}) {
      SCOPED_TRACE(std::string(to_string(m)));
      FakeVerifier v;
      AuthConfig c = remote_config(v, "bob", "pw");
      c.authenticator.fallback_to_credentials = fallback;
      AuthPair pair(m, c);
      pair.store.add_password("bob", "pw");
      pair.start();
      ASSERT_TRUE(v.answer(0, verdict(RemoteAuthVerdict::Outcome::Unavailable, {}, "no RADIUS server answered")));
      pair.run_for(1s);
      EXPECT_EQ(pair.authenticator->status(), fallback ? AuthStatus::Succeeded : AuthStatus::Failed);
      EXPECT_EQ(pair.peer->status(), fallback ? AuthStatus::Succeeded : AuthStatus::Failed);
    }
  }
}

TEST(AuthRemote, RejectNeverFallsBack) {
  FakeVerifier v;
  AuthConfig c = remote_config(v, "bob", "pw");
  c.authenticator.fallback_to_credentials = true;
  AuthPair pair(AuthMethod::Pap, c);
  pair.store.add_password("bob", "pw");
  pair.start();
  ASSERT_TRUE(v.answer(0, verdict(RemoteAuthVerdict::Outcome::Reject)));
  pair.run_for(1s);
  EXPECT_EQ(pair.authenticator->status(), AuthStatus::Failed);
  EXPECT_EQ(pair.store.lookups, 0);
}

TEST(AuthRemote, NoVerdictWithinTheBoundFailsAndWithdrawsTheQuestion) {
  FakeVerifier v;
  AuthPair pair(AuthMethod::ChapMd5, remote_config(v, "bob", "pw"));
  pair.start();
  pair.run_for(9s);
  EXPECT_EQ(pair.authenticator->status(), AuthStatus::Pending);
  pair.run_for(2s);
  EXPECT_EQ(pair.authenticator->status(), AuthStatus::Failed);
  EXPECT_NE(pair.authenticator->result().failure_reason.find("no verdict within 10 s"), std::string::npos);
  EXPECT_EQ(pair.peer->status(), AuthStatus::Failed);  // told with a Failure
  EXPECT_FALSE(v.answer(0, verdict(RemoteAuthVerdict::Outcome::Accept)));
}

TEST(AuthRemote, RepeatedResponsesWhileVerifyingAreDroppedAndCounted) {
  FakeVerifier v;
  AuthPair pair(AuthMethod::ChapMd5, remote_config(v, "bob", "pw"));
  pair.start();
  const Bytes response = pair.from_peer.frames.back().information;
  pair.authenticator->receive(response, pair.now);
  pair.authenticator->receive(response, pair.now);
  EXPECT_EQ(counters_of(*pair.authenticator).while_verifying, 2u);
  EXPECT_EQ(v.questions.size(), 1u);
}

TEST(AuthRemote, DestroyingAWaitingMachineWithdrawsTheQuestion) {
  FakeVerifier v;
  {
    AuthPair pair(AuthMethod::Pap, remote_config(v, "bob", "pw"));
    pair.start();
    ASSERT_EQ(v.questions.size(), 1u);
  }
  EXPECT_FALSE(v.answer(0, verdict(RemoteAuthVerdict::Outcome::Accept)));
}

}  // namespace
}  // namespace pptpx::ppp
