// Bounds on what the audit keeps while it reads a capture or a live interface, so a long pcap,
// a day of --interface, or hostile traffic (a SYN flood to port 1723, a fragment spray, a TCP
// stream full of holes) cannot grow its memory without end. At a bound the oldest object (least
// recent activity) is evicted, and every eviction is counted and reported (text summary
// "tracking" line, JSON "tracking" object). Defaults suit a busy concentrator's capture; the CLI
// sets them with --max-connections, --max-sessions, --max-reassembly-octets, --max-fragments.
#pragma once
#include <cstddef>
#include <cstdint>

namespace pptpx::audit {

struct TrackingLimits {
  std::size_t connections = 4096;                   // PPTP control connections (TCP port 1723)
  std::size_t sessions = 10000;                     // calls, with their report and decryption state
  std::size_t reassembly_octets = 32 * 1024 * 1024;  // TCP octets held behind holes + control bytes not yet cut, all connections
  std::size_t fragment_datagrams = 1024;            // IPv4 datagrams being reassembled
  std::size_t fragments = 16384;                    // IPv4 fragments held, all datagrams
  std::size_t unknown_gre_flows = 4096;             // (source, destination, Call ID) of GRE for calls nobody set up
};

struct EvictionCounters {
  std::uint64_t connections = 0;       // control connections no longer tracked (their calls stay)
  std::uint64_t sessions = 0;          // sessions dropped from the report, oldest activity first
  std::uint64_t reassembly_flushes = 0;  // connections whose held TCP octets were handed on early (holes skipped)
  std::uint64_t fragment_datagrams = 0;  // incomplete IPv4 datagrams dropped
  std::uint64_t unknown_gre_packets = 0;  // GRE for unknown calls of flows beyond the bound (counted, not itemised)
};

}  // namespace pptpx::audit
