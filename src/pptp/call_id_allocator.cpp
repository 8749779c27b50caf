#include "pptp/call_id_allocator.hpp"

namespace pptpx::pptp {

SequentialCallIdAllocator::SequentialCallIdAllocator() : used_(65536, false) { used_[0] = true; }

std::optional<std::uint16_t> SequentialCallIdAllocator::allocate() {
  if (used_count_ >= 65535) return std::nullopt;
  for (;;) {
    const std::uint16_t id = next_;
    next_ = static_cast<std::uint16_t>(next_ == 65535 ? 1 : next_ + 1);
    if (!used_[id]) {
      used_[id] = true;
      ++used_count_;
      return id;
    }
  }
}

void SequentialCallIdAllocator::release(std::uint16_t id) {
  if (id != 0 && used_[id]) {
    used_[id] = false;
    --used_count_;
  }
}

bool SequentialCallIdAllocator::in_use(std::uint16_t id) const { return id != 0 && used_[id]; }

RandomCallIdAllocator::RandomCallIdAllocator(Random random, std::size_t quarantine)
    : random_(std::move(random)), quarantine_limit_(quarantine), slot_(65536, 0), state_(65536, State::used) {
  free_.reserve(65535);
  for (std::uint32_t id = 1; id <= 65535; ++id) make_free(static_cast<std::uint16_t>(id));
  // ID 0 stays State::used forever, never counted and never released: some peers read it as "none".
}

void RandomCallIdAllocator::make_free(std::uint16_t id) {
  state_[id] = State::free;
  slot_[id] = static_cast<std::uint16_t>(free_.size());
  free_.push_back(id);
}

std::uint32_t RandomCallIdAllocator::uniform(std::uint32_t bound) {
  // Rejection sampling: values at or above the largest multiple of `bound` are drawn again.
  const std::uint32_t limit = static_cast<std::uint32_t>(0x100000000ULL - 0x100000000ULL % bound);
  for (;;) {
    const std::uint32_t r = random_();
    if (limit == 0 || r < limit) return r % bound;  // limit 0: bound divides 2^32
  }
}

std::optional<std::uint16_t> RandomCallIdAllocator::allocate() {
  if (free_.empty()) {
    if (quarantine_.empty()) return std::nullopt;  // all 65,535 in use
    make_free(quarantine_.front());
    quarantine_.pop_front();
  }
  const std::uint32_t i = uniform(static_cast<std::uint32_t>(free_.size()));
  const std::uint16_t id = free_[i];
  const std::uint16_t last = free_.back();
  free_[i] = last;
  slot_[last] = static_cast<std::uint16_t>(i);
  free_.pop_back();
  state_[id] = State::used;
  ++used_count_;
  return id;
}

void RandomCallIdAllocator::release(std::uint16_t id) {
  if (id == 0 || state_[id] != State::used) return;
  --used_count_;
  state_[id] = State::quarantined;
  quarantine_.push_back(id);
  if (quarantine_.size() > quarantine_limit_) {
    make_free(quarantine_.front());
    quarantine_.pop_front();
  }
}

}  // namespace pptpx::pptp
