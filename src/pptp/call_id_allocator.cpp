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

}  // namespace pptpx::pptp
