// The connections still in their handshake ([limits] max_handshakes_in_progress): accepted, not
// yet up, not closing. Kept as a short list pruned when counted, so counting costs O(handshakes in
// progress) instead of a scan of every connection: with 10,000 sessions up, that scan on each
// accept was the server's largest cost while sessions were being set up (pptpx bench).
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

 private:
  std::vector<std::uint64_t> ids_;
};

}  // namespace pptpx::server
