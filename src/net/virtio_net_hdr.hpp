// struct virtio_net_hdr (include/uapi/linux/virtio_net.h; virtio spec 1.2 §5.1.6): the 10
// octets a TUN device opened with IFF_VNET_HDR puts in front of every packet it hands over
// and expects in front of every packet written to it. Little-endian: the device is switched
// to little-endian headers with TUNSETVNETLE (tun_device.cpp), which is also the host's order
// on x86 and arm64 where the ioctl is not needed.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>

#include "util/bytes.hpp"

namespace pptpx::net {

inline constexpr std::size_t kVirtioNetHdrSize = 10;

// flags
inline constexpr std::uint8_t kVirtioNetHdrNeedsCsum = 1;  // checksum from csum_start is partial
inline constexpr std::uint8_t kVirtioNetHdrDataValid = 2;  // checksum already verified
// gso_type
inline constexpr std::uint8_t kVirtioGsoNone = 0;
inline constexpr std::uint8_t kVirtioGsoTcpv4 = 1;
inline constexpr std::uint8_t kVirtioGsoUdp = 3;
inline constexpr std::uint8_t kVirtioGsoTcpv6 = 4;
inline constexpr std::uint8_t kVirtioGsoUdpL4 = 5;
inline constexpr std::uint8_t kVirtioGsoEcn = 0x80;  // ORed in: the flow uses ECN (CWR on the first segment only)

struct VirtioNetHdr {
  std::uint8_t flags = 0;
  std::uint8_t gso_type = kVirtioGsoNone;
  std::uint16_t hdr_len = 0;      // the kernel's idea of the header length (not trusted: recomputed)
  std::uint16_t gso_size = 0;     // payload octets per segment (the MSS)
  std::uint16_t csum_start = 0;   // where checksumming starts (the L4 header)
  std::uint16_t csum_offset = 0;  // where, from csum_start, the checksum field sits
};

inline std::uint16_t load_le16(const std::uint8_t* p) noexcept {
  return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}
inline void store_le16(std::uint8_t* p, std::uint16_t v) noexcept {
  p[0] = static_cast<std::uint8_t>(v);
  p[1] = static_cast<std::uint8_t>(v >> 8);
}

// nullopt when fewer than kVirtioNetHdrSize octets were read (a read that short is no packet).
inline std::optional<VirtioNetHdr> decode_virtio_net_hdr(ByteView b) noexcept {
  if (b.size() < kVirtioNetHdrSize) return std::nullopt;
  VirtioNetHdr h;
  h.flags = b[0];
  h.gso_type = b[1];
  h.hdr_len = load_le16(b.data() + 2);
  h.gso_size = load_le16(b.data() + 4);
  h.csum_start = load_le16(b.data() + 6);
  h.csum_offset = load_le16(b.data() + 8);
  return h;
}

// `out` must hold kVirtioNetHdrSize octets.
inline void encode_virtio_net_hdr(const VirtioNetHdr& h, std::uint8_t* out) noexcept {
  out[0] = h.flags;
  out[1] = h.gso_type;
  store_le16(out + 2, h.hdr_len);
  store_le16(out + 4, h.gso_size);
  store_le16(out + 6, h.csum_start);
  store_le16(out + 8, h.csum_offset);
}

}  // namespace pptpx::net
