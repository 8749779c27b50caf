#include "net/tun_device.hpp"

#include <fcntl.h>
#include <net/if.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "net/virtio_net_hdr.hpp"

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
    error = tun_open_problem(errno);
    return std::nullopt;
  }
  ifreq ifr{};
  short flags = IFF_TUN | IFF_NO_PI;
  if (options.offload) flags = static_cast<short>(flags | IFF_VNET_HDR);
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
  std::string name(ifr.ifr_name, ::strnlen(ifr.ifr_name, IFNAMSIZ));
  const int index = static_cast<int>(::if_nametoindex(name.c_str()));
  if (index == 0) {
    error = "TUN device \"" + name + "\" was created but has no interface index (" + std::strerror(errno) + ")";
    return std::nullopt;
  }
  TunDevice dev(std::move(fd), std::move(name), index);
  if (options.offload) {
    dev.vnet_hdr_ = true;
    int size = static_cast<int>(kVirtioNetHdrSize);
    if (::ioctl(dev.fd(), TUNSETVNETHDRSZ, &size) != 0) {
      error = "cannot set the virtio-net header size on \"" + dev.name_ + "\" (" + std::strerror(errno) + ")";
      return std::nullopt;
    }
    // Little-endian headers whatever the host (tun.c tun_is_little_endian); on a little-endian
    // host that is already the case, so a kernel without the ioctl is fine there.
    int le = 1;
    if (::ioctl(dev.fd(), TUNSETVNETLE, &le) != 0 && std::endian::native != std::endian::little) {
      error = "cannot switch \"" + dev.name_ + "\" to little-endian virtio-net headers (" + std::strerror(errno) +
              "); turn offloads off";
      return std::nullopt;
    }
    const unsigned wanted = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN;
    if (::ioctl(dev.fd(), TUNSETOFFLOAD, wanted) == 0) {
      dev.offloads_ = wanted;
    } else {
      dev.offload_warning_ = "the kernel refused TCP segmentation offload on \"" + dev.name_ + "\" (" +
                             std::strerror(errno) + "); packets are read one at a time";
      (void)::ioctl(dev.fd(), TUNSETOFFLOAD, 0u);
    }
  }
  return dev;
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
  // A zeroed header: no GSO, checksums complete (virtio spec 1.2 §5.1.6.2).
  static constexpr std::uint8_t kPlainHdr[kVirtioNetHdrSize] = {};
  iovec iov[2];
  int n_iov = 0;
  if (vnet_hdr_) iov[n_iov++] = {const_cast<std::uint8_t*>(kPlainHdr), sizeof kPlainHdr};
  iov[n_iov++] = {const_cast<std::uint8_t*>(packet.data()), packet.size()};
  const std::size_t want = packet.size() + (vnet_hdr_ ? kVirtioNetHdrSize : 0);
  for (;;) {
    const ssize_t n = ::writev(fd_.get(), iov, n_iov);
    if (n >= 0) return static_cast<std::size_t>(n) == want;
    if (errno != EINTR) return false;
  }
}

bool TunDevice::write_frame(ByteView frame) {
  if (!vnet_hdr_) return false;
  for (;;) {
    const ssize_t n = ::write(fd_.get(), frame.data(), frame.size());
    if (n >= 0) return static_cast<std::size_t>(n) == frame.size();
    if (errno != EINTR) return false;
  }
}

std::string tun_open_problem(int errnum) {
  const std::string head = std::string("cannot open /dev/net/tun (") + std::strerror(errnum) + ")";
  if (errnum == EACCES || errnum == EPERM) {
    struct stat st {};
    std::string mode;
    if (::stat("/dev/net/tun", &st) == 0) {
      char buf[64];
      std::snprintf(buf, sizeof buf, " (mode %04o, owner uid %u, gid %u)", static_cast<unsigned>(st.st_mode & 07777),
                    static_cast<unsigned>(st.st_uid), static_cast<unsigned>(st.st_gid));
      mode = buf;
    }
    return head + ": the device file is not readable and writable by uid " + std::to_string(::geteuid()) + mode +
           "; this is file permission, not a missing capability: give it the usual mode 0666 "
           "(chmod 0666 /dev/net/tun) or run as root";
  }
  if (errnum == ENOENT || errnum == ENODEV || errnum == ENXIO)
    return head + "; the TUN driver is missing: load the tun module (modprobe tun), or create the device "
                  "(mknod /dev/net/tun c 10 200)";
  return head + "; run as root or with CAP_NET_ADMIN";
}

std::string check_tun_access() {
  UniqueFd fd(::open("/dev/net/tun", O_RDWR | O_CLOEXEC));
  return fd ? std::string() : tun_open_problem(errno);
}

}  // namespace pptpx::net
