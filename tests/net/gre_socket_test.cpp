#include "net/gre_socket.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <poll.h>

#include <cerrno>

namespace pptpx::net {
namespace {

// A 20-byte IPv4 header for protocol 47 followed by `payload_len` bytes.
Bytes ipv4_gre(std::size_t payload_len, std::uint8_t ihl_words = 5) {
  Bytes d(std::size_t{ihl_words} * 4 + payload_len, 0xAB);
  d[0] = static_cast<std::uint8_t>(0x40 | ihl_words);
  store_be16(d.data() + 2, static_cast<std::uint16_t>(d.size()));
  d[9] = 47;
  return d;
}

TEST(StripIpv4Header, ReturnsTheGreBytesAfterHeaderAndOptions) {
  auto d = ipv4_gre(16);
  EXPECT_EQ(strip_ipv4_header(d).size(), 16u);
  EXPECT_EQ(strip_ipv4_header(d).data(), d.data() + 20);
  auto with_options = ipv4_gre(8, 6);  // IHL 6: 4 bytes of options
  EXPECT_EQ(strip_ipv4_header(with_options).data(), with_options.data() + 24);
  EXPECT_EQ(strip_ipv4_header(with_options).size(), 8u);
}

TEST(StripIpv4Header, DropsEveryLie) {
  auto d = ipv4_gre(16);
  EXPECT_TRUE(strip_ipv4_header(ByteView(d).first(19)).empty());  // shorter than a header
  auto v6 = d;
  v6[0] = 0x65;
  EXPECT_TRUE(strip_ipv4_header(v6).empty());  // not version 4
  auto small_ihl = d;
  small_ihl[0] = 0x44;
  EXPECT_TRUE(strip_ipv4_header(small_ihl).empty());  // IHL < 5
  auto big_ihl = d;
  big_ihl[0] = 0x4F;  // 60-byte header in a 36-byte datagram
  EXPECT_TRUE(strip_ipv4_header(big_ihl).empty());
  auto long_total = d;
  store_be16(long_total.data() + 2, 100);
  EXPECT_TRUE(strip_ipv4_header(long_total).empty());  // total length past the datagram
  auto short_total = d;
  store_be16(short_total.data() + 2, 12);
  EXPECT_TRUE(strip_ipv4_header(short_total).empty());  // total length inside the header
  auto udp = d;
  udp[9] = 17;
  EXPECT_TRUE(strip_ipv4_header(udp).empty());
  // Total length shorter than the datagram (Ethernet padding): only the total counts.
  auto padded = d;
  store_be16(padded.data() + 2, 30);
  EXPECT_EQ(strip_ipv4_header(padded).size(), 10u);
}

// Real raw socket on loopback (needs CAP_NET_RAW; skipped otherwise).
TEST(GreSocket, BatchOverLoopback) {
  GreSocket::Options opt;
  opt.bind_address.s_addr = htonl(INADDR_LOOPBACK);
  GreSocket sock(opt);
  if (!sock.ok()) GTEST_SKIP() << sock.error();
  // Drain anything already queued by other loopback GRE users.
  while (!sock.receive_batch().empty()) {
  }
  in_addr lo{};
  lo.s_addr = htonl(INADDR_LOOPBACK);
  std::vector<Bytes> packets;
  for (std::uint8_t i = 0; i < 5; ++i) {
    // Enhanced GRE header (RFC 2637 §4.1): flags K+S, version 1, protocol 0x880B, length 0, call id, seq.
    packets.push_back({0x30, 0x81, 0x88, 0x0B, 0x00, 0x00, 0x12, 0x34, 0, 0, 0, i});
  }
  // Mixed: three by reference, two copied from one reused buffer (as a session's callback would).
  for (std::size_t i = 0; i < 3; ++i) ASSERT_TRUE(sock.queue(lo, packets[i]));
  Bytes scratch;
  for (std::size_t i = 3; i < 5; ++i) {
    scratch = packets[i];
    ASSERT_TRUE(sock.queue_copy(lo, scratch));
    std::fill(scratch.begin(), scratch.end(), 0xEE);  // the copy must not see this
  }
  EXPECT_EQ(sock.flush(), 5u);
  EXPECT_EQ(sock.counters().tx_datagrams, 5u);
  std::vector<Bytes> got;
  for (int waits = 0; waits < 10 && got.size() < 5; ++waits) {
    pollfd pfd{sock.fd(), POLLIN, 0};
    ::poll(&pfd, 1, 1000);  // loopback delivers at once; this only guards against a busy CPU
    for (const auto& d : sock.receive_batch()) {
      EXPECT_EQ(d.peer.s_addr, lo.s_addr);
      if (d.gre.size() == 12 && d.gre[6] == 0x12 && d.gre[7] == 0x34) got.emplace_back(d.gre.begin(), d.gre.end());
    }
  }
  ASSERT_EQ(got.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(got[i], packets[i]);
}

TEST(GreSocket, QueueRefusesPastTheBatchSize) {
  GreSocket sock(GreSocket::Options{});
  if (!sock.ok()) GTEST_SKIP() << sock.error();
  in_addr lo{};
  lo.s_addr = htonl(INADDR_LOOPBACK);
  const Bytes p{0x30, 0x81, 0x88, 0x0B, 0, 0, 0, 0};
  for (std::size_t i = 0; i < GreSocket::kMaxBatch; ++i) ASSERT_TRUE(sock.queue(lo, p));
  EXPECT_TRUE(sock.full());
  EXPECT_FALSE(sock.queue(lo, p));
  EXPECT_FALSE(sock.queue_copy(lo, p));
  EXPECT_EQ(sock.counters().tx_dropped, 2u);
  sock.flush();
  EXPECT_EQ(sock.queued(), 0u);
  const Bytes huge(GreSocket::kSlotSize + 1, 0);
  EXPECT_FALSE(sock.queue_copy(lo, huge));
  EXPECT_EQ(sock.counters().tx_too_big, 1u);
}

}  // namespace
}  // namespace pptpx::net
