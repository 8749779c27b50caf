// MPPE key derivation (RFC 3079) from MS-CHAPv1 (§2) and MS-CHAPv2 (§3) results, the
// GetNewKeyFromSHA key change of RFC 3078 §7.3, and the 40/56-bit salting (RFC 3079 §3.1/§3.2,
// RFC 3078 §7.3: first three octets D1 26 9E for 40-bit, first octet D1 for 56-bit).
//
// Vocabulary (RFC 3079 §3): per direction there is a *start key* (MasterSendKey /
// MasterReceiveKey, from GetAsymmetricStartKey; for MS-CHAPv1 the GetStartKey output), which
// never encrypts anything, and a chain of *session keys*:
//   session[0] = salt(GetNewKeyFromSHA(start, start))                  (RFC 3079 §3.1-§3.3)
//   session[n+1] = salt(rc4(interim, interim)), interim = GetNewKeyFromSHA(start, session[n])
//                                                                       (RFC 3078 §7.3)
// MppeKeys carries the start keys; the MPPE codec (ppp/mppe.hpp) derives the session keys.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>

#include "auth/mschap.hpp"

namespace pptpx::crypto {
class Rc4;
}

namespace pptpx::auth {

enum class MppeStrength : std::uint8_t { Bits40, Bits56, Bits128 };
// Session key length in bytes: 8 for 40/56-bit, 16 for 128-bit.
std::size_t mppe_key_length(MppeStrength s);

struct MppeKey {
  std::array<std::uint8_t, 16> bytes{};  // first `length` bytes are meaningful, the rest zero
  std::size_t length = 16;               // mppe_key_length(strength)
  friend bool operator==(const MppeKey&, const MppeKey&) = default;
};

// Both directions' start keys (see the vocabulary above), seen from one side.
struct MppeKeys {
  MppeKey send;  // start key of the direction this side encrypts
  MppeKey recv;  // start key of the direction this side decrypts
};

// RFC 3079 §2: MS-CHAPv1. The same start key in both directions: GetStartKey(Challenge,
// NtPasswordHashHash) (§2.4), truncated to the key length. For 128-bit that is RFC 3079 §2.3.
// For 40/56-bit RFC 3079 §2.1/§2.2 start from the LAN Manager hash instead; we never compute LM
// hashes (the LM response stays off), so like pppd + the Linux kernel (the reference peers in
// shared/captures) we use the first 8 octets of GetStartKey for those too. A Windows peer that
// derives 40/56-bit MS-CHAPv1 keys from the LM hash will not interoperate; MS-CHAPv2 is unaffected.
MppeKeys mppe_keys_from_mschapv1(const NtHash& nt_hash, const Challenge8& challenge, MppeStrength strength);

// RFC 3079 §3: MS-CHAPv2. `is_server` selects Magic2/Magic3 the right way round
// (GetAsymmetricStartKey, §3.4): the server's send key uses Magic3 (the "send" keys in RFC 3079
// §3.5 are the server's), the client's send key uses Magic2; one side's send key is the other's
// receive key.
MppeKeys mppe_keys_from_mschapv2(const NtHash& nt_hash, const NtResponse& nt_response, MppeStrength strength,
                                 bool is_server);

// session[0] from a start key: GetNewKeyFromSHA(start, start), salted (RFC 3079 §3.1-§3.3).
MppeKey mppe_initial_session_key(const MppeKey& start_key, MppeStrength strength);

// The RFC 3078 §7.3 key change: session[n] -> session[n+1] (see the vocabulary above).
// The 4-argument form uses `scratch` for the RC4 step (no allocation; leaves it keyed with the
// interim key); the 3-argument form uses a temporary crypto::Rc4 on the stack.
MppeKey mppe_next_key(const MppeKey& start_key, const MppeKey& current, MppeStrength strength);
MppeKey mppe_next_key(const MppeKey& start_key, const MppeKey& current, MppeStrength strength,
                      crypto::Rc4& scratch) noexcept;

// Building blocks, exposed for the RFC 3079 test vectors and `pptpx rfc-example`.
// RFC 3079 §2.4 GetStartKey (MS-CHAPv1): SHA1(hashhash | hashhash | challenge)[0..16].
std::array<std::uint8_t, 16> mppe_get_start_key(const Challenge8& challenge, const NtHash& nt_hash_hash);
// RFC 3079 §3.4 GetMasterKey: SHA1(hashhash | NT-Response | Magic1)[0..16].
std::array<std::uint8_t, 16> mppe_get_master_key(const NtHash& nt_hash_hash, const NtResponse& nt_response);
// RFC 3079 §3.4 GetAsymmetricStartKey, truncated to mppe_key_length(strength).
MppeKey mppe_get_asymmetric_start_key(const std::array<std::uint8_t, 16>& master_key, MppeStrength strength,
                                      bool is_send, bool is_server);
// RFC 3078 §7.3 GetNewKeyFromSHA (no RC4 step, no salting): SHA1(start | pad1 | current | pad2).
MppeKey mppe_get_new_key_from_sha(const MppeKey& start_key, const MppeKey& current) noexcept;
// Salting: D1 26 9E over the first three octets (40-bit), D1 over the first (56-bit).
void mppe_salt(MppeKey& key, MppeStrength strength) noexcept;

}  // namespace pptpx::auth

namespace pptpx::auth {

// What a finished MS-CHAP exchange leaves behind for MPPE: enough to derive keys of any
// strength once CCP has agreed on one.
struct MppeKeyMaterial {
  // Given: start keys handed over whole by a RADIUS server (MS-MPPE-Send-Key/-Recv-Key,
  // RFC 2548 §2.4.2/§2.4.3), truncated to the negotiated strength's length.
  enum class Method : std::uint8_t { MsChapV1, MsChapV2, Given } method = Method::MsChapV2;
  NtHash nt_hash{};          // NtPasswordHash(password)
  NtResponse nt_response{};  // MS-CHAPv2: the peer's NT-Response
  Challenge8 challenge{};    // MS-CHAPv1: the authenticator's 8-byte challenge
  bool is_server = false;    // authenticator side (server) or peer side (client)
  std::array<std::uint8_t, 16> given_send{};  // Given: our send start key
  std::array<std::uint8_t, 16> given_recv{};  // Given: our receive start key
};

MppeKeys derive_mppe_keys(const MppeKeyMaterial& material, MppeStrength strength);

}  // namespace pptpx::auth
