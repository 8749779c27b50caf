// Sequence and acknowledgement handling for one call's enhanced GRE stream (RFC 2637 §4.2-§4.4).
//
// Receive side (GreReceiveWindow): delivers payloads in sequence order to a sink. A packet ahead
// of the next expected number is held in a small reorder buffer until the gap fills or
// reorder_timeout passes (then the gap is given up and counted as lost); a packet behind it is
// dropped, counted as `duplicate` if it was delivered already, else `stale` (its gap was given
// up, §4.3: "out-of-sequence packets ... silently discarded" once the window moved on), unless it
// lies in the open gap of a jump (`late`, below: issue 19). The first
// packet sets the starting point, so peers numbering from 0 and from 1 both work; all comparisons
// are serial-number arithmetic, so 32-bit wraparound is seamless.
//
//   on_data(seq): seq == next        -> deliver, then drain held packets that became in order
//                 seq <  next        -> drop (duplicate | stale), or deliver if in an open gap (late)
//                 next < seq <= next+slots, fits -> hold (until gap fills or timeout)
//                 otherwise          -> give the gap up: deliver held < seq, then seq
//   on_timer:     oldest held packet waited reorder_timeout -> give its gap up, deliver
//                 an acknowledgement is pending for ack_delay -> "send an ack-only packet now"
//
// Jump bound (issue 6; RFC 2637 §4.4 sets none). GRE carries no authentication, so one spoofed
// packet with the call's Call ID from the peer's address and a number far ahead would otherwise
// move the window there, and every later genuine packet would be dropped as stale: the call dies.
// (The Linux kernel's pptp.c has this weakness too: any larger number is taken; it lets only LCP
// Echo through out of sequence. accel-ppp uses that kernel driver for its data path.) So a packet
// more than max_jump away from the last accepted number, either way, is dropped and counted
// (`out_of_window`) and moves nothing:
//
//   far(seq):  consistent with the previous far one (after it, within max_jump of it)?
//                no  -> candidate count = 1            yes -> candidate count + 1
//              count >= resync_packets and no in-window packet for resync_quiet?
//                no  -> drop (out_of_window)           yes -> follow: next = seq, deliver (resyncs)
//   any in-window packet: candidate count = 0, quiet timer restarts
//
// Jumps stay undoable (issue 19). A packet ahead of the reorder slots (but within max_jump) moves
// the window at once, as a real burst of loss must. But one spoofed packet per Call ID with a
// number a few thousand ahead (a blind spray of all 65,535 IDs takes a second) would then make
// every later genuine packet "stale" until the real numbers caught up: the call was cut off.
// So a jump of more than kLateMinGap numbers keeps its gap open: the skipped numbers are marked
// in a bitmap (a ring of kLateWindow numbers behind the window, as the anti-replay windows of
// IPsec and WireGuard), and a packet arriving there later, not seen before, is delivered
// (`late`) instead of dropped; each number once. The gap closes when resync_packets packets have
// followed the jump in order with no late one in between (the stream confirmed the jump), or on
// a resync. Order: the stream after the jump stays in order; late packets come out behind it
// (in their own order, which is what a genuine stream cut off by a forged jump looks like).
// Gaps of up to kLateMinGap numbers (reordering, short losses) are given up as before, so
// ordinary reordering never delivers out of order. Stale packets (behind the window, neither
// seen nor in an open gap) feed the same follow rule as far ones (below), so even a jump the
// forger confirmed is undone by the genuine stream after resync_quiet.
//
// A genuine peer that really jumped (a long outage at a high rate) stops sending old numbers, so
// it is followed after resync_quiet; a spoofer must keep its forged stream consistent *and* the
// real one silent for resync_quiet, which an active call never is. If a spoofer moves the window
// of an idle call anyway, the genuine stream is now the far one and moves it back the same way.
// Default max_jump 4096: 2.5 Gbit/s of 1400-octet packets is ~223,000 packets/s, so 4096 numbers
// are ~18 ms of a full-rate outage, and reordering never comes near it; longer outages resync.
//
// Memory: about 120 + 24*slots octets inline; payload storage of slots * max_held_payload
// (default 4 * 1600 = 6,400 octets) is allocated once, on the first out-of-order packet, so a
// session that never sees reordering never pays for it. Nothing is allocated per packet:
// in-order payloads go straight from the caller's buffer to the sink.
//
// Send side (GreSendWindow): numbers outgoing data packets and tracks the peer's
// acknowledgements, rejecting ones for packets never sent.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <optional>

#include "util/bytes.hpp"
#include "util/time.hpp"

namespace pptpx::pptp {

// a is after b in 32-bit serial-number order.
constexpr bool seq_after(std::uint32_t a, std::uint32_t b) {
  return static_cast<std::int32_t>(a - b) > 0;
}

class GreDeliverySink {
 public:
  virtual ~GreDeliverySink() = default;
  virtual void deliver(std::uint32_t seq, ByteView payload) = 0;
};

struct GreWindowConfig {
  std::size_t reorder_slots = 4;  // at most kMaxReorderSlots; 0 disables holding
  std::size_t max_held_payload = 1600;
  Duration reorder_timeout = std::chrono::milliseconds(50);
  Duration ack_delay = std::chrono::milliseconds(100);  // ack-only packet if no data goes back
  std::uint32_t max_jump = 4096;        // farther from the last accepted number: dropped; 0: no bound
  std::uint32_t resync_packets = 4;     // consistent far packets before the window follows them...
  Duration resync_quiet = std::chrono::seconds(1);  // ...and no in-window packet for this long
};

struct GreReceiveCounters {
  std::uint64_t received = 0;   // data packets offered
  std::uint64_t delivered = 0;  // handed to the sink
  std::uint64_t reordered = 0;  // delivered after being held
  std::uint64_t duplicate = 0;  // dropped: delivered (or held) already
  std::uint64_t stale = 0;      // dropped: older than the window, its gap given up
  std::uint64_t lost = 0;       // sequence numbers given up as never arriving
  std::uint64_t out_of_window = 0;  // dropped: more than max_jump from the last accepted number
  std::uint64_t resyncs = 0;        // the window followed a far jump (its gap is not in `lost`)
  std::uint64_t jumps = 0;          // forward jumps of more than kLateMinGap (their gap stays open)
  std::uint64_t late = 0;           // delivered from an open gap, behind the window (not in `lost`)
};

class GreReceiveWindow {
 public:
  static constexpr std::size_t kMaxReorderSlots = 16;
  static constexpr std::uint32_t kLateMinGap = 64;     // a larger jump's gap stays open
  static constexpr std::uint32_t kLateWindow = 8192;   // numbers behind the window it can cover

  explicit GreReceiveWindow(GreWindowConfig cfg = {});

  void on_data(std::uint32_t seq, ByteView payload, Time now, GreDeliverySink& sink);
  // Returns true when an acknowledgement-only packet should be sent now (use take_ack()).
  bool on_timer(Time now, GreDeliverySink& sink);
  std::optional<Time> deadline() const;

  // The Acknowledgment Number for the next packet we send (piggyback or ack-only), if there is
  // something not yet acknowledged; clears the ack-only timer.
  std::optional<std::uint32_t> take_ack();
  bool ack_pending() const { return ack_pending_; }
  std::optional<std::uint32_t> pending_ack() const {  // what take_ack() would return
    return ack_pending_ ? std::optional<std::uint32_t>(next_ - 1) : std::nullopt;
  }
  std::optional<std::uint32_t> last_delivered() const;
  std::size_t held() const { return held_count_; }
  const GreReceiveCounters& counters() const { return counters_; }
  std::size_t held_storage_bytes() const { return storage_ ? cfg_.reorder_slots * cfg_.max_held_payload : 0; }

 private:
  struct Slot {
    std::uint32_t seq = 0;
    std::uint16_t len = 0;
    bool used = false;
    Time since{};
  };
  void deliver(std::uint32_t seq, ByteView payload, Time now, GreDeliverySink& sink);
  void drain(Time now, GreDeliverySink& sink);
  void skip_to(std::uint32_t seq);  // give up [next_, seq)
  void release_held_before(std::uint32_t seq, Time now, GreDeliverySink& sink);
  bool hold(std::uint32_t seq, ByteView payload, Time now);
  bool far(std::uint32_t seq) const;
  // A packet far from or behind the window: true if the window followed it (delivered).
  bool on_stray(std::uint32_t seq, ByteView payload, Time now, GreDeliverySink& sink);
  void open_gap(std::uint32_t from, std::uint32_t to);  // mark [from, to) deliverable late
  void clear_gap(std::uint32_t from, std::uint32_t to);
  bool in_gap(std::uint32_t seq) const;
  Slot* find_held(std::uint32_t seq);
  Slot* lowest_held();

  GreWindowConfig cfg_;
  bool started_ = false;
  std::uint32_t next_ = 0;    // next sequence number to deliver
  std::uint64_t recent_ = 0;  // bit i: next_-1-i was delivered (duplicate detection)
  std::array<Slot, kMaxReorderSlots> slots_{};
  std::size_t held_count_ = 0;
  std::unique_ptr<std::uint8_t[]> storage_;
  bool ack_pending_ = false;
  Time ack_due_{};
  Time last_in_window_{};          // the last packet taken (delivered, held or late)
  std::uint32_t far_last_ = 0;     // the last far packet's number
  std::uint32_t far_count_ = 0;    // consistent far packets in a row since then (0: none)
  // Open gaps (see "Jumps stay undoable" above): bit (n % kLateWindow) set = n was skipped by a
  // jump and not seen since; meaningful for the kLateWindow numbers before next_. Allocated
  // (1 KiB) on the first such jump.
  std::unique_ptr<std::uint64_t[]> gap_bits_;
  bool gap_open_ = false;
  std::uint32_t since_jump_ = 0;   // in-order deliveries since the last jump or late packet
  GreReceiveCounters counters_;
};

struct GreSendCounters {
  std::uint64_t sent = 0;
  std::uint64_t bad_ack = 0;  // acknowledgement for a packet never sent, or going backwards
};

class GreSendWindow {
 public:
  explicit GreSendWindow(std::uint32_t first_sequence = 0) : next_(first_sequence) {}
  std::uint32_t next_sequence();  // number for the next data packet
  // Peer's Acknowledgment Number; false (and counted) when it names a packet not sent yet or
  // is older than one already seen.
  bool on_ack(std::uint32_t ack);
  std::uint32_t in_flight() const;  // sent but not yet acknowledged
  // §4.2: no more than the peer's Packet Recv. Window Size unacknowledged packets in flight.
  // 0 means the peer gave no window; many peers ignore the window, so the caller decides
  // whether to queue, drop or send anyway.
  bool window_open(std::uint16_t peer_recv_window) const {
    return peer_recv_window == 0 || in_flight() < peer_recv_window;
  }
  std::optional<std::uint32_t> last_acked() const {
    return acked_any_ ? std::optional<std::uint32_t>(last_ack_) : std::nullopt;
  }
  const GreSendCounters& counters() const { return counters_; }

 private:
  std::uint32_t next_;
  std::uint32_t first_ = next_;
  std::uint32_t last_ack_ = 0;
  bool acked_any_ = false;
  GreSendCounters counters_;
};

}  // namespace pptpx::pptp
