#include "support/capture.hpp"

#include <pcap/pcap.h>

#include <memory>
#include <optional>
#include <stdexcept>

namespace pptpx::test {
namespace {

struct PcapClose {
  void operator()(pcap_t* p) const noexcept { pcap_close(p); }
};

// Offset of the IPv4 header inside a frame, or nullopt when the frame is not IPv4.
std::optional<std::size_t> ipv4_offset(int linktype, const std::uint8_t* d, std::size_t n) {
  switch (linktype) {
    case DLT_EN10MB: {
      std::size_t off = 12;
      if (n < off + 2) return std::nullopt;
      std::uint16_t type = load_be16(d + off);
      while (type == 0x8100 || type == 0x88a8) {  // 802.1Q / 802.1ad tags
        off += 4;
        if (n < off + 2) return std::nullopt;
        type = load_be16(d + off);
      }
      return type == 0x0800 ? std::optional<std::size_t>(off + 2) : std::nullopt;
    }
    case DLT_LINUX_SLL:  // 16-byte header, protocol at 14
      if (n < 16 || load_be16(d + 14) != 0x0800) return std::nullopt;
      return 16;
    case DLT_LINUX_SLL2:  // 20-byte header, protocol at 0
      if (n < 20 || load_be16(d) != 0x0800) return std::nullopt;
      return 20;
    case DLT_RAW:
#ifdef DLT_IPV4
    case DLT_IPV4:
#endif
      return 0;
    default:
      return std::nullopt;
  }
}

}  // namespace

std::vector<CapturedPacket> read_capture(const std::string& path) {
  char err[PCAP_ERRBUF_SIZE] = {};
  std::unique_ptr<pcap_t, PcapClose> p(pcap_open_offline(path.c_str(), err));
  if (!p) throw std::runtime_error("read_capture: cannot open " + path + ": " + err);
  const int linktype = pcap_datalink(p.get());
  if (linktype != DLT_EN10MB && linktype != DLT_LINUX_SLL && linktype != DLT_LINUX_SLL2 && linktype != DLT_RAW
#ifdef DLT_IPV4
      && linktype != DLT_IPV4
#endif
  ) {
    throw std::runtime_error("read_capture: " + path + " has link type " + std::to_string(linktype) + " (" +
                             (pcap_datalink_val_to_name(linktype) ? pcap_datalink_val_to_name(linktype) : "?") +
                             "); supported: Ethernet, Linux cooked v1/v2, raw IP");
  }
  std::vector<CapturedPacket> out;
  pcap_pkthdr* h = nullptr;
  const u_char* data = nullptr;
  std::size_t index = 0;
  double t0 = -1;
  int rc = 0;
  while ((rc = pcap_next_ex(p.get(), &h, &data)) == 1) {
    ++index;
    const double t = static_cast<double>(h->ts.tv_sec) + static_cast<double>(h->ts.tv_usec) * 1e-6;
    if (t0 < 0) t0 = t;
    const std::size_t n = h->caplen;
    auto ip = ipv4_offset(linktype, data, n);
    if (!ip) continue;
    const std::uint8_t* d = data + *ip;
    std::size_t avail = n - *ip;
    // IPv4 header: version 4, IHL >= 5 words, total length within what was captured (Ethernet
    // padding beyond total length is dropped).
    if (avail < 20 || (d[0] >> 4) != 4) continue;
    const std::size_t ihl = std::size_t{d[0] & 0x0fu} * 4;
    const std::size_t total = load_be16(d + 2);
    if (ihl < 20 || total < ihl || total > avail) continue;
    if ((load_be16(d + 6) & 0x3fff) != 0) continue;  // a fragment (MF set or offset non-zero)
    CapturedPacket pkt;
    pkt.index = index;
    pkt.time = t - t0;
    pkt.ip_protocol = d[9];
    pkt.src = load_be32(d + 12);
    pkt.dst = load_be32(d + 16);
    const std::uint8_t* l4 = d + ihl;
    const std::size_t l4_len = total - ihl;
    if (pkt.ip_protocol == 6) {
      if (l4_len < 20) continue;  // shorter than a TCP header
      const std::size_t doff = std::size_t{static_cast<std::uint8_t>(l4[12] >> 4)} * 4;
      if (doff < 20 || doff > l4_len) continue;
      if (doff == l4_len) continue;  // no data
      pkt.src_port = load_be16(l4);
      pkt.dst_port = load_be16(l4 + 2);
      pkt.payload.assign(l4 + doff, l4 + l4_len);
    } else if (pkt.ip_protocol == 47) {
      pkt.payload.assign(l4, l4 + l4_len);
    } else {
      continue;
    }
    out.push_back(std::move(pkt));
  }
  if (rc == PCAP_ERROR) {
    throw std::runtime_error("read_capture: error reading " + path + ": " + pcap_geterr(p.get()));
  }
  return out;
}

}  // namespace pptpx::test
