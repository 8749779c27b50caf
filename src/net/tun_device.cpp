#include "net/tun_device.hpp"

#include <fcntl.h>
#include <net/if.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>

#include <cerrno>
#include <cstring>

namespace pptpx::net {

std::optional<TunDevice> TunDevice::open(const TunOptions& options, std::string& error) {
  const std::string shown = options.name.empty() ? "tun" : options.name;
  if (options.name.size() >= IFNAMSIZ) {
    error = "TUN name \"" + options.name + "\" is longer than " + std::to_string(IFNAMSIZ - 1) +
            " characters; choose a shorter [tun] name";
    return std::nullopt;
  }
  UniqueFd fd(::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC));
  if (!fd) {
    error = std::string("cannot open /dev/net/tun (") + std::strerror(errno) +
            "); load the tun module (modprobe tun) and run with CAP_NET_ADMIN";
    return std::nullopt;
  }
  ifreq ifr{};
  short flags = IFF_TUN | IFF_NO_PI;
  if (options.vnet_hdr) flags = static_cast<short>(flags | IFF_VNET_HDR);
  if (options.multi_queue) flags = static_cast<short>(flags | IFF_MULTI_QUEUE);
  ifr.ifr_flags = flags;
  std::memcpy(ifr.ifr_name, options.name.data(), options.name.size());
  if (::ioctl(fd.get(), TUNSETIFF, &ifr) != 0) {
    const int e = errno;
    error = "cannot create TUN device \"" + shown + "\" (" + std::strerror(e) + ")" +
            (e == EPERM ? "; run as root or with CAP_NET_ADMIN"
                        : (e == EBUSY || e == EINVAL ? "; another program may own that name, choose another [tun] name"
                                                     : ""));
    return std::nullopt;
  }
  if (options.vnet_hdr) {
    int size = static_cast<int>(kVnetHdrSize);
    if (::ioctl(fd.get(), TUNSETVNETHDRSZ, &size) != 0) {
      error = "cannot set the virtio-net header size on \"" + shown + "\" (" + std::strerror(errno) + ")";
      return std::nullopt;
    }
  }
  std::string name(ifr.ifr_name, ::strnlen(ifr.ifr_name, IFNAMSIZ));
  const int index = static_cast<int>(::if_nametoindex(name.c_str()));
  if (index == 0) {
    error = "TUN device \"" + name + "\" was created but has no interface index (" + std::strerror(errno) + ")";
    return std::nullopt;
  }
  return TunDevice(std::move(fd), std::move(name), index, options.vnet_hdr);
}

long TunDevice::read(MutableByteView into) {
  for (;;) {
    const ssize_t n = ::read(fd_.get(), into.data(), into.size());
    if (n >= 0) return static_cast<long>(n);
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
    return -errno;
  }
}

bool TunDevice::write(ByteView packet) {
  for (;;) {
    const ssize_t n = ::write(fd_.get(), packet.data(), packet.size());
    if (n >= 0) return static_cast<std::size_t>(n) == packet.size();
    if (errno != EINTR) return false;
  }
}

}  // namespace pptpx::net
