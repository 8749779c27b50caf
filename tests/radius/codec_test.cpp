// RADIUS codec against the RFC 2865 §7 example packets (shared secret "xyzzy5461", the one the
// examples were made with: it reproduces both printed Response Authenticators and unhides
// "arctangent"), and against values computed independently with Python's hashlib/hmac:
//   s=b"xyzzy5461"; ra=<§7.1 Request Authenticator>
//   Message-Authenticator: hmac.new(s, packet_with_MA_zeroed, hashlib.md5)      (RFC 3579 §3.2)
//   MS-MPPE key: b1=md5(s+ra+salt), c1=p1^b1, b2=md5(s+c1), ...               (RFC 2548 §2.4.2)
//   Accounting Request Authenticator: md5(hdr + 16*00 + attrs + s)              (RFC 2866 §3)
#include <gtest/gtest.h>

#include <string>

#include "radius/packet.hpp"
#include "radius/security.hpp"
#include "support/hex_literal.hpp"

namespace pptpx::radius {
namespace {

using test::hex;
using test::hex_array;

constexpr std::string_view kSecret = "xyzzy5461";
const Bytes kReq71 = hex(
    "01 00 00 38 0f 40 3f 94 73 97 80 57 bd 83 d5 cb 98 f4 22 7a 01 06 6e 65 6d 6f 02 12 0d be 70 8d"
    "93 d4 13 ce 31 96 e4 3f 78 2a 0a ee 04 06 c0 a8 01 10 05 06 00 00 00 03");
const Bytes kAccept71 = hex(
    "02 00 00 26 86 fe 22 0e 76 24 ba 2a 10 05 f6 bf 9b 55 e0 b2 06 06 00 00 00 01 0f 06 00 00 00 00"
    "0e 06 c0 a8 01 03");
const Bytes kReq72 = hex(
    "01 01 00 47 2a ee 86 f0 8d 0d 55 96 9c a5 97 8e 0d 33 67 a2 01 08 66 6c 6f 70 73 79 03 13 16 e9"
    "75 57 c3 16 18 58 95 f2 93 ff 63 44 07 72 75 04 06 c0 a8 01 10 05 06 00 00 00 14 06 06 00 00 00"
    "02 07 06 00 00 00 01");
const Bytes kAccept72 = hex(
    "02 01 00 38 15 ef bc 7d ab 26 cf a3 dc 34 d9 c0 3c 86 01 a4 06 06 00 00 00 02 07 06 00 00 00 01"
    "08 06 ff ff ff fe 0a 06 00 00 00 02 0d 06 00 00 00 01 0c 06 00 00 05 dc");
const auto kRa71 = hex_array<16>("0f403f9473978057bd83d5cb98f4227a");

TEST(RadiusCodec, ParsesRfc2865Example71) {
  const ParseResult r = parse(kReq71);
  ASSERT_EQ(r.error, ParseError::None);
  EXPECT_EQ(r.packet.code, Code::AccessRequest);
  EXPECT_EQ(r.packet.identifier, 0);
  EXPECT_EQ(r.packet.authenticator, kRa71);
  ASSERT_EQ(r.packet.attributes.size(), 4u);
  EXPECT_EQ(r.packet.find_string(attr::UserName), "nemo");
  EXPECT_EQ(r.packet.find_u32(attr::NasIpAddress), 0xc0a80110u);  // 192.168.1.16
  EXPECT_EQ(r.packet.find_u32(attr::NasPort), 3u);
  // Re-encoding gives the same octets.
  EXPECT_EQ(encode(r.packet), kReq71);
}

TEST(RadiusCodec, UnhidesAndHidesTheExamplePassword) {
  const Packet p = parse(kReq71).packet;
  const Attribute* pw = p.find(attr::UserPassword);
  ASSERT_NE(pw, nullptr);
  EXPECT_EQ(unhide_user_password(pw->value, p.authenticator, kSecret), "arctangent");
  EXPECT_EQ(hide_user_password("arctangent", p.authenticator, kSecret), pw->value);
  EXPECT_NE(unhide_user_password(pw->value, p.authenticator, "wrong"), "arctangent");
}

TEST(RadiusCodec, HidesAPasswordLongerThanOneBlock) {
  EXPECT_EQ(hide_user_password("abcdefghijklmnopqrst", kRa71, kSecret),
            hex("0dae709d97dc13c336888f531544659e9d8fc008466ec4f9651aae68ce803b35"));
  EXPECT_EQ(hide_user_password(std::string(129, 'x'), kRa71, kSecret), std::nullopt);
  EXPECT_EQ(hide_user_password("", kRa71, kSecret)->size(), 16u);
}

TEST(RadiusCodec, VerifiesTheExampleResponseAuthenticators) {
  EXPECT_EQ(verify_response(kAccept71, kRa71, kSecret, false), VerifyError::None);
  const auto ra72 = parse(kReq72).packet.authenticator;
  EXPECT_EQ(verify_response(kAccept72, ra72, kSecret, false), VerifyError::None);
  // Wrong secret, wrong request, or a flipped bit: refused.
  EXPECT_EQ(verify_response(kAccept71, kRa71, "xyzzy5462", false), VerifyError::BadResponseAuthenticator);
  EXPECT_EQ(verify_response(kAccept71, ra72, kSecret, false), VerifyError::BadResponseAuthenticator);
  Bytes flipped = kAccept71;
  flipped.back() ^= 1;
  EXPECT_EQ(verify_response(flipped, kRa71, kSecret, false), VerifyError::BadResponseAuthenticator);
  // BlastRADIUS: without Message-Authenticator the reply is refused when we require one.
  EXPECT_EQ(verify_response(kAccept71, kRa71, kSecret, true), VerifyError::MissingMessageAuthenticator);
}

TEST(RadiusCodec, BuildsTheExampleAcceptsResponseAuthenticator) {
  Packet accept = parse(kAccept72).packet;
  const auto ra72 = parse(kReq72).packet.authenticator;
  EXPECT_EQ(encode_response(accept, ra72, kSecret, false), kAccept72);
  const Packet p = parse(kAccept72).packet;
  EXPECT_EQ(p.find_u32(attr::FramedIpAddress), 0xfffffffeu);
  EXPECT_EQ(p.find_u32(attr::FramedMtu), 1500u);
}

TEST(RadiusCodec, MessageAuthenticatorOnAccessRequest) {
  Packet p = parse(kReq71).packet;
  const Bytes wire = encode_access_request(p, kSecret);
  EXPECT_EQ(wire, hex("0100004a0f403f9473978057bd83d5cb98f4227a50128f16b45f90d3494989a4f14f4421c618"
                      "01066e656d6f02120dbe708d93d413ce3196e43f782a0aee0406c0a80110050600000003"));
}

TEST(RadiusCodec, MessageAuthenticatorOnResponses) {
  const Bytes expected = hex("0200002c0e28e13bb2ff9188f2b23e4412c2c6c25012385b899f61a9e7c802bb3546c10a2a8b060600000001");
  Packet accept;
  accept.code = Code::AccessAccept;
  accept.identifier = 0;
  accept.add_u32(attr::ServiceType, 1);
  EXPECT_EQ(encode_response(accept, kRa71, kSecret, true), expected);
  EXPECT_EQ(verify_response(expected, kRa71, kSecret, true), VerifyError::None);
  // Forge: change the Message-Authenticator and recompute the Response Authenticator (what an
  // attacker who cannot compute HMAC but controls MD5 prefixes could aim for).
  Packet forged = parse(expected).packet;
  forged.attributes[0].value[0] ^= 1;
  const Bytes forged_wire = encode_response(forged, kRa71, kSecret, false);
  EXPECT_EQ(verify_response(forged_wire, kRa71, kSecret, true), VerifyError::BadMessageAuthenticator);
}

TEST(RadiusCodec, AccountingRequestAuthenticator) {
  Packet p;
  p.code = Code::AccountingRequest;
  p.identifier = 7;
  p.add_u32(attr::AcctStatusType, 1);
  p.add_string(attr::AcctSessionId, "abc");
  const Bytes wire = encode_accounting_style_request(p, kSecret);
  EXPECT_EQ(wire, hex("0407001fcbd9a5e0a145d37ef5183c2ebeeb0d032806000000012c05616263"));
  EXPECT_EQ(verify_accounting_style_request(wire, kSecret, false), VerifyError::None);
  EXPECT_EQ(verify_accounting_style_request(wire, "other", false), VerifyError::BadRequestAuthenticator);
  const Bytes with_ma = encode_accounting_style_request(p, kSecret, true);
  EXPECT_EQ(verify_accounting_style_request(with_ma, kSecret, true), VerifyError::None);
  EXPECT_EQ(verify_accounting_style_request(wire, kSecret, true), VerifyError::MissingMessageAuthenticator);
}

TEST(RadiusCodec, MppeKeySaltDecryption) {
  const Bytes value = hex("8001d74fd77a66159af1c00e2603ed8f8a2da18214fcd796204e7e1edd8c11cafce2");
  Bytes key(16);
  for (std::size_t i = 0; i < 16; ++i) key[i] = static_cast<std::uint8_t>(i);
  EXPECT_EQ(encrypt_mppe_key(key, 0x8001, kRa71, kSecret), value);
  EXPECT_EQ(decrypt_mppe_key(value, kRa71, kSecret), key);
  // Salt without its top bit (RFC 2548 §2.4.2 MUST), odd sizes, a wrong secret: refused.
  Bytes no_top = value;
  no_top[0] = 0x00;
  EXPECT_EQ(decrypt_mppe_key(no_top, kRa71, kSecret), std::nullopt);
  EXPECT_EQ(decrypt_mppe_key(ByteView(value).first(17), kRa71, kSecret), std::nullopt);
  const auto wrong = decrypt_mppe_key(value, kRa71, "wrong");
  EXPECT_TRUE(!wrong || *wrong != key);
}

TEST(RadiusCodec, VendorSpecificMicrosoftAttributes) {
  Packet p;
  p.code = Code::AccessAccept;
  const Bytes success = {0x01, 'S', '=', 'A'};
  p.add_vendor(kVendorMicrosoft, ms::Chap2Success, success);
  p.add_u32(attr::SessionTimeout, 60);
  const Packet q = parse(encode(p)).packet;
  EXPECT_EQ(q.find_vendor(kVendorMicrosoft, ms::Chap2Success), success);
  EXPECT_EQ(q.find_vendor(kVendorMicrosoft, ms::ChapError), std::nullopt);
  EXPECT_EQ(q.find_vendor(9, ms::Chap2Success), std::nullopt);
  // The wire layout of RFC 2865 §5.26: 26, len, vendor id 311, vendor type, vendor length.
  EXPECT_EQ(encode(p).size(), 20u + 2 + 4 + 2 + success.size() + 6);
  std::uint32_t vendor = 0;
  EXPECT_EQ(parse_vendor_specific(hex("00000137 1a 01"), vendor), std::nullopt);  // length 1
  EXPECT_EQ(parse_vendor_specific(hex("00000137 1a 05 00 00"), vendor), std::nullopt);  // past the end
}

TEST(RadiusCodec, RefusesMalformedPackets) {
  EXPECT_EQ(parse(ByteView(kReq71).first(19)).error, ParseError::TooShort);
  Bytes shorter = kReq71;
  shorter.pop_back();
  EXPECT_EQ(parse(shorter).error, ParseError::TooShort);
  Bytes padded = kReq71;
  padded.push_back(0xee);  // octets beyond Length are padding (RFC 2865 §3)
  EXPECT_EQ(parse(padded).error, ParseError::None);
  Bytes bad_len = kReq71;
  bad_len[2] = 0x20;  // 8192
  EXPECT_EQ(parse(bad_len).error, ParseError::BadLength);
  Bytes bad_code = kReq71;
  bad_code[0] = 99;
  EXPECT_EQ(parse(bad_code).error, ParseError::UnknownCode);
  Bytes bad_attr = kReq71;
  bad_attr[21] = 1;  // User-Name length 1
  EXPECT_EQ(parse(bad_attr).error, ParseError::BadAttribute);
  bad_attr[21] = 0x40;  // past the end
  EXPECT_EQ(parse(bad_attr).error, ParseError::BadAttribute);
}

}  // namespace
}  // namespace pptpx::radius
