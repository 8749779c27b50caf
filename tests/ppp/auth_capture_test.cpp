// Real bytes: the authentication exchanges of the reference captures (pptpd/pppd 2.4.9 server,
// pptp-linux/pppd client; user bob, password Tunnel-Lab-7) replayed into our machines.
//  - authenticator: the captured Challenge is injected through the RandomSource, the client's
//    captured Response fed in; we must make the server's captured decision (and, for MS-CHAPv2,
//    send the very S= string that went over the wire);
//  - peer: the captured Challenge (and, for MS-CHAPv2, the client's peer challenge) fed in; we must
//    send the captured Response value and accept the captured Success.
#include <gtest/gtest.h>

#include "support/capture.hpp"
#include "support/test_paths.hpp"
#include "auth_test_harness.hpp"
#include "ppp/auth_chap_packet.hpp"
#include "ppp/auth_pap.hpp"
#include "ppp/auth_pap_packet.hpp"

namespace pptpx::ppp {
namespace {

using authtest::RecordingSink;
using authtest::ScriptedRandom;
using authtest::text_of;

constexpr std::uint32_t kServer = test::ipv4(192, 0, 2, 2);
constexpr std::uint32_t kClient = test::ipv4(192, 0, 2, 3);

struct AuthFrame {
  bool from_server = false;
  Protocol protocol = Protocol::Pap;
  Bytes information;
};

// Enhanced GRE (RFC 2637 §4.1) -> PPP (RFC 1661 §2, RFC 1662 §3.1 address/control) -> PAP/CHAP.
std::optional<AuthFrame> auth_frame_of(const test::CapturedPacket& p) {
  const Bytes& g = p.payload;
  if (g.size() < 8) return std::nullopt;
  const bool has_checksum = (g[0] & 0x80) != 0;  // never set in PPTP; skip packets that claim it
  const bool has_key = (g[0] & 0x20) != 0;
  const bool has_seq = (g[0] & 0x10) != 0;
  const bool has_ack = (g[1] & 0x80) != 0;
  if (has_checksum || !has_key || load_be16(&g[2]) != 0x880B) return std::nullopt;
  const std::size_t payload_len = load_be16(&g[4]);
  std::size_t off = 8 + (has_seq ? 4 : 0) + (has_ack ? 4 : 0);
  if (off + payload_len > g.size() || payload_len == 0) return std::nullopt;  // ack-only or truncated
  ByteView ppp(g.data() + off, payload_len);
  if (ppp.size() >= 2 && ppp[0] == 0xFF && ppp[1] == 0x03) ppp = ppp.subspan(2);
  if (ppp.empty()) return std::nullopt;
  std::uint16_t proto = 0;
  if (ppp[0] & 1) {  // protocol-field compression: one octet
    proto = ppp[0];
    ppp = ppp.subspan(1);
  } else {
    if (ppp.size() < 2) return std::nullopt;
    proto = load_be16(ppp.data());
    ppp = ppp.subspan(2);
  }
  if (proto != static_cast<std::uint16_t>(Protocol::Pap) && proto != static_cast<std::uint16_t>(Protocol::Chap)) {
    return std::nullopt;
  }
  AuthFrame f;
  f.from_server = p.src == kServer;
  f.protocol = static_cast<Protocol>(proto);
  f.information.assign(ppp.begin(), ppp.end());
  return f;
}

std::vector<AuthFrame> auth_frames(const std::string& file) {
  std::vector<AuthFrame> out;
  for (const auto& p : test::read_capture(test::capture_path(file))) {
    if (p.ip_protocol != 47 || (p.src != kServer && p.src != kClient)) continue;
    if (auto f = auth_frame_of(p)) out.push_back(std::move(*f));
  }
  return out;
}

const AuthFrame* first(const std::vector<AuthFrame>& frames, bool from_server, std::uint8_t code) {
  for (const auto& f : frames) {
    if (f.from_server == from_server && !f.information.empty() && f.information[0] == code) return &f;
  }
  return nullptr;
}

struct Replay {
  Replay() {
    store.add_password("bob", "Tunnel-Lab-7");
    cfg.credentials = &store;
  }
  authtest::MemoryStore store;
  AuthenticatorConfig cfg;
  ScriptedRandom random;
  RecordingSink sink;
};

AuthPeerConfig bob() {
  AuthPeerConfig c;
  c.user_name = "bob";
  c.password = "Tunnel-Lab-7";
  return c;
}

void replay_chap_authenticator(AuthMethod method, const std::string& file) {
  SCOPED_TRACE(file);
  const auto frames = auth_frames(file);
  const AuthFrame* challenge = first(frames, true, 1);
  const AuthFrame* response = first(frames, false, 2);
  const AuthFrame* success = first(frames, true, 3);
  ASSERT_TRUE(challenge && response && success) << "capture lacks a CHAP exchange";
  ASSERT_EQ(first(frames, true, 4), nullptr);  // the reference server did not refuse
  const auto c = parse_chap(challenge->information);
  ASSERT_EQ(c.error, ChapParseError::None);
  const auto s = parse_chap(success->information);
  ASSERT_EQ(s.error, ChapParseError::None);

  Replay r;
  r.random.push(c.packet.identifier);
  r.random.push(c.packet.value);
  AuthConfig config;
  config.authenticator = r.cfg;
  config.random = &r.random;
  auto a = make_auth_machine(method, AuthRole::Authenticator, config, r.sink);
  a->start(Time{});
  ASSERT_EQ(r.sink.frames.size(), 1u);
  const auto ours = parse_chap(r.sink.frames[0].information);
  ASSERT_EQ(ours.error, ChapParseError::None);
  EXPECT_EQ(ours.packet.identifier, c.packet.identifier);
  EXPECT_EQ(Bytes(ours.packet.value.begin(), ours.packet.value.end()),
            Bytes(c.packet.value.begin(), c.packet.value.end()));

  a->receive(response->information, Time{} + 1s);
  ASSERT_EQ(a->status(), AuthStatus::Succeeded) << a->result().failure_reason;
  EXPECT_EQ(a->result().user_name, "bob");
  ASSERT_EQ(r.sink.frames.size(), 2u);
  const auto reply = parse_chap(r.sink.frames[1].information);
  ASSERT_EQ(reply.error, ChapParseError::None);
  EXPECT_EQ(reply.packet.code, ChapCode::Success);
  EXPECT_EQ(reply.packet.identifier, s.packet.identifier);
  if (method == AuthMethod::MsChapV2) {
    const std::string wire = text_of(s.packet.message);
    ASSERT_GE(wire.size(), 42u) << wire;
    ASSERT_EQ(wire.substr(0, 2), "S=");
    EXPECT_EQ(text_of(reply.packet.message).substr(0, 42), wire.substr(0, 42));
  }
  if (method == AuthMethod::MsChapV1 || method == AuthMethod::MsChapV2) {
    ASSERT_TRUE(a->result().mppe.has_value());
    EXPECT_TRUE(a->result().mppe->is_server);
    EXPECT_EQ(a->result().mppe->nt_hash, auth::nt_password_hash("Tunnel-Lab-7"));
  } else {
    EXPECT_FALSE(a->result().mppe.has_value());
  }
}

void replay_chap_peer(AuthMethod method, const std::string& file) {
  SCOPED_TRACE(file);
  const auto frames = auth_frames(file);
  const AuthFrame* challenge = first(frames, true, 1);
  const AuthFrame* response = first(frames, false, 2);
  const AuthFrame* success = first(frames, true, 3);
  ASSERT_TRUE(challenge && response && success);
  const auto captured = parse_chap(response->information);
  ASSERT_EQ(captured.error, ChapParseError::None);

  ScriptedRandom random;
  if (method == AuthMethod::MsChapV2) random.push(captured.packet.value.first(16));  // its Peer-Challenge
  RecordingSink sink;
  AuthConfig config;
  config.peer = bob();
  config.random = &random;
  auto p = make_auth_machine(method, AuthRole::Peer, config, sink);
  p->start(Time{});
  p->receive(challenge->information, Time{});
  ASSERT_EQ(sink.frames.size(), 1u);
  const auto ours = parse_chap(sink.frames[0].information);
  ASSERT_EQ(ours.error, ChapParseError::None);
  EXPECT_EQ(ours.packet.identifier, captured.packet.identifier);
  EXPECT_EQ(Bytes(ours.packet.value.begin(), ours.packet.value.end()),
            Bytes(captured.packet.value.begin(), captured.packet.value.end()));
  EXPECT_EQ(text_of(ours.packet.name), text_of(captured.packet.name));
  p->receive(success->information, Time{});
  EXPECT_EQ(p->status(), AuthStatus::Succeeded) << p->result().failure_reason;
}

TEST(AuthCapture, MsChapV2AuthenticatorMatchesReferenceServer) {
  replay_chap_authenticator(AuthMethod::MsChapV2, "mschapv2-mppe128.pcap");
  replay_chap_authenticator(AuthMethod::MsChapV2, "mschapv2-mppe40.pcap");
}
TEST(AuthCapture, MsChapV1AuthenticatorMatchesReferenceServer) {
  replay_chap_authenticator(AuthMethod::MsChapV1, "mschapv1-mppe128.pcap");
}
TEST(AuthCapture, ChapMd5AuthenticatorMatchesReferenceServer) {
  replay_chap_authenticator(AuthMethod::ChapMd5, "chapmd5-plain.pcap");
}
TEST(AuthCapture, MsChapV2PeerMatchesReferenceClient) {
  replay_chap_peer(AuthMethod::MsChapV2, "mschapv2-mppe128.pcap");
  replay_chap_peer(AuthMethod::MsChapV2, "mschapv2-mppe40.pcap");
}
TEST(AuthCapture, MsChapV1PeerMatchesReferenceClient) { replay_chap_peer(AuthMethod::MsChapV1, "mschapv1-mppe128.pcap"); }
TEST(AuthCapture, ChapMd5PeerMatchesReferenceClient) { replay_chap_peer(AuthMethod::ChapMd5, "chapmd5-plain.pcap"); }

TEST(AuthCapture, PapBothRolesMatchReference) {
  const auto frames = auth_frames("pap-plain.pcap");
  const AuthFrame* request = first(frames, false, 1);
  const AuthFrame* ack = first(frames, true, 2);
  ASSERT_TRUE(request && ack) << "capture lacks a PAP exchange";
  ASSERT_EQ(first(frames, true, 3), nullptr);
  const auto req = parse_pap(request->information);
  ASSERT_EQ(req.error, PapParseError::None);
  EXPECT_EQ(text_of(req.packet.peer_id), "bob");

  Replay r;
  PapAuthenticator a(r.cfg, r.sink);
  a.start(Time{});
  a.receive(request->information, Time{});
  ASSERT_EQ(a.status(), AuthStatus::Succeeded) << a.result().failure_reason;
  ASSERT_EQ(r.sink.frames.size(), 1u);
  EXPECT_EQ(r.sink.frames[0].information[0], 2);  // Ack, as the reference server
  EXPECT_EQ(r.sink.frames[0].information[1], ack->information[1]);

  ScriptedRandom random;
  random.push(req.packet.identifier);
  RecordingSink sink;
  PapPeer p(bob(), random, sink);
  p.start(Time{});
  ASSERT_EQ(sink.frames.size(), 1u);
  // Octets beyond Length are padding; compare the packet itself.
  const std::size_t len = load_be16(request->information.data() + 2);
  EXPECT_EQ(sink.frames[0].information, Bytes(request->information.begin(), request->information.begin() + len));
  p.receive(ack->information, Time{});
  EXPECT_EQ(p.status(), AuthStatus::Succeeded) << p.result().failure_reason;
}

}  // namespace
}  // namespace pptpx::ppp
