#include "auth/mppe_keys.hpp"

#include <algorithm>

#include <string_view>

#include "crypto/digest.hpp"
#include "crypto/rc4.hpp"

namespace pptpx::auth {
namespace {

ByteView text_bytes(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

// RFC 3079 §3.4 magic constants (the RFC lists them as byte arrays; these are the same octets).
constexpr std::string_view kMagic1 = "This is the MPPE Master Key";  // 27 octets
constexpr std::string_view kMagic2 =
    "On the client side, this is the send key; on the server side, it is the receive key.";  // 84
constexpr std::string_view kMagic3 =
    "On the client side, this is the receive key; on the server side, it is the send key.";  // 84
static_assert(kMagic1.size() == 27 && kMagic2.size() == 84 && kMagic3.size() == 84);

// SHApad1 (40 x 0x00) and SHApad2 (40 x 0xF2), RFC 3078 §7.3 / RFC 3079 §2.4, §3.4.
constexpr std::array<std::uint8_t, 40> kPad1{};
constexpr std::array<std::uint8_t, 40> kPad2 = [] {
  std::array<std::uint8_t, 40> p{};
  for (auto& b : p) b = 0xf2;
  return p;
}();

MppeKey key_from(ByteView digest, std::size_t length) {
  MppeKey k;
  k.length = length;
  for (std::size_t i = 0; i < length; ++i) k.bytes[i] = digest[i];
  return k;
}

ByteView meaningful(const MppeKey& k) { return ByteView(k.bytes.data(), k.length); }

}  // namespace

std::size_t mppe_key_length(MppeStrength s) { return s == MppeStrength::Bits128 ? 16 : 8; }

std::array<std::uint8_t, 16> mppe_get_start_key(const Challenge8& challenge, const NtHash& nt_hash_hash) {
  const auto d = crypto::sha1({nt_hash_hash, nt_hash_hash, challenge});
  std::array<std::uint8_t, 16> out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = d[i];
  return out;
}

std::array<std::uint8_t, 16> mppe_get_master_key(const NtHash& nt_hash_hash, const NtResponse& nt_response) {
  const auto d = crypto::sha1({nt_hash_hash, nt_response, text_bytes(kMagic1)});
  std::array<std::uint8_t, 16> out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = d[i];
  return out;
}

MppeKey mppe_get_asymmetric_start_key(const std::array<std::uint8_t, 16>& master_key, MppeStrength strength,
                                      bool is_send, bool is_server) {
  // RFC 3079 §3.4: send+server or receive+client -> Magic3; send+client or receive+server -> Magic2.
  const std::string_view magic = (is_send == is_server) ? kMagic3 : kMagic2;
  const auto d = crypto::sha1({master_key, kPad1, text_bytes(magic), kPad2});
  return key_from(d, mppe_key_length(strength));
}

MppeKey mppe_get_new_key_from_sha(const MppeKey& start_key, const MppeKey& current) noexcept {
  const auto d = crypto::sha1({meaningful(start_key), kPad1, meaningful(current), kPad2});
  return key_from(d, current.length);
}

void mppe_salt(MppeKey& key, MppeStrength strength) noexcept {
  switch (strength) {
    case MppeStrength::Bits40:
      key.bytes[0] = 0xd1, key.bytes[1] = 0x26, key.bytes[2] = 0x9e;
      break;
    case MppeStrength::Bits56:
      key.bytes[0] = 0xd1;
      break;
    case MppeStrength::Bits128:
      break;
  }
}

MppeKey mppe_initial_session_key(const MppeKey& start_key, MppeStrength strength) {
  MppeKey k = mppe_get_new_key_from_sha(start_key, start_key);
  mppe_salt(k, strength);
  return k;
}

MppeKey mppe_next_key(const MppeKey& start_key, const MppeKey& current, MppeStrength strength,
                      crypto::Rc4& scratch) noexcept {
  // RFC 3078 §7.3: interim = GetNewKeyFromSHA(start, current); rc4_key(interim);
  // session = rc4(interim); then salt for 40/56-bit.
  MppeKey k = mppe_get_new_key_from_sha(start_key, current);
  scratch.set_key(meaningful(k));
  scratch.apply(MutableByteView(k.bytes.data(), k.length));
  mppe_salt(k, strength);
  return k;
}

MppeKey mppe_next_key(const MppeKey& start_key, const MppeKey& current, MppeStrength strength) {
  crypto::Rc4 rc4;
  return mppe_next_key(start_key, current, strength, rc4);
}

MppeKeys mppe_keys_from_mschapv1(const NtHash& nt_hash, const Challenge8& challenge, MppeStrength strength) {
  const auto start = mppe_get_start_key(challenge, hash_nt_password_hash(nt_hash));
  const MppeKey k = key_from(start, mppe_key_length(strength));
  return {k, k};
}

MppeKeys mppe_keys_from_mschapv2(const NtHash& nt_hash, const NtResponse& nt_response, MppeStrength strength,
                                 bool is_server) {
  const auto master = mppe_get_master_key(hash_nt_password_hash(nt_hash), nt_response);
  return {mppe_get_asymmetric_start_key(master, strength, /*is_send=*/true, is_server),
          mppe_get_asymmetric_start_key(master, strength, /*is_send=*/false, is_server)};
}

MppeKeys derive_mppe_keys(const MppeKeyMaterial& material, MppeStrength strength) {
  if (material.method == MppeKeyMaterial::Method::Given) {
    MppeKeys k;
    k.send.length = k.recv.length = mppe_key_length(strength);
    std::copy_n(material.given_send.begin(), k.send.length, k.send.bytes.begin());
    std::copy_n(material.given_recv.begin(), k.recv.length, k.recv.bytes.begin());
    return k;
  }
  if (material.method == MppeKeyMaterial::Method::MsChapV1) {
    return mppe_keys_from_mschapv1(material.nt_hash, material.challenge, strength);
  }
  return mppe_keys_from_mschapv2(material.nt_hash, material.nt_response, strength, material.is_server);
}

}  // namespace pptpx::auth
