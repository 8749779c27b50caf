// Writes IP packets to a TunDevice, joining in-order TCP segments of one flow into one GSO write
// (tcp_coalesce.hpp) when the device has offloads; any other packet, or a device without them,
// is written as it comes. What is held goes out at flush(): the daemons call it at the end of
// every batch of received GRE packets, and before a device they wrote to is closed.
#pragma once
#include <cstdint>

#include "net/tcp_coalesce.hpp"
#include "net/tun_device.hpp"

namespace pptpx::net {

class TunWriter {
 public:
  struct Counters {
    std::uint64_t gso_writes = 0;  // writes that carried more than one segment
    std::uint64_t joined = 0;      // segments in them
  };

  // False when a write failed (the packet, or what was held before it, is lost).
  bool write(TunDevice& tun, ByteView packet);
  // Writes what is held; false when that write failed.
  bool flush();

  const Counters& counters() const { return counters_; }

 private:
  TcpCoalescer held_;
  TunDevice* held_tun_ = nullptr;
  Counters counters_;
};

}  // namespace pptpx::net
