#include "pptp/gre_window.hpp"

#include <algorithm>
#include <cstring>

namespace pptpx::pptp {

GreReceiveWindow::GreReceiveWindow(GreWindowConfig cfg) : cfg_(cfg) {
  cfg_.reorder_slots = std::min(cfg_.reorder_slots, kMaxReorderSlots);
  cfg_.max_held_payload = std::min<std::size_t>(cfg_.max_held_payload, 0xFFFF);
}

std::optional<std::uint32_t> GreReceiveWindow::last_delivered() const {
  if (!started_ || (recent_ & 1) == 0) return std::nullopt;
  return next_ - 1;
}

GreReceiveWindow::Slot* GreReceiveWindow::find_held(std::uint32_t seq) {
  for (std::size_t i = 0; i < cfg_.reorder_slots; ++i) {
    if (slots_[i].used && slots_[i].seq == seq) return &slots_[i];
  }
  return nullptr;
}

GreReceiveWindow::Slot* GreReceiveWindow::lowest_held() {
  Slot* best = nullptr;
  for (std::size_t i = 0; i < cfg_.reorder_slots; ++i) {
    if (slots_[i].used && (best == nullptr || seq_after(best->seq, slots_[i].seq))) {
      best = &slots_[i];
    }
  }
  return best;
}

void GreReceiveWindow::deliver(std::uint32_t seq, ByteView payload, Time now,
                               GreDeliverySink& sink) {
  // Precondition: seq == next_ (skip_to() has moved next_ over any gap).
  recent_ = (recent_ << 1) | 1;
  next_ = seq + 1;
  if (gap_open_) {
    clear_gap(seq, seq + 1);  // the ring slot now means seq, which was seen
    if (++since_jump_ >= cfg_.resync_packets) gap_open_ = false;  // the jump is confirmed
  }
  ++counters_.delivered;
  if (!ack_pending_) ack_due_ = now + cfg_.ack_delay;
  ack_pending_ = true;
  sink.deliver(seq, payload);
}

void GreReceiveWindow::skip_to(std::uint32_t seq) {
  const std::uint32_t gap = seq - next_;
  counters_.lost += gap;
  if (gap_open_) clear_gap(next_, seq);  // given up: not deliverable late
  recent_ = gap >= 64 ? 0 : recent_ << gap;  // given-up numbers are not "delivered"
  next_ = seq;
}

void GreReceiveWindow::drain(Time now, GreDeliverySink& sink) {
  while (Slot* s = find_held(next_)) {
    s->used = false;
    --held_count_;
    ++counters_.reordered;
    const std::size_t index = static_cast<std::size_t>(s - slots_.data());
    deliver(s->seq, ByteView(storage_.get() + index * cfg_.max_held_payload, s->len), now, sink);
  }
}

void GreReceiveWindow::release_held_before(std::uint32_t seq, Time now, GreDeliverySink& sink) {
  while (Slot* s = lowest_held()) {
    if (!seq_after(seq, s->seq)) break;
    skip_to(s->seq);
    drain(now, sink);
  }
}

bool GreReceiveWindow::hold(std::uint32_t seq, ByteView payload, Time now) {
  if (payload.size() > cfg_.max_held_payload || held_count_ >= cfg_.reorder_slots) return false;
  if (!storage_) {
    // The one allocation, on the first out-of-order packet (see the memory note in the header).
    storage_ = std::make_unique<std::uint8_t[]>(cfg_.reorder_slots * cfg_.max_held_payload);
  }
  for (std::size_t i = 0; i < cfg_.reorder_slots; ++i) {
    if (slots_[i].used) continue;
    slots_[i] = Slot{seq, static_cast<std::uint16_t>(payload.size()), true, now};
    if (!payload.empty()) {
      std::memcpy(storage_.get() + i * cfg_.max_held_payload, payload.data(), payload.size());
    }
    ++held_count_;
    return true;
  }
  return false;
}

// More than max_jump from the last accepted number (next_ - 1), ahead or behind.
bool GreReceiveWindow::far(std::uint32_t seq) const {
  if (cfg_.max_jump == 0) return false;
  const std::uint32_t last = next_ - 1;
  const std::uint32_t distance = seq_after(seq, last) ? seq - last : last - seq;
  return distance > cfg_.max_jump;
}

bool GreReceiveWindow::on_stray(std::uint32_t seq, ByteView payload, Time now, GreDeliverySink& sink) {
  // Consistent: after the previous stray packet and within max_jump of it (the same stream).
  const std::uint32_t bound = cfg_.max_jump != 0 ? cfg_.max_jump : 0x7FFFFFFFu;
  const bool consistent = far_count_ > 0 && seq_after(seq, far_last_) && seq - far_last_ <= bound;
  far_count_ = consistent ? far_count_ + 1 : 1;
  far_last_ = seq;
  if (far_count_ < cfg_.resync_packets || now - last_in_window_ < cfg_.resync_quiet) return false;
  // Follow the stray stream. Held packets belong to the old numbering: dropped as stale.
  for (std::size_t i = 0; i < cfg_.reorder_slots; ++i) {
    if (slots_[i].used) ++counters_.stale;
    slots_[i].used = false;
  }
  held_count_ = 0;
  ++counters_.resyncs;
  far_count_ = 0;
  gap_open_ = false;
  last_in_window_ = now;
  recent_ = 0;
  next_ = seq;
  deliver(seq, payload, now, sink);
  return true;
}

// The ring holds one bit per number; [from, to) is at most kLateWindow long (callers clamp).
void GreReceiveWindow::clear_gap(std::uint32_t from, std::uint32_t to) {
  if (to - from >= kLateWindow) {
    std::fill_n(gap_bits_.get(), kLateWindow / 64, std::uint64_t{0});
    return;
  }
  for (std::uint32_t n = from; n != to; ++n) {
    const std::uint32_t i = n % kLateWindow;
    if ((i & 63) == 0 && to - n >= 64) {  // a whole word
      gap_bits_[i / 64] = 0;
      n += 63;
      continue;
    }
    gap_bits_[i / 64] &= ~(std::uint64_t{1} << (i & 63));
  }
}

void GreReceiveWindow::open_gap(std::uint32_t from, std::uint32_t to) {
  if (!gap_bits_) gap_bits_ = std::make_unique<std::uint64_t[]>(kLateWindow / 64);  // zeroed
  if (!gap_open_) std::fill_n(gap_bits_.get(), kLateWindow / 64, std::uint64_t{0});
  if (to - from > kLateWindow) from = to - kLateWindow;  // only the newest kLateWindow numbers
  for (std::uint32_t n = from; n != to; ++n) {
    const std::uint32_t i = n % kLateWindow;
    if ((i & 63) == 0 && to - n >= 64) {
      gap_bits_[i / 64] = ~std::uint64_t{0};
      n += 63;
      continue;
    }
    gap_bits_[i / 64] |= std::uint64_t{1} << (i & 63);
  }
  gap_open_ = true;
  since_jump_ = 0;
}

bool GreReceiveWindow::in_gap(std::uint32_t seq) const {
  if (!gap_open_ || next_ - 1 - seq >= kLateWindow) return false;
  const std::uint32_t i = seq % kLateWindow;
  return ((gap_bits_[i / 64] >> (i & 63)) & 1) != 0;
}

void GreReceiveWindow::on_data(std::uint32_t seq, ByteView payload, Time now,
                               GreDeliverySink& sink) {
  ++counters_.received;
  if (!started_) {
    // The first packet sets the origin: peers start at 0 (Linux) or 1 (others) alike.
    started_ = true;
    next_ = seq;
    last_in_window_ = now;
  }
  if (far(seq) && !in_gap(seq)) {  // an open gap may reach further back than max_jump
    if (!on_stray(seq, payload, now, sink)) ++counters_.out_of_window;
    return;
  }
  const auto d = static_cast<std::int32_t>(seq - next_);
  if (d < 0) {
    const std::uint32_t age = next_ - 1 - seq;  // 0: the packet delivered last
    if (age < 64 && ((recent_ >> age) & 1) != 0) {
      ++counters_.duplicate;
    } else if (in_gap(seq)) {
      // Skipped by a jump and not seen since: deliver it behind the window, once.
      clear_gap(seq, seq + 1);
      since_jump_ = 0;  // the stream before the jump is alive
      far_count_ = 0;
      last_in_window_ = now;
      ++counters_.late;
      --counters_.lost;  // counted when the jump skipped it
      ++counters_.delivered;
      if (!ack_pending_) ack_due_ = now + cfg_.ack_delay;
      ack_pending_ = true;
      sink.deliver(seq, payload);
    } else if (!on_stray(seq, payload, now, sink)) {
      ++counters_.stale;
    }
    return;
  }
  far_count_ = 0;  // the current stream is alive
  last_in_window_ = now;
  if (d == 0) {
    deliver(seq, payload, now, sink);
    drain(now, sink);
    return;
  }
  if (find_held(seq) != nullptr) {
    ++counters_.duplicate;
    return;
  }
  if (static_cast<std::size_t>(d) <= cfg_.reorder_slots && hold(seq, payload, now)) return;
  // Too far ahead, too big to hold, or the buffer is full: give the gap up.
  release_held_before(seq, now, sink);
  const std::uint32_t from = next_;
  skip_to(seq);
  if (seq - from > kLateMinGap) {  // a jump: keep its gap open (see the header)
    ++counters_.jumps;
    open_gap(from, seq);
  }
  deliver(seq, payload, now, sink);
  drain(now, sink);
}

bool GreReceiveWindow::on_timer(Time now, GreDeliverySink& sink) {
  for (Slot* s = lowest_held(); s != nullptr && now >= s->since + cfg_.reorder_timeout;
       s = lowest_held()) {
    skip_to(s->seq);
    drain(now, sink);
  }
  return ack_pending_ && now >= ack_due_;
}

std::optional<Time> GreReceiveWindow::deadline() const {
  std::optional<Time> d;
  if (ack_pending_) d = ack_due_;
  for (std::size_t i = 0; i < cfg_.reorder_slots; ++i) {
    if (!slots_[i].used) continue;
    const Time t = slots_[i].since + cfg_.reorder_timeout;
    d = d ? std::min(*d, t) : t;
  }
  return d;
}

std::optional<std::uint32_t> GreReceiveWindow::take_ack() {
  if (!ack_pending_) return std::nullopt;
  ack_pending_ = false;
  return next_ - 1;
}

std::uint32_t GreSendWindow::next_sequence() {
  ++counters_.sent;
  return next_++;
}

bool GreSendWindow::on_ack(std::uint32_t ack) {
  // Catches: an ack for a number we have not sent yet (forged or confused peer), or one older
  // than an ack already taken (reordered ack-carrying packets: harmless, ignored).
  if (counters_.sent == 0 || seq_after(ack, next_ - 1) || seq_after(first_, ack) ||
      (acked_any_ && seq_after(last_ack_, ack))) {
    ++counters_.bad_ack;
    return false;
  }
  last_ack_ = ack;
  acked_any_ = true;
  return true;
}

std::uint32_t GreSendWindow::in_flight() const {
  if (counters_.sent == 0) return 0;
  if (!acked_any_) return next_ - first_;
  return next_ - 1 - last_ack_;
}

}  // namespace pptpx::pptp
