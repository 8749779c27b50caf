// What the client checks before it dials, so a server never logs a session that could not carry
// a byte (issue 12, rough edge 5): the --tun-name fits the kernel's 15 characters, this process
// holds CAP_NET_ADMIN (TUN device, addresses, routes), and /dev/net/tun opens.
#pragma once
#include <string>

#include "client/client_options.hpp"

namespace pptpx::client {

struct Preflight {
  std::string problem;  // "" when all is well
  int exit_code = 0;    // 2: a bad option; 1: this host or process cannot run the tunnel
};

Preflight check_before_dialling(const ClientOptions& o);

}  // namespace pptpx::client
