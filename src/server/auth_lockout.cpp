#include "server/auth_lockout.hpp"

#include "auth/user_name.hpp"

namespace pptpx::server {

bool FailureLockout::record_failure(const std::string& key, Time now) {
  if (rule_.failures == 0) return false;
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    if (entries_.size() >= rule_.max_tracked && !make_room(now)) {
      ++untracked_;
      return false;
    }
    it = entries_.emplace(key, Entry{}).first;
  }
  Entry& e = it->second;
  if (locked(e, now)) return false;  // not counted: the lockout is not extended
  e.last = now;
  e.failures.push_back(now);
  while (!e.failures.empty() && now - e.failures.front() > rule_.window) e.failures.pop_front();
  if (e.failures.size() < rule_.failures) return false;
  e.failures.clear();
  e.locked_until = now + rule_.lockout;
  ++lockouts_;
  return true;
}

std::optional<Time> FailureLockout::locked_until(const std::string& key, Time now) const {
  auto it = entries_.find(key);
  if (it == entries_.end() || !locked(it->second, now)) return std::nullopt;
  return it->second.locked_until;
}

bool FailureLockout::make_room(Time now) {
  // Forget keys that no longer matter: not locked, and no failure within the window.
  std::erase_if(entries_, [&](const auto& kv) {
    return !locked(kv.second, now) && (kv.second.failures.empty() || now - kv.second.last > rule_.window);
  });
  if (entries_.size() < rule_.max_tracked) return true;
  // Still full: give up the unlocked key whose last failure is oldest.
  auto victim = entries_.end();
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (locked(it->second, now)) continue;
    if (victim == entries_.end() || it->second.last < victim->second.last) victim = it;
  }
  if (victim == entries_.end()) return false;
  entries_.erase(victim);
  return true;
}

std::vector<std::pair<std::string, Time>> FailureLockout::locked_keys(Time now) const {
  std::vector<std::pair<std::string, Time>> out;
  for (const auto& [key, e] : entries_) {
    if (locked(e, now)) out.emplace_back(key, e.locked_until);
  }
  return out;
}

bool FailureLockout::unlock(const std::string& key, Time now) {
  auto it = entries_.find(key);
  if (it == entries_.end() || !locked(it->second, now)) return false;
  entries_.erase(it);
  return true;
}

std::string lockout_user_key(std::string_view user_name) { return std::string(auth::account_name(user_name)); }

std::optional<auth::Credential> LockedOutCredentials::find(std::string_view user_name) const {
  // Always looked up, so a locked-out user costs the same work as any other (issue 16).
  auto credential = inner_.find(user_name);
  if (credential && users_.locked_until(lockout_user_key(user_name), clock_())) {
    credential->password.reset();
    credential->nt_hash.reset();
    credential->refused = "user locked out";
  }
  return credential;
}

}  // namespace pptpx::server
