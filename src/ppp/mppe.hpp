// MPPE data codec (RFC 3078): the 2-byte header (A/B/C/D bits + 12-bit coherency count) and RC4
// over the PPP protocol field + payload, in place, stateless or stateful. Data-plane code: no
// allocation, no exceptions, bad packets reported by result code and counted by the caller.
#pragma once
#include <cstdint>

#include "auth/mppe_keys.hpp"
#include "util/bytes.hpp"

namespace pptpx::ppp {

struct MppeSettings {
  auth::MppeStrength strength = auth::MppeStrength::Bits128;
  bool stateless = true;  // RFC 3078 §? H bit: rekey on every packet
};

constexpr std::size_t kMppeHeaderSize = 2;

class MppeEncryptor {
 public:
  MppeEncryptor(const auth::MppeKey& start_key, MppeSettings settings);
  // Encrypts `data` (PPP protocol field + payload) in place; returns the MPPE header
  // (flags | coherency count) that the caller writes big-endian in front of it.
  std::uint16_t encrypt(MutableByteView data) noexcept;
  // The peer sent CCP Reset-Request (stateful mode): the next packet carries the FLUSHED bit
  // with the RC4 state reset, as RFC 3078 requires.
  void on_reset_request() noexcept;

 private:
  struct State;
  alignas(8) std::uint8_t storage_[1200];  // RC4 state + keys, no heap
  State& s() noexcept;
};

enum class MppeDecryptResult : std::uint8_t {
  Ok,
  NotEncrypted,       // D bit clear: unencrypted data after MPPE is up; drop and count
  BadHeader,          // compressed (C bit) or reserved bits set: we never negotiate MPPC
  Stale,              // stateless: coherency count behind/duplicate beyond what can be recovered
  LostSync,           // stateful: a gap; drop until a FLUSHED packet; send CCP Reset-Request
  TooShort,
};

class MppeDecryptor {
 public:
  MppeDecryptor(const auth::MppeKey& start_key, MppeSettings settings);
  // `header` is the 2-byte MPPE header; `data` the bytes after it, decrypted in place.
  MppeDecryptResult decrypt(std::uint16_t header, MutableByteView data) noexcept;
  // Stateful mode: true once after a loss is detected; the link sends a CCP Reset-Request.
  bool take_reset_request() noexcept;

 private:
  struct State;
  alignas(8) std::uint8_t storage_[1200];
  State& s() noexcept;
};

}  // namespace pptpx::ppp
