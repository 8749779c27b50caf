// An in-memory credential store (user -> password or NT hash) for the in-process session tests
// and the benchmarks, so both build their server side the same way.
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "auth/credentials.hpp"
#include "auth/mschap.hpp"

namespace pptpx::test {

class MapCredentialStore final : public auth::CredentialStore {
 public:
  // Plaintext and its NT hash, so every method (PAP, CHAP-MD5, MS-CHAP) can check it.
  void add(const std::string& user, const std::string& password) {
    auth::Credential c;
    c.password = password;
    c.nt_hash = auth::nt_password_hash(password);
    users_[user] = c;
  }
  // On file, but refused all the same (as LockedOutCredentials returns a locked-out user).
  void refuse(const std::string& user, const std::string& why) {
    auth::Credential c;
    c.refused = why;
    users_[user] = c;
  }
  std::optional<auth::Credential> find(std::string_view user) const override {
    auto it = users_.find(user);
    if (it == users_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::map<std::string, auth::Credential, std::less<>> users_;
};

}  // namespace pptpx::test
