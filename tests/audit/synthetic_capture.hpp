// Writes pcap files from a pptpx client and server running in memory (tests/session/session_pair.hpp):
// the control bytes become TCP segments (with SYNs, optionally cut small, retransmitted and
// reordered), the GRE packets IPv4 datagrams (optionally fragmented), on a chosen link type.
// What each side sent is recorded too, so a test can check the audit decrypts exactly that.
#pragma once
#include <pcap/pcap.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "session/packets.hpp"
#include "session/session_pair.hpp"

namespace pptpx::audit::test {

struct WireOptions {
  WireOptions() = default;
  explicit WireOptions(int link) : link_type(link) {}
  int link_type = DLT_EN10MB;
  bool vlan = false;              // Ethernet: one 802.1Q tag
  std::size_t tcp_segment = 1460;  // control bytes per TCP segment
  bool tcp_retransmit = false;     // every segment twice, neighbours swapped
  std::size_t fragment = 0;        // > 0: GRE datagrams cut into IPv4 fragments of this many octets
  std::function<bool(bool from_client, std::size_t gre_index)> drop_gre;  // leave out of the capture
};

class CaptureBuilder {
 public:
  struct FrameRec {
    std::int64_t time_us;
    std::uint64_t order;
    Bytes frame;
  };

  explicit CaptureBuilder(WireOptions o) : o_(std::move(o)) {}

  // Endpoints of one simulated session; call before attaching taps.
  struct Flow {
    std::uint32_t client_ip, server_ip;
    std::uint16_t client_port;
    std::uint32_t seq[2] = {1000, 500000};
    bool syn_done = false;
    std::size_t gre_count[2] = {0, 0};
  };

  void attach(pptpx::test::PairOptions& opts, Flow& f) {
    opts.tap_tcp = [this, &f](bool from_client, ByteView b, Time t) { tcp(f, from_client, b, t); };
    opts.tap_gre = [this, &f](bool from_client, ByteView g, Time t) {
      const std::size_t n = f.gre_count[from_client ? 0 : 1]++;
      if (o_.drop_gre && o_.drop_gre(from_client, n)) return;
      ip(us(t), from_client ? f.client_ip : f.server_ip, from_client ? f.server_ip : f.client_ip, 47, g);
    };
  }

  // Drops every frame before `t_us` (a capture that starts mid-session).
  void start_at(std::int64_t t_us) { start_us_ = t_us; }

  void write(const std::string& path) {
    std::stable_sort(frames_.begin(), frames_.end(), [](const FrameRec& a, const FrameRec& b) {
      return a.time_us != b.time_us ? a.time_us < b.time_us : a.order < b.order;
    });
    pcap_t* dead = pcap_open_dead(o_.link_type, 65535);
    pcap_dumper_t* d = pcap_dump_open(dead, path.c_str());
    for (const auto& f : frames_) {
      if (f.time_us < start_us_) continue;
      pcap_pkthdr h{};
      h.ts.tv_sec = static_cast<time_t>(f.time_us / 1000000);
      h.ts.tv_usec = static_cast<suseconds_t>(f.time_us % 1000000);
      h.caplen = h.len = static_cast<bpf_u_int32>(f.frame.size());
      pcap_dump(reinterpret_cast<u_char*>(d), &h, f.frame.data());
    }
    pcap_dump_close(d);
    pcap_close(dead);
  }

  static std::int64_t us(Time t) {
    return 1'700'000'000'000'000 + std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  }

 private:
  void tcp(Flow& f, bool from_client, ByteView bytes, Time t) {
    const std::int64_t when = us(t);
    if (!f.syn_done) {
      f.syn_done = true;
      segment(when, f, true, {}, 0x02, f.seq[0]++);
      segment(when, f, false, {}, 0x12, f.seq[1]++);
    }
    const int d = from_client ? 0 : 1;
    std::vector<std::pair<std::uint32_t, ByteView>> segs;
    for (std::size_t off = 0; off < bytes.size(); off += o_.tcp_segment) {
      const auto piece = bytes.subspan(off, std::min(o_.tcp_segment, bytes.size() - off));
      segs.emplace_back(f.seq[d], piece);
      f.seq[d] += static_cast<std::uint32_t>(piece.size());
    }
    if (o_.tcp_retransmit) {
      for (std::size_t i = 0; i + 1 < segs.size(); i += 2) std::swap(segs[i], segs[i + 1]);
      auto copy = segs;
      segs.insert(segs.end(), copy.begin(), copy.end());
    }
    for (const auto& [seq, piece] : segs) segment(when, f, from_client, piece, 0x18, seq);
  }

  void segment(std::int64_t when, const Flow& f, bool from_client, ByteView data, std::uint8_t flags,
               std::uint32_t seq) {
    Bytes t(20);
    store_be16(&t[0], from_client ? f.client_port : 1723);
    store_be16(&t[2], from_client ? 1723 : f.client_port);
    store_be32(&t[4], seq);
    t[12] = 5 << 4;
    t[13] = flags;
    store_be16(&t[14], 65535);
    t.insert(t.end(), data.begin(), data.end());
    ip(when, from_client ? f.client_ip : f.server_ip, from_client ? f.server_ip : f.client_ip, 6, t);
  }

  void ip(std::int64_t when, std::uint32_t src, std::uint32_t dst, std::uint8_t proto, ByteView payload) {
    const std::uint16_t id = ++ip_id_;
    const std::size_t step = o_.fragment ? o_.fragment & ~std::size_t{7} : payload.size();
    std::size_t off = 0;
    do {
      const std::size_t n = std::min(step, payload.size() - off);
      const bool more = off + n < payload.size();
      Bytes p(20);
      p[0] = 0x45;
      store_be16(&p[2], static_cast<std::uint16_t>(20 + n));
      store_be16(&p[4], id);
      store_be16(&p[6], static_cast<std::uint16_t>((more ? 0x2000 : 0) | (off / 8)));
      p[8] = 64;
      p[9] = proto;
      store_be32(&p[12], src);
      store_be32(&p[16], dst);
      store_be16(&p[10], pptpx::test::ipv4_checksum(p.data(), 20));
      p.insert(p.end(), payload.begin() + static_cast<std::ptrdiff_t>(off),
               payload.begin() + static_cast<std::ptrdiff_t>(off + n));
      frame(when, p);
      off += n;
    } while (off < payload.size());
  }

  void frame(std::int64_t when, const Bytes& ip) {
    Bytes f;
    switch (o_.link_type) {
      case DLT_EN10MB:
        f.assign(12, 0x02);
        if (o_.vlan) f.insert(f.end(), {0x81, 0x00, 0x00, 0x2a});
        f.insert(f.end(), {0x08, 0x00});
        break;
      case DLT_LINUX_SLL:
        f.assign(14, 0);
        f.insert(f.end(), {0x08, 0x00});
        break;
      case DLT_LINUX_SLL2:
        f.assign(20, 0);
        f[0] = 0x08;
        break;
      default:  // DLT_RAW
        break;
    }
    f.insert(f.end(), ip.begin(), ip.end());
    frames_.push_back(FrameRec{when, order_++, std::move(f)});
  }

  WireOptions o_;
  std::vector<FrameRec> frames_;
  std::uint64_t order_ = 0;
  std::uint16_t ip_id_ = 0;
  std::int64_t start_us_ = 0;
};

}  // namespace pptpx::audit::test
