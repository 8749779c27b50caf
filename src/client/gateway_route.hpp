// For `pptpx client --default-route`: the route the server is reached by before the tunnel
// comes up (longest match in /proc/net/route), pinned as a host route so that the tunnel's own
// GRE and TCP keep using the original path once 0.0.0.0/1 and 128.0.0.0/1 point into the TUN.
#pragma once
#include <netinet/in.h>

#include <optional>
#include <string>

namespace pptpx::client {

struct PathToServer {
  int ifindex = 0;
  in_addr gateway{};  // 0.0.0.0: on-link
};

// nullopt with `error` set when no route reaches `server`.
std::optional<PathToServer> find_path_to(in_addr server, std::string& error);
// Adds (add=true) or removes `server`/32 via the path. "" or one sentence.
std::string pin_host_route(in_addr server, const PathToServer& path, bool add);

}  // namespace pptpx::client
