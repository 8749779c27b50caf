// End to end against real pppd/Linux-kernel sessions (shared/captures, user bob, password
// Tunnel-Lab-7): the captured MS-CHAP challenge/response must match what auth/ computes, and the
// MPPE keys derived from them must decrypt every encrypted PPP packet in both directions into
// well-formed IP packets (IPv4 header checksums recomputed here, independently of the code under
// test). Also CHAP-MD5 and PAP from their captures.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "auth/chap_md5.hpp"
#include "auth/mppe_keys.hpp"
#include "auth/mschap.hpp"
#include "auth/pap.hpp"
#include "ppp/mppe.hpp"
#include "support/capture.hpp"
#include "support/test_paths.hpp"

namespace pptpx::ppp {
namespace {

using auth::MppeStrength;
using test::ipv4;

constexpr std::uint32_t kServer = ipv4(192, 0, 2, 2);
constexpr std::uint32_t kClient = ipv4(192, 0, 2, 3);
constexpr std::string_view kUser = "bob";
constexpr std::string_view kPassword = "Tunnel-Lab-7";

struct PppFrame {
  std::size_t index;
  bool from_server;
  std::uint16_t protocol;
  Bytes info;
};

// Minimal enhanced-GRE (RFC 2637 §4.1) + PPP framing parse, written for this test only.
std::optional<PppFrame> parse_gre(const test::CapturedPacket& p) {
  const Bytes& g = p.payload;
  if (g.size() < 8) return std::nullopt;
  if ((g[1] & 0x07) != 1 || load_be16(&g[2]) != 0x880b || (g[0] & 0x20) == 0) return std::nullopt;
  std::size_t off = 8;
  if (g[0] & 0x10) off += 4;  // sequence number present
  if (g[1] & 0x80) off += 4;  // acknowledgment number present
  const std::size_t len = load_be16(&g[4]);
  if (len == 0 || off + len > g.size()) return std::nullopt;
  std::size_t i = off;
  const std::size_t end = off + len;
  if (end - i >= 2 && g[i] == 0xff && g[i + 1] == 0x03) i += 2;  // address/control unless ACFC
  if (i >= end) return std::nullopt;
  std::uint16_t proto = 0;
  if (g[i] & 1) {
    proto = g[i];
    i += 1;  // protocol field compressed (PFC)
  } else {
    if (end - i < 2) return std::nullopt;
    proto = load_be16(&g[i]);
    i += 2;
  }
  return PppFrame{p.index, p.src == kServer, proto, Bytes(g.begin() + static_cast<std::ptrdiff_t>(i),
                                                          g.begin() + static_cast<std::ptrdiff_t>(end))};
}

std::vector<PppFrame> ppp_frames(const std::string& file) {
  std::vector<PppFrame> out;
  for (const auto& p : test::read_capture(test::capture_path(file))) {
    if (p.ip_protocol != 47) continue;
    if (auto f = parse_gre(p)) out.push_back(std::move(*f));
  }
  return out;
}

struct Chap {
  std::uint8_t code, id;
  Bytes value;
  std::string name_or_message;
};

std::optional<Chap> parse_chap(const PppFrame& f) {
  if (f.protocol != 0xc223 || f.info.size() < 4) return std::nullopt;
  const std::size_t len = load_be16(&f.info[2]);
  if (len < 4 || len > f.info.size()) return std::nullopt;
  Chap c{f.info[0], f.info[1], {}, {}};
  if (c.code == 1 || c.code == 2) {
    if (len < 5 || 5u + f.info[4] > len) return std::nullopt;
    c.value.assign(f.info.begin() + 5, f.info.begin() + 5 + f.info[4]);
    c.name_or_message.assign(f.info.begin() + 5 + f.info[4], f.info.begin() + static_cast<std::ptrdiff_t>(len));
  } else {
    c.name_or_message.assign(f.info.begin() + 4, f.info.begin() + static_cast<std::ptrdiff_t>(len));
  }
  return c;
}

template <std::size_t N>
std::array<std::uint8_t, N> slice(const Bytes& b, std::size_t from) {
  std::array<std::uint8_t, N> a{};
  for (std::size_t i = 0; i < N; ++i) a[i] = b.at(from + i);
  return a;
}

// RFC 791 header checksum, recomputed here: the one's-complement sum over the header is 0xFFFF.
bool ipv4_header_checksum_ok(ByteView h) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) sum += static_cast<std::uint32_t>(h[i] << 8 | h[i + 1]);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return sum == 0xffff;
}

struct Decrypted {
  int ipv4 = 0, ipv6 = 0, icmp_to_client = 0, icmp_to_server = 0;
  std::optional<std::size_t> first_ipv4_from_server, first_ipv4_from_client;
};

// Decrypts every MPPE frame with the given start keys; every plaintext must be a valid IP packet.
Decrypted decrypt_all(const std::vector<PppFrame>& frames, const auth::MppeKeys& server_keys, MppeSettings settings) {
  MppeDecryptor at_client(server_keys.send, settings);  // server -> client traffic
  MppeDecryptor at_server(server_keys.recv, settings);  // client -> server traffic
  Decrypted d;
  int encrypted = 0;
  for (const auto& f : frames) {
    if (f.protocol != 0x00fd) continue;
    ++encrypted;
    EXPECT_GE(f.info.size(), kMppeHeaderSize + 1) << "frame " << f.index;
    if (f.info.size() < kMppeHeaderSize + 1) continue;
    const std::uint16_t header = load_be16(f.info.data());
    Bytes data(f.info.begin() + 2, f.info.end());
    MppeDecryptor& dec = f.from_server ? at_client : at_server;
    EXPECT_EQ(dec.decrypt(header, data), MppeDecryptResult::Ok) << "frame " << f.index;
    // Decrypted protocol field (1 or 2 bytes), then the packet.
    std::size_t i = (data[0] & 1) ? 1 : 2;
    const std::uint16_t proto = (data[0] & 1) ? data[0] : load_be16(data.data());
    ByteView pkt(data.data() + i, data.size() - i);
    if (proto == 0x0021) {
      ++d.ipv4;
      if (pkt.size() < 20) {
        ADD_FAILURE() << "short IPv4 packet, frame " << f.index;
        continue;
      }
      EXPECT_EQ(pkt[0] >> 4, 4) << "frame " << f.index;
      const std::size_t ihl = std::size_t{pkt[0] & 0x0fu} * 4;
      if (ihl < 20 || pkt.size() < ihl) {
        ADD_FAILURE() << "bad IHL, frame " << f.index;
        continue;
      }
      EXPECT_EQ(load_be16(pkt.data() + 2), pkt.size()) << "IPv4 total length, frame " << f.index;
      EXPECT_TRUE(ipv4_header_checksum_ok(pkt.first(ihl))) << "frame " << f.index;
      const std::uint32_t src = load_be32(pkt.data() + 12), dst = load_be32(pkt.data() + 16);
      if (f.from_server) {
        if (!d.first_ipv4_from_server) d.first_ipv4_from_server = f.index;
        EXPECT_EQ(dst, ipv4(198, 51, 100, 10)) << "frame " << f.index;
        if (pkt[9] == 1) ++d.icmp_to_client;
      } else {
        if (!d.first_ipv4_from_client) d.first_ipv4_from_client = f.index;
        EXPECT_EQ(src, ipv4(198, 51, 100, 10)) << "frame " << f.index;
        if (pkt[9] == 1) ++d.icmp_to_server;
      }
      (void)src;
    } else if (proto == 0x0057) {
      ++d.ipv6;
      if (pkt.size() < 40) {
        ADD_FAILURE() << "short IPv6 packet, frame " << f.index;
        continue;
      }
      EXPECT_EQ(pkt[0] >> 4, 6) << "frame " << f.index;
      EXPECT_EQ(load_be16(pkt.data() + 4) + 40u, pkt.size()) << "IPv6 payload length, frame " << f.index;
    } else {
      ADD_FAILURE() << "frame " << f.index << " decrypted to protocol 0x" << std::hex << proto;
    }
  }
  EXPECT_GT(encrypted, 0);
  return d;
}

void check_mppe(const Decrypted& d) {
  EXPECT_TRUE(d.first_ipv4_from_server.has_value());
  EXPECT_TRUE(d.first_ipv4_from_client.has_value());
  EXPECT_GE(d.icmp_to_client, 3);  // three echo replies
  EXPECT_GE(d.icmp_to_server, 3);  // three echo requests
}

struct V2Exchange {
  auth::Challenge16 auth_challenge{};
  auth::Challenge16 peer_challenge{};
  auth::NtResponse nt_response{};
  std::string name, success_message;
};

V2Exchange find_mschapv2(const std::vector<PppFrame>& frames) {
  V2Exchange x;
  int seen = 0;
  for (const auto& f : frames) {
    auto c = parse_chap(f);
    if (!c) continue;
    if (c->code == 1 && f.from_server && c->value.size() == 16) {
      x.auth_challenge = slice<16>(c->value, 0), seen |= 1;
    } else if (c->code == 2 && !f.from_server && c->value.size() == 49) {
      // RFC 2759 §4: Peer-Challenge(16) Reserved(8, zero) NT-Response(24) Flags(1)
      x.peer_challenge = slice<16>(c->value, 0);
      x.nt_response = slice<24>(c->value, 24);
      x.name = c->name_or_message;
      seen |= 2;
    } else if (c->code == 3 && f.from_server) {
      x.success_message = c->name_or_message, seen |= 4;
    }
  }
  EXPECT_EQ(seen, 7) << "challenge/response/success not all found";
  return x;
}

class MsChapV2Capture : public ::testing::TestWithParam<std::pair<const char*, MppeStrength>> {};

TEST_P(MsChapV2Capture, ResponsesMatchAndMppeDecrypts) {
  const auto [file, strength] = GetParam();
  const auto frames = ppp_frames(file);
  ASSERT_FALSE(frames.empty());
  const V2Exchange x = find_mschapv2(frames);
  EXPECT_EQ(x.name, kUser);
  const auth::NtHash h = auth::nt_password_hash(kPassword);
  EXPECT_EQ(auth::mschapv2_nt_response(x.auth_challenge, x.peer_challenge, x.name, h), x.nt_response);
  const auto s = auth::mschapv2_authenticator_response(h, x.nt_response, x.peer_challenge, x.auth_challenge, x.name);
  EXPECT_EQ(x.success_message.substr(0, 42), auth::format_authenticator_response(s));
  EXPECT_TRUE(auth::check_authenticator_response(x.success_message, s)) << x.success_message;
  // A wrong password matches neither.
  EXPECT_NE(auth::mschapv2_nt_response(x.auth_challenge, x.peer_challenge, x.name, auth::nt_password_hash("Tunnel-Lab-8")),
            x.nt_response);

  auth::MppeKeyMaterial m;
  m.method = auth::MppeKeyMaterial::Method::MsChapV2;
  m.nt_hash = h;
  m.nt_response = x.nt_response;
  m.is_server = true;
  const auth::MppeKeys server = auth::derive_mppe_keys(m, strength);
  m.is_server = false;
  const auth::MppeKeys client = auth::derive_mppe_keys(m, strength);
  EXPECT_EQ(server.send, client.recv);
  EXPECT_EQ(server.recv, client.send);
  check_mppe(decrypt_all(frames, server, {strength, /*stateless=*/true}));
}

INSTANTIATE_TEST_SUITE_P(Captures, MsChapV2Capture,
                         ::testing::Values(std::make_pair("mschapv2-mppe128.pcap", MppeStrength::Bits128),
                                           std::make_pair("mschapv2-mppe40.pcap", MppeStrength::Bits40)));

TEST(MsChapV1Capture, ResponseMatchesAndMppeDecrypts) {
  const auto frames = ppp_frames("mschapv1-mppe128.pcap");
  auth::Challenge8 challenge{};
  auth::NtResponse nt{};
  std::string name;
  int seen = 0;
  for (const auto& f : frames) {
    auto c = parse_chap(f);
    if (!c) continue;
    if (c->code == 1 && f.from_server && c->value.size() == 8) {
      challenge = slice<8>(c->value, 0), seen |= 1;
    } else if (c->code == 2 && !f.from_server && c->value.size() == 49) {
      // RFC 2433 §3: LM-Response(24) NT-Response(24) Use-NT flag(1)
      nt = slice<24>(c->value, 24);
      EXPECT_EQ(c->value[48], 1) << "Use-NT flag";
      name = c->name_or_message;
      seen |= 2;
    } else if (c->code == 3 && f.from_server) {
      seen |= 4;
    }
  }
  ASSERT_EQ(seen, 7);
  EXPECT_EQ(name, kUser);
  const auth::NtHash h = auth::nt_password_hash(kPassword);
  EXPECT_EQ(auth::mschapv1_nt_response(challenge, h), nt);

  auth::MppeKeyMaterial m;
  m.method = auth::MppeKeyMaterial::Method::MsChapV1;
  m.nt_hash = h;
  m.challenge = challenge;
  const auth::MppeKeys keys = auth::derive_mppe_keys(m, MppeStrength::Bits128);
  EXPECT_EQ(keys.send, keys.recv);
  check_mppe(decrypt_all(frames, keys, {MppeStrength::Bits128, true}));
}

TEST(ChapMd5Capture, ResponseMatches) {
  const auto frames = ppp_frames("chapmd5-plain.pcap");
  std::optional<Chap> challenge, response;
  for (const auto& f : frames) {
    auto c = parse_chap(f);
    if (c && c->code == 1 && f.from_server && !challenge) challenge = c;
    if (c && c->code == 2 && !f.from_server && !response) response = c;
  }
  ASSERT_TRUE(challenge && response);
  EXPECT_EQ(response->id, challenge->id);
  EXPECT_EQ(response->name_or_message, kUser);
  const auto expected = auth::chap_md5_response(challenge->id, kPassword, challenge->value);
  EXPECT_EQ(response->value, Bytes(expected.begin(), expected.end()));
}

TEST(PapCapture, PasswordMatches) {
  const auto frames = ppp_frames("pap-plain.pcap");
  bool found = false;
  for (const auto& f : frames) {
    // RFC 1334 §2.2.1 Authenticate-Request: code 1, id, length, Peer-ID len+value, Passwd len+value.
    if (f.protocol != 0xc023 || f.from_server || f.info.size() < 6 || f.info[0] != 1) continue;
    const std::size_t id_len = f.info[4];
    ASSERT_GT(f.info.size(), 5 + id_len);
    const std::string peer(f.info.begin() + 5, f.info.begin() + 5 + static_cast<std::ptrdiff_t>(id_len));
    const std::size_t pw_len = f.info[5 + id_len];
    ASSERT_GE(f.info.size(), 6 + id_len + pw_len);
    const std::string pw(f.info.begin() + 6 + static_cast<std::ptrdiff_t>(id_len),
                         f.info.begin() + 6 + static_cast<std::ptrdiff_t>(id_len + pw_len));
    EXPECT_EQ(peer, kUser);
    EXPECT_TRUE(auth::pap_password_matches(pw, kPassword));
    EXPECT_FALSE(auth::pap_password_matches(pw, "Tunnel-Lab-8"));
    found = true;
  }
  EXPECT_TRUE(found);
}

TEST(CaptureReader, ReadsTcpAndGreInOrder) {
  const auto pk = test::read_capture(test::capture_path("mschapv2-mppe128.pcap"));
  ASSERT_FALSE(pk.empty());
  // Frame 4 (tshark numbering) is the Start-Control-Connection-Request: 156 bytes of TCP payload
  // from the client to port 1723, magic cookie 0x1A2B3C4D at offset 4 (RFC 2637 §2.1).
  const auto& first = pk.front();
  EXPECT_EQ(first.index, 4u);
  EXPECT_EQ(first.ip_protocol, 6);
  EXPECT_EQ(first.src, kClient);
  EXPECT_EQ(first.dst, kServer);
  EXPECT_EQ(first.dst_port, 1723);
  EXPECT_EQ(first.payload.size(), 156u);
  EXPECT_EQ(load_be32(first.payload.data() + 4), 0x1a2b3c4du);
  std::size_t last_index = 0;
  double last_time = -1;
  int gre = 0;
  for (const auto& p : pk) {
    EXPECT_GT(p.index, last_index);
    EXPECT_GE(p.time, last_time);
    last_index = p.index, last_time = p.time;
    EXPECT_FALSE(p.payload.empty());
    if (p.ip_protocol == 47) {
      ++gre;
      EXPECT_EQ(load_be16(p.payload.data() + 2), 0x880b);  // GRE protocol type PPP
      EXPECT_EQ(p.src_port, 0);
    }
  }
  EXPECT_GT(gre, 20);
}

TEST(CaptureReader, MissingFileThrowsWithThePath) {
  try {
    (void)test::read_capture("/nonexistent/x.pcap");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/x.pcap"), std::string::npos);
  }
}

}  // namespace
}  // namespace pptpx::ppp
