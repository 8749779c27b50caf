#include "auth/mschap.hpp"

#include <stdexcept>

#include "auth/user_name.hpp"
#include "crypto/constant_time.hpp"
#include "crypto/des.hpp"
#include "crypto/digest.hpp"

namespace pptpx::auth {
namespace {

ByteView text_bytes(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

// RFC 2759 §8.7 magic constants.
constexpr std::string_view kMagic1 = "Magic server to client signing constant";    // 39 octets
constexpr std::string_view kMagic2 = "Pad to make it do more than one iteration";  // 41 octets
static_assert(kMagic1.size() == 39 && kMagic2.size() == 41);

constexpr std::size_t kMaxPasswordUnits = 256;  // RFC 2759 §8.3: 0-to-256-unicode-char Password

void push_unit(Bytes& out, std::uint32_t unit) {
  out.push_back(static_cast<std::uint8_t>(unit & 0xff));
  out.push_back(static_cast<std::uint8_t>(unit >> 8));
}

}  // namespace

// Strict UTF-8 (RFC 3629): rejects overlong forms, UTF-16 surrogate code points, values above
// U+10FFFF, stray continuation bytes and truncated sequences. Code points above U+FFFF become a
// surrogate pair, as Windows stores them, so the NT hash matches a Windows password of the same
// characters.
bool password_to_utf16le(std::string_view utf8, Bytes& out) {
  out.clear();
  Bytes tmp;
  tmp.reserve(utf8.size() * 2);
  std::size_t units = 0;
  std::size_t i = 0;
  while (i < utf8.size()) {
    const auto b0 = static_cast<std::uint8_t>(utf8[i]);
    std::uint32_t cp = 0;
    std::size_t len = 0;
    std::uint32_t min = 0;
    if (b0 < 0x80) {
      cp = b0, len = 1, min = 0;
    } else if ((b0 & 0xe0) == 0xc0) {
      cp = b0 & 0x1fu, len = 2, min = 0x80;
    } else if ((b0 & 0xf0) == 0xe0) {
      cp = b0 & 0x0fu, len = 3, min = 0x800;
    } else if ((b0 & 0xf8) == 0xf0) {
      cp = b0 & 0x07u, len = 4, min = 0x10000;
    } else {
      return false;  // continuation byte without a lead, or 0xF8..0xFF
    }
    if (utf8.size() - i < len) return false;  // sequence cut off by the end of the string
    for (std::size_t k = 1; k < len; ++k) {
      const auto b = static_cast<std::uint8_t>(utf8[i + k]);
      if ((b & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3fu);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    if (cp >= 0x10000) {
      const std::uint32_t v = cp - 0x10000;
      push_unit(tmp, 0xd800 + (v >> 10));
      push_unit(tmp, 0xdc00 + (v & 0x3ff));
      units += 2;
    } else {
      push_unit(tmp, cp);
      units += 1;
    }
    if (units > kMaxPasswordUnits) return false;
    i += len;
  }
  out = std::move(tmp);
  return true;
}

NtHash nt_password_hash(std::string_view utf8_password) {
  Bytes unicode;
  if (!password_to_utf16le(utf8_password, unicode)) {
    throw std::invalid_argument(
        "password is not valid UTF-8 or is longer than 256 UTF-16 characters (RFC 2759 §8.3)");
  }
  return crypto::md4({unicode});
}

NtHash hash_nt_password_hash(const NtHash& nt_hash) { return crypto::md4({nt_hash}); }

std::string_view mschap_strip_domain(std::string_view user_name) { return account_name(user_name); }

Challenge8 challenge_hash(const Challenge16& peer_challenge, const Challenge16& authenticator_challenge,
                          std::string_view user_name) {
  // RFC 2759 §8.2: "Only the user name (as presented by the peer and excluding any prepended
  // domain name) is used as input to SHAUpdate()".
  const auto digest =
      crypto::sha1({peer_challenge, authenticator_challenge, text_bytes(mschap_strip_domain(user_name))});
  Challenge8 out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = digest[i];
  return out;
}

NtResponse challenge_response(const Challenge8& challenge, const NtHash& nt_hash) {
  // RFC 2759 §8.5: the hash zero-padded to 21 octets is three 7-octet DES keys.
  std::array<std::uint8_t, 21> z{};
  for (std::size_t i = 0; i < nt_hash.size(); ++i) z[i] = nt_hash[i];
  NtResponse out{};
  for (std::size_t k = 0; k < 3; ++k) {
    crypto::DesKey7 key{};
    for (std::size_t i = 0; i < 7; ++i) key[i] = z[k * 7 + i];
    const auto block = crypto::des_encrypt(key, challenge);
    for (std::size_t i = 0; i < 8; ++i) out[k * 8 + i] = block[i];
  }
  return out;
}

NtResponse mschapv2_nt_response(const Challenge16& authenticator_challenge, const Challenge16& peer_challenge,
                                std::string_view user_name, const NtHash& nt_hash) {
  return challenge_response(challenge_hash(peer_challenge, authenticator_challenge, user_name), nt_hash);
}

AuthenticatorResponse mschapv2_authenticator_response(const NtHash& nt_hash, const NtResponse& nt_response,
                                                      const Challenge16& peer_challenge,
                                                      const Challenge16& authenticator_challenge,
                                                      std::string_view user_name) {
  const NtHash hash_hash = hash_nt_password_hash(nt_hash);
  const auto digest = crypto::sha1({hash_hash, nt_response, text_bytes(kMagic1)});
  const Challenge8 challenge = challenge_hash(peer_challenge, authenticator_challenge, user_name);
  return crypto::sha1({digest, challenge, text_bytes(kMagic2)});
}

std::string format_authenticator_response(const AuthenticatorResponse& r) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string s = "S=";
  for (std::uint8_t b : r) {
    s.push_back(kDigits[b >> 4]);
    s.push_back(kDigits[b & 0x0f]);
  }
  return s;
}

// Accepts exactly "S=" + 40 hex digits, optionally followed by " M=<message>" or any text after a
// space (RFC 2759 §5 Success packet: "S=<auth_string> M=<message>").
bool check_authenticator_response(std::string_view received, const AuthenticatorResponse& expected) {
  constexpr std::size_t kLen = 2 + 2 * 20;
  if (received.size() < kLen || received[0] != 'S' || received[1] != '=') return false;
  if (received.size() > kLen && received[kLen] != ' ') return false;
  AuthenticatorResponse got{};
  bool ok = true;
  for (std::size_t i = 0; i < 20; ++i) {
    int v = 0;
    for (std::size_t k = 0; k < 2; ++k) {
      const char c = received[2 + 2 * i + k];
      int n = -1;
      if (c >= '0' && c <= '9') n = c - '0';
      if (c >= 'a' && c <= 'f') n = c - 'a' + 10;
      if (c >= 'A' && c <= 'F') n = c - 'A' + 10;
      ok = ok && n >= 0;
      v = (v << 4) | (n & 0x0f);
    }
    got[i] = static_cast<std::uint8_t>(v);
  }
  // Parse the whole text before deciding, then compare without early exit (RFC 2759 §8.8).
  const bool same = crypto::constant_time_equal(got, expected);
  return ok && same;
}

NtResponse mschapv1_nt_response(const Challenge8& challenge, const NtHash& nt_hash) {
  // RFC 2433 §A.5 NtChallengeResponse = ChallengeResponse(Challenge, NtPasswordHash) (§A.7).
  return challenge_response(challenge, nt_hash);
}

}  // namespace pptpx::auth
