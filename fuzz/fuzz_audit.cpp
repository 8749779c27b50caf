// The audit pipeline (src/audit/): link layer, IPv4 parsing and defragmentation, TCP stream
// reassembly, the PPTP control-stream resynchronisation, GRE routing and the passive PPP/MPPE
// observer, with a key for user "bob" so decryption runs too; then the grades and reports.
//
// Byte 0:  link type: 0 Ethernet, 1 Linux cooked, 2 Linux cooked v2, 3 raw IP, 4 BSD loopback.
// Records: data = one captured frame (its timestamp advances 1 ms per frame); op = advance the
//          clock by op seconds (expires fragments).
// Invariants: no crash, no sanitizer report; every session the observer reports has a 1-based
// index in order and an end reason after finish(); the reports render.
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
  const int link = links[in.byte() % 5];
  std::uint64_t inner = 0;
  audit::Analyzer a(keys, [&](const audit::Session&, int, audit::Timestamp, ByteView ip) { inner += ip.size(); });
  audit::Timestamp t = 1'700'000'000'000'000;
  while (auto r = in.record()) {
    if (r->is_op) {
      t += static_cast<audit::Timestamp>(r->op) * 1'000'000;
      continue;
    }
    t += 1000;
    a.frame(link, t, r->data, static_cast<std::uint32_t>(r->data.size()));
  }
  a.finish(audit::MonitorThresholds{});
  std::size_t i = 0;
  for (const auto& s : a.observer().sessions()) {
    PPTPX_FUZZ_CHECK(s->index == ++i);
    PPTPX_FUZZ_CHECK(!s->end_reason.empty());
  }
  audit::ReportOptions o;
  (void)audit::text_report(a, o);
  (void)audit::json_text(audit::json_report(a, o));
  (void)fuzz::touch(ByteView(reinterpret_cast<const std::uint8_t*>(&inner), sizeof inner));
  return 0;
}
