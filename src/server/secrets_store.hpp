// The chap-secrets file as an auth::CredentialStore: loaded, checked (permissions, every line),
// looked up by user name, and reloaded (SIGHUP) with an atomic swap that keeps the old table
// when the new file has any error.
#pragma once
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "auth/credentials.hpp"
#include "server/secrets_file.hpp"

namespace pptpx::server {

// What the server needs to know about one user once found.
struct UserSecrets {
  auth::Credential credential;
  AddressPolicy addresses = AddressPolicy::any;
  std::vector<Ipv4Address> allowed;  // AddressPolicy::listed; allowed[0] is the static address
  std::optional<Ipv4Address> static_address() const {
    return addresses == AddressPolicy::listed ? std::optional{allowed.front()} : std::nullopt;
  }
};

// An immutable, ready-to-search table (nt_hash derived for every plaintext secret).
class SecretsTable {
 public:
  // `server_name`: the name this server answers to in the 2nd column ("*" = accept any).
  // Returns the table, or nullptr with `errors` filled ("file:line: sentence").
  static std::shared_ptr<const SecretsTable> build(SecretsParse parsed, std::string_view file,
                                                   std::string server_name, std::vector<std::string>& errors);
  // pppd's best match: exact client beats "*", then exact server beats "*", first of equals wins.
  // A name with a "DOMAIN\" prefix that matches no exact client is retried as its account (what
  // follows the last backslash: auth/user_name.hpp), like pppd's chapms-strip-domain.
  std::optional<UserSecrets> lookup(std::string_view user_name) const;
  std::size_t size() const { return entries_.size(); }
  // Every static address, with the user it belongs to (wildcard clients excluded).
  std::vector<std::pair<std::string, Ipv4Address>> static_addresses() const;

 private:
  const SecretEntry* best(std::string_view user_name) const;
  std::vector<SecretEntry> entries_;
  // Indexes into entries_, in file order: by exact client name, and the "*" clients.
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::vector<std::size_t>, NameHash, std::equal_to<>> by_client_;
  std::vector<std::size_t> wildcard_;
  std::string server_name_;
};

// Reads a secrets file: refuses it when group or others have any access (mode & 077).
std::shared_ptr<const SecretsTable> load_secrets_file(const std::string& path, const std::string& server_name,
                                                      std::vector<std::string>& errors);

class SecretsStore final : public auth::CredentialStore {
 public:
  SecretsStore(std::string path, std::string server_name);
  // Loads (or re-reads) the file. On success swaps the table in atomically and returns no errors;
  // on failure keeps the previous table and returns every error.
  std::vector<std::string> reload();
  std::optional<auth::Credential> find(std::string_view user_name) const override;
  std::optional<UserSecrets> lookup(std::string_view user_name) const;
  std::shared_ptr<const SecretsTable> table() const { return table_.load(); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string server_name_;
  std::atomic<std::shared_ptr<const SecretsTable>> table_;
};

}  // namespace pptpx::server
