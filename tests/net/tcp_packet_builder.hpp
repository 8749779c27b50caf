// Test-only: builds IPv4/IPv6 TCP packets with correct checksums, computed here by a plain
// full-packet routine (RFC 1071, RFC 9293 §3.1 pseudo-header) that shares no code with
// src/net, so tests can check the data path's incremental and per-segment checksums.
#pragma once
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <vector>

namespace pptpx::test {

struct TcpSpec {
  int version = 4;
  std::uint8_t src[16] = {192, 0, 2, 1};
  std::uint8_t dst[16] = {198, 51, 100, 10};
  std::uint16_t sport = 40000, dport = 5201;
  std::uint32_t seq = 1000, ack = 0;
  std::uint8_t flags = 0x02;  // SYN
  std::uint16_t window = 64240;
  std::vector<std::uint8_t> options;  // padded with zeros (EOL) to a multiple of 4 octets
  std::vector<std::uint8_t> payload;
  std::uint16_t ip_id = 0x1234;
  bool dont_fragment = true;
  std::uint8_t ttl = 64;
};

// The IPv6 flow the tests use: 2001:db8::1 -> 2001:db8::10 (RFC 3849 documentation prefix).
inline TcpSpec tcp_spec(int version) {
  TcpSpec s;
  s.version = version;
  if (version == 6) {
    const std::uint8_t a[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    const std::uint8_t b[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10};
    std::copy(std::begin(a), std::end(a), s.src);
    std::copy(std::begin(b), std::end(b), s.dst);
  }
  return s;
}

inline std::uint16_t plain_checksum(const std::vector<std::uint8_t>& data) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < data.size(); ++i)
    sum += (i % 2 == 0) ? static_cast<std::uint32_t>(data[i]) << 8 : data[i];
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum & 0xffff);
}

inline void put16(std::vector<std::uint8_t>& v, std::size_t at, std::uint16_t x) {
  v[at] = static_cast<std::uint8_t>(x >> 8);
  v[at + 1] = static_cast<std::uint8_t>(x);
}
inline std::uint16_t get16(const std::vector<std::uint8_t>& v, std::size_t at) {
  return static_cast<std::uint16_t>((v[at] << 8) | v[at + 1]);
}

// The TCP checksum a receiver would compute over `packet` (IPv4 without options or IPv6
// without extension headers), with the checksum field taken as zero.
inline std::uint16_t tcp_checksum_of(const std::vector<std::uint8_t>& packet) {
  const bool v6 = (packet[0] >> 4) == 6;
  const std::size_t ip_len = v6 ? 40 : static_cast<std::size_t>(packet[0] & 0x0f) * 4;
  const std::size_t tcp_len = packet.size() - ip_len;
  std::vector<std::uint8_t> pseudo;
  if (v6) {
    pseudo.insert(pseudo.end(), packet.begin() + 8, packet.begin() + 40);
    pseudo.insert(pseudo.end(), {0, 0, static_cast<std::uint8_t>(tcp_len >> 8), static_cast<std::uint8_t>(tcp_len),
                                 0, 0, 0, 6});
  } else {
    pseudo.insert(pseudo.end(), packet.begin() + 12, packet.begin() + 20);
    pseudo.insert(pseudo.end(), {0, 6, static_cast<std::uint8_t>(tcp_len >> 8), static_cast<std::uint8_t>(tcp_len)});
  }
  std::vector<std::uint8_t> seg(packet.begin() + static_cast<long>(ip_len), packet.end());
  seg[16] = seg[17] = 0;
  pseudo.insert(pseudo.end(), seg.begin(), seg.end());
  return plain_checksum(pseudo);
}

inline std::uint16_t ipv4_header_checksum_of(const std::vector<std::uint8_t>& packet) {
  std::vector<std::uint8_t> h(packet.begin(), packet.begin() + static_cast<long>((packet[0] & 0x0f) * 4));
  h[10] = h[11] = 0;
  return plain_checksum(h);
}

inline std::vector<std::uint8_t> build_tcp(const TcpSpec& s) {
  std::vector<std::uint8_t> opts = s.options;
  while (opts.size() % 4 != 0) opts.push_back(0);
  const std::size_t tcp_len = 20 + opts.size() + s.payload.size();
  const std::size_t ip_len = s.version == 6 ? 40 : 20;
  std::vector<std::uint8_t> p(ip_len + tcp_len, 0);
  if (s.version == 6) {
    p[0] = 0x60;
    put16(p, 4, static_cast<std::uint16_t>(tcp_len));
    p[6] = 6;
    p[7] = s.ttl;
    for (int i = 0; i < 16; ++i) {
      p[8 + static_cast<std::size_t>(i)] = s.src[i];
      p[24 + static_cast<std::size_t>(i)] = s.dst[i];
    }
  } else {
    p[0] = 0x45;
    put16(p, 2, static_cast<std::uint16_t>(p.size()));
    put16(p, 4, s.ip_id);
    p[6] = s.dont_fragment ? 0x40 : 0;
    p[8] = s.ttl;
    p[9] = 6;
    for (int i = 0; i < 4; ++i) {
      p[12 + static_cast<std::size_t>(i)] = s.src[i];
      p[16 + static_cast<std::size_t>(i)] = s.dst[i];
    }
    put16(p, 10, ipv4_header_checksum_of(p));
  }
  const std::size_t t = ip_len;
  put16(p, t, s.sport);
  put16(p, t + 2, s.dport);
  p[t + 4] = static_cast<std::uint8_t>(s.seq >> 24);
  p[t + 5] = static_cast<std::uint8_t>(s.seq >> 16);
  p[t + 6] = static_cast<std::uint8_t>(s.seq >> 8);
  p[t + 7] = static_cast<std::uint8_t>(s.seq);
  p[t + 8] = static_cast<std::uint8_t>(s.ack >> 24);
  p[t + 9] = static_cast<std::uint8_t>(s.ack >> 16);
  p[t + 10] = static_cast<std::uint8_t>(s.ack >> 8);
  p[t + 11] = static_cast<std::uint8_t>(s.ack);
  p[t + 12] = static_cast<std::uint8_t>(((20 + opts.size()) / 4) << 4);
  p[t + 13] = s.flags;
  put16(p, t + 14, s.window);
  for (std::size_t i = 0; i < opts.size(); ++i) p[t + 20 + i] = opts[i];
  for (std::size_t i = 0; i < s.payload.size(); ++i) p[t + 20 + opts.size() + i] = s.payload[i];
  put16(p, t + 16, tcp_checksum_of(p));
  return p;
}

}  // namespace pptpx::test
