#include "radius/security.hpp"

#include <algorithm>
#include <cstring>

#include "crypto/constant_time.hpp"
#include "crypto/digest.hpp"
#include "crypto/hmac.hpp"

namespace pptpx::radius {

namespace {

ByteView text(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

// Offset of the value of the first attribute `type` in a well-formed wire packet, or 0.
std::size_t value_offset(ByteView wire, std::uint8_t type) {
  const std::size_t length = std::min<std::size_t>(load_be16(wire.data() + 2), wire.size());
  std::size_t pos = kHeaderSize;
  while (pos + 2 <= length) {
    const std::size_t alen = wire[pos + 1];
    if (alen < 2 || pos + alen > length) return 0;
    if (wire[pos] == type) return pos + 2;
    pos += alen;
  }
  return 0;
}

// Puts a zeroed Message-Authenticator first (RFC 3579 §3.2; first as the BlastRADIUS advice
// has it), replacing any the caller added.
void put_zero_message_authenticator_first(Packet& p) {
  std::erase_if(p.attributes, [](const Attribute& a) { return a.type == attr::MessageAuthenticator; });
  p.attributes.insert(p.attributes.begin(), Attribute{attr::MessageAuthenticator, Bytes(16, 0)});
}

void set_message_authenticator(Bytes& wire, std::string_view secret) {
  const std::size_t at = value_offset(wire, attr::MessageAuthenticator);
  const crypto::HmacMd5Digest mac = crypto::hmac_md5(text(secret), wire);
  std::copy(mac.begin(), mac.end(), wire.begin() + static_cast<std::ptrdiff_t>(at));
}

// HMAC-MD5 over `wire` (first `length` octets) with the Authenticator field replaced by
// `authenticator` and the Message-Authenticator value at `ma_at` zeroed; compared with the
// value that was there.
bool message_authenticator_matches(ByteView wire, std::size_t length, std::size_t ma_at,
                                   const Authenticator& authenticator, std::string_view secret) {
  if (ma_at + 16 > length) return false;
  Bytes copy(wire.begin(), wire.begin() + static_cast<std::ptrdiff_t>(length));
  std::copy(authenticator.begin(), authenticator.end(), copy.begin() + 4);
  std::fill(copy.begin() + static_cast<std::ptrdiff_t>(ma_at), copy.begin() + static_cast<std::ptrdiff_t>(ma_at + 16), 0);
  const crypto::HmacMd5Digest mac = crypto::hmac_md5(text(secret), copy);
  return crypto::constant_time_equal(mac, wire.subspan(ma_at, 16));
}

}  // namespace

std::string_view to_string(VerifyError e) {
  switch (e) {
    case VerifyError::None: return "none";
    case VerifyError::BadResponseAuthenticator: return "bad Response Authenticator";
    case VerifyError::MissingMessageAuthenticator: return "no Message-Authenticator";
    case VerifyError::BadMessageAuthenticator: return "bad Message-Authenticator";
    case VerifyError::BadRequestAuthenticator: return "bad Request Authenticator";
  }
  return "unknown";
}

Bytes encode_access_request(Packet p, std::string_view secret) {
  p.code = Code::AccessRequest;
  put_zero_message_authenticator_first(p);
  Bytes wire = encode(p);
  set_message_authenticator(wire, secret);  // RFC 3579 §3.2: over the whole Access-Request
  return wire;
}

Bytes encode_accounting_style_request(Packet p, std::string_view secret, bool with_ma) {
  p.authenticator.fill(0);
  if (with_ma) put_zero_message_authenticator_first(p);
  Bytes wire = encode(p);
  if (with_ma) set_message_authenticator(wire, secret);  // RFC 5176 §3.5: Authenticator zeroed
  const crypto::Md5Digest a = crypto::md5({wire, text(secret)});  // RFC 2866 §3
  std::copy(a.begin(), a.end(), wire.begin() + 4);
  return wire;
}

Bytes encode_response(Packet p, const Authenticator& request_authenticator, std::string_view secret, bool with_ma) {
  p.authenticator = request_authenticator;
  if (with_ma) put_zero_message_authenticator_first(p);
  Bytes wire = encode(p);
  if (with_ma) set_message_authenticator(wire, secret);  // RFC 3579 §3.2: over the Request Authenticator
  const crypto::Md5Digest a = crypto::md5({wire, text(secret)});  // RFC 2865 §3
  std::copy(a.begin(), a.end(), wire.begin() + 4);
  return wire;
}

VerifyError verify_response(ByteView d, const Authenticator& request_authenticator, std::string_view secret,
                            bool require_ma) {
  if (d.size() < kHeaderSize) return VerifyError::BadResponseAuthenticator;
  const std::size_t length = load_be16(d.data() + 2);
  if (length < kHeaderSize || length > d.size()) return VerifyError::BadResponseAuthenticator;
  // RFC 2865 §3: MD5(Code+ID+Length+RequestAuth+Attributes+Secret).
  const crypto::Md5Digest expected =
      crypto::md5({d.subspan(0, 4), request_authenticator, d.subspan(kHeaderSize, length - kHeaderSize), text(secret)});
  if (!crypto::constant_time_equal(expected, d.subspan(4, 16))) return VerifyError::BadResponseAuthenticator;
  const std::size_t ma_at = value_offset(d, attr::MessageAuthenticator);
  if (ma_at == 0) return require_ma ? VerifyError::MissingMessageAuthenticator : VerifyError::None;
  if (!message_authenticator_matches(d, length, ma_at, request_authenticator, secret)) {
    return VerifyError::BadMessageAuthenticator;
  }
  return VerifyError::None;
}

VerifyError verify_accounting_style_request(ByteView d, std::string_view secret, bool require_ma) {
  if (d.size() < kHeaderSize) return VerifyError::BadRequestAuthenticator;
  const std::size_t length = load_be16(d.data() + 2);
  if (length < kHeaderSize || length > d.size()) return VerifyError::BadRequestAuthenticator;
  const Authenticator zero{};
  const crypto::Md5Digest expected =
      crypto::md5({d.subspan(0, 4), zero, d.subspan(kHeaderSize, length - kHeaderSize), text(secret)});
  if (!crypto::constant_time_equal(expected, d.subspan(4, 16))) return VerifyError::BadRequestAuthenticator;
  const std::size_t ma_at = value_offset(d, attr::MessageAuthenticator);
  if (ma_at == 0) return require_ma ? VerifyError::MissingMessageAuthenticator : VerifyError::None;
  if (!message_authenticator_matches(d, length, ma_at, zero, secret)) return VerifyError::BadMessageAuthenticator;
  return VerifyError::None;
}

namespace {
// RFC 2865 §5.2 / RFC 2548 §2.4.2 chaining: b(1) = MD5(S + first), b(i) = MD5(S + c(i-1)).
void xor_chain(Bytes& data, std::string_view secret, ByteView first, bool decrypt) {
  Bytes prev(first.begin(), first.end());
  for (std::size_t off = 0; off < data.size(); off += 16) {
    const crypto::Md5Digest b = crypto::md5({text(secret), prev});
    Bytes cipher(16);
    for (std::size_t i = 0; i < 16; ++i) {
      if (decrypt) cipher[i] = data[off + i];
      data[off + i] = static_cast<std::uint8_t>(data[off + i] ^ b[i]);
      if (!decrypt) cipher[i] = data[off + i];
    }
    prev = std::move(cipher);
  }
}
}  // namespace

std::optional<Bytes> hide_user_password(std::string_view password, const Authenticator& ra, std::string_view secret) {
  if (password.size() > 128) return std::nullopt;
  Bytes p(password.begin(), password.end());
  p.resize(std::max<std::size_t>(16, (p.size() + 15) / 16 * 16), 0);
  xor_chain(p, secret, ra, false);
  return p;
}

std::optional<std::string> unhide_user_password(ByteView hidden, const Authenticator& ra, std::string_view secret) {
  if (hidden.size() < 16 || hidden.size() > 128 || hidden.size() % 16 != 0) return std::nullopt;
  Bytes p(hidden.begin(), hidden.end());
  xor_chain(p, secret, ra, true);
  while (!p.empty() && p.back() == 0) p.pop_back();
  return std::string(p.begin(), p.end());
}

std::optional<Bytes> decrypt_ms_chap_mppe_keys(ByteView value, const Authenticator& ra, std::string_view secret) {
  if (value.size() != 32) return std::nullopt;
  Bytes p(value.begin(), value.end());
  xor_chain(p, secret, ra, true);
  return p;
}

std::optional<Bytes> decrypt_mppe_key(ByteView value, const Authenticator& ra, std::string_view secret) {
  if (value.size() < 2 + 16 || (value.size() - 2) % 16 != 0) return std::nullopt;
  if ((value[0] & 0x80) == 0) return std::nullopt;  // RFC 2548 §2.4.2: the Salt's top bit MUST be set
  Bytes s(value.begin() + 2, value.end());
  Bytes first(ra.begin(), ra.end());
  first.push_back(value[0]);
  first.push_back(value[1]);
  xor_chain(s, secret, first, true);
  const std::size_t key_length = s[0];
  if (key_length == 0 || key_length > s.size() - 1) return std::nullopt;
  return Bytes(s.begin() + 1, s.begin() + 1 + static_cast<std::ptrdiff_t>(key_length));
}

Bytes encrypt_mppe_key(ByteView key, std::uint16_t salt, const Authenticator& ra, std::string_view secret) {
  Bytes s;
  s.push_back(static_cast<std::uint8_t>(key.size()));
  s.insert(s.end(), key.begin(), key.end());
  s.resize((s.size() + 15) / 16 * 16, 0);
  Bytes first(ra.begin(), ra.end());
  first.push_back(static_cast<std::uint8_t>(salt >> 8));
  first.push_back(static_cast<std::uint8_t>(salt));
  xor_chain(s, secret, first, false);
  Bytes out{static_cast<std::uint8_t>(salt >> 8), static_cast<std::uint8_t>(salt)};
  out.insert(out.end(), s.begin(), s.end());
  return out;
}

}  // namespace pptpx::radius
