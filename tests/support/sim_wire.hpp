// A simulated network for in-memory client/server tests (ARCHITECTURE.md: "client and server run
// against each other in one test process, over a simulated wire that drops, reorders and
// duplicates, with no root and no sleeps").
//
// SimDatagramLink is one direction of a datagram path (GRE): each packet is dropped, duplicated
// or delayed extra (which reorders it behind later packets) with the given probabilities, from a
// seeded generator so a failing run can be repeated. SimStreamLink is one direction of a reliable
// in-order byte stream (TCP) with a fixed latency.
#pragma once
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <random>

#include "util/bytes.hpp"
#include "util/time.hpp"

namespace pptpx::test {

struct WireFaults {
  double drop = 0.0;       // probability a packet is lost
  double duplicate = 0.0;  // probability a packet is delivered twice
  double reorder = 0.0;    // probability a packet is held back by `reorder_delay`
  Duration latency = std::chrono::microseconds(500);
  Duration reorder_delay = std::chrono::milliseconds(3);
  std::uint64_t seed = 1;
};

struct WireCounters {
  std::uint64_t sent = 0, dropped = 0, duplicated = 0, reordered = 0, delivered = 0;
};

class SimDatagramLink {
 public:
  explicit SimDatagramLink(WireFaults faults = {}) : faults_(faults), rng_(faults.seed) {}

  void send(ByteView packet, Time now) {
    ++counters_.sent;
    if (chance(faults_.drop)) {
      ++counters_.dropped;
      return;
    }
    Duration delay = faults_.latency;
    if (chance(faults_.reorder)) {
      ++counters_.reordered;
      delay += faults_.reorder_delay;
    }
    enqueue(now + delay, packet);
    if (chance(faults_.duplicate)) {
      ++counters_.duplicated;
      enqueue(now + delay + std::chrono::microseconds(10), packet);
    }
  }

  // Pops the next packet due at or before `now`.
  std::optional<Bytes> receive(Time now) {
    if (queue_.empty() || queue_.begin()->first.first > now) return std::nullopt;
    auto it = queue_.begin();
    Bytes b = std::move(it->second);
    queue_.erase(it);
    ++counters_.delivered;
    return b;
  }

  std::optional<Time> next_delivery() const {
    if (queue_.empty()) return std::nullopt;
    return queue_.begin()->first.first;
  }
  const WireCounters& counters() const { return counters_; }
  void set_faults(const WireFaults& f) { faults_ = f; }

 private:
  bool chance(double p) { return p > 0 && std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  void enqueue(Time at, ByteView packet) { queue_.emplace(std::make_pair(at, seq_++), Bytes(packet.begin(), packet.end())); }

  WireFaults faults_;
  std::mt19937_64 rng_;
  std::uint64_t seq_ = 0;  // keeps FIFO order among packets due at the same instant
  std::map<std::pair<Time, std::uint64_t>, Bytes> queue_;
  WireCounters counters_;
};

class SimStreamLink {
 public:
  explicit SimStreamLink(Duration latency = std::chrono::microseconds(500)) : latency_(latency) {}
  void send(ByteView bytes, Time now) {
    if (!bytes.empty()) queue_.push_back({now + latency_, Bytes(bytes.begin(), bytes.end())});
  }
  // All bytes due by `now`, concatenated (a TCP read may coalesce segments).
  Bytes receive(Time now) {
    Bytes out;
    while (!queue_.empty() && queue_.front().first <= now) {
      out.insert(out.end(), queue_.front().second.begin(), queue_.front().second.end());
      queue_.pop_front();
    }
    return out;
  }
  std::optional<Time> next_delivery() const {
    if (queue_.empty()) return std::nullopt;
    return queue_.front().first;
  }

 private:
  Duration latency_;
  std::deque<std::pair<Time, Bytes>> queue_;
};

}  // namespace pptpx::test
