// Export lines checked the way the cracking tools use them: each line's fields, fed back through
// RFC 2759 / RFC 2433 / RFC 1994 computations with the right password, reproduce the response.
// Vectors: RFC 2759 §9.2 (and the $99$ token the chapcrack/CloudCracker format gives for it,
// checked independently with Python's base64 when this test was written), and the captures.
#include <gtest/gtest.h>

#include <sstream>

#include "audit/handshake_exports.hpp"
#include "audit/report.hpp"
#include "audit_harness.hpp"
#include "auth/chap_md5.hpp"
#include "support/hex_literal.hpp"
#include "support/test_paths.hpp"
#include "util/hex.hpp"

namespace pptpx::audit::test {
namespace {

template <std::size_t N>
std::array<std::uint8_t, N> arr(std::string_view h) {
  auto b = from_hex(h);
  std::array<std::uint8_t, N> a{};
  EXPECT_TRUE(b && b->size() == N);
  if (b) std::copy(b->begin(), b->end(), a.begin());
  return a;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(cur);
  if (!s.empty() && s.back() == sep) out.emplace_back();
  return out;
}

// RFC 2759 §9.2.
Handshake rfc2759_handshake() {
  Handshake h;
  h.method = AuthMethod::MsChapV2;
  h.name = "User";
  h.user = "User";
  h.auth_challenge = arr<16>("5B5D7C7D7B3F2F3E3C2C602132262628");
  h.peer_challenge = arr<16>("21402324255E262A28295F2B3A337C7E");
  h.nt_response = arr<24>("82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF");
  h.des_challenge = auth::challenge_hash(*h.peer_challenge, *h.auth_challenge, h.name);
  return h;
}

TEST(Exports, Rfc2759VectorGivesTheChapcrackToken) {
  Handshake h = rfc2759_handshake();
  EXPECT_EQ(*h.des_challenge, (arr<8>("D02E4386BCE91226")));  // RFC 2759 §9.2 Challenge
  h.nt_hash_tail = nt_hash_tail(*h.des_challenge, *h.nt_response);
  ASSERT_TRUE(h.nt_hash_tail);
  EXPECT_EQ(*h.nt_hash_tail, 0x89AE);  // PasswordHash 44EBBA8D5312B8D611474411F56989AE
  const auto e = exports_for(h);
  EXPECT_EQ(e.token99, "$99$0C5DhrzpEiaCMJ7NjXCLXqCPqjmBzYNUia4=");
  EXPECT_EQ(e.hashcat_5500, "User::::82309ecd8d708b5ea08faa3981cd83544233114a3d85d6df:d02e4386bce91226");
  EXPECT_EQ(e.john,
            "$MSCHAPv2$5b5d7c7d7b3f2f3e3c2c602132262628$82309ecd8d708b5ea08faa3981cd83544233114a3d85d6df$"
            "21402324255e262a28295f2b3a337c7e$User");
  EXPECT_EQ(e.asleap,
            "asleap -C d0:2e:43:86:bc:e9:12:26 -R "
            "82:30:9e:cd:8d:70:8b:5e:a0:8f:aa:39:81:cd:83:54:42:33:11:4a:3d:85:d6:df");
}

TEST(Exports, NoTailForAResponseThatIsNotMsChap) {
  auth::NtResponse junk{};
  junk.fill(0x5a);
  EXPECT_FALSE(nt_hash_tail(auth::Challenge8{}, junk));
}

TEST(Exports, Base64MatchesRfc4648Vectors) {
  auto b = [](std::string_view s) { return base64(ByteView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size())); };
  EXPECT_EQ(b(""), "");
  EXPECT_EQ(b("f"), "Zg==");
  EXPECT_EQ(b("fo"), "Zm8=");
  EXPECT_EQ(b("foo"), "Zm9v");
  EXPECT_EQ(b("foob"), "Zm9vYg==");
  EXPECT_EQ(b("fooba"), "Zm9vYmE=");
  EXPECT_EQ(b("foobar"), "Zm9vYmFy");
}

// The capture's export lines, checked with the known password as each tool would.
TEST(Exports, CaptureLinesReproduceTheResponsesWithThePassword) {
  const auto nt = auth::nt_password_hash("Tunnel-Lab-7");
  {
    auto r = run_audit(pptpx::test::capture_path("mschapv2-mppe128.pcap"));
    const auto e = exports_for(r->session().handshakes.at(0));
    // hashcat 5500: user::domain:lm:nt:challenge -> NT = DES triple of the challenge under the NT hash.
    auto f = split(e.hashcat_5500, ':');
    ASSERT_EQ(f.size(), 6u);
    EXPECT_EQ(f[0], "bob");
    EXPECT_EQ(auth::challenge_response(arr<8>(f[5]), nt), (arr<24>(f[4])));
    // john: $MSCHAPv2$authchal$ntresp$peerchal$user -> RFC 2759 GenerateNTResponse.
    auto j = split(e.john, '$');
    ASSERT_EQ(j.size(), 6u);
    EXPECT_EQ(j[1], "MSCHAPv2");
    EXPECT_EQ(auth::mschapv2_nt_response(arr<16>(j[2]), arr<16>(j[4]), j[5], nt), (arr<24>(j[3])));
    // $99$: challenge | C1 | C2 | K3[0:2]; the two octets are the NT hash's last two.
    ASSERT_EQ(e.token99.substr(0, 4), "$99$");
    const auto c1c2 = auth::challenge_response(arr<8>(f[5]), nt);
    Bytes expect = *from_hex(f[5]);
    expect.insert(expect.end(), c1c2.begin(), c1c2.begin() + 16);
    expect.push_back(nt[14]);
    expect.push_back(nt[15]);
    EXPECT_EQ(e.token99, "$99$" + base64(expect));
  }
  {
    auto r = run_audit(pptpx::test::capture_path("mschapv1-mppe128.pcap"));
    const auto e = exports_for(r->session().handshakes.at(0));
    auto f = split(e.hashcat_5500, ':');
    ASSERT_EQ(f.size(), 6u);
    EXPECT_EQ(auth::challenge_response(arr<8>(f[5]), nt), (arr<24>(f[4])));
  }
  {
    auto r = run_audit(pptpx::test::capture_path("chapmd5-plain.pcap"));
    const auto e = exports_for(r->session().handshakes.at(0));
    // hashcat 4800: response:challenge:id, response = MD5(id | secret | challenge) (RFC 1994 §4.1).
    auto f = split(e.hashcat_4800, ':');
    ASSERT_EQ(f.size(), 3u);
    const Bytes challenge = *from_hex(f[1]);
    const auto id = static_cast<std::uint8_t>(std::stoi(f[2], nullptr, 16));
    const auto resp = auth::chap_md5_response(id, "Tunnel-Lab-7", challenge);
    EXPECT_EQ(to_hex(resp), f[0]);
  }
}

TEST(Exports, ExportLinesFollowTheFormatAsked) {
  auto r = run_audit(pptpx::test::capture_path("mschapv2-mppe128.pcap"));
  const auto lines = export_lines(*r->analyzer, "hashcat-5500");
  EXPECT_EQ(std::count(lines.begin(), lines.end(), '\n'), 1);
  EXPECT_EQ(lines.rfind("bob::::", 0), 0u);
  EXPECT_EQ(export_lines(*r->analyzer, "hashcat-4800"), "");
}

}  // namespace
}  // namespace pptpx::audit::test
