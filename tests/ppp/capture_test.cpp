// Real bytes: every PPP frame in the shared captures (pppd 2.4.9 on both ends, see
// shared/captures/README.md) decodes with our frame and control-packet codecs, and for every
// captured Configure-Request our options handler, in the role of the side that answered it,
// produces byte for byte the Configure-Ack/Nak/Reject that pppd sent.
#include <gtest/gtest.h>

#include <map>
#include <optional>

#include "ppp/ccp.hpp"
#include "ppp/control_packet.hpp"
#include "ppp/frame.hpp"
#include "ppp/ipcp.hpp"
#include "ppp/ipv6cp.hpp"
#include "ppp/lcp.hpp"
#include "ppp_test_support.hpp"
#include "support/shared_captures.hpp"

namespace pptpx::ppp {
namespace {

using pptpx::test::ipv4;

constexpr std::uint32_t kServer = pptpx::test::kCaptureServer;

// Minimal enhanced-GRE parse (RFC 2637 §4.1), enough to reach the PPP frame.
std::optional<ByteView> gre_payload(ByteView g) {
  if (g.size() < 8) return std::nullopt;
  if (load_be16(g.data() + 2) != 0x880B) return std::nullopt;
  std::size_t off = 8;
  if (g[0] & 0x10) off += 4;  // S: sequence number
  if (g[1] & 0x80) off += 4;  // A: acknowledgement number
  std::size_t len = load_be16(g.data() + 4);
  if (g.size() < off + len) return std::nullopt;
  return g.subspan(off, len);
}

// A shared capture in this layer's terms.
struct CaptureCase {
  const char* file;
  AuthMethod method;
  std::optional<auth::MppeStrength> mppe;
  explicit CaptureCase(const pptpx::test::SharedCapture& c)
      : file(c.file),
        method(pptpx::test::auth_as<AuthMethod>(c.auth)),
        mppe(pptpx::test::mppe_as<auth::MppeStrength>(c.mppe_bits)) {}
};

struct Frame {
  bool from_server;
  std::uint16_t protocol;
  Bytes packet;  // the control packet (information field up to Length)
};

std::vector<Frame> control_frames(const CaptureCase& c, std::map<std::uint16_t, int>& counts, int& frames) {
  std::vector<Frame> out;
  for (const auto& pkt : pptpx::test::read_capture(pptpx::test::capture_path(c.file))) {
    if (pkt.ip_protocol != 47) continue;
    auto payload = gre_payload(pkt.payload);
    EXPECT_TRUE(payload.has_value()) << c.file << " frame " << pkt.index;
    if (!payload || payload->empty()) continue;  // acknowledgement-only GRE packet
    ++frames;
    FrameHeader h = parse_frame_header(*payload);
    EXPECT_EQ(h.error, FrameError::Ok) << c.file << " frame " << pkt.index;
    if (h.error != FrameError::Ok) continue;
    ++counts[h.protocol];
    if (h.protocol != 0xC021 && h.protocol != 0x8021 && h.protocol != 0x80FD && h.protocol != 0x8057) continue;
    ByteView info = payload->subspan(h.header_size);
    auto cp = parse_control_packet(info);
    EXPECT_TRUE(cp.has_value()) << c.file << " frame " << pkt.index;
    if (!cp) continue;
    if (cp->code >= code::kConfigureRequest && cp->code <= code::kConfigureReject) {
      EXPECT_TRUE(options_well_formed(cp->data)) << c.file << " frame " << pkt.index;
    }
    out.push_back({pkt.src == kServer, h.protocol, Bytes(info.begin(), info.begin() + 4 + cp->data.size())});
  }
  return out;
}

// Our reply, in the role of `server ? server : client`, to `request` of `protocol`.
Bytes our_reply(const CaptureCase& c, bool server, std::uint16_t protocol, const Bytes& request) {
  Policy policy;
  policy.auth_methods = {c.method};
  policy.allow_encryption = policy.require_encryption = c.mppe.has_value();
  if (c.mppe) policy.mppe_strengths = {*c.mppe};
  LcpConfig lcp_cfg;
  IpcpConfig ipcp_cfg;
  if (server) {
    ipcp_cfg.local_address = ipv4(198, 51, 100, 1);
    ipcp_cfg.peer_address = ipv4(198, 51, 100, 10);
  }
  test::SeededRandom random{77};
  LcpOptions lcp(lcp_cfg, policy, server, random);
  IpcpOptions ipcp(ipcp_cfg);
  CcpOptions ccp(policy);
  Ipv6cpConfig ipv6_cfg;
  Ipv6cpOptions ipv6cp(ipv6_cfg, random);
  OptionsHandler* h = protocol == 0xC021   ? static_cast<OptionsHandler*>(&lcp)
                      : protocol == 0x8021 ? static_cast<OptionsHandler*>(&ipcp)
                      : protocol == 0x8057 ? static_cast<OptionsHandler*>(&ipv6cp)
                                           : static_cast<OptionsHandler*>(&ccp);
  test::Endpoint e;
  Fsm fsm(static_cast<Protocol>(protocol), "X", *h, e, e);
  Time now{};
  fsm.up(now);
  fsm.open(now);
  fsm.receive(request, now);
  return e.sent.size() >= 2 ? e.sent.back() : Bytes{};
}

class Captures : public ::testing::TestWithParam<pptpx::test::SharedCapture> {};

TEST_P(Captures, EveryPppFrameDecodesAndEveryReplyIsReproduced) {
  const CaptureCase c(GetParam());
  std::map<std::uint16_t, int> counts;
  int frames = 0;
  std::vector<Frame> control = control_frames(c, counts, frames);
  EXPECT_GT(frames, 10);
  EXPECT_GE(counts[0xC021], 4);  // two requests, two acks at least
  EXPECT_GE(counts[0x8021], 4);
  if (c.mppe) {
    EXPECT_GE(counts[0x80FD], 4);
    EXPECT_GE(counts[0x00FD], 6);  // three echo requests and replies, encrypted
    EXPECT_EQ(counts[0x0021], 0);  // no plaintext IPv4 once MPPE is up
  } else {
    EXPECT_GE(counts[0x0021], 6);
  }

  int replayed = 0;
  for (std::size_t i = 0; i < control.size(); ++i) {
    const Frame& req = control[i];
    if (req.packet[0] != code::kConfigureRequest) continue;
    // The answer: the next Configure-Ack/Nak/Reject of the same protocol and Identifier from the
    // other side.
    for (std::size_t j = i + 1; j < control.size(); ++j) {
      const Frame& rep = control[j];
      if (rep.from_server == req.from_server || rep.protocol != req.protocol || rep.packet[1] != req.packet[1] ||
          rep.packet[0] < code::kConfigureAck || rep.packet[0] > code::kConfigureReject) {
        continue;
      }
      SCOPED_TRACE(std::string(c.file) + ": " + (rep.from_server ? "server" : "client") + " reply, protocol " +
                   std::to_string(req.protocol));
      EXPECT_EQ(our_reply(c, rep.from_server, req.protocol, req.packet), rep.packet);
      ++replayed;
      break;
    }
  }
  // LCP both ways, IPCP three (request, Nak'd request, re-request), IPV6CP both ways, CCP both ways.
  EXPECT_GE(replayed, c.mppe ? 9 : 7);
}

INSTANTIATE_TEST_SUITE_P(Pppd, Captures, ::testing::ValuesIn(pptpx::test::kSharedCaptures),
                         [](const auto& param_info) { return pptpx::test::capture_param_name(param_info.param); });

}  // namespace
}  // namespace pptpx::ppp
