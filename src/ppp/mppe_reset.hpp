// When a stateful MPPE receiver asks its peer for a reset again (CCP Reset-Request, RFC 3078
// §8.2), on top of the requests MppeDecryptor asks for itself (a gap; a FLUSHED packet that no
// candidate key decrypts; every kMppeResetRepeat-th discarded packet). RFC 3078 says nothing
// about a lost Reset-Request, Reset-Ack or FLUSHED answer; this follows pppd 2.4.9's ccp.c (the
// reference peer; RFC 1962 §2.1 has the peer acknowledge each Reset-Request):
//  - the peer acknowledged our last request and a packet without FLUSHED is still discarded
//    after that: its FLUSHED answer was lost -> ask again at once;
//  - no acknowledgement within kMppeResetRetry (pppd's RACKTIMEOUT) while packets are still
//    being discarded: the request or its Reset-Ack was lost -> ask again.
// Without these, a sparse flow (a ping every 200 ms) waited kMppeResetRepeat packets (3.2 s)
// for the repeat (tests/ppp/mppe_peer_loss_test.cpp, "sparse" cases).
// Sans-I/O: the Link calls due() per received MPPE packet, sent() per request, on_reset_ack().
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>

#include "util/time.hpp"

namespace pptpx::ppp {

constexpr std::chrono::milliseconds kMppeResetRetry{1000};

class MppeResetRequests {
 public:
  // After one received MPPE packet: `asked` is the decryptor's take_reset_request(), `discarded`
  // whether the packet was dropped while awaiting a FLUSHED packet. True: send a Reset-Request
  // now, and call sent() with its identifier.
  bool due(bool asked, bool discarded, Time now) const noexcept {
    if (asked) return true;
    if (!discarded || !last_id_) return false;
    return acked_ || now - sent_at_ >= kMppeResetRetry;
  }
  void sent(std::uint8_t id, Time now) noexcept {
    last_id_ = id;
    sent_at_ = now;
    acked_ = false;
  }
  void on_reset_ack(std::uint8_t id) noexcept {
    if (last_id_ && *last_id_ == id) acked_ = true;
  }

 private:
  std::optional<std::uint8_t> last_id_;
  Time sent_at_{};
  bool acked_ = false;
};

}  // namespace pptpx::ppp
