// A Linux TUN device (/dev/net/tun, IFF_TUN | IFF_NO_PI): layer-3 packets in and out. Link
// settings (MTU, up, addresses) and routes live in link_config.hpp.
//
// Offloads (TunOptions::offload): the device is opened with IFF_VNET_HDR, so every read and
// write carries a struct virtio_net_hdr (virtio_net_hdr.hpp) in front of the packet, and
// TUNSETOFFLOAD (TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN) lets the kernel hand over
// TCP super-segments of up to 64 KiB with a partial checksum, which tun_reader.hpp splits.
// Writes go out with a zeroed header (gso_type NONE, checksum complete). When the kernel refuses
// the offloads the device keeps the header with none enabled (every read is one plain packet),
// and offload_warning() says why.
#pragma once
#include <cstddef>
#include <optional>
#include <string>

#include "net/unique_fd.hpp"
#include "util/bytes.hpp"

namespace pptpx::net {

struct TunOptions {
  std::string name;          // "" lets the kernel pick tunN; "pptpx%d" picks the next free number
  bool offload = false;      // IFF_VNET_HDR + TUNSETOFFLOAD (see above)
  bool multi_queue = false;  // IFF_MULTI_QUEUE: open the same name again for more queues
};

class TunDevice {
 public:
  // Creates (or attaches to) the device. Needs CAP_NET_ADMIN. On failure returns nullopt with
  // `error` one sentence naming the device and the fix.
  static std::optional<TunDevice> open(const TunOptions& options, std::string& error);

  int fd() const { return fd_.get(); }
  const std::string& name() const { return name_; }
  int ifindex() const { return ifindex_; }
  // Reads and writes carry a virtio_net_hdr.
  bool vnet_hdr() const { return vnet_hdr_; }
  // TUN_F_* flags the kernel accepted (0: none; reads are single packets).
  unsigned offloads() const { return offloads_; }
  const std::string& offload_warning() const { return offload_warning_; }

  // Non-blocking. Returns the octets read (virtio_net_hdr included when vnet_hdr()), 0 when
  // nothing is waiting, -errno on error.
  long read(MutableByteView into);
  // Non-blocking. Writes one IP packet (behind a zeroed virtio_net_hdr when vnet_hdr()).
  // Returns true when the whole packet was written.
  bool write(ByteView packet);
  // Non-blocking. Writes a frame that starts with its own virtio_net_hdr (vnet_hdr() only).
  bool write_frame(ByteView frame);

 private:
  TunDevice(UniqueFd fd, std::string name, int ifindex) : fd_(std::move(fd)), name_(std::move(name)), ifindex_(ifindex) {}
  UniqueFd fd_;
  std::string name_;
  int ifindex_ = 0;
  bool vnet_hdr_ = false;
  unsigned offloads_ = 0;
  std::string offload_warning_;
};

// Why open("/dev/net/tun") failed with `errnum`, and what fixes it: a missing device or module
// (ENOENT, ENODEV, ENXIO) is not a permission problem (EACCES, EPERM: the file's mode and owner
// are named; CAP_NET_ADMIN does not help there, root or a wider mode does).
std::string tun_open_problem(int errnum);
// Opens /dev/net/tun and closes it again: "" when this process may, else tun_open_problem().
std::string check_tun_access();

}  // namespace pptpx::net
