// When encryption is required, a Link starts IPCP only once CCP (MPPE) is up -- as pppd does
// (auth.c start_networks). Found in the interop lab: pppd with require-mppe keeps its IPCP Closed
// until CCP is up and answers an earlier IPCP Configure-Request with Terminate-Ack (RFC 1661
// §4.2, RCR in Closed), so a Link that started IPCP together with CCP waited a whole Restart timer
// (3 s) before the tunnel came up. A peer that runs IPCP alongside CCP must still be answered at
// once. Real MS-CHAPv2 machines, frames passed by hand.
#include <gtest/gtest.h>

#include <deque>

#include "ppp/auth_factory_impl.hpp"
#include "ppp/control_packet.hpp"
#include "ppp/frame.hpp"
#include "ppp/link.hpp"
#include "ppp_test_support.hpp"

namespace pptpx::ppp {
namespace {

constexpr std::uint16_t kIpcp = 0x8021;  // RFC 1332 §2
constexpr std::uint16_t kCcp = 0x80FD;   // RFC 1962 §2

struct Sent {
  std::uint16_t protocol = 0;
  std::uint8_t code = 0;
};

// Protocol and control code of a frame (0 for data); the Links send control frames in clear.
Sent classify(ByteView f) {
  Sent s;
  FrameHeader h = parse_frame_header(f);
  if (h.error != FrameError::Ok) return s;
  s.protocol = h.protocol;
  if (f.size() > h.header_size && (h.protocol & 0x8000) != 0) s.code = f[h.header_size];
  return s;
}

struct Out final : LinkOutput {
  std::deque<Bytes>* wire = nullptr;
  std::vector<Sent> sent;
  bool up = false;
  std::optional<MppeChoice> mppe;
  std::string down;
  void send_frame(PacketBuffer& f) override {
    sent.push_back(classify(f.view()));
    wire->emplace_back(f.view().begin(), f.view().end());
  }
  void deliver_ipv4(ByteView) override {}
  void deliver_ipv6(ByteView) override {}
  void on_event(const LinkEvent& e) override {
    if (e.kind == LinkEvent::Kind::Up) {
      up = true;
      mppe = e.up.mppe;
    }
    if (e.kind == LinkEvent::Kind::Down) down = e.reason;
  }
  // Index of the first frame of `protocol` with `code`, or sent.size().
  std::size_t first(std::uint16_t protocol, std::uint8_t code) const {
    for (std::size_t i = 0; i < sent.size(); ++i) {
      if (sent[i].protocol == protocol && sent[i].code == code) return i;
    }
    return sent.size();
  }
};

struct Fixture {
  explicit Fixture(bool client_requires_encryption) {
    // false: MPPE allowed, not required
    ends.client.policy.require_encryption = client_requires_encryption;
    so.wire = &s_to_c;
    co.wire = &c_to_s;
    server = std::make_unique<Link>(ends.server, ends.server_auth, so);
    client = std::make_unique<Link>(ends.client, ends.client_auth, co);
  }
  // Passes frames both ways until none is left; `hold` (return true) keeps a client->server
  // frame back in `held` instead. No timer fires.
  void run(const std::function<bool(const Sent&)>& hold = {}) {
    for (int i = 0; i < 10000 && !(c_to_s.empty() && s_to_c.empty()); ++i) {
      if (!c_to_s.empty()) {
        Bytes f = std::move(c_to_s.front());
        c_to_s.pop_front();
        if (hold && hold(classify(f))) {
          held.push_back(std::move(f));
        } else {
          server->receive_frame(f, now);
        }
        continue;
      }
      Bytes f = std::move(s_to_c.front());
      s_to_c.pop_front();
      client->receive_frame(f, now);
    }
  }

  test::RealAuthEnds ends{5};
  std::deque<Bytes> s_to_c, c_to_s, held;
  Out so, co;
  std::unique_ptr<Link> server, client;
  Time now = Time{} + std::chrono::seconds(1);
};

TEST(LinkNcpOrder, WithEncryptionRequiredIpcpStartsOnlyAfterCcpIsUp) {
  Fixture f(true);
  f.server->start(f.now);
  f.client->start(f.now);
  f.run();
  ASSERT_TRUE(f.so.up && f.co.up) << f.so.down << " / " << f.co.down;
  for (const Out* o : {&f.so, &f.co}) {
    std::size_t ccp_ack = o->first(kCcp, code::kConfigureAck);
    std::size_t ipcp_req = o->first(kIpcp, code::kConfigureRequest);
    ASSERT_LT(ccp_ack, o->sent.size());
    ASSERT_LT(ipcp_req, o->sent.size());
    // Each side acks the peer's CCP request before its first IPCP request; and no IPCP
    // Terminate-Ack (the symptom of an IPCP request that arrived too early) ever crosses.
    EXPECT_LT(ccp_ack, ipcp_req);
    EXPECT_EQ(o->first(kIpcp, code::kTerminateAck), o->sent.size());
  }
  // Up without a single timer: nothing waited for a retransmission.
  EXPECT_EQ(f.server->ipcp().state(), FsmState::Opened);
  EXPECT_EQ(f.client->ipcp().state(), FsmState::Opened);
}

// A peer that sends IPCP alongside CCP (here: our client with encryption optional, whose CCP
// frames are held back): the server answers its IPCP at once, before CCP is up, and the link
// comes up as soon as the CCP frames arrive.
TEST(LinkNcpOrder, PeerIpcpBeforeCcpIsAnsweredAtOnce) {
  Fixture f(false);
  f.server->start(f.now);
  f.client->start(f.now);
  f.run([](const Sent& s) { return s.protocol == kCcp; });
  ASSERT_FALSE(f.held.empty());                          // the client did send CCP
  EXPECT_NE(f.server->ccp().state(), FsmState::Opened);  // which the server has not seen
  EXPECT_LT(f.so.first(kIpcp, code::kConfigureRequest), f.so.sent.size());
  EXPECT_EQ(f.server->ipcp().state(), FsmState::Opened);  // IPCP done, but no data yet:
  EXPECT_FALSE(f.so.up);                                  // encryption is required
  for (Bytes& b : f.held) f.server->receive_frame(b, f.now);
  f.held.clear();
  f.run();
  ASSERT_TRUE(f.so.up && f.co.up) << f.so.down << " / " << f.co.down;
  EXPECT_TRUE(f.so.mppe.has_value());
  EXPECT_TRUE(f.co.mppe.has_value());
}

}  // namespace
}  // namespace pptpx::ppp
