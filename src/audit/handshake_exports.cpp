#include "audit/handshake_exports.hpp"

#include <algorithm>

#include "crypto/des.hpp"

namespace pptpx::audit {

std::optional<std::uint16_t> nt_hash_tail(const auth::Challenge8& challenge, const auth::NtResponse& nt_response) {
  crypto::DesBlock clear{};
  std::copy(challenge.begin(), challenge.end(), clear.begin());
  for (std::uint32_t k = 0; k < 0x10000; ++k) {
    const crypto::DesKey7 key{static_cast<std::uint8_t>(k >> 8), static_cast<std::uint8_t>(k), 0, 0, 0, 0, 0};
    const auto out = crypto::des_encrypt(key, clear);
    if (std::equal(out.begin(), out.end(), nt_response.begin() + 16)) return static_cast<std::uint16_t>(k);
  }
  return std::nullopt;
}

std::string hex(ByteView b) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  s.reserve(b.size() * 2);
  for (auto c : b) {
    s.push_back(digits[c >> 4]);
    s.push_back(digits[c & 15]);
  }
  return s;
}

std::string base64(ByteView b) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string s;
  std::size_t i = 0;
  for (; i + 3 <= b.size(); i += 3) {
    const std::uint32_t v = (std::uint32_t{b[i]} << 16) | (std::uint32_t{b[i + 1]} << 8) | b[i + 2];
    s += t[v >> 18];
    s += t[(v >> 12) & 63];
    s += t[(v >> 6) & 63];
    s += t[v & 63];
  }
  if (const std::size_t rest = b.size() - i; rest > 0) {
    std::uint32_t v = std::uint32_t{b[i]} << 16;
    if (rest == 2) v |= std::uint32_t{b[i + 1]} << 8;
    s += t[v >> 18];
    s += t[(v >> 12) & 63];
    s += rest == 2 ? t[(v >> 6) & 63] : '=';
    s += '=';
  }
  return s;
}

namespace {
std::string colon_hex(ByteView b) {
  std::string h = hex(b), s;
  for (std::size_t i = 0; i < h.size(); i += 2) {
    if (i) s += ':';
    s += h.substr(i, 2);
  }
  return s;
}
}  // namespace

Exports exports_for(const Handshake& h) {
  Exports e;
  if (h.method == AuthMethod::ChapMd5 && h.response.size() == 16 && !h.challenge.empty()) {
    const std::uint8_t id[1] = {h.identifier};
    e.hashcat_4800 = hex(h.response) + ":" + hex(h.challenge) + ":" + hex(ByteView(id, 1));
    return e;
  }
  if ((h.method != AuthMethod::MsChapV1 && h.method != AuthMethod::MsChapV2) || !h.nt_response || !h.des_challenge) {
    return e;
  }
  const ByteView nt(*h.nt_response);
  const ByteView ch(*h.des_challenge);
  // hashcat -m 5500 (NetNTLMv1): user::domain:LM-response:NT-response:challenge. The LM field is
  // left empty (MS-CHAPv2 has none; pppd's MS-CHAPv1 sends zeros there).
  e.hashcat_5500 = h.user + "::" + h.domain + "::" + hex(nt) + ":" + hex(ch);
  e.asleap = "asleap -C " + colon_hex(ch) + " -R " + colon_hex(nt);
  if (h.method == AuthMethod::MsChapV2 && h.auth_challenge && h.peer_challenge) {
    e.john = "$MSCHAPv2$" + hex(*h.auth_challenge) + "$" + hex(nt) + "$" + hex(*h.peer_challenge) + "$" + h.name;
  } else {
    e.john = h.user + ":$NETNTLM$" + hex(ch) + "$" + hex(nt);
  }
  if (h.nt_hash_tail) {
    Bytes t(ch.begin(), ch.end());
    t.insert(t.end(), nt.begin(), nt.begin() + 16);
    t.push_back(static_cast<std::uint8_t>(*h.nt_hash_tail >> 8));
    t.push_back(static_cast<std::uint8_t>(*h.nt_hash_tail));
    e.token99 = "$99$" + base64(t);
  }
  return e;
}

}  // namespace pptpx::audit
