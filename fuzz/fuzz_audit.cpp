// The audit pipeline (src/audit/): link layer, IPv4 parsing and defragmentation, TCP stream
// reassembly, the PPTP control-stream resynchronisation, GRE routing and the passive PPP/MPPE
// observer, with a key for user "bob" so decryption runs too; then the grades and reports.
//
// Byte 0:  link type: (byte & 7) % 5: 0 Ethernet, 1 Linux cooked, 2 Linux cooked v2, 3 raw IP,
//          4 BSD loopback; bit 3 set: tight TrackingLimits (a few of each), so the evictions run.
// Records: data = one captured frame (its timestamp advances 1 ms per frame); op = advance the
//          clock by op seconds (expires fragments).
// Invariants: no crash, no sanitizer report; after every frame the tracked objects are within
// their TrackingLimits; every session the observer reports has a 1-based index, in increasing
// order (evicted sessions leave gaps), and an end reason after finish(); the reports render.
#include <pcap/dlt.h>

#include "audit/analyzer.hpp"
#include "audit/report.hpp"
#include "fuzz_common.hpp"

using namespace pptpx;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const audit::KeyBook keys = [] {
    audit::KeyBook k;
    k.users["bob"] = audit::KeyBook::Entry{auth::nt_password_hash("Tunnel-Lab-7"), std::string("Tunnel-Lab-7"), "fuzz"};
    return k;
  }();
  static const int links[] = {DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_NULL};
  fuzz::Input in(data, size);
  const std::uint8_t head = in.byte();
  const int link = links[(head & 7) % 5];
  audit::TrackingLimits limits;
  if (head & 8) limits = audit::TrackingLimits{2, 3, 600, 2, 6, 2};
  std::uint64_t inner = 0;
  audit::Analyzer a(keys, [&](const audit::Session&, int, audit::Timestamp, ByteView ip) { inner += ip.size(); },
                    limits);
  audit::Timestamp t = 1'700'000'000'000'000;
  while (auto r = in.record()) {
    if (r->is_op) {
      t += static_cast<audit::Timestamp>(r->op) * 1'000'000;
      continue;
    }
    t += 1000;
    a.frame(link, t, r->data, static_cast<std::uint32_t>(r->data.size()));
    PPTPX_FUZZ_CHECK(a.observer().tracked_connections() <= limits.connections);
    PPTPX_FUZZ_CHECK(a.observer().sessions().size() <= limits.sessions);
    PPTPX_FUZZ_CHECK(a.observer().held_reassembly_octets() <= limits.reassembly_octets);
    PPTPX_FUZZ_CHECK(a.defragmenter().pending() <= limits.fragment_datagrams);
    PPTPX_FUZZ_CHECK(a.defragmenter().held_fragments() <= limits.fragments);
    PPTPX_FUZZ_CHECK(a.observer().unknown_gre().size() <= limits.unknown_gre_flows);
  }
  a.finish(audit::MonitorThresholds{});
  std::size_t last = 0;
  for (const auto& s : a.observer().sessions()) {
    PPTPX_FUZZ_CHECK(s->index > last);
    last = s->index;
    PPTPX_FUZZ_CHECK(!s->end_reason.empty());
  }
  audit::ReportOptions o;
  (void)audit::text_report(a, o);
  (void)audit::json_text(audit::json_report(a, o));
  (void)fuzz::touch(ByteView(reinterpret_cast<const std::uint8_t*>(&inner), sizeof inner));
  return 0;
}
