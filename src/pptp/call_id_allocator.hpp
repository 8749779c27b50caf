// Call IDs (RFC 2637 §3.2.2): each peer picks its own, unique per tunnel. A server hands one
// allocator to all its control connections so an ID is unique across the whole server and GRE
// can be demultiplexed by (peer address, our Call ID) or even by Call ID alone.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

namespace pptpx::pptp {

class CallIdAllocator {
 public:
  virtual ~CallIdAllocator() = default;
  virtual std::optional<std::uint16_t> allocate() = 0;  // nullopt when exhausted
  virtual void release(std::uint16_t id) = 0;
  virtual bool in_use(std::uint16_t id) const = 0;
};

// IDs 1..65535 (0 is avoided: some peers treat it as "none"), handed out round-robin so a just
// released ID is not reused at once (late GRE packets of the old call would land in the new one).
// 8 KiB bitmap, O(1) amortised; not thread-safe (one event loop owns it).
class SequentialCallIdAllocator final : public CallIdAllocator {
 public:
  SequentialCallIdAllocator();
  std::optional<std::uint16_t> allocate() override;
  void release(std::uint16_t id) override;
  bool in_use(std::uint16_t id) const override;
  std::size_t used() const { return used_count_; }

 private:
  std::vector<bool> used_;
  std::uint16_t next_ = 1;
  std::size_t used_count_ = 0;
};

}  // namespace pptpx::pptp
