// Two things an Access-Accept/-Reject carries beyond the verdict:
//  - MS-CHAP-MPPE-Keys (RFC 2548 §2.4.1) for MS-CHAPv1: the 32-octet Keys field hidden like a
//    User-Password (RFC 2865 §5.2), hidden here with OpenSSL's MD5 directly; its NT-Key is the
//    NtPasswordHashHash, from which the start key is RFC 3079 §2.5.3's (password "clientPass",
//    challenge 10 2d b5 df 08 5d 30 41: start key a8 94 78 50 cf c0 ac c1 d1 78 9f b6 2d dc dd b0).
//  - Reply-Message on a Reject: to the log always, to the client only with
//    [radius] reply_message_to_client (issue 16: refusals look alike by default).
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>

#include "auth/mppe_keys.hpp"
#include "ppp/auth_chap_common.hpp"
#include "server/radius_auth.hpp"
#include "support/hex_literal.hpp"

namespace pptpx::server {
namespace {

using test::hex;
using test::hex_array;

Bytes md5(const Bytes& in) {
  Bytes out(16);
  unsigned int n = 0;
  EVP_Digest(in.data(), in.size(), out.data(), &n, EVP_md5(), nullptr);
  return out;
}

// RFC 2865 §5.2: c(1) = p(1) xor MD5(S + RA), c(i) = p(i) xor MD5(S + c(i-1)).
Bytes hide(const Bytes& plain, std::string_view secret, const radius::Authenticator& ra) {
  Bytes out;
  Bytes prev(ra.begin(), ra.end());
  for (std::size_t off = 0; off < plain.size(); off += 16) {
    Bytes in(secret.begin(), secret.end());
    in.insert(in.end(), prev.begin(), prev.end());
    const Bytes b = md5(in);
    Bytes c(16);
    for (std::size_t i = 0; i < 16; ++i) c[i] = static_cast<std::uint8_t>(plain[off + i] ^ b[i]);
    out.insert(out.end(), c.begin(), c.end());
    prev = c;
  }
  return out;
}

const Bytes kHashHash = hex("41 c0 0c 58 4b d2 d9 1c 40 17 a2 a1 2f a5 9f 3f");
const Bytes kChallenge = hex("10 2d b5 df 08 5d 30 41");

radius::Completion v1_accept(const Bytes& keys_field) {
  radius::Completion c;
  c.secret = "xyzzy5461";
  c.request_authenticator.fill(0x3c);
  c.reply = radius::Packet{};
  c.reply->code = radius::Code::AccessAccept;
  c.reply->add_vendor(radius::kVendorMicrosoft, radius::ms::ChapMppeKeys, keys_field);
  return c;
}

TEST(RadiusMsChapV1Keys, MsChapMppeKeysGiveTheRfc3079StartKey) {
  Bytes plain(8, 0xAA);  // LM-Key: never used (we compute no LM hashes)
  plain.insert(plain.end(), kHashHash.begin(), kHashHash.end());
  plain.insert(plain.end(), 8, 0);  // padding
  radius::Completion c = v1_accept({});
  c.reply->attributes.clear();
  c.reply->add_vendor(radius::kVendorMicrosoft, radius::ms::ChapMppeKeys, hide(plain, c.secret, c.request_authenticator));
  const auto v = verdict_from_reply(c, ppp::AuthMethod::MsChapV1);
  ASSERT_EQ(v.outcome, ppp::RemoteAuthVerdict::Outcome::Accept);
  ASSERT_TRUE(v.mschapv1_nt_key);
  EXPECT_EQ(Bytes(v.mschapv1_nt_key->begin(), v.mschapv1_nt_key->end()), kHashHash);

  const ppp::ChapVerdict cv = ppp::chap_verdict_from_remote(ppp::AuthMethod::MsChapV1, kChallenge, "User", v);
  ASSERT_TRUE(cv.accepted);
  ASSERT_TRUE(cv.mppe);
  const auth::MppeKeys k = auth::derive_mppe_keys(*cv.mppe, auth::MppeStrength::Bits128);
  const Bytes start = hex("a8 94 78 50 cf c0 ac c1 d1 78 9f b6 2d dc dd b0");
  EXPECT_EQ(Bytes(k.send.bytes.begin(), k.send.bytes.end()), start);
  EXPECT_EQ(k.send, k.recv);  // RFC 3079 §2: the same key both ways
  // 40-bit: the first 8 octets (salted later by the MPPE codec), as pppd does.
  const auth::MppeKeys k40 = auth::derive_mppe_keys(*cv.mppe, auth::MppeStrength::Bits40);
  EXPECT_EQ(Bytes(k40.send.bytes.begin(), k40.send.bytes.begin() + 8), Bytes(start.begin(), start.begin() + 8));
}

TEST(RadiusMsChapV1Keys, AMalformedKeysFieldGivesNoKeysAndSaysSo) {
  const auto v = verdict_from_reply(v1_accept(Bytes(20, 1)), ppp::AuthMethod::MsChapV1);
  EXPECT_FALSE(v.mschapv1_nt_key);
  EXPECT_NE(v.reason.find("MS-CHAP-MPPE-Keys"), std::string::npos);
  const ppp::ChapVerdict cv = ppp::chap_verdict_from_remote(ppp::AuthMethod::MsChapV1, kChallenge, "User", v);
  EXPECT_TRUE(cv.accepted);
  EXPECT_FALSE(cv.mppe);  // CCP then refuses MPPE where it is required
}

radius::Completion reject_with(std::string_view reply_message, bool mschap_error) {
  radius::Completion c;
  c.reply = radius::Packet{};
  c.reply->code = radius::Code::AccessReject;
  c.reply->add_string(radius::attr::ReplyMessage, reply_message);
  if (mschap_error) {
    const std::string err = "\x01" "E=691 R=1 C=00112233445566778899AABBCCDDEEFF V=3 M=Authentication rejected";
    c.reply->add_vendor(radius::kVendorMicrosoft, radius::ms::ChapError,
                        ByteView(reinterpret_cast<const std::uint8_t*>(err.data()), err.size()));
  }
  return c;
}

TEST(RadiusReplyMessage, StaysInTheLogByDefault) {
  const auto v = verdict_from_reply(reject_with("Your account expired", false), ppp::AuthMethod::ChapMd5);
  EXPECT_TRUE(v.client_text.empty());
  EXPECT_NE(v.reason.find("Your account expired"), std::string::npos);
  const ppp::ChapVerdict cv = ppp::chap_verdict_from_remote(ppp::AuthMethod::ChapMd5, kChallenge, "bob", v);
  EXPECT_FALSE(cv.accepted);
  EXPECT_EQ(cv.reply_message.find("expired"), std::string::npos);
  EXPECT_NE(cv.reason.find("Your account expired"), std::string::npos);
}

TEST(RadiusReplyMessage, ReachesTheClientWhenTheOperatorSaysSo) {
  auto v = verdict_from_reply(reject_with("Your account\x07 expired", false), ppp::AuthMethod::ChapMd5, true);
  EXPECT_EQ(v.client_text, "Your account? expired");  // printable only
  EXPECT_EQ(ppp::chap_verdict_from_remote(ppp::AuthMethod::ChapMd5, kChallenge, "bob", v).reply_message,
            "Your account? expired");
  // MS-CHAPv2: the server's MS-CHAP-Error keeps its E=, R=, C=, V=; the message replaces M=.
  v = verdict_from_reply(reject_with("Your account expired", true), ppp::AuthMethod::MsChapV2, true);
  EXPECT_EQ(ppp::chap_verdict_from_remote(ppp::AuthMethod::MsChapV2, hex("00112233445566778899AABBCCDDEEFF"), "bob", v)
                .reply_message,
            "E=691 R=1 C=00112233445566778899AABBCCDDEEFF V=3 M=Your account expired");
  // At most 200 octets.
  v = verdict_from_reply(reject_with(std::string(250, 'x'), false), ppp::AuthMethod::Pap, true);
  EXPECT_EQ(v.client_text.size(), 200u);
}

}  // namespace
}  // namespace pptpx::server
