// GET /metrics: the snapshot as Prometheus metric families, serialised in the text exposition
// format by prometheus-cpp's core library (prometheus-cpp-dev; docs/architecture.md says why the
// HTTP side is our own few lines on Asio). Names follow Prometheus's naming guide: the pptpx_
// prefix, base units (seconds, bytes), counters ending in _total. docs/control.md lists them.
#pragma once
#include <string>
#include <vector>

#include <prometheus/metric_family.h>

#include "control/snapshot.hpp"

namespace pptpx::control {

struct MetricsOptions {
  bool per_user = false;       // [metrics] per_user: pptpx_user_* series, one per user name
  std::string version = "0.1.0";
};

std::vector<prometheus::MetricFamily> metric_families(const Snapshot& s, const MetricsOptions& o);
// The text exposition format (version 0.0.4) of metric_families().
std::string exposition_text(const Snapshot& s, const MetricsOptions& o);
// Its Content-Type.
constexpr const char* kExpositionContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace pptpx::control
