// A Linux TUN device (/dev/net/tun, IFF_TUN | IFF_NO_PI): layer-3 packets in and out, one per
// read/write. Link settings (MTU, up, addresses) and routes live in link_config.hpp.
//
// Offloads later: with `vnet_hdr` the device is opened with IFF_VNET_HDR and every read/write
// carries a struct virtio_net_hdr (kVnetHdrSize bytes) in front of the packet; TUNSETOFFLOAD
// (TSO/USO) is then what lets the kernel hand over 64 KiB superpackets. Not enabled yet: the
// data path does not parse the header. TODO(offload): TUNSETOFFLOAD + GSO split on write.
#pragma once
#include <cstddef>
#include <optional>
#include <string>

#include "net/unique_fd.hpp"
#include "util/bytes.hpp"

namespace pptpx::net {

struct TunOptions {
  std::string name;        // "" lets the kernel pick tunN; "pptpx%d" picks the next free number
  bool vnet_hdr = false;   // IFF_VNET_HDR (see above)
  bool multi_queue = false;  // IFF_MULTI_QUEUE: open the same name again for more queues
};

class TunDevice {
 public:
  static constexpr std::size_t kVnetHdrSize = 12;  // struct virtio_net_hdr_v1 (TUNSETVNETHDRSZ)

  // Creates (or attaches to) the device. Needs CAP_NET_ADMIN. On failure returns nullopt with
  // `error` one sentence naming the device and the fix.
  static std::optional<TunDevice> open(const TunOptions& options, std::string& error);

  int fd() const { return fd_.get(); }
  const std::string& name() const { return name_; }
  int ifindex() const { return ifindex_; }
  bool vnet_hdr() const { return vnet_hdr_; }

  // Non-blocking. Returns the packet length, 0 when nothing is waiting, -errno on error.
  long read(MutableByteView into);
  // Non-blocking. Returns true when the whole packet was written.
  bool write(ByteView packet);

 private:
  TunDevice(UniqueFd fd, std::string name, int ifindex, bool vnet_hdr)
      : fd_(std::move(fd)), name_(std::move(name)), ifindex_(ifindex), vnet_hdr_(vnet_hdr) {}
  UniqueFd fd_;
  std::string name_;
  int ifindex_ = 0;
  bool vnet_hdr_ = false;
};

}  // namespace pptpx::net
