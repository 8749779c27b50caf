// PAP (RFC 1334) and CHAP-MD5 (RFC 1994) both check the user's plaintext secret, so they refuse
// the same peers for the same reasons; one set of pair tests for both methods.
#include <gtest/gtest.h>

#include "auth_test_harness.hpp"

namespace pptpx::ppp {
namespace {

using authtest::AuthPair;
using authtest::peer_config;

class PlaintextMethod : public ::testing::TestWithParam<AuthMethod> {};

TEST_P(PlaintextMethod, WrongPasswordIsRefusedNamingTheUser) {
  AuthPair pair(GetParam(), peer_config("bob", "guess"));
  pair.store.add_password("bob", "Tunnel-Lab-7");
  pair.start();
  EXPECT_EQ(pair.authenticator->status(), AuthStatus::Failed);
  EXPECT_EQ(pair.authenticator->result().user_name, "bob");
  EXPECT_EQ(pair.authenticator->result().failure_reason, "wrong password for user \"bob\"");
  EXPECT_EQ(pair.peer->status(), AuthStatus::Failed);
  EXPECT_EQ(pair.peer->result().failure_reason,
            "the authenticator refused user \"bob\": Authentication failed");
}

TEST_P(PlaintextMethod, UnknownUserIsRefused) {
  AuthPair pair(GetParam(), peer_config("mallory", "x"));
  pair.store.add_password("bob", "Tunnel-Lab-7");
  pair.start();
  EXPECT_EQ(pair.authenticator->status(), AuthStatus::Failed);
  EXPECT_EQ(pair.authenticator->result().user_name, "mallory");
  EXPECT_EQ(pair.authenticator->result().failure_reason, "unknown user \"mallory\"");
  EXPECT_EQ(pair.peer->status(), AuthStatus::Failed);
}

TEST_P(PlaintextMethod, NtHashOnlyStoreCannotCheckIt) {
  AuthPair pair(GetParam(), peer_config("bob", "Tunnel-Lab-7"));
  pair.store.add_nt_hash("bob", auth::nt_password_hash("Tunnel-Lab-7"));
  pair.start();
  EXPECT_EQ(pair.authenticator->status(), AuthStatus::Failed);
  EXPECT_EQ(pair.authenticator->result().failure_reason,
            "user \"bob\": user's secret is stored as an NT hash; PAP/CHAP-MD5 need the plaintext");
  EXPECT_EQ(pair.peer->status(), AuthStatus::Failed);
}

INSTANTIATE_TEST_SUITE_P(AuthPapAndChapMd5, PlaintextMethod,
                         ::testing::Values(AuthMethod::Pap, AuthMethod::ChapMd5),
                         [](const ::testing::TestParamInfo<AuthMethod>& i) {
                           return i.param == AuthMethod::Pap ? "Pap" : "ChapMd5";
                         });

}  // namespace
}  // namespace pptpx::ppp
