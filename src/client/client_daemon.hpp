// `pptpx client SERVER`: dials the server (TCP 1723), runs the PNS session (control connection,
// one outgoing call, PPP with authentication and MPPE), and on LinkUp brings up a TUN device with
// the assigned address (the server's tunnel address as point-to-point peer) and the routes it
// was told to add (--route, --default-route); it changes nothing else. Prints what was
// negotiated. SIGINT/SIGTERM: LCP Terminate, Call-Clear-Request, Stop-Control-Connection, exit 0.
// A failure prints the reason (the server's, when it gave one) and exits 1; with --persist it
// reconnects with exponential backoff instead.
#pragma once
#include "client/client_options.hpp"

namespace pptpx::client {

// Options must already be validated by the caller (parse_policy, parse_cidr, password file):
// this returns 2 with a message if they are not. Exit status: 0 after a signal, 1 on failure.
int run_client(const ClientOptions& options);

}  // namespace pptpx::client
