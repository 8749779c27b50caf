// Authentication-failure lockout ([limits.auth_lockout], issue 6): brute-force detection per
// source address and per user name. Sans-I/O: time is an argument; the daemon logs.
//
//   record_failure(key, now): failures of `key` within `window` (older ones forgotten)
//     reach `failures` -> locked until now + lockout (returns true once: "log this")
//   locked_until(key, now): the end of a lockout still running, else nullopt
//
//   key:  free  --failure--> counting (1..failures-1 within window) --failures-th--> locked
//         locked --lockout passed--> free (its count starts again from 0)
//
// While a key is locked, further failures are not counted: the lockout is not extended, so an
// attacker gets at most `failures` guesses per `lockout` for one user, and cannot keep a user
// locked for longer than by failing again after each lockout ends (which it can do: a per-user
// lockout lets anyone deny a user by name; that is the trade every brute-force limit makes).
//
// Memory is bounded: at most `max_tracked` keys (user names are the peer's to choose). When the
// table is full, keys with no failure within the window and no lockout go first, then the
// unlocked key whose last failure is oldest; if every key is locked, the failure is not tracked
// and counted in `untracked()`.
//
// LockedOutCredentials wraps a credential store for the authentication machines: a locked-out
// user who exists comes back with no secret and Credential::refused = "user locked out", so the
// machine does the work of a wrong password, refuses with exactly the reply a wrong password gets
// (ppp/auth_wire_text.hpp: the same octets for an unknown user, a wrong password and a lockout),
// and logs "refused: user locked out". The reply never tells which users exist or are locked out.
// The daemon logs the lockout too, with the user name and the address.
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "auth/credentials.hpp"
#include "util/time.hpp"

namespace pptpx::server {

struct LockoutRule {
  std::uint32_t failures = 5;  // 0: never lock out
  Duration window = std::chrono::seconds{300};
  Duration lockout = std::chrono::seconds{600};
  std::size_t max_tracked = 10000;
};

class FailureLockout {
 public:
  explicit FailureLockout(LockoutRule rule) : rule_(rule) {}

  // A failed authentication for `key`. True when this failure starts a lockout.
  bool record_failure(const std::string& key, Time now);
  std::optional<Time> locked_until(const std::string& key, Time now) const;
  // Keys locked out at `now`, with the end of each lockout (`pptpx ctl lockouts`).
  std::vector<std::pair<std::string, Time>> locked_keys(Time now) const;
  // Ends `key`'s lockout and forgets its failures (`pptpx ctl unlock`); false: not locked out.
  bool unlock(const std::string& key, Time now);

  const LockoutRule& rule() const { return rule_; }
  std::size_t tracked() const { return entries_.size(); }
  std::uint64_t untracked() const { return untracked_; }
  std::uint64_t lockouts() const { return lockouts_; }  // lockouts started

 private:
  struct Entry {
    std::deque<Time> failures;  // within the window; fewer than rule_.failures
    Time locked_until{};
    Time last{};
  };
  bool locked(const Entry& e, Time now) const { return now < e.locked_until; }
  bool make_room(Time now);  // false: every tracked key is locked

  LockoutRule rule_;
  std::unordered_map<std::string, Entry> entries_;
  std::uint64_t untracked_ = 0;
  std::uint64_t lockouts_ = 0;
};

// The key a user name is locked out under: its account (auth/user_name.hpp: after the last
// backslash), since the secrets lookup also matches "ANY\bob" to bob (so a prefix cannot dodge
// the lockout).
std::string lockout_user_key(std::string_view user_name);

class LockedOutCredentials final : public auth::CredentialStore {
 public:
  LockedOutCredentials(const auth::CredentialStore& inner, const FailureLockout& users, std::function<Time()> clock)
      : inner_(inner), users_(users), clock_(std::move(clock)) {}
  std::optional<auth::Credential> find(std::string_view user_name) const override;

 private:
  const auth::CredentialStore& inner_;
  const FailureLockout& users_;
  std::function<Time()> clock_;
};

}  // namespace pptpx::server
