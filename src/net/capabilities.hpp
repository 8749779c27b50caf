// Drop privileges once the sockets and the TUN device are open: keep only the capabilities
// named (typically CAP_NET_ADMIN, for per-session routes and TUN devices), in the permitted and
// effective sets; clear the inheritable and ambient sets, shrink the bounding set, and set
// no_new_privs so nothing exec'd can regain them. Uses capset(2)/prctl(2) directly (no libcap).
//
// Not done here yet: switching to an unprivileged user (needs PR_SET_KEEPCAPS around setuid,
// then this call again). TODO(priv): [server] user = "pptpx" option.
#pragma once
#include <initializer_list>
#include <string>

namespace pptpx::net {

// Capability numbers as in <linux/capability.h> (e.g. CAP_NET_ADMIN = 12).
// Returns "" on success, or one sentence saying what failed.
std::string keep_only_capabilities(std::initializer_list<int> keep);

// The effective set of this thread as a bit mask (bit n = capability n), from capget(2).
unsigned long long effective_capabilities();

}  // namespace pptpx::net
