// The load generator's arithmetic, kept pure so it can be tested: latency percentiles
// (nearest-rank), failures grouped by reason, and the setup rate.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace pptpx::loadgen {

// Nearest-rank percentile of `sorted` (ascending): the smallest value with at least p% of the
// values at or below it, i.e. sorted[ceil(p/100 * n) - 1]; p = 0 gives the minimum. 0 when empty.
double percentile(const std::vector<double>& sorted, double p);

struct LatencySummary {
  std::size_t count = 0;
  double p50 = 0, p90 = 0, p99 = 0, max = 0;  // same unit as the samples
};
// Sorts a copy; the samples may come in any order.
LatencySummary summarize(std::vector<double> samples);

// Failure reasons with how often each came, most frequent first (ties by text).
class FailureTally {
 public:
  void add(const std::string& reason) { ++counts_[reason.empty() ? std::string("no reason given") : reason]; }
  std::size_t total() const;
  std::vector<std::pair<std::string, std::size_t>> grouped() const;

 private:
  std::map<std::string, std::size_t> counts_;
};

// Sessions per second: `completed` setups between the first start and the last completion.
// 0 when nothing completed or no time passed.
double setup_rate(std::size_t completed, double elapsed_seconds);

}  // namespace pptpx::loadgen
