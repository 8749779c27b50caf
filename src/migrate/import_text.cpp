#include "migrate/import_text.hpp"

#include <charconv>

#include "server/secrets_file.hpp"

namespace pptpx::migrate {

std::string toml_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string secrets_word(const std::string& w) {
  const auto words = server::split_secrets_words(w + "\n").words;
  return words.size() == 1 && words[0].text == w ? w : server::quote_secrets_word(w);
}

std::optional<long> parse_int(std::string_view s) {
  long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string toml_tables(const ImportedValues& values) {
  std::string out, table;
  for (const auto& [key, v] : values) {
    const auto dot = key.find('.');
    const std::string t = key.substr(0, dot);
    if (t != table) {
      out += "\n[" + t + "]\n";
      table = t;
    }
    out += "# from " + v.second + "\n" + key.substr(dot + 1) + " = " + v.first + "\n";
  }
  return out;
}

}  // namespace pptpx::migrate
