// The client's Call ID (RFC 2637 §3.2.2) is random rather than counted from 1: GRE is
// demultiplexed by Call ID alone, and several clients on one host (same address, same server)
// each hold a raw GRE socket that sees every GRE packet; with sequential IDs they would all be
// call 1 and take each other's packets.
#pragma once
#include <random>
#include <set>

#include "pptp/call_id_allocator.hpp"

namespace pptpx::client {

class RandomCallIdAllocator final : public pptp::CallIdAllocator {
 public:
  std::optional<std::uint16_t> allocate() override {
    std::uniform_int_distribution<unsigned> pick(1, 65535);  // 0 avoided: some peers read it as "none"
    for (int tries = 0; tries < 1000; ++tries) {
      const auto id = static_cast<std::uint16_t>(pick(rng_));
      if (used_.insert(id).second) return id;
    }
    return std::nullopt;
  }
  void release(std::uint16_t id) override { used_.erase(id); }
  bool in_use(std::uint16_t id) const override { return used_.count(id) != 0; }

 private:
  std::mt19937 rng_{std::random_device{}()};
  std::set<std::uint16_t> used_;
};

}  // namespace pptpx::client
