// A fixed workload for profilers (callgrind, heaptrack), without Google Benchmark's adaptive
// iteration counts: brings a LinkPair up, then pushes `packets` IPv4 packets of `size` octets
// server -> client through the whole data path (encrypt + GRE out, GRE in + decrypt).
//   pptpx_link_profile [packets=100000] [size=1400] [stateless|stateful] [128|40]
// For per-packet instruction counts, collect only inside run_packets:
//   valgrind --tool=callgrind --toggle-collect='*run_packets*' pptpx_link_profile 20000 1400
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "link_pair.hpp"
#include "util/packet_buffer.hpp"

namespace pptpx::bench {

Bytes ipv4_packet(std::size_t total) {
  Bytes p(total, 0);
  p[0] = 0x45;
  store_be16(&p[2], static_cast<std::uint16_t>(total));
  p[8] = 64;
  p[9] = 17;
  store_be32(&p[12], 0xC6336401);
  store_be32(&p[16], 0xC633640A);
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < 20; i += 2) sum += static_cast<std::uint32_t>((p[i] << 8) | p[i + 1]);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  store_be16(&p[10], static_cast<std::uint16_t>(~sum));
  return p;
}

// noinline: the name callgrind's --toggle-collect matches.
[[gnu::noinline]] std::uint64_t run_packets(LinkPair& pair, const Bytes& ip, long packets) {
  PacketBuffer buf;
  std::uint64_t sent = 0;
  for (long i = 0; i < packets; ++i) {
    buf.assign(ip);
    if (pair.server().send_ipv4(buf, pair.now())) ++sent;
    pair.client().receive_gre(pair.server_sent(), pair.now());
  }
  return sent;
}

}  // namespace pptpx::bench

int main(int argc, char** argv) {
  using namespace pptpx::bench;
  const long packets = argc > 1 ? std::atol(argv[1]) : 100000;
  const auto size = static_cast<std::size_t>(argc > 2 ? std::atol(argv[2]) : 1400);
  LinkPairOptions o;
  o.stateless = !(argc > 3 && std::strcmp(argv[3], "stateful") == 0);
  o.strength = (argc > 4 && std::strcmp(argv[4], "40") == 0) ? pptpx::auth::MppeStrength::Bits40
                                                             : pptpx::auth::MppeStrength::Bits128;
  LinkPair pair(o);
  const auto sent = run_packets(pair, ipv4_packet(size < 20 ? 20 : size), packets);
  const auto got = pair.client_delivered_octets() / (size < 20 ? 20 : size);
  std::printf("packets=%ld size=%zu %s sent=%llu delivered=%llu\n", packets, size,
              o.stateless ? "stateless" : "stateful", static_cast<unsigned long long>(sent),
              static_cast<unsigned long long>(got));
  return sent == static_cast<std::uint64_t>(packets) && got == sent ? 0 : 1;
}
