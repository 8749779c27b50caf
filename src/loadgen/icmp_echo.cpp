#include "loadgen/icmp_echo.hpp"

#include <cstring>

namespace pptpx::loadgen {

namespace {
constexpr std::uint8_t kProtoIcmp = 1;
constexpr std::uint8_t kEchoRequest = 8;
constexpr std::uint8_t kEchoReply = 0;
}  // namespace

std::uint16_t internet_checksum(ByteView bytes) {
  std::uint32_t sum = 0;
  std::size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) sum += load_be16(bytes.data() + i);
  if (i < bytes.size()) sum += static_cast<std::uint32_t>(bytes[i]) << 8;  // odd length: pad with zero
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum & 0xffff);
}

std::size_t build_echo_request(std::uint32_t src, std::uint32_t dst, std::uint16_t id, std::uint16_t seq,
                               MutableByteView out) {
  if (out.size() < kEchoPacketSize) return 0;
  std::uint8_t* p = out.data();
  std::memset(p, 0, kEchoPacketSize);
  p[0] = 0x45;  // version 4, IHL 5
  store_be16(p + 2, static_cast<std::uint16_t>(kEchoPacketSize));
  store_be16(p + 4, id);  // identification
  p[8] = 64;              // TTL
  p[9] = kProtoIcmp;
  store_be32(p + 12, src);
  store_be32(p + 16, dst);
  store_be16(p + 10, internet_checksum(ByteView(p, 20)));
  std::uint8_t* icmp = p + 20;
  icmp[0] = kEchoRequest;
  store_be16(icmp + 4, id);
  store_be16(icmp + 6, seq);
  for (std::size_t i = 0; i < kEchoPayload; ++i) icmp[8 + i] = static_cast<std::uint8_t>('a' + i);
  store_be16(icmp + 2, internet_checksum(ByteView(icmp, 8 + kEchoPayload)));
  return kEchoPacketSize;
}

bool is_echo_reply(ByteView packet, std::uint32_t from, std::uint32_t to, std::uint16_t id, std::uint16_t seq) {
  if (packet.size() < 20) return false;  // shorter than a minimal IPv4 header
  if ((packet[0] >> 4) != 4) return false;
  const std::size_t ihl = static_cast<std::size_t>(packet[0] & 0x0f) * 4;
  if (ihl < 20 || packet.size() < ihl + 8) return false;  // header length lies, or no room for the ICMP header
  const std::size_t total = load_be16(packet.data() + 2);
  if (total < ihl + 8 || total > packet.size()) return false;  // total length lies
  if (packet[9] != kProtoIcmp) return false;
  if (load_be32(packet.data() + 12) != from || load_be32(packet.data() + 16) != to) return false;
  const std::uint8_t* icmp = packet.data() + ihl;
  if (icmp[0] != kEchoReply || icmp[1] != 0) return false;
  if (internet_checksum(ByteView(icmp, total - ihl)) != 0) return false;  // corrupted on the way
  return load_be16(icmp + 4) == id && load_be16(icmp + 6) == seq;
}

}  // namespace pptpx::loadgen
