// gre_echo_tool: drives the net/ shells against the real kernel for tests/system/net_shells.sh.
//
//   gre_echo_tool echo --bind A --count N [--timeout-ms T] [--ready FILE]
//       Receives GRE datagrams (recvmmsg batches) and sends each back (sendmmsg) until N echoed.
//   gre_echo_tool send --bind A --to B --count N [--batch K] [--timeout-ms T]
//       Sends N enhanced-GRE packets in batches of K with sendmmsg, waits for each batch's echoes
//       (recvmmsg) and checks every byte came back. Exit 0 only when all N match.
//   gre_echo_tool tun --name IF --local A --peer B [--local6 X --peer6 Y] [--mtu M] --replies N
//                     [--timeout-ms T] [--ready FILE]
//       Creates a TUN device, sets MTU/addresses/up and a /32 (and /128) route to the peer over
//       rtnetlink, then answers ICMP/ICMPv6 echo requests sent to the peer address (so `ping
//       B` from this namespace goes through the TUN and back). After N replies it removes the
//       routes again and exits 0.
// Exit status: 0 success, 1 failure (one line on stderr says what), 2 bad usage.
#include <arpa/inet.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "net/event_loop.hpp"
#include "net/gre_socket.hpp"
#include "net/link_config.hpp"
#include "net/tun_device.hpp"

using namespace pptpx;
using namespace pptpx::net;

namespace {

std::map<std::string, std::string> parse_args(int argc, char** argv, int from) {
  std::map<std::string, std::string> a;
  for (int i = from; i + 1 < argc; i += 2) a[argv[i]] = argv[i + 1];
  return a;
}

std::string arg(const std::map<std::string, std::string>& a, const std::string& k, const std::string& def = "") {
  auto it = a.find(k);
  return it == a.end() ? def : it->second;
}

in_addr ip4(const std::string& s) {
  in_addr a{};
  if (::inet_pton(AF_INET, s.c_str(), &a) != 1) {
    std::fprintf(stderr, "gre_echo_tool: \"%s\" is not an IPv4 address\n", s.c_str());
    std::exit(2);
  }
  return a;
}

in6_addr ip6(const std::string& s) {
  in6_addr a{};
  if (::inet_pton(AF_INET6, s.c_str(), &a) != 1) {
    std::fprintf(stderr, "gre_echo_tool: \"%s\" is not an IPv6 address\n", s.c_str());
    std::exit(2);
  }
  return a;
}

void write_ready(const std::string& path) {
  if (path.empty()) return;
  if (FILE* f = std::fopen(path.c_str(), "w")) {
    std::fputs("ready\n", f);
    std::fclose(f);
  }
}

int fail(const std::string& why) {
  std::fprintf(stderr, "gre_echo_tool: %s\n", why.c_str());
  return 1;
}

// ---- echo ----
int run_echo(const std::map<std::string, std::string>& a) {
  GreSocket::Options opt;
  opt.bind_address = ip4(arg(a, "--bind"));
  GreSocket sock(opt);
  if (!sock.ok()) return fail(sock.error());
  const std::size_t want = std::stoul(arg(a, "--count", "1"));
  std::size_t echoed = 0;
  int status = 1;
  EventLoop loop;
  DeadlineTimer timeout(loop.io(), [&](Time) {
    std::fprintf(stderr, "gre_echo_tool: echo timed out after %zu of %zu\n", echoed, want);
    loop.stop();
  });
  timeout.arm(Clock::now() + std::chrono::milliseconds(std::stol(arg(a, "--timeout-ms", "10000"))));
  ReadableWatch watch(loop.io(), sock.fd(), [&] {
    for (auto batch = sock.receive_batch(); !batch.empty(); batch = sock.receive_batch()) {
      for (const auto& d : batch) sock.queue(d.peer, d.gre);
      echoed += sock.flush();  // before the next receive_batch(): the views point into its buffers
      if (echoed >= want) {
        status = 0;
        loop.stop();
        return;
      }
    }
  });
  write_ready(arg(a, "--ready"));
  loop.run();
  std::printf("echo: echoed %zu datagrams, rx %llu, tx %llu, dropped %llu\n", echoed,
              static_cast<unsigned long long>(sock.counters().rx_datagrams),
              static_cast<unsigned long long>(sock.counters().tx_datagrams),
              static_cast<unsigned long long>(sock.counters().tx_dropped));
  return status;
}

// ---- send ----
// RFC 2637 §4.1 enhanced GRE: C=0 R=0 K=1 S=1, version 1, protocol 0x880B, payload length,
// call id, sequence number; then `payload_len` bytes of a per-packet pattern.
Bytes make_packet(std::uint32_t seq, std::uint16_t payload_len) {
  Bytes p(12 + payload_len);
  p[0] = 0x30;
  p[1] = 0x01;
  store_be16(p.data() + 2, 0x880B);
  store_be16(p.data() + 4, payload_len);
  store_be16(p.data() + 6, 0x1234);
  store_be32(p.data() + 8, seq);
  for (std::size_t i = 0; i < payload_len; ++i) p[12 + i] = static_cast<std::uint8_t>(seq * 7 + i);
  return p;
}

int run_send(const std::map<std::string, std::string>& a) {
  GreSocket::Options opt;
  opt.bind_address = ip4(arg(a, "--bind"));
  const in_addr to = ip4(arg(a, "--to"));
  GreSocket sock(opt);
  if (!sock.ok()) return fail(sock.error());
  const std::size_t count = std::stoul(arg(a, "--count", "100"));
  const std::size_t batch = std::min<std::size_t>(std::stoul(arg(a, "--batch", "32")), GreSocket::kMaxBatch);
  std::vector<Bytes> packets;
  for (std::size_t i = 0; i < count; ++i) {
    packets.push_back(make_packet(static_cast<std::uint32_t>(i), static_cast<std::uint16_t>(64 + (i * 37) % 1300)));
  }
  std::vector<bool> back(count, false);
  std::size_t next = 0, outstanding = 0, matched = 0, mismatched = 0, batches = 0;
  int status = 1;
  EventLoop loop;

  auto send_batch = [&] {
    const std::size_t end = std::min(count, next + batch);
    for (std::size_t i = next; i < end; ++i) sock.queue(to, packets[i]);
    const std::size_t sent = sock.flush();
    ++batches;
    outstanding = end - next;
    if (sent != outstanding) std::fprintf(stderr, "gre_echo_tool: sendmmsg took %zu of %zu\n", sent, outstanding);
    next = end;
  };
  DeadlineTimer timeout(loop.io(), [&](Time) {
    std::fprintf(stderr, "gre_echo_tool: send timed out with %zu of %zu echoed\n", matched, count);
    loop.stop();
  });
  timeout.arm(Clock::now() + std::chrono::milliseconds(std::stol(arg(a, "--timeout-ms", "10000"))));
  ReadableWatch watch(loop.io(), sock.fd(), [&] {
    for (auto got = sock.receive_batch(); !got.empty(); got = sock.receive_batch()) {
      for (const auto& d : got) {
        if (d.peer.s_addr != to.s_addr || d.gre.size() < 12) continue;
        const std::uint32_t seq = load_be32(d.gre.data() + 8);
        if (seq >= count || back[seq]) continue;
        if (std::equal(d.gre.begin(), d.gre.end(), packets[seq].begin(), packets[seq].end())) {
          back[seq] = true;
          ++matched;
          --outstanding;
        } else {
          ++mismatched;
        }
      }
    }
    if (outstanding == 0) {
      if (next == count) {
        status = mismatched == 0 ? 0 : 1;
        loop.stop();
      } else {
        send_batch();
      }
    }
  });
  send_batch();
  loop.run();
  std::printf("send: %zu sent in %zu sendmmsg batches, %zu echoed intact, %zu mismatched\n", next, batches, matched,
              mismatched);
  return status;
}

// ---- tun ----
// RFC 1624 eqn. 3: update a ones'-complement checksum when one 16-bit word changes.
std::uint16_t checksum_update(std::uint16_t hc, std::uint16_t old_word, std::uint16_t new_word) {
  std::uint32_t sum = static_cast<std::uint16_t>(~hc) + static_cast<std::uint32_t>(static_cast<std::uint16_t>(~old_word)) + new_word;
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

// Turns an echo request addressed to `peer` into the reply, in place. Returns false otherwise.
bool make_reply_v4(MutableByteView p, const in_addr& peer) {
  if (p.size() < 28 || (p[0] >> 4) != 4) return false;
  const std::size_t ihl = std::size_t{p[0] & 0x0fu} * 4;
  if (ihl < 20 || p.size() < ihl + 8 || p[9] != 1 /* ICMP */) return false;
  if (std::memcmp(p.data() + 16, &peer, 4) != 0) return false;
  std::uint8_t* icmp = p.data() + ihl;
  if (icmp[0] != 8 /* echo request */) return false;
  std::uint8_t tmp[4];
  std::memcpy(tmp, p.data() + 12, 4);  // swap source and destination (IP checksum unchanged)
  std::memcpy(p.data() + 12, p.data() + 16, 4);
  std::memcpy(p.data() + 16, tmp, 4);
  const std::uint16_t old_word = load_be16(icmp);
  icmp[0] = 0;  // echo reply
  store_be16(icmp + 2, checksum_update(load_be16(icmp + 2), old_word, load_be16(icmp)));
  return true;
}

bool make_reply_v6(MutableByteView p, const in6_addr& peer) {
  if (p.size() < 48 || (p[0] >> 4) != 6 || p[6] != 58 /* ICMPv6, no extension headers */) return false;
  if (std::memcmp(p.data() + 24, &peer, 16) != 0) return false;
  std::uint8_t* icmp = p.data() + 40;
  if (icmp[0] != 128 /* echo request */) return false;
  std::uint8_t tmp[16];
  std::memcpy(tmp, p.data() + 8, 16);  // the pseudo-header sum is unchanged by the swap
  std::memcpy(p.data() + 8, p.data() + 24, 16);
  std::memcpy(p.data() + 24, tmp, 16);
  const std::uint16_t old_word = load_be16(icmp);
  icmp[0] = 129;  // echo reply
  store_be16(icmp + 2, checksum_update(load_be16(icmp + 2), old_word, load_be16(icmp)));
  return true;
}

int run_tun(const std::map<std::string, std::string>& a) {
  std::string error;
  TunOptions opt;
  opt.name = arg(a, "--name", "pptpxt0");
  auto tun = TunDevice::open(opt, error);
  if (!tun) return fail(error);
  LinkConfig link;
  if (!link.ok()) return fail(link.open_error());
  const in_addr local = ip4(arg(a, "--local")), peer = ip4(arg(a, "--peer"));
  const bool v6 = !arg(a, "--local6").empty();
  in6_addr local6{}, peer6{};
  if (v6) {
    local6 = ip6(arg(a, "--local6"));
    peer6 = ip6(arg(a, "--peer6"));
  }
  const int idx = tun->ifindex();
  for (const std::string& e :
       {link.set_mtu(idx, static_cast<std::uint32_t>(std::stoul(arg(a, "--mtu", "1400")))),
        link.add_ipv4_address(idx, local, 32, local), link.set_up(idx, true), link.add_ipv4_route(idx, peer, 32)}) {
    if (!e.empty()) return fail(e);
  }
  if (v6) {
    for (const std::string& e : {link.add_ipv6_address(idx, local6, 128), link.add_ipv6_route(idx, peer6, 128)}) {
      if (!e.empty()) return fail(e);
    }
  }
  // Adding the same route twice must be refused, with a sentence saying so.
  if (const std::string dup = link.add_ipv4_route(idx, peer, 32); dup.find("already configured") == std::string::npos) {
    return fail("adding a duplicate route did not report it: \"" + dup + "\"");
  }

  const std::size_t want = std::stoul(arg(a, "--replies", "1"));
  std::size_t replies = 0;
  int status = 1;
  std::vector<std::uint8_t> buf(65536);
  EventLoop loop;
  DeadlineTimer timeout(loop.io(), [&](Time) {
    std::fprintf(stderr, "gre_echo_tool: tun timed out after %zu of %zu replies\n", replies, want);
    loop.stop();
  });
  timeout.arm(Clock::now() + std::chrono::milliseconds(std::stol(arg(a, "--timeout-ms", "15000"))));
  ReadableWatch watch(loop.io(), tun->fd(), [&] {
    for (long n = tun->read(buf); n > 0; n = tun->read(buf)) {
      MutableByteView p(buf.data(), static_cast<std::size_t>(n));
      if (make_reply_v4(p, peer) || (v6 && make_reply_v6(p, peer6))) {
        if (tun->write(p)) ++replies;
      }
      if (replies >= want) {
        status = 0;
        loop.stop();
        return;
      }
    }
  });
  write_ready(arg(a, "--ready"));
  loop.run();
  std::printf("tun: %s answered %zu echo requests\n", tun->name().c_str(), replies);
  if (status == 0) {
    if (auto e = link.del_ipv4_route(idx, peer, 32); !e.empty()) return fail(e);
    if (v6) {
      if (auto e = link.del_ipv6_route(idx, peer6, 128); !e.empty()) return fail(e);
    }
    // Removing it again must fail: the route is really gone.
    if (link.del_ipv4_route(idx, peer, 32).empty()) return fail("route still present after removal");
    std::printf("tun: routes removed\n");
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: gre_echo_tool echo|send|tun --option value ...\n");
    return 2;
  }
  const std::string mode = argv[1];
  const auto a = parse_args(argc, argv, 2);
  if (mode == "echo") return run_echo(a);
  if (mode == "send") return run_send(a);
  if (mode == "tun") return run_tun(a);
  std::fprintf(stderr, "gre_echo_tool: unknown mode \"%s\"\n", mode.c_str());
  return 2;
}
