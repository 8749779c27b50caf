// What an authenticator knows about a user: a plaintext secret (needed for PAP and CHAP-MD5)
// or only the NT hash (enough for MS-CHAPv1/v2, so no plaintext password rests on disk).
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "auth/mschap.hpp"

namespace pptpx::auth {

struct Credential {
  std::optional<std::string> password;  // UTF-8 plaintext, when stored that way
  std::optional<NtHash> nt_hash;        // always set when a password is set (derived)
  // Set: the user is on file but must be refused all the same (e.g. "user locked out"). The
  // authenticator does the work a wrong password costs, replies exactly as to one, and logs
  // "refused: <this>" (issue 16).
  std::optional<std::string> refused;
};

// Looked up by the authenticator with the name the peer sent (including any DOMAIN\ prefix;
// implementations match it by the one rule of auth/user_name.hpp).
class CredentialStore {
 public:
  virtual ~CredentialStore() = default;
  virtual std::optional<Credential> find(std::string_view user_name) const = 0;
};

}  // namespace pptpx::auth
