// `pptpx server`: the PPTP server daemon. One TCP listener (port 1723) for many control
// connections, one raw GRE socket for every call (demultiplexed by Call ID, checked against the
// connection's peer address), one shared TUN device holding the server's tunnel address with a
// /32 route per client, an IPv4 pool, and the chap-secrets file (re-read on SIGHUP). SIGTERM or
// SIGINT stops every session (Call-Disconnect-Notify, Stop-Control-Connection-Request), waits
// briefly for those bytes to leave and exits 0.
#pragma once
#include <string>

#include "server/config.hpp"

namespace pptpx::server {

// Runs the daemon until SIGTERM/SIGINT. Returns the process exit status; a start-up failure
// (secrets file, sockets, TUN) is logged as one sentence and returns 1.
int run_server(const Config& config);

}  // namespace pptpx::server
