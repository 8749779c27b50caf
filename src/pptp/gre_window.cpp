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
  ++counters_.delivered;
  if (!ack_pending_) ack_due_ = now + cfg_.ack_delay;
  ack_pending_ = true;
  sink.deliver(seq, payload);
}

void GreReceiveWindow::skip_to(std::uint32_t seq) {
  const std::uint32_t gap = seq - next_;
  counters_.lost += gap;
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

void GreReceiveWindow::on_far(std::uint32_t seq, ByteView payload, Time now, GreDeliverySink& sink) {
  // Consistent: after the previous far packet and within max_jump of it (the same stream).
  const bool consistent = far_count_ > 0 && seq_after(seq, far_last_) && seq - far_last_ <= cfg_.max_jump;
  far_count_ = consistent ? far_count_ + 1 : 1;
  far_last_ = seq;
  if (far_count_ < cfg_.resync_packets || now - last_in_window_ < cfg_.resync_quiet) {
    ++counters_.out_of_window;
    return;
  }
  // Follow the far stream. Held packets belong to the old numbering: dropped as stale.
  for (std::size_t i = 0; i < cfg_.reorder_slots; ++i) {
    if (slots_[i].used) ++counters_.stale;
    slots_[i].used = false;
  }
  held_count_ = 0;
  ++counters_.resyncs;
  far_count_ = 0;
  last_in_window_ = now;
  recent_ = 0;
  next_ = seq;
  deliver(seq, payload, now, sink);
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
  if (far(seq)) {
    on_far(seq, payload, now, sink);
    return;
  }
  far_count_ = 0;  // the current stream is alive
  last_in_window_ = now;
  const auto d = static_cast<std::int32_t>(seq - next_);
  if (d < 0) {
    const std::uint32_t age = next_ - 1 - seq;  // 0: the packet delivered last
    if (age < 64 && ((recent_ >> age) & 1) != 0) {
      ++counters_.duplicate;
    } else {
      ++counters_.stale;
    }
    return;
  }
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
  skip_to(seq);
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
