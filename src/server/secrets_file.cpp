#include "server/secrets_file.hpp"

#include <cctype>
#include <cstdio>

namespace pptpx::server {

namespace {
bool is_octal(int c) { return c >= '0' && c < '8'; }
bool is_space(int c) { return c != EOF && std::isspace(c) != 0; }
int hex_value(int c) { return std::isdigit(c) != 0 ? c - '0' : std::toupper(c) - 'A' + 10; }
}  // namespace

// Mirrors pppd options.c getword() character for character (see the header for the rules).
SecretsWords split_secrets_words(std::string_view s) {
  SecretsWords out;
  std::size_t i = 0;
  std::uint32_t line = 1;
  auto get = [&]() -> int {
    if (i >= s.size()) return EOF;
    const char ch = s[i++];
    if (ch == '\n') ++line;
    return static_cast<unsigned char>(ch);
  };
  auto unget = [&] {
    --i;
    if (s[i] == '\n') --line;
  };

  bool first = true;
  for (;;) {
    bool newline = false, escape = false, comment = false;
    int quoted = 0;
    std::string word;
    int c = EOF;

    // Skip white space and comments; backslash-newline is ignored here too.
    for (;;) {
      c = get();
      if (c == EOF) break;
      if (c == '\n') {
        if (!escape) {
          newline = true;
          comment = false;
        } else {
          escape = false;
        }
        continue;
      }
      if (comment) continue;
      if (escape) break;
      if (c == '\\') {
        escape = true;
        continue;
      }
      if (c == '#') {
        comment = true;
        continue;
      }
      if (!is_space(c)) break;
    }
    const std::uint32_t start_line = line;

    while (c != EOF) {
      if (escape) {
        escape = false;
        if (c == '\n') {  // backslash-newline inside a word: ignored
          c = get();
          continue;
        }
        bool got = false;  // true when c already holds the character after the escape
        int value = c;
        switch (c) {
          case 'a': value = '\a'; break;
          case 'b': value = '\b'; break;
          case 'f': value = '\f'; break;
          case 'n': value = '\n'; break;
          case 'r': value = '\r'; break;
          case 's': value = ' '; break;
          case 't': value = '\t'; break;
          default:
            if (is_octal(c)) {
              value = 0;
              for (int n = 0; n < 3 && is_octal(c); ++n) {
                value = (value << 3) + (c & 07);
                c = get();
              }
              got = true;
            } else if (c == 'x') {
              value = 0;
              c = get();
              for (int n = 0; n < 2 && c != EOF && std::isxdigit(c) != 0; ++n) {
                value = (value << 4) + hex_value(c);
                c = get();
              }
              got = true;
            }
            break;
        }
        word.push_back(static_cast<char>(static_cast<unsigned char>(value & 0xff)));
        if (!got) c = get();
        continue;
      }
      if (c == '\\') {
        escape = true;
        c = get();
        continue;
      }
      if (quoted != 0) {
        if (c == quoted) {
          quoted = 0;
          c = get();
          continue;
        }
      } else if (c == '"' || c == '\'') {
        quoted = c;
        c = get();
        continue;
      } else if (is_space(c) || c == '#') {
        unget();
        break;
      }
      word.push_back(static_cast<char>(c));
      c = get();
    }

    if (c == EOF) {
      // pppd: at end of file a word of no characters is no word (even if it was "").
      if (word.empty()) break;
      if (quoted != 0) out.unterminated_quote_line = start_line;
    }
    out.words.push_back({std::move(word), start_line, newline || first});
    first = false;
  }
  return out;
}

std::optional<auth::NtHash> parse_nthash_secret(std::string_view secret) {
  constexpr std::string_view prefix = "nthash:";
  if (secret.substr(0, prefix.size()) != prefix) return std::nullopt;
  const std::string_view hex = secret.substr(prefix.size());
  if (hex.size() != 32) return std::nullopt;
  auth::NtHash h{};
  for (std::size_t k = 0; k < 32; ++k) {
    const int c = static_cast<unsigned char>(hex[k]);
    if (std::isxdigit(c) == 0) return std::nullopt;
    h[k / 2] = static_cast<std::uint8_t>((h[k / 2] << 4) | hex_value(c));
  }
  return h;
}

std::string format_nthash_secret(const auth::NtHash& hash) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out = "nthash:";
  for (auto b : hash) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 0xf]);
  }
  return out;
}

std::string quote_secrets_word(std::string_view word) {
  // Inside double quotes only '"' and '\' are special to getword(); escape those two.
  std::string out = "\"";
  for (char ch : word) {
    if (ch == '"' || ch == '\\') out.push_back('\\');
    out.push_back(ch);
  }
  out.push_back('"');
  return out;
}

namespace {

std::string at(std::string_view file, std::uint32_t line) {
  return std::string(file) + ":" + std::to_string(line) + ": ";
}

void parse_entry(const std::vector<const SecretsWord*>& w, std::string_view file, SecretsParse& out) {
  const std::uint32_t line = w[0]->line;
  if (w.size() < 3) {
    out.errors.push_back(at(file, line) + "this entry has " + std::to_string(w.size()) +
                         (w.size() == 1 ? " word" : " words") +
                         " but needs at least three; write: client server secret [addresses]");
    return;
  }
  SecretEntry e;
  e.client = w[0]->text;
  e.server = w[1]->text;
  e.line = line;
  const std::string& secret = w[2]->text;
  if (secret.size() >= 2 && secret[0] == '@' && secret[1] == '/') {
    out.errors.push_back(at(file, line) + "indirect secrets (@/file) are not supported; put the secret itself in "
                                          "this file, or its hash with `pptpx hash-password`");
    return;
  }
  if (secret.rfind("nthash:", 0) == 0) {
    e.nt_hash = parse_nthash_secret(secret);
    if (!e.nt_hash) {
      out.errors.push_back(at(file, line) + "the secret starts with \"nthash:\" but is not followed by exactly 32 "
                                            "hex digits; regenerate it with `pptpx hash-password`");
      return;
    }
  } else {
    e.password = secret;
  }

  bool star = false, dash = false;
  for (std::size_t k = 3; k < w.size(); ++k) {
    const std::string& a = w[k]->text;
    if (a == "*") {
      star = true;
    } else if (a == "-") {
      dash = true;
    } else if (a == "--") {
      out.errors.push_back(at(file, line) + "pppd options after \"--\" are not supported; remove them");
      return;
    } else if (auto ip = parse_ipv4(a)) {
      e.allowed.push_back(*ip);
    } else if (a.find('/') != std::string::npos || (!a.empty() && a[0] == '!')) {
      out.errors.push_back(at(file, line) + "address \"" + a +
                           "\" uses a pppd subnet or negation, which pptpx does not support; list single "
                           "IPv4 addresses, or write * for any or - for none");
      return;
    } else {
      out.errors.push_back(at(file, line) + "address \"" + a +
                           "\" is not a dotted-quad IPv4 address; write one like 198.51.100.50, or * for any "
                           "or - for none");
      return;
    }
  }
  if ((dash ? 1 : 0) + (star ? 1 : 0) + (e.allowed.empty() ? 0 : 1) > 1) {
    out.errors.push_back(at(file, line) + "the address column mixes \"*\", \"-\" and addresses; write only one "
                                          "of: * (any), - (none), or a list of addresses");
    return;
  }
  e.addresses = dash ? AddressPolicy::none : (e.allowed.empty() ? AddressPolicy::any : AddressPolicy::listed);

  for (const auto& prev : out.entries) {
    if (prev.client == e.client && prev.server == e.server) {
      out.errors.push_back(at(file, line) + "client \"" + e.client + "\" with server \"" + e.server +
                           "\" is already defined on line " + std::to_string(prev.line) + "; remove one of them");
      return;
    }
  }
  out.entries.push_back(std::move(e));
}

}  // namespace

SecretsParse parse_secrets(std::string_view text, std::string_view file_name) {
  SecretsParse out;
  const SecretsWords words = split_secrets_words(text);
  std::vector<const SecretsWord*> entry;
  for (const auto& w : words.words) {
    if (w.starts_line && !entry.empty()) {
      parse_entry(entry, file_name, out);
      entry.clear();
    }
    entry.push_back(&w);
  }
  if (!entry.empty()) parse_entry(entry, file_name, out);
  if (words.unterminated_quote_line) {
    out.errors.push_back(at(file_name, *words.unterminated_quote_line) +
                         "a quoted word runs to the end of the file; add the closing quote");
  }
  return out;
}

}  // namespace pptpx::server
