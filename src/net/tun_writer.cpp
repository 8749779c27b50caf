#include "net/tun_writer.hpp"

namespace pptpx::net {

bool TunWriter::write(TunDevice& tun, ByteView packet) {
  if (tun.offloads() == 0) return tun.write(packet);
  if (held_tun_ == &tun && held_.try_append(packet)) return true;
  const bool ok = flush();
  if (held_.try_start(packet)) {
    held_tun_ = &tun;
    return ok;
  }
  return tun.write(packet) && ok;
}

bool TunWriter::flush() {
  if (held_.empty()) return true;
  const std::size_t n = held_.segments();
  const ByteView frame = held_.finish();
  TunDevice* tun = held_tun_;
  held_tun_ = nullptr;
  if (n > 1) {
    ++counters_.gso_writes;
    counters_.joined += n;
  }
  return tun->write_frame(frame);
}

}  // namespace pptpx::net
