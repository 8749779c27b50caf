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
};

// Looked up by the authenticator with the name the peer sent (including any DOMAIN\ prefix;
// implementations decide whether to match with or without it).
class CredentialStore {
 public:
  virtual ~CredentialStore() = default;
  virtual std::optional<Credential> find(std::string_view user_name) const = 0;
};

}  // namespace pptpx::auth
