#include "loadgen/bench_stats.hpp"

#include <algorithm>
#include <cmath>

namespace pptpx::loadgen {

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  if (p <= 0) return sorted.front();
  if (p >= 100) return sorted.back();
  const double n = static_cast<double>(sorted.size());
  // A tiny tolerance so that e.g. 90% of 10 is rank 9, not 10 through a rounding error.
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * n - 1e-9));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

LatencySummary summarize(std::vector<double> samples) {
  LatencySummary s;
  std::sort(samples.begin(), samples.end());
  s.count = samples.size();
  s.p50 = percentile(samples, 50);
  s.p90 = percentile(samples, 90);
  s.p99 = percentile(samples, 99);
  s.max = samples.empty() ? 0 : samples.back();
  return s;
}

std::size_t FailureTally::total() const {
  std::size_t t = 0;
  for (const auto& [reason, n] : counts_) t += n;
  return t;
}

std::vector<std::pair<std::string, std::size_t>> FailureTally::grouped() const {
  std::vector<std::pair<std::string, std::size_t>> out(counts_.begin(), counts_.end());
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

double setup_rate(std::size_t completed, double elapsed_seconds) {
  if (completed == 0 || !(elapsed_seconds > 0)) return 0;
  return static_cast<double>(completed) / elapsed_seconds;
}

}  // namespace pptpx::loadgen
