// Reads the shared .pcap captures (tests only): IPv4 TCP segments with data and GRE packets, in
// capture order. Link types: Ethernet (with 802.1Q tags), Linux cooked v1/v2, raw IP.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "util/bytes.hpp"

namespace pptpx::test {

struct CapturedPacket {
  std::size_t index = 0;  // 1-based frame number, as tshark/Wireshark show it
  double time = 0;        // seconds since the first frame
  std::uint32_t src = 0, dst = 0;  // IPv4, host order
  std::uint8_t ip_protocol = 0;    // 6 = TCP, 47 = GRE
  std::uint16_t src_port = 0, dst_port = 0;  // TCP only
  // TCP: the segment payload (non-empty segments only, in capture order; no reassembly).
  // GRE: the whole GRE packet (GRE header onwards).
  Bytes payload;
};

// All TCP-with-data and GRE packets of the capture. Throws std::runtime_error with a clear message
// when the file cannot be read or uses an unsupported link type. Other packets (ARP, IPv6, UDP,
// empty TCP segments, IP fragments) are skipped.
std::vector<CapturedPacket> read_capture(const std::string& path);

// 192.0.2.3 -> 0xC0000203
constexpr std::uint32_t ipv4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  return (std::uint32_t{a} << 24) | (std::uint32_t{b} << 16) | (std::uint32_t{c} << 8) | d;
}

}  // namespace pptpx::test
