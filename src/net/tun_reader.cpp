#include "net/tun_reader.hpp"

#include "net/virtio_net_hdr.hpp"

namespace pptpx::net {

namespace {
// The largest TUN read: the header and a 64 KiB super-segment (the device's gso_max_size), with
// one octet more to tell a read that filled the buffer (so may be cut) from one that fits.
constexpr std::size_t kBufferSize = kVirtioNetHdrSize + 65536 + 1;
}  // namespace

TunReader::TunReader() : buffer_(kBufferSize) {}

bool TunReader::next(TunDevice& tun, PacketBuffer& out, std::size_t max_packet) {
  if (!tun.vnet_hdr()) {
    // Plain device: read straight into the caller's buffer, as without offloads.
    out.reset();
    const long n = tun.read(MutableByteView(out.data(), out.tailroom()));
    if (n <= 0) return false;
    out.push_back(static_cast<std::size_t>(n));
    return true;
  }
  for (;;) {
    if (pending_fd_ == tun.fd() && next_index_ < plan_.count) {
      const ByteView packet(buffer_.data() + kVirtioNetHdrSize, packet_size_);
      const std::size_t i = next_index_++;
      if (write_gso_segment(plan_, packet, i, out)) {
        if (plan_.gso) ++counters_.segments;
        return true;
      }
      ++counters_.too_big;
      continue;
    }
    pending_fd_ = -1;
    const long n = tun.read(MutableByteView(buffer_.data(), buffer_.size()));
    if (n <= 0) return false;
    const std::size_t got = static_cast<std::size_t>(n);
    const auto hdr = decode_virtio_net_hdr(ByteView(buffer_.data(), got));
    if (!hdr) {
      ++counters_.bad_header;
      continue;
    }
    if (got == buffer_.size()) {
      ++counters_.too_big;
      continue;
    }
    packet_size_ = got - kVirtioNetHdrSize;
    plan_ = plan_gso_split(*hdr, ByteView(buffer_.data() + kVirtioNetHdrSize, packet_size_), max_packet);
    switch (plan_.status) {
      case GsoStatus::Ok: break;
      case GsoStatus::Malformed: ++counters_.malformed; continue;
      case GsoStatus::Unsupported: ++counters_.unsupported; continue;
      case GsoStatus::TooBig:
      case GsoStatus::TooManySegments: ++counters_.too_big; continue;
    }
    if (plan_.gso) ++counters_.super_segments;
    pending_fd_ = tun.fd();
    next_index_ = 0;
  }
}

}  // namespace pptpx::net
