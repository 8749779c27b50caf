#include "ppp/mppe.hpp"

#include <algorithm>
#include <array>

namespace pptpx::ppp {
namespace {

bool is_flag_packet(std::uint16_t count) { return (count & 0xff) == 0xff; }  // RFC 3078 §7.2

// Does `p` (the first octets of a decrypted packet whose whole length is `total`) begin like a
// PPP data packet as pptpx's links carry them inside MPPE: a protocol field (two octets, or one
// with protocol-field compression) for IPv4 or IPv6, then an IP header whose version matches and
// whose length field accounts for exactly the rest of the packet (MPPE adds no padding). Only
// used to choose between candidate keys while resynchronising stateful MPPE; a wrong key passes
// with a probability near 2^-35.
bool plausible_ppp_data(ByteView p, std::size_t total) {
  std::size_t off = 0;
  std::uint8_t proto = 0;
  if (p.size() >= 2 && p[0] == 0x00) {
    proto = p[1];
    off = 2;
  } else if (!p.empty() && (p[0] & 1) != 0) {  // RFC 1661 §6.5: compressed field, odd octet
    proto = p[0];
    off = 1;
  } else {
    return false;
  }
  // Catches a trial window too short to hold the IP length field.
  if (p.size() < off + 8 || total < off) return false;
  const std::uint8_t version = p[off] >> 4;
  if (proto == 0x21) {  // RFC 791: version 4, IHL >= 5 words, Total Length = the whole packet
    return version == 4 && (p[off] & 0x0f) >= 5 && load_be16(p.data() + off + 2) == total - off;
  }
  if (proto == 0x57) {  // RFC 8200: version 6, Payload Length = all after the 40-octet header
    return version == 6 && std::size_t{load_be16(p.data() + off + 4)} + 40 == total - off;
  }
  return false;
}

ByteView key_view(const auth::MppeKey& k) { return ByteView(k.bytes.data(), k.length); }

auth::MppeKey initial_key(const auth::MppeKey& start_key, MppeSettings s) {
  auth::MppeKey start = start_key;
  // A start key longer than the negotiated strength uses its first octets (as the kernel does
  // with pppd's 16-octet keys and a 40-bit session).
  start.length = auth::mppe_key_length(s.strength);
  return start;
}

}  // namespace

const char* to_string(MppeDecryptResult r) noexcept {
  switch (r) {
    case MppeDecryptResult::Ok: return "ok";
    case MppeDecryptResult::NotEncrypted: return "not-encrypted";
    case MppeDecryptResult::BadHeader: return "bad-header";
    case MppeDecryptResult::Stale: return "stale";
    case MppeDecryptResult::LostSync: return "lost-sync";
    case MppeDecryptResult::TooShort: return "too-short";
    case MppeDecryptResult::KeyChangeBudget: return "key-change-budget";
  }
  return "?";
}

// ---- sender ----

MppeEncryptor::MppeEncryptor(const auth::MppeKey& start_key, MppeSettings settings)
    : start_key_(initial_key(start_key, settings)),
      session_key_(auth::mppe_initial_session_key(start_key_, settings.strength)),
      settings_(settings) {
  rc4_.set_key(key_view(session_key_));  // RFC 3078 §5
}

void MppeEncryptor::change_key() noexcept {
  session_key_ = auth::mppe_next_key(start_key_, session_key_, settings_.strength, rc4_);
  rc4_.set_key(key_view(session_key_));
}

std::uint16_t MppeEncryptor::encrypt(MutableByteView data) noexcept {
  if (reset_pending_) {
    // Stateful, after a Reset-Request: skip ahead to the next flag packet (see mppe.hpp), so the
    // FLUSHED answer is a flag packet and keys change at flag packets only.
    next_count_ = static_cast<std::uint16_t>(next_count_ | 0xff);
    reset_pending_ = false;
  }
  const std::uint16_t count = next_count_;
  next_count_ = static_cast<std::uint16_t>((count + 1) & kMppeCountMask);
  std::uint16_t header = static_cast<std::uint16_t>(kMppeEncrypted | count);
  if (settings_.stateless || is_flag_packet(count)) {
    // Stateless: RFC 3078 §7.1 key change before each packet. Stateful: §7.2 flag packet.
    change_key();
    header = static_cast<std::uint16_t>(header | kMppeFlushed);
  }
  rc4_.apply(data);
  return header;
}

void MppeEncryptor::on_reset_request() noexcept {
  if (!settings_.stateless) reset_pending_ = true;
}

// ---- receiver ----

MppeDecryptor::MppeDecryptor(const auth::MppeKey& start_key, MppeSettings settings)
    : start_key_(initial_key(start_key, settings)),
      session_key_(auth::mppe_initial_session_key(start_key_, settings.strength)),
      settings_(settings) {
  rc4_.set_key(key_view(session_key_));
}

void MppeDecryptor::change_key() noexcept {
  session_key_ = auth::mppe_next_key(start_key_, session_key_, settings_.strength, rc4_);
  rc4_.set_key(key_view(session_key_));
}

bool MppeDecryptor::spend_key_changes(std::uint32_t extra) noexcept {
  if (!clocked_) return true;
  constexpr auto kPerChange = std::chrono::nanoseconds(1'000'000'000 / kMppeExtraKeyChangesPerSecond);
  const Time start = std::max(budget_, now_);
  const Time after = start + kPerChange * extra;
  if (after > now_ + std::chrono::seconds(1)) return false;
  budget_ = after;
  return true;
}

MppeDecryptResult MppeDecryptor::decrypt(std::uint16_t header, MutableByteView data) noexcept {
  if ((header & kMppeEncrypted) == 0) return MppeDecryptResult::NotEncrypted;
  if ((header & kMppeCompressed) != 0) return MppeDecryptResult::BadHeader;
  if (data.empty()) return MppeDecryptResult::TooShort;
  const auto count = static_cast<std::uint16_t>(header & kMppeCountMask);
  const bool flushed = (header & kMppeFlushed) != 0;

  if (settings_.stateless) {
    // RFC 3078 §3.1: with stateless mode the FLUSHED bit MUST be set on every packet.
    if (!flushed) return MppeDecryptResult::BadHeader;
    // RFC 3078 §8.1: N = C1 - C2 key changes.
    const auto n = static_cast<std::uint16_t>((count - last_count_) & kMppeCountMask);
    if (n == 0 || n > kMppeMaxStatelessJump) return MppeDecryptResult::Stale;
    if (n > 1 && !spend_key_changes(n - 1u)) return MppeDecryptResult::KeyChangeBudget;
    for (std::uint16_t i = 0; i < n; ++i) {
      session_key_ = auth::mppe_next_key(start_key_, session_key_, settings_.strength, rc4_);
    }
    rc4_.set_key(key_view(session_key_));
    last_count_ = count;
    rc4_.apply(data);
    return MppeDecryptResult::Ok;
  }

  const auto expected = static_cast<std::uint16_t>((last_count_ + 1) & kMppeCountMask);
  if (!discarding_) {
    if (count != expected) {
      // RFC 3078 §8.2: loss detected -> drop, CCP Reset-Request, discard until FLUSHED.
      discarding_ = true;
      reset_request_ = true;
      discarded_ = 0;
      return MppeDecryptResult::LostSync;
    }
    if (!flushed && !is_flag_packet(count)) {  // in step, same key, RC4 state carries on
      last_count_ = count;
      rc4_.apply(data);
      return MppeDecryptResult::Ok;
    }
    if (is_flag_packet(count)) {  // §8.2: exactly one key change before a flag packet
      change_key();
      last_count_ = count;
      rc4_.apply(data);
      return MppeDecryptResult::Ok;
    }
    // A FLUSHED packet while in step: the sender answered a (repeated) Reset-Request. Linux
    // changes the key (1), RFC 3078 §8.2 only re-initialises RC4 (0).
    if (!resync(0, 1, data)) {
      change_key();  // neither looks like a PPP data packet: keep the kernel's convention
      rc4_.apply(data);
    }
    last_count_ = count;
    return MppeDecryptResult::Ok;
  }
  if (!flushed) {
    // §8.2: SHOULD silently discard. Our Reset-Request may itself have been lost: repeat it.
    if (++discarded_ % kMppeResetRepeat == 0) reset_request_ = true;
    return MppeDecryptResult::LostSync;
  }
  // The sender changed key at every flag packet in [expected, count); then the FLUSHED packet
  // itself: one more change (Linux, and any flag packet), none (RFC 3078 §8.2 reset), or more
  // when earlier FLUSHED answers to our Reset-Requests were lost (each was a change on Linux).
  const auto missed = static_cast<std::uint16_t>((count - expected) & kMppeCountMask);
  const auto to_first_flag = static_cast<std::uint16_t>(0xff - (expected & 0xff));
  const std::uint16_t flags = missed > to_first_flag ? static_cast<std::uint16_t>(1 + (missed - 1 - to_first_flag) / 256) : 0;
  const auth::MppeKey before = session_key_;
  for (std::uint16_t i = 0; i < flags; ++i) {
    session_key_ = auth::mppe_next_key(start_key_, session_key_, settings_.strength, rc4_);
  }
  if (!resync(is_flag_packet(count) ? 1 : 0, kMppeMaxExtraKeyChanges, data)) {
    // Nothing decrypts to a PPP data packet (corrupted: MPPE has no integrity check): ask again,
    // and keep the key of the last good count, from which the next FLUSHED packet counts the
    // skipped flag packets again.
    session_key_ = before;
    reset_request_ = true;
    return MppeDecryptResult::LostSync;
  }
  discarding_ = false;
  last_count_ = count;
  return MppeDecryptResult::Ok;
}

bool MppeDecryptor::resync(unsigned min_changes, unsigned max_changes, MutableByteView data) noexcept {
  // Try the candidate keys in the order a peer most likely used them: one change (Linux), then
  // none (RFC 3078 §8.2), then more. Each candidate decrypts a copy of the first octets only.
  std::array<std::uint8_t, kMppeTrialOctets> trial{};
  const std::size_t n = std::min(data.size(), trial.size());
  auth::MppeKey candidates[kMppeMaxExtraKeyChanges + 1];
  candidates[0] = session_key_;
  for (unsigned i = 1; i <= max_changes; ++i) {
    candidates[i] = auth::mppe_next_key(start_key_, candidates[i - 1], settings_.strength, rc4_);
  }
  auto order = [&](unsigned k) -> unsigned {  // 1, 0, 2, 3, ... restricted to [min, max]
    if (k == 0) return 1;
    if (k == 1) return 0;
    return k;
  };
  for (unsigned k = 0; k <= max_changes; ++k) {
    const unsigned changes = order(k);
    if (changes < min_changes || changes > max_changes) continue;
    rc4_.set_key(key_view(candidates[changes]));
    std::copy_n(data.begin(), n, trial.begin());
    rc4_.apply(MutableByteView(trial.data(), n));
    if (!plausible_ppp_data(ByteView(trial.data(), n), data.size())) continue;
    session_key_ = candidates[changes];
    rc4_.set_key(key_view(session_key_));
    rc4_.apply(data);
    ++resyncs_;
    if (changes != 1) ++resyncs_unusual_;
    return true;
  }
  return false;
}

bool MppeDecryptor::take_reset_request() noexcept {
  const bool r = reset_request_;
  reset_request_ = false;
  return r;
}

}  // namespace pptpx::ppp
