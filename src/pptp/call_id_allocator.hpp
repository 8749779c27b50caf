// Call IDs (RFC 2637 §3.2.2): each peer picks its own, unique per tunnel. A server hands one
// allocator to all its control connections so an ID is unique across the whole server and GRE
// can be demultiplexed by (peer address, our Call ID) or even by Call ID alone.
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
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

// The server's allocator: IDs 1..65535 picked uniformly at random among the free ones, so an
// attacker cannot guess the Call ID of the next (or another) call and aim spoofed GRE at it
// (issue 19; a sweep of all 65,535 IDs still takes about a second: PPTP has no integrity).
// O(1) per allocate and release: the free IDs are kept in an array (an index per ID says where),
// and a pick swaps the chosen entry with the last. A released ID waits in a FIFO quarantine of
// `quarantine` IDs before it can be picked again, so late GRE packets of an old call do not land
// in a new one at once; when no other ID is free the oldest quarantined one is used.
// `random()` returns 32 uniformly random bits (the server passes OpenSSL's CSPRNG).
// About 400 KiB; not thread-safe (one event loop owns it).
class RandomCallIdAllocator final : public CallIdAllocator {
 public:
  using Random = std::function<std::uint32_t()>;
  explicit RandomCallIdAllocator(Random random, std::size_t quarantine = 4096);
  std::optional<std::uint16_t> allocate() override;
  void release(std::uint16_t id) override;
  bool in_use(std::uint16_t id) const override { return id != 0 && state_[id] == State::used; }
  std::size_t used() const { return used_count_; }

 private:
  enum class State : std::uint8_t { free, used, quarantined };
  std::uint32_t uniform(std::uint32_t bound);  // in [0, bound), without modulo bias
  void make_free(std::uint16_t id);
  Random random_;
  std::size_t quarantine_limit_;
  std::vector<std::uint16_t> free_;  // the IDs that may be picked, in no order
  std::vector<std::uint16_t> slot_;  // slot_[id]: where id is in free_ (while State::free)
  std::vector<State> state_;
  std::deque<std::uint16_t> quarantine_;  // released, oldest first
  std::size_t used_count_ = 0;
};

}  // namespace pptpx::pptp
