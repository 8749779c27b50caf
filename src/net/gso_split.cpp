#include "net/gso_split.hpp"

#include <algorithm>
#include <cstring>

#include "net/inet_checksum.hpp"

namespace pptpx::net {

namespace {

constexpr std::uint8_t kProtoTcp = 6;
constexpr std::size_t kIpv4MinHeader = 20, kIpv6Header = 40, kTcpMinHeader = 20;
constexpr std::size_t kTcpChecksumOffset = 16;
constexpr std::uint8_t kTcpFin = 0x01, kTcpPsh = 0x08, kTcpCwr = 0x80;

GsoPlan fail(GsoStatus s) noexcept {
  GsoPlan p;
  p.status = s;
  return p;
}

// The one-packet plan: a packet the kernel did not aggregate, maybe with a partial checksum.
GsoPlan plan_single(const VirtioNetHdr& hdr, ByteView packet) noexcept {
  GsoPlan p;
  p.count = 1;
  if (packet.size() > PacketBuffer::kCapacity - PacketBuffer::kDefaultHeadroom) return fail(GsoStatus::TooBig);
  if ((hdr.flags & kVirtioNetHdrNeedsCsum) != 0) {
    // The field and what it covers must lie inside the packet: offsets past it are a lie.
    if (std::size_t{hdr.csum_start} + hdr.csum_offset + 2 > packet.size()) return fail(GsoStatus::Malformed);
    p.needs_csum = true;
    p.csum_start = hdr.csum_start;
    p.csum_offset = hdr.csum_offset;
  }
  p.status = GsoStatus::Ok;
  return p;
}

}  // namespace

std::string_view to_string(GsoStatus s) noexcept {
  switch (s) {
    case GsoStatus::Ok: return "ok";
    case GsoStatus::Malformed: return "malformed";
    case GsoStatus::Unsupported: return "unsupported";
    case GsoStatus::TooBig: return "too big";
    case GsoStatus::TooManySegments: return "too many segments";
  }
  return "?";
}

GsoPlan plan_gso_split(const VirtioNetHdr& hdr, ByteView packet, std::size_t max_packet) noexcept {
  if (packet.empty()) return fail(GsoStatus::Malformed);  // a header and nothing after it
  const std::uint8_t type = static_cast<std::uint8_t>(hdr.gso_type & ~kVirtioGsoEcn);
  if (type == kVirtioGsoNone) return plan_single(hdr, packet);
  if (type != kVirtioGsoTcpv4 && type != kVirtioGsoTcpv6) return fail(GsoStatus::Unsupported);
  // The kernel always asks for the checksum on a super-segment (tun.c, virtio_net_hdr_from_skb);
  // without it csum_start means nothing.
  if ((hdr.flags & kVirtioNetHdrNeedsCsum) == 0 || hdr.csum_offset != kTcpChecksumOffset || hdr.gso_size == 0)
    return fail(GsoStatus::Malformed);
  const std::size_t l4 = hdr.csum_start;
  const int version = packet[0] >> 4;
  GsoPlan p;
  if (type == kVirtioGsoTcpv4) {
    // IPv4: the IHL must agree with where the kernel says TCP starts, and both fit the packet.
    if (version != 4 || packet.size() < kIpv4MinHeader) return fail(GsoStatus::Malformed);
    const std::size_t ihl = static_cast<std::size_t>(packet[0] & 0x0f) * 4;
    if (ihl < kIpv4MinHeader || ihl != l4) return fail(GsoStatus::Malformed);
    if (packet[9] != kProtoTcp) return fail(GsoStatus::Malformed);
  } else {
    if (version != 6 || packet.size() < kIpv6Header) return fail(GsoStatus::Malformed);
    // Extension headers would need walking (and a Routing header changes the pseudo-header):
    // the kernel's TCP does not add them, so refuse rather than guess.
    if (packet[6] != kProtoTcp || l4 != kIpv6Header) return fail(GsoStatus::Unsupported);
    p.ipv6 = true;
  }
  // The TCP header's fixed part, then its Data Offset, must fit the packet.
  if (l4 + kTcpMinHeader > packet.size()) return fail(GsoStatus::Malformed);
  const std::size_t doff = static_cast<std::size_t>(packet[l4 + 12] >> 4) * 4;
  if (doff < kTcpMinHeader || l4 + doff > packet.size()) return fail(GsoStatus::Malformed);
  const std::size_t headers = l4 + doff;
  const std::size_t room = PacketBuffer::kCapacity - PacketBuffer::kDefaultHeadroom;
  const std::size_t limit = std::min(max_packet, room);
  if (limit <= headers) return fail(GsoStatus::TooBig);
  const std::size_t seg = std::min<std::size_t>(hdr.gso_size, limit - headers);
  const std::size_t payload = packet.size() - headers;
  p.status = GsoStatus::Ok;
  p.gso = true;
  p.headers = headers;
  p.segment_payload = seg;
  p.count = payload == 0 ? 1 : (payload + seg - 1) / seg;
  p.csum_start = l4;
  p.csum_offset = kTcpChecksumOffset;
  return p;
}

bool write_gso_segment(const GsoPlan& plan, ByteView packet, std::size_t index, PacketBuffer& out) noexcept {
  out.reset();
  if (plan.status != GsoStatus::Ok || index >= plan.count) return false;
  if (!plan.gso) {
    std::uint8_t* d = out.push_back(packet.size());
    if (d == nullptr) return false;
    std::memcpy(d, packet.data(), packet.size());
    if (plan.needs_csum) {
      // The field holds the pseudo-header sum (CHECKSUM_PARTIAL); summing from csum_start to the
      // end with it in place and complementing finishes it. A result of 0 is sent as 0xffff
      // (the same value in ones' complement; UDP reads 0 as "no checksum", RFC 768).
      std::uint8_t* field = d + plan.csum_start + plan.csum_offset;
      const std::uint16_t c = checksum_finish(checksum_add(0, ByteView(d + plan.csum_start, packet.size() - plan.csum_start)));
      store_be16(field, c == 0 ? std::uint16_t{0xffff} : c);
    }
    return true;
  }
  const std::size_t from = plan.headers + index * plan.segment_payload;
  const std::size_t len = std::min(plan.segment_payload, packet.size() - std::min(packet.size(), from));
  const std::size_t total = plan.headers + len;
  std::uint8_t* d = out.push_back(total);
  if (d == nullptr) return false;
  std::memcpy(d, packet.data(), plan.headers);
  std::memcpy(d + plan.headers, packet.data() + from, len);

  const std::size_t l4 = plan.csum_start;
  const bool last = index + 1 == plan.count;
  if (plan.ipv6) {
    store_be16(d + 4, static_cast<std::uint16_t>(total - kIpv6Header));
  } else {
    store_be16(d + 2, static_cast<std::uint16_t>(total));
    store_be16(d + 4, static_cast<std::uint16_t>(load_be16(d + 4) + index));
    store_be16(d + 10, 0);
    store_be16(d + 10, checksum_finish(checksum_add(0, ByteView(d, l4))));
  }
  std::uint8_t* tcp = d + l4;
  store_be32(tcp + 4, static_cast<std::uint32_t>(load_be32(tcp + 4) + index * plan.segment_payload));
  if (!last) tcp[13] = static_cast<std::uint8_t>(tcp[13] & ~(kTcpFin | kTcpPsh));
  if (index != 0) tcp[13] = static_cast<std::uint8_t>(tcp[13] & ~kTcpCwr);
  // Full checksum: pseudo-header (RFC 9293 §3.1; RFC 8200 §8.1) then the segment.
  const std::size_t tcp_len = total - l4;
  std::uint64_t sum = plan.ipv6 ? checksum_add(0, ByteView(d + 8, 32)) : checksum_add(0, ByteView(d + 12, 8));
  sum += kProtoTcp;
  sum += tcp_len;
  store_be16(tcp + kTcpChecksumOffset, 0);
  sum = checksum_add(sum, ByteView(tcp, tcp_len));
  store_be16(tcp + kTcpChecksumOffset, checksum_finish(sum));
  return true;
}

GsoSplitResult split_gso(const VirtioNetHdr& hdr, ByteView packet, std::size_t max_packet,
                         std::span<PacketBuffer> out) noexcept {
  const GsoPlan plan = plan_gso_split(hdr, packet, max_packet);
  if (plan.status != GsoStatus::Ok) return {plan.status, 0};
  if (plan.count > out.size()) return {GsoStatus::TooManySegments, 0};
  for (std::size_t i = 0; i < plan.count; ++i)
    if (!write_gso_segment(plan, packet, i, out[i])) return {GsoStatus::TooBig, i};
  return {GsoStatus::Ok, plan.count};
}

}  // namespace pptpx::net
