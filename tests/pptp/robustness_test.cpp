// Seeded random and mutated input for every parser: nothing crashes (run under the Sanitize
// build for ASan/UBSan), errors come back as values, and a connection fed garbage ends Closed.
#include <gtest/gtest.h>

#include <random>

#include "pptp/control_codec.hpp"
#include "pptp/control_connection.hpp"
#include "pptp/gre_channel.hpp"

namespace pptpx::pptp {
namespace {

Bytes random_bytes(std::mt19937_64& rng, std::size_t max_len) {
  Bytes b(std::uniform_int_distribution<std::size_t>(0, max_len)(rng));
  for (auto& x : b) x = static_cast<std::uint8_t>(rng());
  return b;
}

TEST(Robustness, RandomControlBytes) {
  std::mt19937_64 rng(7);
  std::size_t ok = 0;
  for (int i = 0; i < 20000; ++i) {
    Bytes b = random_bytes(rng, 240);
    auto r = decode(b);
    if (r.ok()) ++ok;
    else EXPECT_FALSE(r.reason.empty());
  }
  EXPECT_EQ(ok, 0u);  // random bytes never carry the cookie, type and exact length together
}

TEST(Robustness, MutatedValidMessagesDecodeOrFailCleanly) {
  std::mt19937_64 rng(11);
  const ControlMessage seeds[] = {StartControlConnectionRequest{}, OutgoingCallRequest{},
                                  IncomingCallRequest{}, CallDisconnectNotify{}, SetLinkInfo{}};
  for (int i = 0; i < 20000; ++i) {
    Bytes b = encode(seeds[i % 5]);
    const auto flips = 1 + rng() % 3;
    for (unsigned k = 0; k < flips; ++k) b[rng() % b.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
    auto r = decode(b);
    if (r.ok()) {
      EXPECT_EQ(encode(*r.message).size(), b.size());  // reserved bits may differ, size may not
    }
  }
}

TEST(Robustness, RandomGrePackets) {
  std::mt19937_64 rng(13);
  struct Null : GreDeliverySink {
    void deliver(std::uint32_t, ByteView) override {}
  } sink;
  GreChannel ch(7, 9);
  for (int i = 0; i < 20000; ++i) {
    Bytes b = random_bytes(rng, 64);
    if (!b.empty() && (i & 1)) {  // half of them look like PPTP GRE, to reach the deeper checks
      if (b.size() >= 4) {
        b[0] = static_cast<std::uint8_t>(0x20 | (b[0] & 0x10));
        b[1] = static_cast<std::uint8_t>(0x01 | (b[1] & 0x80));
        b[2] = 0x88;
        b[3] = 0x0b;
      }
    }
    ch.receive(b, Time{} + std::chrono::milliseconds(i), sink);
  }
  EXPECT_EQ(ch.counters().rx_packets, 20000u);
}

TEST(Robustness, ConnectionFedGarbageCloses) {
  std::mt19937_64 rng(17);
  for (int i = 0; i < 500; ++i) {
    SequentialCallIdAllocator ids;
    ControlConfig c;
    c.role = (i & 1) ? Role::Pac : Role::Pns;
    c.originate = (i & 2) != 0;
    ControlConnection conn(c, ids);
    conn.start(Time{});
    for (int k = 0; k < 5 && !conn.closed(); ++k) conn.receive(random_bytes(rng, 300), Time{});
    conn.on_transport_closed(Time{});
    EXPECT_TRUE(conn.closed());
    EXPECT_EQ(ids.used(), 0u);
  }
}

}  // namespace
}  // namespace pptpx::pptp
