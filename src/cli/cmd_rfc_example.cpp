// `pptpx rfc-example`: walks the RFC 2759 §9.2 MS-CHAPv2 example and the RFC 3079 §3.5 MPPE key
// derivations with our own auth/ code, printing each intermediate value next to the value the RFC
// prints, and exits non-zero if any differs.
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>

#include "auth/mppe_keys.hpp"
#include "auth/mschap.hpp"
#include "cli/commands.hpp"
#include "crypto/openssl_lib.hpp"
#include "crypto/rc4.hpp"
#include "util/hex.hpp"

namespace pptpx::cli {
namespace {

class Walk {
 public:
  // A computed value and the RFC's; prints both when they differ.
  void check(std::string_view label, ByteView computed, std::string_view rfc_hex, std::string_view note = {}) {
    const auto expected = from_hex(rfc_hex);
    const bool ok = expected && Bytes(computed.begin(), computed.end()) == *expected;
    print(label, to_hex(computed, true, ' '), ok, note);
    if (!ok) std::printf("    %-28s %s\n", "RFC prints:", std::string(rfc_hex).c_str());
  }
  void check_text(std::string_view label, const std::string& computed, std::string_view rfc) {
    const bool ok = computed == rfc;
    print(label, computed, ok, {});
    if (!ok) std::printf("    %-28s %s\n", "RFC prints:", std::string(rfc).c_str());
  }
  void given(std::string_view label, std::string_view value) {
    std::printf("  %-28s %s\n", std::string(label).c_str(), std::string(value).c_str());
  }
  void section(const char* title) { std::printf("\n%s\n", title); }
  int mismatches() const { return mismatches_; }
  int checked() const { return checked_; }

 private:
  void print(std::string_view label, const std::string& value, bool ok, std::string_view note) {
    ++checked_;
    if (!ok) ++mismatches_;
    std::printf("  %-28s %-72s %s%s%s\n", std::string(label).c_str(), value.c_str(), ok ? "ok" : "MISMATCH",
                note.empty() ? "" : "  ", std::string(note).c_str());
  }
  int mismatches_ = 0;
  int checked_ = 0;
};

template <std::size_t N>
std::array<std::uint8_t, N> arr(std::string_view hex) {
  std::array<std::uint8_t, N> a{};
  const auto b = from_hex(hex);
  for (std::size_t i = 0; b && i < N && i < b->size(); ++i) a[i] = (*b)[i];
  return a;
}

ByteView key_view(const auth::MppeKey& k) { return ByteView(k.bytes.data(), k.length); }

int run() {
  crypto::initialize();
  Walk w;
  constexpr std::string_view user = "User";
  constexpr std::string_view password = "clientPass";
  const auto auth_challenge = arr<16>("5B 5D 7C 7D 7B 3F 2F 3E 3C 2C 60 21 32 26 26 28");
  const auto peer_challenge = arr<16>("21 40 23 24 25 5E 26 2A 28 29 5F 2B 3A 33 7C 7E");

  w.section("RFC 2759 §9.2 MS-CHAPv2 hash example (user \"User\", password \"clientPass\")");
  w.check("UserName", ByteView(reinterpret_cast<const std::uint8_t*>(user.data()), user.size()), "55 73 65 72");
  Bytes unicode;
  if (!auth::password_to_utf16le(password, unicode)) unicode.clear();
  w.check("Password (UTF-16LE)", unicode, "63 00 6C 00 69 00 65 00 6E 00 74 00 50 00 61 00 73 00 73 00");
  w.given("AuthenticatorChallenge", to_hex(auth_challenge, true, ' ') + "  (from the Challenge packet)");
  w.given("PeerChallenge", to_hex(peer_challenge, true, ' ') + "  (from the Response packet)");
  const auto challenge = auth::challenge_hash(peer_challenge, auth_challenge, user);
  w.check("Challenge", challenge, "D0 2E 43 86 BC E9 12 26", "SHA1(Peer|Auth|UserName)[0..8]");
  const auto hash = auth::nt_password_hash(password);
  w.check("PasswordHash", hash, "44 EB BA 8D 53 12 B8 D6 11 47 44 11 F5 69 89 AE", "MD4(Password)");
  const auto hash_hash = auth::hash_nt_password_hash(hash);
  w.check("PasswordHashHash", hash_hash, "41 C0 0C 58 4B D2 D9 1C 40 17 A2 A1 2F A5 9F 3F", "MD4(PasswordHash)");
  const auto nt = auth::mschapv2_nt_response(auth_challenge, peer_challenge, user, hash);
  w.check("NT-Response", nt, "82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54 42 33 11 4A 3D 85 D6 DF",
          "3 x DES(Challenge)");
  const auto s = auth::mschapv2_authenticator_response(hash, nt, peer_challenge, auth_challenge, user);
  w.check_text("AuthenticatorResponse", auth::format_authenticator_response(s),
               "S=407A5589115FD0D6209F510FE9C04566932CDA56");

  w.section("RFC 3079 §3.5 MPPE keys from that exchange (the RFC's \"send\" keys are the server's)");
  const auto master = auth::mppe_get_master_key(hash_hash, nt);
  w.check("MasterKey", master, "FD EC E3 71 7A 8C 83 8C B3 88 E5 27 AE 3C DD 31");
  struct Row {
    auth::MppeStrength strength;
    const char* bits;
    const char* start;
    const char* session;
    const char* cipher;
    const char* note;
  };
  const Row rows[] = {
      {auth::MppeStrength::Bits40, "40", "8B 7C DC 14 9B 99 3A 1B", "D1 26 9E C4 9F A6 2E 3E",
       "92 91 37 91 7E 58 03 D6 68 D7 58 98", ""},
      {auth::MppeStrength::Bits56, "56", "8B 7C DC 14 9B 99 3A 1B", "D1 5C 00 C4 9F A6 2E 3E",
       "3F 10 68 33 FA 44 8D A8 42 BC 57 B8", "(RFC misprints the last octet as 58)"},
      {auth::MppeStrength::Bits128, "128", "8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB",
       "40 5C B2 24 7A 79 56 E6 E2 11 00 7A E2 7B 22 D4", "81 84 83 17 DF 68 84 62 72 FB 5A BE", ""},
  };
  for (const auto& r : rows) {
    const auth::MppeKeys keys = auth::mppe_keys_from_mschapv2(hash, nt, r.strength, /*is_server=*/true);
    w.check(std::string("SendStartKey") + r.bits, key_view(keys.send), r.start);
    const auth::MppeKey session = auth::mppe_initial_session_key(keys.send, r.strength);
    w.check(std::string("SendSessionKey") + r.bits, key_view(session), r.session);
    constexpr std::string_view msg = "test message";
    Bytes data(msg.begin(), msg.end());
    crypto::Rc4 rc4;
    rc4.set_key(key_view(session));
    rc4.apply(data);
    w.check(std::string("rc4(key") + r.bits + ", \"test message\")", data, r.cipher, r.note);
  }

  std::printf("\n%s: %d of %d values match the RFCs\n", w.mismatches() == 0 ? "PASS" : "FAIL",
              w.checked() - w.mismatches(), w.checked());
  return w.mismatches() == 0 ? 0 : 1;
}

}  // namespace

void register_rfc_example(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "rfc-example", "Recompute the RFC 2759 §9.2 MS-CHAPv2 example and RFC 3079 §3.5 MPPE keys, step by step");
  cmd->callback([] {
    try {
      set_exit_code(run());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s\n", e.what());
      set_exit_code(2);
    }
  });
}

}  // namespace pptpx::cli
