#include "ppp/mppe.hpp"

namespace pptpx::ppp {
namespace {

bool is_flag_packet(std::uint16_t count) { return (count & 0xff) == 0xff; }  // RFC 3078 §7.2

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
  const std::uint16_t count = next_count_;
  next_count_ = static_cast<std::uint16_t>((count + 1) & kMppeCountMask);
  std::uint16_t header = static_cast<std::uint16_t>(kMppeEncrypted | count);
  if (settings_.stateless || is_flag_packet(count) || reset_pending_) {
    // Stateless: RFC 3078 §7.1 key change before each packet. Stateful: §7.2 flag packet, or the
    // first packet after a Reset-Request (§8.2, with the key change noted in mppe.hpp).
    change_key();
    header = static_cast<std::uint16_t>(header | kMppeFlushed);
    reset_pending_ = false;
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
      return MppeDecryptResult::LostSync;
    }
    if (is_flag_packet(count) || flushed) change_key();
  } else {
    if (!flushed) return MppeDecryptResult::LostSync;  // §8.2: SHOULD silently discard
    // The sender changed key at every flag packet in [expected, count): catch up, then the key
    // change this FLUSHED (or flag) packet itself announces.
    const auto missed = static_cast<std::uint16_t>((count - expected) & kMppeCountMask);
    const auto to_first_flag = static_cast<std::uint16_t>(0xff - (expected & 0xff));
    const std::uint16_t flags = missed > to_first_flag ? static_cast<std::uint16_t>(1 + (missed - 1 - to_first_flag) / 256) : 0;
    for (std::uint16_t i = 0; i < flags; ++i) {
      session_key_ = auth::mppe_next_key(start_key_, session_key_, settings_.strength, rc4_);
    }
    change_key();
    discarding_ = false;
  }
  last_count_ = count;
  rc4_.apply(data);
  return MppeDecryptResult::Ok;
}

bool MppeDecryptor::take_reset_request() noexcept {
  const bool r = reset_request_;
  reset_request_ = false;
  return r;
}

}  // namespace pptpx::ppp
