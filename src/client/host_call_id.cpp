#include "client/host_call_id.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "ppp/auth_random.hpp"
#include "util/bytes.hpp"

namespace pptpx::client {

std::uint32_t random_call_id_bits() {
  std::uint8_t r[4];
  ppp::default_random_source().fill(r);
  return load_be32(r);
}

HostClaimedCallIdAllocator::HostClaimedCallIdAllocator(pptp::CallIdAllocator& inner, std::string scope)
    : inner_(inner), scope_(std::move(scope)) {}

HostClaimedCallIdAllocator::~HostClaimedCallIdAllocator() {
  for (auto& [id, fd] : claims_) ::close(fd);
}

HostClaimedCallIdAllocator::Claim HostClaimedCallIdAllocator::claim(std::uint16_t id) {
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Claim::impossible;
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  // Abstract name: a leading NUL, then the text (not NUL-terminated; the length says where it ends).
  const std::string name = scope_ + "/gre-call-id/" + std::to_string(id);
  const std::size_t n = std::min(name.size(), sizeof(a.sun_path) - 1);
  std::memcpy(a.sun_path + 1, name.data(), n);
  const auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + n);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&a), len) == 0) {
    claims_[id] = fd;
    return Claim::made;
  }
  const int err = errno;
  ::close(fd);
  return err == EADDRINUSE ? Claim::taken : Claim::impossible;
}

std::optional<std::uint16_t> HostClaimedCallIdAllocator::allocate() {
  std::vector<std::uint16_t> taken;  // held in `inner_` until we are done, so none is picked twice
  std::optional<std::uint16_t> result;
  for (int tries = 0; tries < 256; ++tries) {
    const auto id = inner_.allocate();
    if (!id) break;
    const Claim c = claim(*id);
    if (c == Claim::taken) {
      taken.push_back(*id);
      continue;
    }
    result = id;  // made, or impossible (see the header)
    break;
  }
  for (auto id : taken) inner_.release(id);
  return result;
}

void HostClaimedCallIdAllocator::release(std::uint16_t id) {
  if (auto it = claims_.find(id); it != claims_.end()) {
    ::close(it->second);
    claims_.erase(it);
  }
  inner_.release(id);
}

}  // namespace pptpx::client
