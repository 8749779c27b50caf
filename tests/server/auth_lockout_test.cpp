// Authentication-failure lockout (server/auth_lockout.hpp) under a fake clock, and the reply a
// locked-out user gets from a real MS-CHAPv1/v2, CHAP-MD5 and PAP authenticator: byte for byte
// the one a wrong password gets.
#include <gtest/gtest.h>

#include <map>
#include <utility>
#include <vector>

#include "ppp/auth_factory_impl.hpp"
#include "server/auth_lockout.hpp"

namespace pptpx::server {
namespace {

const Time t0 = Time{} + 1000s;

LockoutRule rule(std::uint32_t failures, int window_s, int lockout_s, std::size_t max_tracked = 100) {
  LockoutRule r;
  r.failures = failures;
  r.window = std::chrono::seconds(window_s);
  r.lockout = std::chrono::seconds(lockout_s);
  r.max_tracked = max_tracked;
  return r;
}

TEST(FailureLockout, LocksOnTheNthFailureWithinTheWindow) {
  FailureLockout l(rule(3, 60, 600));
  EXPECT_FALSE(l.record_failure("bob", t0));
  EXPECT_FALSE(l.record_failure("bob", t0 + 10s));
  EXPECT_FALSE(l.locked_until("bob", t0 + 10s));
  EXPECT_TRUE(l.record_failure("bob", t0 + 20s));  // 3rd within 60 s
  ASSERT_TRUE(l.locked_until("bob", t0 + 20s));
  EXPECT_EQ(*l.locked_until("bob", t0 + 20s), t0 + 620s);
  EXPECT_TRUE(l.locked_until("bob", t0 + 619s));
  EXPECT_FALSE(l.locked_until("bob", t0 + 620s));  // lockout_seconds later: free again
  EXPECT_FALSE(l.locked_until("alice", t0 + 20s));  // other keys are not affected
  EXPECT_EQ(l.lockouts(), 1u);
}

TEST(FailureLockout, FailuresOlderThanTheWindowAreForgotten) {
  FailureLockout l(rule(3, 60, 600));
  EXPECT_FALSE(l.record_failure("bob", t0));
  EXPECT_FALSE(l.record_failure("bob", t0 + 30s));
  EXPECT_FALSE(l.record_failure("bob", t0 + 61s));  // the first is 61 s old: only 2 within 60 s
  EXPECT_FALSE(l.locked_until("bob", t0 + 61s));
  EXPECT_TRUE(l.record_failure("bob", t0 + 62s));   // t0+30, t0+61, t0+62
}

TEST(FailureLockout, FailuresWhileLockedDoNotExtendIt) {
  FailureLockout l(rule(2, 60, 100));
  l.record_failure("bob", t0);
  EXPECT_TRUE(l.record_failure("bob", t0 + 1s));  // locked until t0+101
  for (int i = 2; i < 50; ++i) EXPECT_FALSE(l.record_failure("bob", t0 + std::chrono::seconds(i)));
  EXPECT_EQ(*l.locked_until("bob", t0 + 49s), t0 + 101s);
  EXPECT_FALSE(l.locked_until("bob", t0 + 101s));
  // Afterwards the count starts from zero: one failure is not enough to lock again.
  EXPECT_FALSE(l.record_failure("bob", t0 + 102s));
  EXPECT_TRUE(l.record_failure("bob", t0 + 103s));
  EXPECT_EQ(l.lockouts(), 2u);
}

TEST(FailureLockout, ZeroFailuresNeverLocks) {
  FailureLockout l(rule(0, 60, 600));
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(l.record_failure("bob", t0));
  EXPECT_FALSE(l.locked_until("bob", t0));
  EXPECT_EQ(l.tracked(), 0u);
}

TEST(FailureLockout, TableIsBoundedAndKeepsLockedKeys) {
  FailureLockout l(rule(2, 60, 600, 4));
  l.record_failure("victim", t0);
  EXPECT_TRUE(l.record_failure("victim", t0 + 1s));  // locked until t0+601
  // An attacker sprays made-up names: the table never holds more than 4 keys...
  for (int i = 0; i < 1000; ++i) l.record_failure("name" + std::to_string(i), t0 + 2s);
  EXPECT_LE(l.tracked(), 4u);
  // ...and the lockout in force survives it.
  EXPECT_TRUE(l.locked_until("victim", t0 + 3s));
}

TEST(FailureLockout, FullOfLockedKeysNewOnesAreCountedUntracked) {
  FailureLockout l(rule(1, 60, 600, 2));
  EXPECT_TRUE(l.record_failure("a", t0));
  EXPECT_TRUE(l.record_failure("b", t0));
  EXPECT_FALSE(l.record_failure("c", t0));
  EXPECT_EQ(l.untracked(), 1u);
  EXPECT_FALSE(l.locked_until("c", t0));
  EXPECT_TRUE(l.record_failure("c", t0 + 601s));  // a and b expired: room again
}

TEST(FailureLockout, ExpiredKeysAreDroppedWhenRoomIsNeeded) {
  FailureLockout l(rule(3, 60, 600, 2));
  l.record_failure("old1", t0);
  l.record_failure("old2", t0);
  l.record_failure("new", t0 + 120s);  // old1/old2 have no failure within 60 s: forgotten
  EXPECT_EQ(l.tracked(), 1u);
  EXPECT_EQ(l.untracked(), 0u);
}

TEST(LockoutUserKey, DomainPrefixCannotDodgeTheLockout) {
  EXPECT_EQ(lockout_user_key("bob"), "bob");
  EXPECT_EQ(lockout_user_key("CORP\\bob"), "bob");
  EXPECT_EQ(lockout_user_key("A\\B\\bob"), "bob");
  EXPECT_EQ(lockout_user_key(""), "");
}

// ---- the reply a locked-out user gets ----

class Store final : public auth::CredentialStore {
 public:
  std::map<std::string, std::string, std::less<>> users;
  std::optional<auth::Credential> find(std::string_view name) const override {
    auto it = users.find(name);
    if (it == users.end()) return std::nullopt;
    auth::Credential c;
    c.password = it->second;
    c.nt_hash = auth::nt_password_hash(it->second);
    return c;
  }
};

struct FixedRandom final : ppp::RandomSource {
  void fill(MutableByteView out) override {
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint8_t>(0x40 + i);
  }
};

struct Wire final : ppp::FrameSink {
  std::vector<Bytes> frames;
  void send_frame(ppp::Protocol, ByteView information) override { frames.emplace_back(information.begin(), information.end()); }
};

// The authenticator's reply to one Response/Request, captured directly.
Bytes verdict(ppp::AuthMethod method, const auth::CredentialStore& store, const std::string& user,
              const std::string& password, ppp::AuthStatus& status) {
  FixedRandom random;
  ppp::AuthConfig cfg;
  cfg.random = &random;
  cfg.authenticator.credentials = &store;
  cfg.peer.user_name = user;
  cfg.peer.password = password;
  Wire to_peer, to_auth;
  auto a = ppp::make_auth_machine(method, ppp::AuthRole::Authenticator, cfg, to_peer);
  auto p = ppp::make_auth_machine(method, ppp::AuthRole::Peer, cfg, to_auth);
  a->start(t0);
  p->start(t0);
  Bytes last;
  for (int round = 0; round < 4; ++round) {
    for (auto& f : std::exchange(to_peer.frames, {})) p->receive(f, t0);
    for (auto& f : std::exchange(to_auth.frames, {})) {
      a->receive(f, t0);
      if (!to_peer.frames.empty()) last = to_peer.frames.back();
    }
  }
  status = a->status();
  return last;
}

class LockedOutReply : public ::testing::TestWithParam<ppp::AuthMethod> {};

TEST_P(LockedOutReply, IsByteForByteTheWrongPasswordReply) {
  Store store;
  store.users["bob"] = "Tunnel-Lab-7";
  FailureLockout users(rule(1, 60, 600));
  Time now = t0;
  LockedOutCredentials creds(store, users, [&] { return now; });

  ppp::AuthStatus st{};
  const Bytes good = verdict(GetParam(), creds, "bob", "Tunnel-Lab-7", st);
  EXPECT_EQ(st, ppp::AuthStatus::Succeeded);  // not locked: the right password works
  const Bytes wrong = verdict(GetParam(), creds, "bob", "not-it", st);
  EXPECT_EQ(st, ppp::AuthStatus::Failed);
  ASSERT_FALSE(wrong.empty());

  EXPECT_TRUE(users.record_failure(lockout_user_key("bob"), now));
  const Bytes locked = verdict(GetParam(), creds, "CORP\\bob", "Tunnel-Lab-7", st);
  EXPECT_EQ(st, ppp::AuthStatus::Failed);  // the right password, but locked out
  EXPECT_EQ(locked, wrong);
  const Bytes locked_plain = verdict(GetParam(), creds, "bob", "Tunnel-Lab-7", st);
  EXPECT_EQ(st, ppp::AuthStatus::Failed);
  EXPECT_EQ(locked_plain, wrong);  // same Code, Identifier, Length and message
  const Bytes unknown = verdict(GetParam(), creds, "mallory", "x", st);
  EXPECT_EQ(unknown, wrong);

  now += 600s;  // the lockout is over
  (void)verdict(GetParam(), creds, "bob", "Tunnel-Lab-7", st);
  EXPECT_EQ(st, ppp::AuthStatus::Succeeded);
}

// Issue 16: the operator's log keeps the true reason. A locked-out user who exists comes back
// "refused: user locked out" with no secret (so the machine checks a dummy one); a name that is
// locked but not on file stays unknown.
TEST(LockedOutCredentials, ExistingLockedUserIsRefusedNotUnknown) {
  Store store;
  store.users["bob"] = "Tunnel-Lab-7";
  FailureLockout users(rule(1, 60, 600));
  LockedOutCredentials creds(store, users, [] { return t0; });
  EXPECT_TRUE(users.record_failure("bob", t0));
  EXPECT_TRUE(users.record_failure("mallory", t0));
  const auto bob = creds.find("bob");
  ASSERT_TRUE(bob.has_value());
  EXPECT_EQ(bob->refused, std::optional<std::string>("user locked out"));
  EXPECT_FALSE(bob->password.has_value());
  EXPECT_FALSE(bob->nt_hash.has_value());
  EXPECT_FALSE(creds.find("mallory").has_value());
  FixedRandom random;
  ppp::AuthConfig cfg;
  cfg.random = &random;
  cfg.authenticator.credentials = &creds;
  Wire to_peer;
  auto a = ppp::make_auth_machine(ppp::AuthMethod::Pap, ppp::AuthRole::Authenticator, cfg, to_peer);
  a->start(t0);
  a->receive(Bytes{0x01, 0x07, 0x00, 0x0A, 0x03, 'b', 'o', 'b', 0x01, 'x'}, t0);  // RFC 1334 §2.2.1
  EXPECT_EQ(a->result().failure_reason, "user \"bob\": refused: user locked out");
}

INSTANTIATE_TEST_SUITE_P(Methods, LockedOutReply,
                         ::testing::Values(ppp::AuthMethod::MsChapV2, ppp::AuthMethod::MsChapV1, ppp::AuthMethod::ChapMd5,
                                           ppp::AuthMethod::Pap));

}  // namespace
}  // namespace pptpx::server

namespace pptpx::server {
namespace {

TEST(FailureLockoutOperator, ListsLockedKeysAndUnlockForgetsTheirFailures) {
  LockoutRule rule;
  rule.failures = 2;
  FailureLockout l(rule);
  const Time when{};
  l.record_failure("mallory", when);
  EXPECT_TRUE(l.locked_keys(when).empty());
  EXPECT_FALSE(l.unlock("mallory", when));  // counting, not locked
  EXPECT_TRUE(l.record_failure("mallory", when));
  const auto locked = l.locked_keys(when);
  ASSERT_EQ(locked.size(), 1u);
  EXPECT_EQ(locked[0].first, "mallory");
  EXPECT_EQ(locked[0].second, when + rule.lockout);
  EXPECT_TRUE(l.unlock("mallory", when));
  EXPECT_FALSE(l.locked_until("mallory", when));
  // Its count starts again: one more failure does not lock it.
  EXPECT_FALSE(l.record_failure("mallory", when));
  EXPECT_FALSE(l.locked_until("mallory", when));
}

}  // namespace
}  // namespace pptpx::server
