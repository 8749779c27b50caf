// MPPE key derivation (RFC 3079) from MS-CHAPv1 (§2) and MS-CHAPv2 (§3) results, plus
// GetNewKeyFromSHA rekeying (§2.3/§3.3? see RFC 3079 §7.3 & RFC 3078 §7.3) and the 40/56-bit
// salting (RFC 3079 §2.2/§3.2 "ReduceSessionKey").
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>

#include "auth/mschap.hpp"

namespace pptpx::auth {

enum class MppeStrength : std::uint8_t { Bits40, Bits56, Bits128 };
// Session key length in bytes: 8 for 40/56-bit, 16 for 128-bit.
std::size_t mppe_key_length(MppeStrength s);

struct MppeKey {
  std::array<std::uint8_t, 16> bytes{};  // first mppe_key_length() bytes are meaningful
  std::size_t length = 16;
};

// Both directions' initial session keys, seen from one side.
struct MppeKeys {
  MppeKey send;  // key this side encrypts with
  MppeKey recv;  // key this side decrypts with
};

// RFC 3079 §2: MS-CHAPv1. The same key is used in both directions.
// (RFC 3079 §2.1-2.4: 40/56-bit keys come from the LM/NT hash, 128-bit from GetStartKey.)
MppeKeys mppe_keys_from_mschapv1(const NtHash& nt_hash, const Challenge8& challenge, MppeStrength strength);

// RFC 3079 §3: MS-CHAPv2. `is_server` selects Magic2/Magic3 the right way round:
// the server's send key uses Magic3 ("send" keys in RFC 3079 §3.5 are the server's), the
// client's send key uses Magic2.
MppeKeys mppe_keys_from_mschapv2(const NtHash& nt_hash, const NtResponse& nt_response, MppeStrength strength,
                                 bool is_server);

// RFC 3079 §7.3 / RFC 3078 §7.3 GetNewKeyFromSHA followed by RC4 of the interim key and, for
// 40/56-bit, salting: the key change applied on rekey. `start_key` is the initial session key
// (already salted) and `current` the key in use; returns the next key.
MppeKey mppe_next_key(const MppeKey& start_key, const MppeKey& current, MppeStrength strength);

}  // namespace pptpx::auth

namespace pptpx::auth {

// What a finished MS-CHAP exchange leaves behind for MPPE: enough to derive keys of any
// strength once CCP has agreed on one.
struct MppeKeyMaterial {
  enum class Method : std::uint8_t { MsChapV1, MsChapV2 } method = Method::MsChapV2;
  NtHash nt_hash{};          // NtPasswordHash(password)
  NtResponse nt_response{};  // MS-CHAPv2: the peer's NT-Response
  Challenge8 challenge{};    // MS-CHAPv1: the authenticator's 8-byte challenge
  bool is_server = false;    // authenticator side (server) or peer side (client)
};

MppeKeys derive_mppe_keys(const MppeKeyMaterial& material, MppeStrength strength);

}  // namespace pptpx::auth
