#include "audit/ip_layer.hpp"

#include <pcap/dlt.h>

#include <algorithm>

namespace pptpx::audit {
namespace {
constexpr std::uint16_t kEtherIpv4 = 0x0800;
constexpr std::size_t kMaxDatagram = 65535;

std::optional<std::size_t> ipv4_offset(int link_type, ByteView f) {
  const std::size_t n = f.size();
  const std::uint8_t* d = f.data();
  switch (link_type) {
    case DLT_EN10MB: {
      std::size_t off = 12;
      if (n < off + 2) return std::nullopt;
      std::uint16_t type = load_be16(d + off);
      while (type == 0x8100 || type == 0x88a8 || type == 0x9100) {  // 802.1Q / 802.1ad / QinQ tags
        off += 4;
        if (n < off + 2) return std::nullopt;
        type = load_be16(d + off);
      }
      if (type != kEtherIpv4) return std::nullopt;
      return off + 2;
    }
    case DLT_LINUX_SLL:  // 16-byte header, protocol at 14
      if (n < 16 || load_be16(d + 14) != kEtherIpv4) return std::nullopt;
      return 16;
    case DLT_LINUX_SLL2:  // 20-byte header, protocol at 0
      if (n < 20 || load_be16(d) != kEtherIpv4) return std::nullopt;
      return 20;
    case DLT_NULL:
    case DLT_LOOP: {  // 4-byte address family, host or network order; AF_INET is 2 everywhere
      if (n < 4) return std::nullopt;
      const bool inet = (d[0] == 2 && d[1] == 0 && d[2] == 0 && d[3] == 0) ||
                        (d[0] == 0 && d[1] == 0 && d[2] == 0 && d[3] == 2);
      if (!inet) return std::nullopt;
      return 4;
    }
    case DLT_RAW:
#ifdef DLT_IPV4
    case DLT_IPV4:
#endif
      if (n < 1 || (d[0] >> 4) != 4) return std::nullopt;
      return 0;
    default:
      return std::nullopt;
  }
}
}  // namespace

std::optional<ByteView> ipv4_in_frame(int link_type, ByteView frame) {
  auto off = ipv4_offset(link_type, frame);
  if (!off || *off > frame.size()) return std::nullopt;
  return frame.subspan(*off);
}

Ipv4Parse parse_ipv4(ByteView d) {
  Ipv4Parse r;
  if (d.size() < 20) {
    r.error = d.empty() || (d[0] >> 4) != 4 ? Ipv4Error::NotIpv4 : Ipv4Error::Truncated;
    return r;
  }
  if ((d[0] >> 4) != 4) {
    r.error = Ipv4Error::NotIpv4;
    return r;
  }
  const std::size_t ihl = std::size_t{d[0] & 0x0fu} * 4;
  const std::size_t total = load_be16(d.data() + 2);
  if (ihl < 20 || total < ihl) {
    r.error = Ipv4Error::BadHeader;
    return r;
  }
  if (total > d.size()) {  // cut by the capture's snaplen
    r.error = Ipv4Error::Truncated;
    return r;
  }
  Ipv4Header& h = r.header;
  h.id = load_be16(d.data() + 4);
  const std::uint16_t frag = load_be16(d.data() + 6);
  h.more_fragments = (frag & 0x2000) != 0;
  h.fragment_offset = static_cast<std::uint16_t>((frag & 0x1fff) * 8);
  h.protocol = d[9];
  h.src = load_be32(d.data() + 12);
  h.dst = load_be32(d.data() + 16);
  h.payload = d.subspan(ihl, total - ihl);
  return r;
}

std::string ipv4_to_string(std::uint32_t a) {
  return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 0xff) + "." + std::to_string((a >> 8) & 0xff) +
         "." + std::to_string(a & 0xff);
}

void Ipv4Defragmenter::expire(Timestamp now) {
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (now - it->second.first > kTimeout) {
      ++counters_.expired;
      held_fragments_ -= it->second.pieces.size();
      it = pending_.erase(it);
    } else {
      ++it;
    }
  }
}

void Ipv4Defragmenter::evict_oldest() {
  auto oldest = std::min_element(pending_.begin(), pending_.end(),
                                 [](const auto& a, const auto& b) { return a.second.first < b.second.first; });
  ++counters_.evicted;
  held_fragments_ -= oldest->second.pieces.size();
  pending_.erase(oldest);
}

std::optional<Ipv4Datagram> Ipv4Defragmenter::add(const Ipv4Header& f, Timestamp now) {
  ++counters_.fragments;
  expire(now);
  const std::uint32_t off = f.fragment_offset;
  const std::uint32_t end = off + static_cast<std::uint32_t>(f.payload.size());
  if (end + 20 > kMaxDatagram) {
    ++counters_.dropped_oversize;
    return std::nullopt;
  }
  Key k{f.src, f.dst, f.id, f.protocol};
  auto it = pending_.find(k);
  if (it == pending_.end()) {
    // Bounded (TrackingLimits): at the bound the oldest incomplete datagram goes, counted.
    while (!pending_.empty() && pending_.size() >= std::max<std::size_t>(1, limits_.fragment_datagrams)) evict_oldest();
    it = pending_.emplace(k, Pending{}).first;
    it->second.first = now;
  }
  Pending& p = it->second;
  if (!f.more_fragments) p.total = end;
  // Overlap: the first copy of every octet wins (later copies are counted, not used), so a
  // retransmitted fragment changes nothing.
  auto [piece, fresh_piece] = p.pieces.try_emplace(off);
  if (fresh_piece) ++held_fragments_;
  auto& slot = piece->second;
  if (slot.size() < f.payload.size()) {
    if (!slot.empty()) ++counters_.overlaps;
    slot.assign(f.payload.begin(), f.payload.end());
  } else {
    ++counters_.overlaps;
  }
  // The fragments held over all datagrams are bounded too: a spray of tiny fragments at distinct
  // offsets would otherwise fill memory under the datagram bound. Oldest datagrams go first;
  // the one this fragment belongs to goes last (and then it is dropped with it). A node moved
  // out and back keeps its address, so `p` stays valid.
  while (held_fragments_ > std::max<std::size_t>(1, limits_.fragments) && pending_.size() > 1) {
    auto keep = pending_.extract(it);
    evict_oldest();
    it = pending_.insert(std::move(keep)).position;
  }
  if (held_fragments_ > std::max<std::size_t>(1, limits_.fragments)) {
    evict_oldest();
    return std::nullopt;
  }
  if (!p.total) return std::nullopt;
  // Complete when the pieces cover [0, total) without a hole.
  std::uint32_t covered = 0;
  for (const auto& [o, b] : p.pieces) {
    if (o > covered) return std::nullopt;
    covered = std::max(covered, o + static_cast<std::uint32_t>(b.size()));
  }
  if (covered < *p.total) return std::nullopt;
  Ipv4Datagram dg;
  dg.storage.assign(*p.total, 0);
  std::vector<bool> filled(*p.total, false);
  for (const auto& [o, b] : p.pieces) {
    for (std::size_t i = 0; i < b.size() && o + i < *p.total; ++i) {
      if (filled[o + i]) {
        continue;
      }
      dg.storage[o + i] = b[i];
      filled[o + i] = true;
    }
  }
  dg.header = f;
  dg.header.fragment_offset = 0;
  dg.header.more_fragments = false;
  held_fragments_ -= p.pieces.size();
  pending_.erase(it);
  dg.header.payload = ByteView(dg.storage);
  ++counters_.reassembled;
  return dg;
}

}  // namespace pptpx::audit
