#include "net/capabilities.hpp"

#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace pptpx::net {

namespace {
// The highest capability the running kernel knows (bounding-set probing: EINVAL past the end).
int last_capability() {
  int last = CAP_LAST_CAP;
  while (::prctl(PR_CAPBSET_READ, last + 1, 0, 0, 0) >= 0) ++last;
  return last;
}
}  // namespace

std::string keep_only_capabilities(std::initializer_list<int> keep) {
  std::uint64_t mask = 0;
  for (int c : keep) mask |= std::uint64_t{1} << c;

  // Bounding set first (needs CAP_SETPCAP, which we still have until capset below).
  const int last = last_capability();
  for (int c = 0; c <= last; ++c) {
    if ((mask >> c) & 1u) continue;
    if (::prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1 && ::prctl(PR_CAPBSET_DROP, c, 0, 0, 0) != 0) {
      return std::string("cannot drop capability ") + std::to_string(c) + " from the bounding set (" +
             std::strerror(errno) + ")";
    }
  }
  // Ambient capabilities would survive execve; clear them (EINVAL on kernels without ambient).
  if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) {
    return std::string("cannot clear ambient capabilities (") + std::strerror(errno) + ")";
  }

  __user_cap_header_struct header{};
  header.version = _LINUX_CAPABILITY_VERSION_3;
  header.pid = 0;
  __user_cap_data_struct data[2]{};
  for (int i = 0; i < 2; ++i) {
    const auto word = static_cast<std::uint32_t>(mask >> (32 * i));
    data[i].effective = word;
    data[i].permitted = word;
    data[i].inheritable = 0;
  }
  if (::syscall(SYS_capset, &header, data) != 0) {
    return std::string("cannot set capabilities (") + std::strerror(errno) + ")";
  }
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    return std::string("cannot set no_new_privs (") + std::strerror(errno) + ")";
  }
  return {};
}

unsigned long long effective_capabilities() {
  __user_cap_header_struct header{};
  header.version = _LINUX_CAPABILITY_VERSION_3;
  __user_cap_data_struct data[2]{};
  if (::syscall(SYS_capget, &header, data) != 0) return 0;
  return (static_cast<unsigned long long>(data[1].effective) << 32) | data[0].effective;
}

}  // namespace pptpx::net
