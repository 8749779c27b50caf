// Independent models of the stateful MPPE peers pptpx meets, for the in-memory loss tests. They
// are written from the peers' own sources and the RFC, not from src/ppp/mppe.cpp; only the key
// change algorithm itself (RFC 3078 §7.3, checked against captures elsewhere) is shared.
//
//  - Linux: drivers/net/ppp/ppp_mppe.c (mppe_compress / mppe_decompress / mppe_comp_reset), the
//    data path of pppd 2.4.9's peers, plus pppd's ccp.c Reset-Request logic (ResetRequester).
//  - Rfc3078: RFC 3078 §7.2 and §8.2 read literally: on a Reset-Request the sender re-initialises
//    RC4 with the current session key (no key change); a receiver that sees FLUSHED does the same,
//    changing keys only for flag packets (low octet of the count 0xFF), the missed ones included
//    ("SHOULD detect" 256 or more lost packets).
#pragma once
#include <cstdint>
#include <optional>

#include "auth/mppe_keys.hpp"
#include "crypto/rc4.hpp"
#include "util/bytes.hpp"

namespace pptpx::ppp::test {

enum class PeerStyle { Linux, Rfc3078 };

inline const char* to_string(PeerStyle s) { return s == PeerStyle::Linux ? "Linux" : "RFC3078"; }

class ModelMppeState {
 protected:
  explicit ModelMppeState(const auth::MppeKey& start)
      : start_(start), session_(auth::mppe_initial_session_key(start, auth::MppeStrength::Bits128)) {
    rekey_rc4();
  }
  void change_key() {  // ppp_mppe.c mppe_rekey(state, 0); RFC 3078 §7.3
    session_ = auth::mppe_next_key(start_, session_, auth::MppeStrength::Bits128);
    rekey_rc4();
  }
  void rekey_rc4() { rc4_.set_key(ByteView(session_.bytes.data(), session_.length)); }
  static bool flag(std::uint16_t count) { return (count & 0xff) == 0xff; }

  auth::MppeKey start_, session_;
  crypto::Rc4 rc4_;
};

constexpr std::uint16_t kModelFlushed = 0x8000, kModelEncrypted = 0x1000, kModelCount = 0x0fff;

class ModelMppeSender : ModelMppeState {
 public:
  ModelMppeSender(const auth::MppeKey& start, PeerStyle style) : ModelMppeState(start), style_(style) {}
  // The peer answered a Reset-Request (ppp_mppe.c: the Reset-Ack going out calls comp_reset).
  void on_reset_request() { reset_ = true; }
  std::uint16_t encrypt(MutableByteView data) {
    ccount_ = static_cast<std::uint16_t>((ccount_ + 1) & kModelCount);
    std::uint16_t header = static_cast<std::uint16_t>(kModelEncrypted | ccount_);
    if (flag(ccount_) || (reset_ && style_ == PeerStyle::Linux)) {
      change_key();  // Linux rekeys for a reset too
      header |= kModelFlushed;
    } else if (reset_) {
      rekey_rc4();  // RFC 3078 §8.2: same key, fresh RC4 tables
      header |= kModelFlushed;
    }
    reset_ = false;
    rc4_.apply(data);
    return header;
  }

 private:
  PeerStyle style_;
  std::uint16_t ccount_ = kModelCount;  // mppe_init: the first packet carries 0
  bool reset_ = false;
};

class ModelMppeReceiver : ModelMppeState {
 public:
  ModelMppeReceiver(const auth::MppeKey& start, PeerStyle style) : ModelMppeState(start), style_(style) {}
  // True: decrypted in place. False: dropped (ppp_mppe.c DECOMP_ERROR; pppd then asks for a reset).
  bool decrypt(std::uint16_t header, MutableByteView data) {
    const auto count = static_cast<std::uint16_t>(header & kModelCount);
    const bool flushed = (header & kModelFlushed) != 0;
    if (flag(count) && !flushed) return false;  // ppp_mppe.c sanity check
    return style_ == PeerStyle::Linux ? linux_decrypt(count, flushed, data) : rfc_decrypt(count, flushed, data);
  }
  bool discarding() const { return discard_; }

 private:
  bool linux_decrypt(std::uint16_t count, bool flushed, MutableByteView data) {
    if (!discard_) {
      ccount_ = static_cast<std::uint16_t>((ccount_ + 1) & kModelCount);
      if (count != ccount_) {
        discard_ = true;
        return false;
      }
    } else {
      if (!flushed) return false;
      while ((count & ~0xff) != (ccount_ & ~0xff)) {  // one key change per missed flag packet
        change_key();
        ccount_ = static_cast<std::uint16_t>((ccount_ + 256) & kModelCount);
      }
      discard_ = false;
      ccount_ = count;
    }
    if (flushed) change_key();  // and one more for every FLUSHED packet
    rc4_.apply(data);
    return true;
  }
  bool rfc_decrypt(std::uint16_t count, bool flushed, MutableByteView data) {
    const auto expected = static_cast<std::uint16_t>((ccount_ + 1) & kModelCount);
    if (!discard_ && count != expected) {
      discard_ = true;
      return false;
    }
    if (discard_ && !flushed) return false;
    // Every flag packet in [expected, count] changes the key (just one when in step).
    for (auto c = expected;; c = static_cast<std::uint16_t>((c + 1) & kModelCount)) {
      if (flag(c)) change_key();
      if (c == count) break;
    }
    if (flushed) rekey_rc4();
    discard_ = false;
    ccount_ = count;
    rc4_.apply(data);
    return true;
  }

  PeerStyle style_;
  std::uint16_t ccount_ = kModelCount;
  bool discard_ = false;
};

// pppd 2.4.9 ccp.c: ccp_datainput (a packet the kernel could not decrypt), the CCP Reset-Ack
// case of ccp_input, and ccp_rack_timeout (RACKTIMEOUT 1 s). Times in milliseconds.
class ResetRequester {
 public:
  // A dropped packet: the id of a Reset-Request to send now, if any.
  std::optional<std::uint8_t> on_decrypt_error(std::int64_t now) {
    if (rack_pending_) {
      rreq_repeat_ = true;
      return std::nullopt;
    }
    reqid_ = ++id_;
    rack_pending_ = true;
    deadline_ = now + 1000;
    return reqid_;
  }
  void on_reset_ack(std::uint8_t id) {
    if (rack_pending_ && id == reqid_) rack_pending_ = rreq_repeat_ = false;
  }
  std::optional<std::uint8_t> on_timer(std::int64_t now) {
    if (!rack_pending_ || now < deadline_) return std::nullopt;
    if (rreq_repeat_) {
      rreq_repeat_ = false;
      deadline_ = now + 1000;
      return reqid_;  // the same id again
    }
    rack_pending_ = false;
    return std::nullopt;
  }

 private:
  bool rack_pending_ = false, rreq_repeat_ = false;
  std::uint8_t id_ = 0, reqid_ = 0;
  std::int64_t deadline_ = 0;
};

}  // namespace pptpx::ppp::test
