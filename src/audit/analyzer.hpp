// The audit pipeline without its I/O: frames (with link type and timestamp) in; link layer,
// IPv4 reassembly, the PPTP observer; at the end, sessions with their handshakes' derived
// values (NT hash tails), grades and alerts. FrameSource feeds it from files or an interface.
#pragma once
#include <string>
#include <vector>

#include "audit/ip_layer.hpp"
#include "audit/pptp_observer.hpp"

namespace pptpx::audit {

struct MonitorThresholds {
  std::size_t auth_failures = 5;        // failures per source or per user ...
  Timestamp window = 300'000'000;       // ... within this window (µs)
  std::size_t scan_sources = 10;        // Start-Control-Connection from this many sources
  std::uint64_t unknown_gre = 1;        // GRE packets for a call nobody set up
};

struct AnalyzerCounters {
  std::uint64_t frames = 0, not_ipv4 = 0, snaplen_cut = 0, bad_ipv4 = 0;
};

struct Grade {
  std::string level;                  // "exposed", "broken", "weak", "unknown"
  std::vector<std::string> findings;  // plain words: what an eavesdropper gets
};
Grade grade(const Session& s);

class Analyzer {
 public:
  Analyzer(const KeyBook& keys, InnerSink sink, const TrackingLimits& limits = {})
      : limits_(limits), defrag_(limits), observer_(keys, std::move(sink), limits) {}
  void frame(int link_type, Timestamp t, ByteView data, std::uint32_t wire_length);
  // Ends the streams, computes each MS-CHAP handshake's NT hash tail, and the alerts.
  void finish(const MonitorThresholds& thresholds);

  const PptpObserver& observer() const { return observer_; }
  PptpObserver& observer() { return observer_; }
  const AnalyzerCounters& counters() const { return counters_; }
  const DefragCounters& defrag() const { return defrag_.counters(); }
  const Ipv4Defragmenter& defragmenter() const { return defrag_; }
  const TrackingLimits& limits() const { return limits_; }
  // Everything evicted at a TrackingLimits bound (the observer's, plus the defragmenter's).
  EvictionCounters evictions() const {
    EvictionCounters e = observer_.evictions();
    e.fragment_datagrams = defrag_.counters().evicted;
    return e;
  }
  const std::vector<Alert>& alerts() const { return alerts_; }
  Timestamp first() const { return first_; }
  Timestamp last() const { return last_; }

 private:
  void alerts(const MonitorThresholds& th);
  TrackingLimits limits_;
  Ipv4Defragmenter defrag_;
  PptpObserver observer_;
  AnalyzerCounters counters_;
  std::vector<Alert> alerts_;
  Timestamp first_ = 0, last_ = 0;
};

}  // namespace pptpx::audit
