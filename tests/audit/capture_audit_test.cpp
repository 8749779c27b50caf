// The audit over the shared captures of real pppd/pptpd/Linux-kernel sessions (user bob, password
// Tunnel-Lab-7; three pings 198.51.100.10 -> 198.51.100.1 and their replies through the tunnel):
// method, outcome, MPPE, addresses, grade, the NT hash tail and decryption to the exact inner
// packets. Expected values come from the captures' README and independent computation here.
#include <gtest/gtest.h>

#include <algorithm>

#include "audit/handshake_exports.hpp"
#include "audit_harness.hpp"
#include "support/shared_captures.hpp"

namespace pptpx::audit::test {
namespace {

using pptpx::test::kCaptureClient, pptpx::test::kCaptureServer, pptpx::test::kCapturePassword;
constexpr std::uint32_t kClient = kCaptureClient, kServer = kCaptureServer;
constexpr std::uint32_t kInnerClient = pptpx::test::kCaptureInnerClient, kInnerServer = pptpx::test::kCaptureInnerServer;

// A shared capture in this layer's terms.
struct CaptureCase {
  const char* file;
  AuthMethod method;
  std::optional<auth::MppeStrength> strength;
  explicit CaptureCase(const pptpx::test::SharedCapture& c)
      : file(c.file),
        method(pptpx::test::auth_as<AuthMethod>(c.auth)),
        strength(pptpx::test::mppe_as<auth::MppeStrength>(c.mppe_bits)) {}
};

class CaptureAudit : public ::testing::TestWithParam<pptpx::test::SharedCapture> {};

TEST_P(CaptureAudit, FindsGradesAndDecryptsTheSession) {
  const CaptureCase c(GetParam());
  auto r = run_audit(pptpx::test::capture_path(c.file), password_book("bob", kCapturePassword));
  ASSERT_EQ(r->sessions(), 1u);
  const Session& s = r->session();
  EXPECT_TRUE(s.roles_known);
  EXPECT_EQ(s.ip[0], kClient);  // pptp-linux is the PNS
  EXPECT_EQ(s.ip[1], kServer);
  ASSERT_TRUE(s.pns_call_id && s.pac_call_id);
  ASSERT_EQ(s.handshakes.size(), 1u);
  const Handshake& h = s.handshakes[0];
  EXPECT_EQ(h.method, c.method);
  EXPECT_EQ(h.name, "bob");
  EXPECT_EQ(h.outcome, AuthOutcome::Success);
  EXPECT_EQ(s.ipv4_address[0], kInnerClient);
  EXPECT_EQ(s.ipv4_address[1], kInnerServer);
  const Grade g = grade(s);
  if (c.strength) {
    ASSERT_TRUE(s.mppe_agreed[0] && s.mppe_agreed[1]);
    EXPECT_EQ(s.mppe_agreed[0]->strength, *c.strength);
    EXPECT_TRUE(s.mppe_agreed[0]->stateless);
    // The NT hash's last two octets from the 2^16 search equal those of MD4(UTF-16LE(password)).
    const auto nt = auth::nt_password_hash("Tunnel-Lab-7");
    ASSERT_TRUE(h.nt_hash_tail);
    EXPECT_EQ(*h.nt_hash_tail, (nt[14] << 8) | nt[15]);
    EXPECT_EQ(g.level, "exposed");  // the password was supplied
    for (const auto& d : s.dir) {
      EXPECT_EQ(d.decrypted, d.mppe_packets);
      EXPECT_TRUE(d.undecryptable.empty());
    }
  } else {
    EXPECT_FALSE(s.mppe_agreed[0] || s.mppe_agreed[1]);
    EXPECT_NE(std::find(g.findings.begin(), g.findings.end(), "no MPPE: every packet of the tunnel in clear"),
              g.findings.end());
  }
  if (c.method == AuthMethod::Pap) {
    EXPECT_EQ(h.pap_password, "Tunnel-Lab-7");
    EXPECT_EQ(g.findings.front(), "PAP: the password in clear");
  }
  if (c.method == AuthMethod::MsChapV2) {
    EXPECT_EQ(g.findings.front(),
              "MS-CHAPv2: the NT hash falls to one 2^56 DES search whatever the password; then every MPPE key of this session");
  }
  if (c.strength == auth::MppeStrength::Bits40) {
    EXPECT_NE(std::find(g.findings.begin(), g.findings.end(), "MPPE-40: the traffic falls to a 2^40 search"),
              g.findings.end());
  }
  // Inner traffic: three echo requests client -> server and three replies, exact ICMP: valid
  // IPv4 and ICMP checksums, 56 data octets, each reply's data equal to its request's.
  std::vector<const InnerPacket*> req, rep;
  for (const auto& p : r->inner) {
    ASSERT_GE(p.ip.size(), 1u);
    if ((p.ip[0] >> 4) != 4) continue;  // IPv6 router solicitations also cross
    ASSERT_GE(p.ip.size(), 28u);
    EXPECT_EQ(inet_checksum(ByteView(p.ip).first(20)), 0);
    EXPECT_EQ(inet_checksum(ByteView(p.ip).subspan(20)), 0);
    ASSERT_EQ(p.ip[9], 1);  // ICMP
    ASSERT_EQ(p.ip.size(), 84u);
    const std::uint32_t src = load_be32(&p.ip[12]), dst = load_be32(&p.ip[16]);
    if (p.ip[20] == 8) {
      EXPECT_EQ(src, kInnerClient);
      EXPECT_EQ(dst, kInnerServer);
      EXPECT_EQ(p.direction, 0);
      req.push_back(&p);
    } else if (p.ip[20] == 0) {
      EXPECT_EQ(src, kInnerServer);
      EXPECT_EQ(p.direction, 1);
      rep.push_back(&p);
    }
  }
  ASSERT_EQ(req.size(), 3u);
  ASSERT_EQ(rep.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(load_be16(&req[i]->ip[26]), i);  // ICMP sequence 0, 1, 2
    EXPECT_TRUE(std::equal(req[i]->ip.begin() + 24, req[i]->ip.end(), rep[i]->ip.begin() + 24));
    EXPECT_LT(req[i]->time, rep[i]->time);
  }
}

INSTANTIATE_TEST_SUITE_P(SharedCaptures, CaptureAudit, ::testing::ValuesIn(pptpx::test::kSharedCaptures),
                         [](const auto& param_info) { return pptpx::test::capture_param_name(param_info.param); });

TEST(CaptureAudit, WithoutThePasswordNothingIsDecryptedAndTheReasonIsGiven) {
  auto r = run_audit(pptpx::test::capture_path("mschapv2-mppe128.pcap"));
  ASSERT_EQ(r->sessions(), 1u);
  EXPECT_TRUE(r->inner.empty());
  const auto& d = r->session().dir[0];
  ASSERT_EQ(d.undecryptable.size(), 1u);
  EXPECT_EQ(d.undecryptable.begin()->first, "no key: no password or NT hash for bob");
  EXPECT_EQ(d.undecryptable.begin()->second, d.mppe_packets);
  EXPECT_EQ(grade(r->session()).level, "broken");
}

TEST(CaptureAudit, AWrongPasswordIsRejectedNotUsed) {
  auto r = run_audit(pptpx::test::capture_path("mschapv2-mppe128.pcap"), password_book("bob", "wrong"));
  EXPECT_TRUE(r->inner.empty());
  EXPECT_FALSE(r->session().handshakes[0].nt_hash);
  ASSERT_FALSE(r->session().notes.empty());
}

TEST(CaptureAudit, TheNtHashAloneDecrypts) {
  KeyBook k;
  k.users["bob"] = KeyBook::Entry{auth::nt_password_hash("Tunnel-Lab-7"), std::nullopt, "--nt-hash"};
  auto r = run_audit(pptpx::test::capture_path("mschapv1-mppe128.pcap"), k);
  EXPECT_EQ(r->session().dir[1].decrypted, r->session().dir[1].mppe_packets);
  EXPECT_GE(r->inner.size(), 6u);
}

}  // namespace
}  // namespace pptpx::audit::test
