#include "server/secrets_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "auth/user_name.hpp"

namespace pptpx::server {

std::shared_ptr<const SecretsTable> SecretsTable::build(SecretsParse parsed, std::string_view file,
                                                        std::string server_name,
                                                        std::vector<std::string>& errors) {
  errors = std::move(parsed.errors);
  auto table = std::make_shared<SecretsTable>();
  table->server_name_ = std::move(server_name);
  for (auto& e : parsed.entries) {
    if (e.password) {
      Bytes utf16;
      if (!auth::password_to_utf16le(*e.password, utf16)) {
        errors.push_back(std::string(file) + ":" + std::to_string(e.line) +
                         ": the secret is not valid UTF-8 or is longer than 256 characters (RFC 2759 limit); "
                         "fix its encoding or shorten it");
        continue;
      }
      e.nt_hash = auth::nt_password_hash(*e.password);
    }
    table->entries_.push_back(std::move(e));
  }
  // Two users may not share one static address.
  for (std::size_t a = 0; a < table->entries_.size(); ++a) {
    const auto& ea = table->entries_[a];
    if (ea.addresses != AddressPolicy::listed || ea.client == "*") continue;
    for (std::size_t b = a + 1; b < table->entries_.size(); ++b) {
      const auto& eb = table->entries_[b];
      if (eb.addresses == AddressPolicy::listed && eb.client != "*" && eb.client != ea.client &&
          eb.allowed.front() == ea.allowed.front()) {
        errors.push_back(std::string(file) + ":" + std::to_string(eb.line) + ": static address " +
                         to_string(eb.allowed.front()) + " is already given to \"" + ea.client + "\" on line " +
                         std::to_string(ea.line) + "; give each user a different address");
      }
    }
  }
  if (!errors.empty()) return nullptr;
  for (std::size_t i = 0; i < table->entries_.size(); ++i) {
    const std::string& client = table->entries_[i].client;
    if (client == "*") {
      table->wildcard_.push_back(i);
    } else {
      table->by_client_[client].push_back(i);
    }
  }
  return table;
}

const SecretEntry* SecretsTable::best(std::string_view user_name) const {
  // pppd auth.c scan_authfile(): NONWILD_SERVER = 1, NONWILD_CLIENT = 2; a later entry replaces the
  // best only when strictly better. Only the lines that can match are visited: those naming this
  // client (found by hash, so the work hardly depends on whether or where a user is on file:
  // issue 16) and the "*" lines, each group in file order.
  const SecretEntry* found = nullptr;
  int best_flag = -1;
  auto consider = [&](const SecretEntry& e, int flag) {
    if (e.server != "*") {
      if (server_name_ != "*" && e.server != server_name_) return;
      flag |= 1;
    }
    if (flag <= best_flag) return;
    found = &e;
    best_flag = flag;
  };
  if (auto it = by_client_.find(user_name); it != by_client_.end())
    for (std::size_t i : it->second) consider(entries_[i], 2);
  for (std::size_t i : wildcard_) consider(entries_[i], 0);
  return found;
}

std::optional<UserSecrets> SecretsTable::lookup(std::string_view user_name) const {
  // A line may name "CORP\alice" itself; otherwise the account (after the LAST backslash, the one
  // rule of auth/user_name.hpp) is looked up. Both lookups run whatever the first finds: the same work either way.
  const SecretEntry* e = best(user_name);
  const std::string_view account = auth::account_name(user_name);
  const SecretEntry* stripped = account.size() != user_name.size() ? best(account) : nullptr;
  if ((e == nullptr || e->client == "*") && stripped != nullptr && (e == nullptr || stripped->client != "*"))
    e = stripped;
  if (e == nullptr) return std::nullopt;
  UserSecrets out;
  out.credential.password = e->password;
  out.credential.nt_hash = e->nt_hash;
  out.addresses = e->addresses;
  out.allowed = e->allowed;
  return out;
}

std::vector<std::pair<std::string, Ipv4Address>> SecretsTable::static_addresses() const {
  std::vector<std::pair<std::string, Ipv4Address>> out;
  for (const auto& e : entries_) {
    if (e.addresses == AddressPolicy::listed && e.client != "*") out.emplace_back(e.client, e.allowed.front());
  }
  return out;
}

std::shared_ptr<const SecretsTable> load_secrets_file(const std::string& path, const std::string& server_name,
                                                      std::vector<std::string>& errors) {
  errors.clear();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    errors.push_back(path + ": cannot open the secrets file (" + std::strerror(errno) +
                     "); check [auth] secrets_file and the file's permissions");
    return nullptr;
  }
  struct stat st {};
  std::string text;
  bool ok = ::fstat(fd, &st) == 0;
  if (ok && (st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    errors.push_back(path + ": other users can access this secrets file (mode " + mode + "); run `chmod 600 " +
                     path + "`");
    ::close(fd);
    return nullptr;
  }
  char buf[8192];
  while (ok) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) ok = false;
    if (n <= 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  if (!ok) {
    errors.push_back(path + ": cannot read the secrets file (" + std::strerror(errno) + ")");
    return nullptr;
  }
  return SecretsTable::build(parse_secrets(text, path), path, server_name, errors);
}

SecretsStore::SecretsStore(std::string path, std::string server_name)
    : path_(std::move(path)), server_name_(std::move(server_name)) {}

std::vector<std::string> SecretsStore::reload() {
  std::vector<std::string> errors;
  auto fresh = load_secrets_file(path_, server_name_, errors);
  if (fresh) table_.store(std::move(fresh));
  return errors;
}

std::optional<UserSecrets> SecretsStore::lookup(std::string_view user_name) const {
  auto t = table_.load();
  if (!t) return std::nullopt;
  return t->lookup(user_name);
}

std::optional<auth::Credential> SecretsStore::find(std::string_view user_name) const {
  auto u = lookup(user_name);
  if (!u) return std::nullopt;
  return u->credential;
}

}  // namespace pptpx::server
