// `pptpx bench SERVER`: opens many PPTP sessions from one process against a server under test,
// each with its own TCP control connection and call and a full PPP setup (LCP, authentication,
// CCP/MPPE, IPCP), driven by the same sans-I/O session::Session the client uses. All calls
// share one raw GRE socket, demultiplexed by our Call ID; no TUN device is created (the IP
// packets the tunnels deliver are only checked for the optional echo reply).
//
// Per session:
//   Waiting -> Connecting (TCP) -> Negotiating (PPTP control, call, PPP) -> Up (IPCP opened)
//      [--ping: Up -> echo request sent -> reply or ping timeout]
//   Up -> (--hold elapsed, or SIGINT/SIGTERM) Stopping (CDN, StopCCRQ) -> Done
//   any failure before Up -> Failed (reason tallied)
//
// It prints what it measured (sessions up/failed, failures grouped by reason, setup rate,
// setup latency percentiles from the start of the TCP connect to IPCP up, teardown) and exits
// 0 when every session came up (and answered the echo with --ping) and closed cleanly, 1
// otherwise, 2 on bad options.
#pragma once
#include "loadgen/bench_options.hpp"

namespace pptpx::loadgen {

// Options must pass validate(); this returns 2 with a message if they do not.
int run_bench(const BenchOptions& options);

}  // namespace pptpx::loadgen
