// MPPE data codec (RFC 3078): the 2-byte header (A/B/C/D bits + 12-bit coherency count) and RC4
// over the PPP protocol field + payload, in place, stateless or stateful. Data-plane code: no
// allocation per packet, no exceptions, bad packets reported by result code and counted by the
// caller.
//
// Keys: construct each side with the *start key* of its direction (auth::MppeKeys::send for the
// encryptor, ::recv for the decryptor; see auth/mppe_keys.hpp). The codec derives session[0]
// (RFC 3079 §3.1-§3.3) and every later key change (RFC 3078 §7.3) itself.
//
// Memory per object: keys and counters plus the RC4 state (crypto::Rc4, 1,032 bytes in the
// object, no heap), about 1.1 KiB; a session's two directions take about 2.2 KiB. Cost per
// 1400-byte packet (Release, docs/benchmarks.md): ~2 us stateful; stateless adds a key change
// per packet (one SHA-1 and two RC4 key schedules, ~0.85 us since issue 17, ~2 us before).
//
// Header (RFC 3078 §3.1), as the 16-bit value encrypt() returns / decrypt() takes:
//   bit 15 A "FLUSHED"   bit 14 B (no meaning)   bit 13 C (MPPC compressed)   bit 12 D (encrypted)
//   bits 11..0 coherency count, +1 per packet sent, wrapping 4095 -> 0; the first packet carries 0.
//
// Stateless (RFC 3078 §7.1, §8.1): the key changes before every packet and A is set on every
// packet; a receiver seeing count C1 after C2 performs C1 - C2 (mod 4096) key changes.
//
// Stateful (RFC 3078 §7.2, §8.2): one RC4 stream across packets; the key changes before the
// "flag" packet (low octet of the count 0xFF), which carries A. Loss (a count other than last+1)
// -> drop, ask the link for a CCP Reset-Request, drop everything until a packet with A; then
// perform the key changes of the flag packets missed in between and resume.
//
// Our answer to a CCP Reset-Request (deliberate deviation, issue 18): the sender skips its
// coherency count ahead to the next flag packet (low octet 0xFF; 0..255 counts skipped) and sends
// that, FLUSHED after its §7.2 key change. RFC 3078 §3.1 describes the count as "incremented by
// 1 for each packet sent"; to a receiver the skipped counts look like lost packets, which it is
// resynchronising from anyway. Key changes then happen at flag packets only, where every receiver
// convention agrees: the Linux kernel's ppp_mppe (one key change per missed flag packet, by the
// count, plus one for the FLUSHED packet) and RFC 3078 §8.2 read literally (the flag packets'
// changes, then RC4 re-initialised with the current key). Losing the answer, or answering a
// repeated Reset-Request, cannot set them apart from us: the next flag packet that arrives brings
// the peer back. The kernel's own sender changes its key for every reset it answers instead;
// with a FLUSHED answer lost and the Reset-Request repeated, a kernel receiver then stays one
// change behind for good (about half the lab runs in issue 18; docs/robustness.md).
// Our receiver does not assume either convention for the peer's sender. MPPE has no integrity
// check, so a receiver that guesses the number of key changes wrong decrypts garbage forever. So
// on a FLUSHED packet it tries the candidate key-change counts — one (Linux, and every flag
// packet), none (RFC 3078 §8.2), then up to kMppeMaxExtraKeyChanges more (a Linux sender's lost
// FLUSHED answers to earlier resets) — and takes the first whose first kMppeTrialOctets decrypt
// to a PPP IPv4/IPv6 packet start (protocol field, IP version, IPv4 header checksum). If none
// does, it stays Discarding and asks for another Reset-Request; while Discarding it repeats the
// Reset-Request every kMppeResetRepeat dropped packets in case the first was lost.
//   Stateful receiver:
//        +---------+  count == last+1 -> decrypt (key change if flag packet or A)
//        | InSync  |<-----------------------------------------------+
//        +---------+                                                |
//             | count != last+1: drop, Reset-Request (LostSync)      | packet with A: missed flag
//             v                                                      | key changes + the first
//        +------------+  packet without A: drop (LostSync;           | plausible candidate count
//        | Discarding |   Reset-Request again every 16th)            |
//        +------------+----------------------------------------------+
#pragma once
#include <cstdint>

#include "auth/mppe_keys.hpp"
#include "crypto/rc4.hpp"
#include "util/bytes.hpp"
#include "util/time.hpp"

namespace pptpx::ppp {

struct MppeSettings {
  auth::MppeStrength strength = auth::MppeStrength::Bits128;
  bool stateless = true;  // RFC 3078 §2 "H" bit (stateless / history-less): rekey on every packet
};

constexpr std::size_t kMppeHeaderSize = 2;

// Header bits (RFC 3078 §3.1).
constexpr std::uint16_t kMppeFlushed = 0x8000;     // A
constexpr std::uint16_t kMppeBitB = 0x4000;        // B: no significance in MPPE
constexpr std::uint16_t kMppeCompressed = 0x2000;  // C: MPPC, never negotiated by us
constexpr std::uint16_t kMppeEncrypted = 0x1000;   // D
constexpr std::uint16_t kMppeCountMask = 0x0fff;

// Stateless receiver: the largest forward jump of the coherency count it follows (that many key
// changes for one packet). Anything further ahead is indistinguishable from an old packet in a
// 12-bit space, so, like the Linux kernel, half the space: 1..2047 ahead = lost packets,
// 0 or 2048..4095 ahead = duplicate or late -> Stale. Worst case 2047 key changes (~6 ms) for
// one packet.
constexpr std::uint16_t kMppeMaxStatelessJump = 2047;
// Stateless receiver's key-change budget (issue 19). A forward jump of n costs n key changes
// (one SHA-1 and two RC4 key schedules each, ~1 us), decided before the packet can prove to be
// garbage: a peer sending 60-octet packets each 2,047 ahead made the server do ~1.9 ms of work per
// packet. A real peer needs one key change per packet plus one per packet lost in between, so the
// n - 1 *extra* changes are what the budget limits: kMppeExtraKeyChangesPerSecond on average,
// with a burst of as many (one second's worth). That covers a call losing 8,192 packets every
// second (4 % of 200,000 packets/s), and bounds what a hostile peer can make its own call cost
// to ~8 ms of CPU per second. A packet over the budget is dropped (KeyChangeBudget) without any
// key change; the peer's next packets follow once the budget refilled (< 0.25 s for a full jump).
// Only with a clock (MppeDecryptor::set_clock); without one the budget is not enforced.
constexpr std::uint32_t kMppeExtraKeyChangesPerSecond = 8192;
// Stateful resynchronisation (see MppeDecryptor::decrypt): key changes tried beyond the
// missed flag packets, octets decrypted per trial, and how many discarded packets pass before
// the Reset-Request is repeated.
constexpr unsigned kMppeMaxExtraKeyChanges = 8;
constexpr std::size_t kMppeTrialOctets = 24;
constexpr std::uint32_t kMppeResetRepeat = 16;

class MppeEncryptor {
 public:
  MppeEncryptor(const auth::MppeKey& start_key, MppeSettings settings);
  // Encrypts `data` (PPP protocol field + payload) in place; returns the MPPE header
  // (flags | coherency count) that the caller writes big-endian in front of it.
  std::uint16_t encrypt(MutableByteView data) noexcept;
  // The peer sent CCP Reset-Request (stateful mode): the next packet is the next flag packet,
  // FLUSHED after its key change (see the note above). Several requests before that packet count
  // once. Ignored in stateless mode (every packet is flushed anyway).
  void on_reset_request() noexcept;

 private:
  void change_key() noexcept;

  crypto::Rc4 rc4_;
  auth::MppeKey start_key_;
  auth::MppeKey session_key_;
  MppeSettings settings_;
  std::uint16_t next_count_ = 0;
  bool reset_pending_ = false;
};

enum class MppeDecryptResult : std::uint8_t {
  Ok,
  NotEncrypted,  // D bit clear: unencrypted data after MPPE is up; drop and count
  BadHeader,     // C bit set (we never negotiate MPPC), or A clear in stateless mode (RFC 3078 §3.1)
  Stale,         // stateless: duplicate or older coherency count (see kMppeMaxStatelessJump)
  LostSync,      // stateful: a gap, or still waiting for a FLUSHED packet; drop (and Reset-Request)
  TooShort,      // no encrypted bytes at all
  KeyChangeBudget,  // stateless: the jump needs more key changes than the budget has left
};
const char* to_string(MppeDecryptResult r) noexcept;

class MppeDecryptor {
 public:
  MppeDecryptor(const auth::MppeKey& start_key, MppeSettings settings);
  // `header` is the 2-byte MPPE header; `data` the bytes after it, decrypted in place (left
  // untouched unless the result is Ok).
  MppeDecryptResult decrypt(std::uint16_t header, MutableByteView data) noexcept;
  // The current time, for the stateless key-change budget (kMppeExtraKeyChangesPerSecond); call
  // before decrypt(). Never called: no budget.
  void set_clock(Time now) noexcept {
    now_ = now;
    clocked_ = true;
  }
  // Stateful mode: true once after a loss is detected; the link sends a CCP Reset-Request.
  bool take_reset_request() noexcept;
  // Stateful mode: dropping packets until one arrives with the FLUSHED bit.
  bool awaiting_flush() const noexcept { return discarding_; }
  // Stateful resynchronisations done, and how many needed a key-change count other than the
  // Linux convention's (an RFC-style peer, or lost FLUSHED answers to earlier resets).
  std::uint64_t resyncs() const noexcept { return resyncs_; }
  std::uint64_t resyncs_unusual() const noexcept { return resyncs_unusual_; }

 private:
  void change_key() noexcept;
  // Decrypts `data` with the first of [min, max] further key changes whose plaintext looks like
  // a PPP data packet, and makes that key current; false (nothing changed) if none does.
  bool resync(unsigned min_changes, unsigned max_changes, MutableByteView data) noexcept;

  crypto::Rc4 rc4_;
  auth::MppeKey start_key_;
  auth::MppeKey session_key_;
  MppeSettings settings_;
  std::uint16_t last_count_ = kMppeCountMask;  // "the packet before count 0"
  bool discarding_ = false;
  bool reset_request_ = false;
  std::uint32_t discarded_ = 0;
  std::uint64_t resyncs_ = 0, resyncs_unusual_ = 0;
  // The key-change budget as a virtual clock (GCRA): it runs kMppeExtraKeyChangesPerSecond
  // changes per second ahead of now_ at most one second; each extra change advances it.
  bool spend_key_changes(std::uint32_t extra) noexcept;
  bool clocked_ = false;
  Time now_{};
  Time budget_{};
};

}  // namespace pptpx::ppp
