// The pppd chap-secrets format (also pap-secrets), read exactly as pppd's getword() and
// scan_authfile() read it, plus one pptpx extension for storing only the NT hash.
//
//   # client      server   secret                              IP addresses
//   bob           *        "Tunnel-Lab-7"                      198.51.100.50
//   "alice smith" pptpx    'pass word'                         *
//   carol         *        nthash:8846F7EAEE8FB117AD06BDD830B7586C   -
//   *             *        shared-secret-for-everyone
//
// Words (pppd options.c getword()):
//   - separated by whitespace; a word may span quoted parts: ab"c d"e is the word `abc de`;
//     "..." and '...' quote (whitespace, '#' and newlines inside are kept); "" is an empty word;
//   - backslash escapes anywhere (also inside quotes): \a \b \f \n \r \t, \s (space),
//     \ddd (1-3 octal digits), \xHH (1-2 hex digits), backslash-newline (ignored, joins lines),
//     any other \c is c itself;
//   - '#' outside quotes starts a comment up to the end of the line (also right after a word);
//   - a line is an entry: client, server, secret, then IP addresses up to the end of the line.
// Columns (pppd auth.c scan_authfile()):
//   - client or server "*" is a wildcard; an exact name beats "*", and the first of equals wins;
//   - addresses: none listed or "*" = any address from the pool; "-" = no address (the user
//     cannot bring up IPCP); dotted-quad IPv4 addresses = allowed addresses, the first one is the
//     user's static address. pppd's subnets (a/n), "!" negations, host names, "--" options and
//     "@/file" indirect secrets are refused with a clear error (not supported).
// pptpx extension: a secret written `nthash:` + 32 hex digits (any case) is the MD4 NT hash of
//   the password (RFC 2759 §8.3 NtPasswordHash), so no plaintext rests on disk; such users can
//   use MS-CHAPv1/v2 only (PAP and CHAP-MD5 need the plaintext). `pptpx hash-password` prints
//   such a line. A plaintext password beginning with "nthash:" therefore cannot be stored.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/mschap.hpp"
#include "server/ip_address.hpp"

namespace pptpx::server {

// One word from getword(): its text, the line it started on, and whether it begins a line.
struct SecretsWord {
  std::string text;
  std::uint32_t line = 0;
  bool starts_line = false;
};

struct SecretsWords {
  std::vector<SecretsWord> words;
  std::optional<std::uint32_t> unterminated_quote_line;  // a quote ran to the end of the file
};
SecretsWords split_secrets_words(std::string_view text);

enum class AddressPolicy { any, none, listed };

struct SecretEntry {
  std::string client;  // "*" = any client
  std::string server;  // "*" = any server
  std::optional<std::string> password;    // plaintext secret
  std::optional<auth::NtHash> nt_hash;    // from the nthash: form (the store derives it otherwise)
  AddressPolicy addresses = AddressPolicy::any;
  std::vector<Ipv4Address> allowed;       // AddressPolicy::listed; allowed[0] is the static address
  std::uint32_t line = 0;
};

struct SecretsParse {
  std::vector<SecretEntry> entries;
  std::vector<std::string> errors;  // "file:line: sentence with the fix"
};
SecretsParse parse_secrets(std::string_view text, std::string_view file_name);

// "nthash:" + 32 hex digits -> the hash; nullopt for anything else.
std::optional<auth::NtHash> parse_nthash_secret(std::string_view secret);
// The secret word for a hash: "nthash:" + 32 upper-case hex digits.
std::string format_nthash_secret(const auth::NtHash& hash);
// Quotes a word so split_secrets_words() reads it back unchanged.
std::string quote_secrets_word(std::string_view word);

}  // namespace pptpx::server
