// The connections still in their handshake ([limits] max_handshakes_in_progress): accepted, not
// yet up, not closing. Kept as a list pruned only when it reaches the limit, so an accept costs
// O(1) amortised instead of a scan of every connection: with 10,000 sessions up, that scan on
// each accept was the server's largest cost while sessions were being set up (pptpx bench), and
// pruning on every accept still cost O(limit) each.
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>

namespace pptpx::server {

class HandshakeTracker {
 public:
  void add(std::uint64_t connection_id) { ids_.push_back(connection_id); }
  // `still(id)`: true while that connection exists and is still handshaking. Others are dropped
  // for good (a connection never goes back to handshaking). Returns how many remain.
  template <class Still>
  std::size_t count(Still still) {
    std::erase_if(ids_, [&still](std::uint64_t id) { return !still(id); });
    return ids_.size();
  }
  // True when at least `limit` connections are still handshaking. Prunes (with `still`) only when
  // the list holds `limit` or more ids: fewer ids cannot be `limit` handshakes.
  template <class Still>
  bool reached(std::size_t limit, Still still) {
    if (ids_.size() < limit) return false;
    return count(still) >= limit;
  }
  std::size_t tracked() const { return ids_.size(); }  // ids kept, some possibly done (tests)

 private:
  std::vector<std::uint64_t> ids_;
};

}  // namespace pptpx::server
