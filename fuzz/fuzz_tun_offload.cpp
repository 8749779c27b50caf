// TUN offload parsers (issue 7): gso_split, mss_clamp, ipv4_fragment, tcp_coalesce.
//
// Byte 0 % 3:
//   0  split: a 10-octet virtio_net_hdr, u16 max_packet, then the packet. Every segment must fit
//      its buffer (and max_packet when cut from a super-segment); each is then MSS-clamped
//      (size unchanged, a second clamp finds nothing) and fragmented for MTU 576 (the
//      fragments' payloads must add up to the packet's).
//   1  coalesce: records (fuzz_common.hpp), each a packet offered to a TcpCoalescer; an op
//      record finishes. Every finished frame is split again and must give back the packets
//      that were joined (checksum fields aside, which the split recomputes; those must verify).
//   2  clamp: u16 mtu, then a packet: the clamp must not change the size and must be idempotent.
#include <cstring>
#include <vector>

#include "fuzz_common.hpp"
#include "net/gso_split.hpp"
#include "net/inet_checksum.hpp"
#include "net/ipv4_fragment.hpp"
#include "net/mss_clamp.hpp"
#include "net/tcp_coalesce.hpp"

using namespace pptpx;

namespace {

std::vector<PacketBuffer>& buffers() {
  static std::vector<PacketBuffer> b(64);
  return b;
}

void clamp_checks(MutableByteView p, std::uint16_t mtu) {
  const std::size_t n = p.size();
  net::clamp_tcp_mss(p, mtu);
  PPTPX_FUZZ_CHECK(p.size() == n);
  PPTPX_FUZZ_CHECK(!net::clamp_tcp_mss(p, mtu));
}

void split_mode(fuzz::Input& in) {
  const ByteView h = in.take(net::kVirtioNetHdrSize);
  const auto hdr = net::decode_virtio_net_hdr(h);
  if (!hdr) return;
  const std::size_t max_packet = in.u16() % 1501;
  std::vector<std::uint8_t> packet(in.rest().begin(), in.rest().end());
  auto& bufs = buffers();
  const auto plan = net::plan_gso_split(*hdr, packet, max_packet);
  const auto r = net::split_gso(*hdr, packet, max_packet, bufs);
  if (r.status != net::GsoStatus::Ok) return;
  static std::vector<PacketBuffer> frags(8);
  for (std::size_t i = 0; i < r.count; ++i) {
    PacketBuffer& b = bufs[i];
    PPTPX_FUZZ_CHECK(b.size() <= PacketBuffer::kCapacity - PacketBuffer::kDefaultHeadroom);
    if (plan.gso) PPTPX_FUZZ_CHECK(b.size() <= max_packet);
    clamp_checks(b.view(), 1400);
    const auto f = net::fragment_ipv4(b.view(), 576, frags);
    if (f.status == net::FragmentStatus::Ok) {
      std::size_t data = 0;
      for (std::size_t k = 0; k < f.count; ++k) data += frags[k].size() - 20;
      PPTPX_FUZZ_CHECK(data + 20 == load_be16(b.data() + 2));
    }
  }
}

// The packet with its IPv4 header and TCP checksum fields zeroed.
std::vector<std::uint8_t> without_checksums(ByteView p) {
  std::vector<std::uint8_t> v(p.begin(), p.end());
  const bool v6 = (v[0] >> 4) == 6;
  const std::size_t l4 = v6 ? 40 : 20;
  if (!v6) v[10] = v[11] = 0;
  v[l4 + 16] = v[l4 + 17] = 0;
  return v;
}

void check_frame(ByteView frame, const std::vector<std::vector<std::uint8_t>>& joined) {
  const auto hdr = net::decode_virtio_net_hdr(frame);
  PPTPX_FUZZ_CHECK(hdr.has_value());
  auto& bufs = buffers();
  const auto r = net::split_gso(*hdr, frame.subspan(net::kVirtioNetHdrSize), 65535, bufs);
  PPTPX_FUZZ_CHECK(r.status == net::GsoStatus::Ok);
  PPTPX_FUZZ_CHECK(r.count == joined.size());
  for (std::size_t i = 0; i < r.count; ++i) {
    const ByteView seg = bufs[i].view();
    PPTPX_FUZZ_CHECK(without_checksums(seg) == without_checksums(joined[i]));
    const bool v6 = (seg[0] >> 4) == 6;
    const std::size_t l4 = v6 ? 40 : 20;
    if (!v6) PPTPX_FUZZ_CHECK(net::checksum_fold(net::checksum_add(0, seg.first(20))) == 0xffff);
    std::uint64_t sum = v6 ? net::checksum_add(0, seg.subspan(8, 32)) : net::checksum_add(0, seg.subspan(12, 8));
    sum += 6 + (seg.size() - l4);
    PPTPX_FUZZ_CHECK(net::checksum_fold(net::checksum_add(sum, seg.subspan(l4))) == 0xffff);
  }
}

void coalesce_mode(fuzz::Input& in) {
  static net::TcpCoalescer c;
  std::vector<std::vector<std::uint8_t>> joined;
  auto finish = [&] {
    if (c.empty()) return;
    const ByteView frame = c.finish();
    if (joined.size() == 1) {
      PPTPX_FUZZ_CHECK(std::vector<std::uint8_t>(frame.begin() + net::kVirtioNetHdrSize, frame.end()) == joined[0]);
    } else {
      check_frame(frame, joined);
    }
    joined.clear();
  };
  while (auto rec = in.record()) {
    if (rec->is_op) {
      finish();
      continue;
    }
    if (c.try_append(rec->data)) {
      joined.emplace_back(rec->data.begin(), rec->data.end());
      continue;
    }
    finish();
    if (c.try_start(rec->data)) joined.emplace_back(rec->data.begin(), rec->data.end());
  }
  finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  switch (in.byte() % 3) {
    case 0: split_mode(in); break;
    case 1: coalesce_mode(in); break;
    default: {
      const std::uint16_t mtu = in.u16();
      std::vector<std::uint8_t> p(in.rest().begin(), in.rest().end());
      clamp_checks(p, mtu);
      break;
    }
  }
  return 0;
}
