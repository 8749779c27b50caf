#include "net/tcp_coalesce.hpp"

#include <cstring>
#include <optional>

#include "net/inet_checksum.hpp"

namespace pptpx::net {

namespace {
constexpr std::uint8_t kProtoTcp = 6;
constexpr std::size_t kIpv4Header = 20, kIpv6Header = 40, kTcpMinHeader = 20;
constexpr std::uint8_t kAck = 0x10, kPsh = 0x08;
}  // namespace

struct TcpCoalescer::Segment {
  bool ipv6 = false;
  std::size_t l4 = 0, headers = 0, payload = 0;
  std::uint8_t flags = 0;
  std::uint32_t seq = 0;
  std::uint16_t id = 0;
};

namespace {
// The segment's layout if it is a plain IPv4 (no options, not a fragment) or IPv6 (no extension
// headers) TCP segment whose lengths agree with what arrived and whose checksums are right.
std::optional<TcpCoalescer::Segment> inspect(ByteView p) noexcept {
  TcpCoalescer::Segment s;
  if (p.empty()) return std::nullopt;
  const int version = p[0] >> 4;
  std::uint64_t pseudo = 0;
  if (version == 4) {
    // Total Length must be what arrived: padding or a short packet is not ours to join.
    if (p.size() < kIpv4Header + kTcpMinHeader || p[0] != 0x45 || load_be16(p.data() + 2) != p.size()) return std::nullopt;
    if ((load_be16(p.data() + 6) & 0x3fffu) != 0 || p[9] != kProtoTcp) return std::nullopt;  // MF or offset
    if (checksum_fold(checksum_add(0, p.first(kIpv4Header))) != 0xffff) return std::nullopt;
    s.l4 = kIpv4Header;
    s.id = load_be16(p.data() + 4);
    pseudo = checksum_add(0, p.subspan(12, 8));
  } else if (version == 6) {
    if (p.size() < kIpv6Header + kTcpMinHeader || p[6] != kProtoTcp) return std::nullopt;
    if (kIpv6Header + load_be16(p.data() + 4) != p.size()) return std::nullopt;
    s.l4 = kIpv6Header;
    s.ipv6 = true;
    pseudo = checksum_add(0, p.subspan(8, 32));
  } else {
    return std::nullopt;
  }
  const std::size_t doff = static_cast<std::size_t>(p[s.l4 + 12] >> 4) * 4;
  if (doff < kTcpMinHeader || s.l4 + doff > p.size()) return std::nullopt;
  s.headers = s.l4 + doff;
  s.payload = p.size() - s.headers;
  s.flags = p[s.l4 + 13];
  s.seq = load_be32(p.data() + s.l4 + 4);
  pseudo += kProtoTcp;
  pseudo += p.size() - s.l4;
  if (checksum_fold(checksum_add(pseudo, p.subspan(s.l4))) != 0xffff) return std::nullopt;
  return s;
}
}  // namespace

TcpCoalescer::TcpCoalescer() : buf_(kVirtioNetHdrSize + kMaxPacket) {}

bool TcpCoalescer::try_start(ByteView packet) noexcept {
  if (count_ != 0) return false;
  const auto s = inspect(packet);
  // Only a data segment with ACK alone may begin one (PSH, FIN, SYN, RST, URG, ECE, CWR end it
  // or change its meaning).
  if (!s || s->payload == 0 || (s->flags & 0xff) != kAck) return false;
  std::memcpy(buf_.data() + kVirtioNetHdrSize, packet.data(), packet.size());
  size_ = packet.size();
  count_ = 1;
  ipv6_ = s->ipv6;
  l4_ = s->l4;
  headers_ = s->headers;
  gso_size_ = s->payload;
  closed_ = psh_ = false;
  next_seq_ = static_cast<std::uint32_t>(s->seq + s->payload);
  next_id_ = static_cast<std::uint16_t>(s->id + 1);
  return true;
}

bool TcpCoalescer::try_append(ByteView packet) noexcept {
  if (count_ == 0 || closed_) return false;
  const auto s = inspect(packet);
  if (!s || s->ipv6 != ipv6_ || s->headers != headers_ || s->payload == 0 || s->payload > gso_size_) return false;
  if ((s->flags & ~kPsh) != kAck || s->seq != next_seq_) return false;
  if (size_ + s->payload > kMaxPacket) return false;
  const std::uint8_t* first = buf_.data() + kVirtioNetHdrSize;
  const std::uint8_t* p = packet.data();
  // The same flow and the same everything GRO compares (tcp_gro_receive, inet_gro_receive,
  // ipv6_gro_receive): the IP header but its length, id and checksum; the TCP header but its
  // sequence number, flags and checksum.
  if (!ipv6_) {
    if (p[1] != first[1] || p[6] != first[6] || p[8] != first[8] || std::memcmp(p + 12, first + 12, 8) != 0) return false;
    if (s->id != next_id_) return false;
  } else {
    if (std::memcmp(p, first, 4) != 0 || p[7] != first[7] || std::memcmp(p + 8, first + 8, 32) != 0) return false;
  }
  const std::uint8_t* t = p + l4_;
  const std::uint8_t* ft = first + l4_;
  if (std::memcmp(t, ft, 4) != 0 || std::memcmp(t + 8, ft + 8, 5) != 0 || std::memcmp(t + 14, ft + 14, 2) != 0 ||
      std::memcmp(t + 18, ft + 18, headers_ - l4_ - 18) != 0)
    return false;
  std::memcpy(buf_.data() + kVirtioNetHdrSize + size_, p + headers_, s->payload);
  size_ += s->payload;
  ++count_;
  next_seq_ = static_cast<std::uint32_t>(next_seq_ + s->payload);
  next_id_ = static_cast<std::uint16_t>(next_id_ + 1);
  // A shorter segment or PSH ends the run, as in GRO.
  if (s->payload < gso_size_ || (s->flags & kPsh) != 0) closed_ = true;
  psh_ = psh_ || (s->flags & kPsh) != 0;
  return true;
}

ByteView TcpCoalescer::finish() noexcept {
  if (count_ == 0) return {};
  std::uint8_t* d = buf_.data() + kVirtioNetHdrSize;
  VirtioNetHdr h;
  if (count_ > 1) {
    if (ipv6_) {
      store_be16(d + 4, static_cast<std::uint16_t>(size_ - kIpv6Header));
    } else {
      store_be16(d + 2, static_cast<std::uint16_t>(size_));
      store_be16(d + 10, 0);
      store_be16(d + 10, checksum_finish(checksum_add(0, ByteView(d, kIpv4Header))));
    }
    if (psh_) d[l4_ + 13] = static_cast<std::uint8_t>(d[l4_ + 13] | kPsh);
    // CHECKSUM_PARTIAL: the field holds the pseudo-header sum (not complemented); the kernel
    // adds the segment from csum_start (virtio spec 1.2 §5.1.6.2).
    std::uint64_t pseudo = ipv6_ ? checksum_add(0, ByteView(d + 8, 32)) : checksum_add(0, ByteView(d + 12, 8));
    pseudo += kProtoTcp;
    pseudo += size_ - l4_;
    store_be16(d + l4_ + 16, checksum_fold(pseudo));
    h.flags = kVirtioNetHdrNeedsCsum;
    h.gso_type = ipv6_ ? kVirtioGsoTcpv6 : kVirtioGsoTcpv4;
    h.hdr_len = static_cast<std::uint16_t>(headers_);
    h.gso_size = static_cast<std::uint16_t>(gso_size_);
    h.csum_start = static_cast<std::uint16_t>(l4_);
    h.csum_offset = 16;
  }
  encode_virtio_net_hdr(h, buf_.data());
  const ByteView frame(buf_.data(), kVirtioNetHdrSize + size_);
  count_ = 0;
  size_ = 0;
  return frame;
}

}  // namespace pptpx::net
