// GreChannel: one call's GRE path, both directions, acks piggybacked and ack-only.
#include <gtest/gtest.h>

#include <vector>

#include "pptp/gre_channel.hpp"
#include "support/hex_literal.hpp"

namespace pptpx::pptp {
namespace {

using test::hex;

struct Recorder : GreDeliverySink {
  std::vector<Bytes> got;
  void deliver(std::uint32_t, ByteView p) override { got.emplace_back(p.begin(), p.end()); }
};

// A buffer with 32 octets of headroom and the payload after it, as the data plane lays it out.
struct Packet {
  explicit Packet(const Bytes& payload) : buf(32 + payload.size()) {
    std::copy(payload.begin(), payload.end(), buf.begin() + 32);
    len = payload.size();
  }
  Bytes buf;
  std::size_t len;
};

TEST(GreChannel, DataPacketLayoutMatchesRfc) {
  GreChannel pac(/*local=*/0, /*peer=*/24187);
  Packet p(hex("ff03c021"));
  auto pkt = pac.prepare_data(p.buf, 32, p.len);
  ASSERT_TRUE(pkt);
  // K,S | ver 1 | 880b | length 4 | peer's Call ID 24187 = 0x5e7b | seq 0 | payload
  EXPECT_EQ(Bytes(pkt->begin(), pkt->end()), hex("3001 880b 0004 5e7b 00000000 ff03c021"));
}

TEST(GreChannel, TwoPeersExchangeDataWithPiggybackedAcks) {
  GreChannel a(1, 2, {}, 1);  // a numbers from 1 (like pptp-linux)
  GreChannel b(2, 1, {}, 0);  // b from 0 (like pptpd)
  Recorder at_a, at_b;
  const Time now = Time{} + 1s;
  Packet p1(hex("01"));
  auto pkt = a.prepare_data(p1.buf, 32, p1.len);
  ASSERT_TRUE(pkt);
  EXPECT_EQ(b.receive(*pkt, now, at_b), GreError::None);
  ASSERT_EQ(at_b.got.size(), 1u);
  EXPECT_EQ(at_b.got[0], hex("01"));
  Packet p2(hex("0203"));
  pkt = b.prepare_data(p2.buf, 32, p2.len);
  ASSERT_TRUE(pkt);
  EXPECT_EQ(pkt->size(), 16u + 2u);  // seq and the piggybacked ack
  EXPECT_EQ(a.receive(*pkt, now, at_a), GreError::None);
  EXPECT_EQ(a.send_window().last_acked(), 1u);
  EXPECT_EQ(a.send_window().in_flight(), 0u);
  EXPECT_FALSE(b.on_timer(now + 1s, at_b));  // the ack went with the data
}

TEST(GreChannel, AckOnlyWhenNothingFlowsBack) {
  GreChannel a(1, 2), b(2, 1);
  Recorder sink;
  const Time now = Time{} + 1s;
  Packet p(hex("aa"));
  b.receive(*a.prepare_data(p.buf, 32, p.len), now, sink);
  ASSERT_TRUE(b.deadline());
  EXPECT_TRUE(b.on_timer(*b.deadline(), sink));
  std::array<std::uint8_t, 16> out{};
  ASSERT_EQ(b.write_ack_only(out), 12u);
  EXPECT_EQ(Bytes(out.begin(), out.begin() + 12), hex("2081 880b 0000 0001 00000000"));
  EXPECT_EQ(b.write_ack_only(out), 0u);  // nothing more to acknowledge
  EXPECT_EQ(a.receive(ByteView(out.data(), 12), now, sink), GreError::None);
  EXPECT_EQ(a.counters().rx_ack_only, 1u);
  EXPECT_EQ(a.send_window().last_acked(), 0u);
}

TEST(GreChannel, DropsAndCountsBadPackets) {
  GreChannel c(7, 9);
  Recorder sink;
  const Time now = Time{} + 1s;
  EXPECT_EQ(c.receive(hex("3001 880b 0001 0008 00000000 aa"), now, sink), GreError::WrongCallId);
  EXPECT_EQ(c.receive(hex("3000 880b 0001 0007 00000000 aa"), now, sink), GreError::BadVersion);
  EXPECT_EQ(c.receive(hex("3001"), now, sink), GreError::Truncated);
  EXPECT_EQ(c.counters().rx_dropped[static_cast<std::size_t>(GreError::WrongCallId)], 1u);
  EXPECT_EQ(c.counters().rx_dropped[static_cast<std::size_t>(GreError::BadVersion)], 1u);
  EXPECT_TRUE(sink.got.empty());
  EXPECT_EQ(c.receive(hex("3001 880b 0001 0007 00000000 aa"), now, sink), GreError::None);
  EXPECT_EQ(sink.got.size(), 1u);
}

TEST(GreChannel, ShortHeadroomConsumesNothing) {
  GreChannel a(1, 2), b(2, 1);
  Recorder sink;
  Packet p(hex("aa"));
  b.receive(*a.prepare_data(p.buf, 32, p.len), Time{}, sink);  // b now owes an ack
  Bytes buf(14 + 1);
  EXPECT_FALSE(b.prepare_data(buf, 14, 1));  // 16 octets needed with the ack
  EXPECT_EQ(b.send_window().counters().sent, 0u);
  EXPECT_TRUE(b.receive_window().ack_pending());
  Bytes big(20);
  EXPECT_FALSE(b.prepare_data(big, 16, 5));  // payload runs past the buffer
}

}  // namespace
}  // namespace pptpx::pptp
