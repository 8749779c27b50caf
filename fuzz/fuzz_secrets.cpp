// The chap-secrets file (server::parse_secrets, split_secrets_words) on arbitrary text; and the
// writer's promise: quote_secrets_word(w) reads back as the word w.
//
// Byte 0: bit 0 = 0: parse the rest as a secrets file; 1: the rest is one word to quote and
// read back (and, if it is an nthash: secret, format it back).
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_common.hpp"
#include "server/secrets_file.hpp"

using namespace pptpx;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  const std::uint8_t mode = in.byte();
  ByteView rest = in.rest();
  std::string_view text(reinterpret_cast<const char*>(rest.data()), rest.size());
  if ((mode & 1) == 0) {
    auto p = server::parse_secrets(text, "fuzz-secrets");
    for (const auto& e : p.entries) {
      PPTPX_FUZZ_CHECK(e.password.has_value() != e.nt_hash.has_value());
      if (e.addresses == server::AddressPolicy::listed) PPTPX_FUZZ_CHECK(!e.allowed.empty());
    }
    (void)server::split_secrets_words(text);
    return 0;
  }
  // Followed by another word, as in a written entry (pppd reads a bare "" at the very end of a
  // file as no word at all, and split_secrets_words mirrors that).
  const std::string line = server::quote_secrets_word(text) + " end";
  auto w = server::split_secrets_words(line);
  PPTPX_FUZZ_CHECK(!w.unterminated_quote_line.has_value());
  PPTPX_FUZZ_CHECK(w.words.size() == 2);
  PPTPX_FUZZ_CHECK(w.words[0].text == text);
  PPTPX_FUZZ_CHECK(w.words[1].text == "end");
  if (auto h = server::parse_nthash_secret(text)) {
    PPTPX_FUZZ_CHECK(server::parse_nthash_secret(server::format_nthash_secret(*h)) == h);
  }
  return 0;
}
