// Bounded state for long captures and --interface (audit/limits.hpp): a synthetic capture that
// exceeds each bound — control connections, sessions, TCP octets held behind holes, IPv4
// fragments (datagrams and pieces), unknown-GRE flows — must keep the tracked objects under the
// bound after every frame, evict the oldest, and count and report every eviction.
#include <gtest/gtest.h>

#include <pcap/dlt.h>

#include "audit/analyzer.hpp"
#include "audit/report.hpp"
#include "pptp/gre_header.hpp"
#include "util/bytes.hpp"

namespace pptpx::audit {
namespace {

constexpr std::uint32_t kServer = 0xC6336401;  // 198.51.100.1
constexpr std::uint32_t kClients = 0xCB007100;  // 203.0.113.0/24 and on

// An IPv4 datagram (RFC 791 header, no options; checksum not checked by the audit).
Bytes ipv4(std::uint32_t src, std::uint32_t dst, std::uint8_t proto, ByteView payload, std::uint16_t id = 0,
           std::uint16_t frag_offset_octets = 0, bool more_fragments = false) {
  Bytes b(20);
  b[0] = 0x45;
  store_be16(&b[2], static_cast<std::uint16_t>(20 + payload.size()));
  store_be16(&b[4], id);
  store_be16(&b[6], static_cast<std::uint16_t>((more_fragments ? 0x2000 : 0) | (frag_offset_octets / 8)));
  b[8] = 64;
  b[9] = proto;
  store_be32(&b[12], src);
  store_be32(&b[16], dst);
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

// A TCP segment (RFC 9293 header, data offset 5).
Bytes tcp(std::uint16_t sport, std::uint16_t dport, std::uint32_t seq, bool syn, ByteView data) {
  Bytes b(20);
  store_be16(&b[0], sport);
  store_be16(&b[2], dport);
  store_be32(&b[4], seq);
  b[12] = 0x50;
  b[13] = static_cast<std::uint8_t>(syn ? 0x02 : 0x18);
  b.insert(b.end(), data.begin(), data.end());
  return b;
}

// An enhanced GRE packet (RFC 2637 §4.1) with a sequence number and a PPP payload.
Bytes gre(std::uint16_t call_id, std::uint32_t seq) {
  const Bytes ppp{0xff, 0x03, 0x00, 0x21, 0x45, 0x00};
  pptp::GreHeader h;
  h.payload_length = static_cast<std::uint16_t>(ppp.size());
  h.call_id = call_id;
  h.sequence = seq;
  Bytes b(h.size());
  pptp::encode_gre_header(h, b);
  b.insert(b.end(), ppp.begin(), ppp.end());
  return b;
}

struct Feed {
  explicit Feed(const TrackingLimits& l) : a(keys, {}, l) {}
  void operator()(const Bytes& datagram) {
    t += 1000;
    a.frame(DLT_RAW, t, datagram, static_cast<std::uint32_t>(datagram.size()));
  }
  KeyBook keys;
  Analyzer a;
  Timestamp t = 1'700'000'000'000'000;
};

TEST(TrackingLimits, ControlConnectionsBeyondTheBoundEvictTheOldest) {
  TrackingLimits l;
  l.connections = 64;
  Feed f(l);
  const Bytes junk(40, 0x55);
  for (std::uint16_t i = 0; i < 3000; ++i) {
    const std::uint32_t client = kClients + (i % 200);
    const auto port = static_cast<std::uint16_t>(20000 + i);
    f(ipv4(client, kServer, 6, tcp(port, 1723, 1000, true, {})));
    f(ipv4(client, kServer, 6, tcp(port, 1723, 1001, false, junk)));
    ASSERT_LE(f.a.observer().tracked_connections(), 64u);
  }
  EXPECT_EQ(f.a.observer().tracked_connections(), 64u);
  EXPECT_EQ(f.a.evictions().connections, 3000u - 64u);
  // The newest are the ones kept: the last connection is still known.
  const auto& conns = f.a.observer().connections();
  EXPECT_EQ(conns.back().client_port, 20000 + 2999);
  f.a.finish({});
  const std::string text = text_report(f.a, {});
  EXPECT_NE(text.find("2936 control connections (limit 64, --max-connections)"), std::string::npos) << text;
  EXPECT_EQ(json_report(f.a, {})["tracking"]["evicted"]["connections"], 2936u);
}

TEST(TrackingLimits, TcpOctetsHeldBehindHolesStayUnderTheBound) {
  TrackingLimits l;
  l.reassembly_octets = 20'000;
  Feed f(l);
  const Bytes chunk(1000, 0x41);
  for (std::uint16_t i = 0; i < 500; ++i) {
    const auto port = static_cast<std::uint16_t>(30000 + i);
    f(ipv4(kClients + 1, kServer, 6, tcp(port, 1723, 5000, true, {})));
    // 10 000 octets past a hole that never fills: held, waiting for it.
    f(ipv4(kClients + 1, kServer, 6, tcp(port, 1723, 5001 + 10'000, false, chunk)));
    ASSERT_LE(f.a.observer().held_reassembly_octets(), 20'000u);
  }
  // 500 connections x 1000 held octets = 25x the bound: most were handed on early.
  EXPECT_GE(f.a.evictions().reassembly_flushes, 500u - 20u);
  EXPECT_EQ(f.a.evictions().connections, 0u);
  f.a.finish({});
  EXPECT_NE(text_report(f.a, {}).find("TCP reassembly flushes, holes skipped (limit 20000 octets"), std::string::npos);
  EXPECT_GE(json_report(f.a, {})["tracking"]["evicted"]["reassembly_flushes"].get<std::uint64_t>(), 480u);
}

TEST(TrackingLimits, SessionsBeyondTheBoundDropTheOldestActivity) {
  TrackingLimits l;
  l.sessions = 100;
  Feed f(l);
  // GRE with no control connection: each source is a session picked up mid-call.
  for (std::uint32_t i = 0; i < 2000; ++i) {
    f(ipv4(kClients + i, kServer, 47, gre(static_cast<std::uint16_t>(i + 1), 7)));
    // The first session stays active, so it is never the oldest.
    f(ipv4(kClients, kServer, 47, gre(1, 8 + i)));
    ASSERT_LE(f.a.observer().sessions().size(), 100u);
    ASSERT_LE(f.a.observer().gre_routes(), 200u);
  }
  EXPECT_EQ(f.a.observer().sessions().size(), 100u);
  EXPECT_EQ(f.a.evictions().sessions, 1900u);
  const auto& kept = f.a.observer().sessions();
  EXPECT_EQ(kept.front()->index, 1u);  // the active one
  EXPECT_EQ(kept.front()->dir[0].packets, 1u + 2000u);
  EXPECT_EQ(kept.back()->index, 2000u);  // numbering goes on across evictions
  f.a.finish({});
  EXPECT_NE(text_report(f.a, {}).find("1900 sessions dropped from this report (limit 100, --max-sessions)"),
            std::string::npos);
}

TEST(TrackingLimits, FragmentedDatagramsAndFragmentsStayUnderTheirBounds) {
  TrackingLimits l;
  l.fragment_datagrams = 50;
  l.fragments = 300;
  Feed f(l);
  const Bytes piece(8, 0x11);
  // 1000 datagrams whose last fragment never comes.
  for (std::uint16_t id = 0; id < 1000; ++id) {
    f(ipv4(kClients + 2, kServer, 47, piece, id, 0, true));
    ASSERT_LE(f.a.defragmenter().pending(), 50u);
  }
  EXPECT_EQ(f.a.defrag().evicted, 950u);
  // A spray of 8-octet fragments of one datagram at distinct offsets.
  const std::uint64_t before = f.a.defrag().evicted;
  for (std::uint16_t k = 0; k < 2000; ++k) {
    f(ipv4(kClients + 3, kServer, 47, piece, 4242, static_cast<std::uint16_t>(8 * (k + 1)), true));
    ASSERT_LE(f.a.defragmenter().held_fragments(), 300u);
  }
  EXPECT_GT(f.a.defrag().evicted, before);
  EXPECT_EQ(f.a.evictions().fragment_datagrams, f.a.defrag().evicted);
  // Still reassembles a whole datagram afterwards.
  const Bytes g = gre(9, 1);
  const Bytes whole = ipv4(kClients + 4, kServer, 47, g, 7);
  f(ipv4(kClients + 4, kServer, 47, ByteView(g).first(8), 7, 0, true));
  f(ipv4(kClients + 4, kServer, 47, ByteView(g).subspan(8), 7, 8, false));
  EXPECT_EQ(f.a.defrag().reassembled, 1u);
  f.a.finish({});
  EXPECT_NE(text_report(f.a, {}).find("incomplete IPv4 datagrams (limit 50 datagrams / 300 fragments"),
            std::string::npos);
}

TEST(TrackingLimits, UnknownGreFlowsBeyondTheBoundAreCountedNotItemised) {
  TrackingLimits l;
  l.unknown_gre_flows = 16;
  Feed f(l);
  // A control connection between the hosts makes their GRE for unknown calls suspicious.
  f(ipv4(kClients + 5, kServer, 6, tcp(40000, 1723, 1, true, {})));
  for (std::uint16_t id = 1; id <= 500; ++id) f(ipv4(kClients + 5, kServer, 47, gre(id, 1)));
  EXPECT_EQ(f.a.observer().unknown_gre().size(), 16u);
  EXPECT_EQ(f.a.evictions().unknown_gre_packets, 500u - 16u);
  EXPECT_TRUE(f.a.observer().sessions().empty());
}

TEST(TrackingLimits, NothingIsEvictedUnderTheDefaultsAndTheReportSaysNothing) {
  Feed f(TrackingLimits{});
  for (std::uint16_t i = 0; i < 100; ++i) {
    f(ipv4(kClients + i, kServer, 6, tcp(static_cast<std::uint16_t>(1024 + i), 1723, 1, true, {})));
  }
  f.a.finish({});
  const auto j = json_report(f.a, {});
  EXPECT_EQ(j["tracking"]["evicted"]["connections"], 0u);
  EXPECT_EQ(j["tracking"]["limits"]["connections"], 4096u);
  EXPECT_EQ(text_report(f.a, {}).find("tracking"), std::string::npos);
}

}  // namespace
}  // namespace pptpx::audit
