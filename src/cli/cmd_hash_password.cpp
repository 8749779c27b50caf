// `pptpx hash-password [USER]`: reads a password and prints a chap-secrets line that stores only
// its NT hash (RFC 2759 §8.3 NtPasswordHash), in the `nthash:` form server/secrets_file.hpp
// documents. The password comes from --password-file (its first line), or from standard input:
// asked twice without echo on a terminal, or read as one line from a pipe.
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>

#include "auth/mschap.hpp"
#include "cli/commands.hpp"
#include "server/ip_address.hpp"
#include "server/secrets_file.hpp"

namespace pptpx::cli {
namespace {

struct HashPasswordOptions {
  std::string user;
  std::string server = "*";
  std::string address = "*";
  std::string password_file;
};

void strip_line_end(std::string& s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
}

// Reads one line from the terminal with echo off; nullopt on EOF.
std::optional<std::string> read_hidden(const char* prompt) {
  std::fputs(prompt, stderr);
  std::fflush(stderr);
  termios old{};
  const bool tty = ::tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  const bool got = static_cast<bool>(std::getline(std::cin, line));
  if (tty) {
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    std::fputs("\n", stderr);
  }
  if (!got) return std::nullopt;
  strip_line_end(line);
  return line;
}

int run(const HashPasswordOptions& o) {
  std::string password;
  if (!o.password_file.empty()) {
    std::ifstream in(o.password_file, std::ios::binary);
    if (!in || !std::getline(in, password)) {
      std::cerr << "pptpx hash-password: cannot read a line from " << o.password_file
                << "; check the path, and put the password on the first line\n";
      return 1;
    }
    strip_line_end(password);
  } else if (::isatty(STDIN_FILENO) != 0) {
    auto first = read_hidden("Password: ");
    auto again = first ? read_hidden("Password (again): ") : std::nullopt;
    if (!first || !again) {
      std::cerr << "pptpx hash-password: no password read\n";
      return 1;
    }
    if (*first != *again) {
      std::cerr << "pptpx hash-password: the two passwords differ; run it again\n";
      return 1;
    }
    password = *first;
  } else {
    if (!std::getline(std::cin, password)) {
      std::cerr << "pptpx hash-password: no password on standard input; pipe one line, or use --password-file\n";
      return 1;
    }
    strip_line_end(password);
  }
  if (password.empty()) {
    std::cerr << "pptpx hash-password: the password is empty; choose a real one\n";
    return 1;
  }
  Bytes utf16;
  if (!auth::password_to_utf16le(password, utf16)) {
    std::cerr << "pptpx hash-password: the password is not valid UTF-8 or is longer than 256 characters "
                 "(RFC 2759 limit)\n";
    return 1;
  }
  if (o.address != "*" && o.address != "-" && !server::parse_ipv4(o.address)) {
    std::cerr << "pptpx hash-password: --address \"" << o.address
              << "\" is not a dotted-quad IPv4 address; write one like 198.51.100.50, or * or -\n";
    return 1;
  }
  const std::string secret = server::format_nthash_secret(auth::nt_password_hash(password));
  if (o.user.empty()) {
    std::cout << secret << "\n";
  } else {
    // Quote only when needed, so ordinary names stay readable.
    auto word = [](const std::string& w) {
      const auto words = server::split_secrets_words(w + "\n").words;
      return words.size() == 1 && words[0].text == w ? w : server::quote_secrets_word(w);
    };
    std::cout << word(o.user) << " " << word(o.server) << " " << secret << " " << o.address << "\n";
  }
  return 0;
}

}  // namespace

void register_hash_password(CLI::App& app) {
  auto opts = std::make_shared<HashPasswordOptions>();
  auto* cmd = app.add_subcommand(
      "hash-password", "Print a chap-secrets line that stores only the password's NT hash (MS-CHAP only)");
  cmd->add_option("user", opts->user, "User name for the line (without it, only the secret is printed)");
  cmd->add_option("--server", opts->server, "Server column (default *)");
  cmd->add_option("--address", opts->address, "Address column: an IPv4 address, * (any, default) or - (none)");
  cmd->add_option("--password-file", opts->password_file,
                  "Read the password from the first line of this file instead of standard input");
  cmd->callback([opts] { set_exit_code(run(*opts)); });
}

}  // namespace pptpx::cli
