// EAP packet parsing (RFC 3748 §4) and EAP-TLS fragment reassembly / fragmentation (RFC 5216
// §2.1.5, §3.1), with the 64 KiB bound.
#include <gtest/gtest.h>

#include "ppp/eap_packet.hpp"

namespace pptpx::ppp {
namespace {

TEST(EapPacket, ParsesRequestsAndIgnoresPadding) {
  const Bytes in = {1, 9, 0, 6, 1, 'a', 0xff, 0xff};  // Identity Request "a" + 2 octets padding
  const auto r = parse_eap(in);
  ASSERT_EQ(r.error, EapParseError::None);
  EXPECT_EQ(r.packet.code, EapCode::Request);
  EXPECT_EQ(r.packet.identifier, 9);
  EXPECT_EQ(r.packet.type, eap_type::kIdentity);
  EXPECT_EQ(r.packet.type_data.size(), 1u);
}

TEST(EapPacket, RejectsLengthLiesAndUnknownCodes) {
  EXPECT_EQ(parse_eap(Bytes{1, 1, 0, 9, 1}).error, EapParseError::Malformed);  // Length past the frame
  EXPECT_EQ(parse_eap(Bytes{1, 1, 0, 3}).error, EapParseError::Malformed);     // Length < 4
  EXPECT_EQ(parse_eap(Bytes{2, 1, 0, 4}).error, EapParseError::Malformed);     // Response without Type
  EXPECT_EQ(parse_eap(Bytes{5, 1, 0, 4}).error, EapParseError::UnknownCode);
  EXPECT_EQ(parse_eap(Bytes{3, 1, 0, 4}).error, EapParseError::None);
  EXPECT_EQ(build_eap(EapCode::Success, 7), (Bytes{3, 7, 0, 4}));
}

TEST(EapTlsFraming, FlagsAndLength) {
  EXPECT_FALSE(parse_eap_tls(Bytes{}));
  EXPECT_FALSE(parse_eap_tls(Bytes{0x80, 0, 0}));  // L without 4 length octets
  const auto f = parse_eap_tls(Bytes{0xc0, 0, 0, 1, 0, 0x16, 0x03});
  ASSERT_TRUE(f);
  EXPECT_EQ(f->flags, 0xc0);
  EXPECT_EQ(f->message_length, 256u);
  EXPECT_EQ(f->data.size(), 2u);
}

TEST(EapTlsFraming, FragmentsReassembleToTheMessage) {
  Bytes message(1000);
  for (std::size_t i = 0; i < message.size(); ++i) message[i] = static_cast<std::uint8_t>(i * 7);
  EapTlsFragmenter out;
  out.load(message, 300);
  EapTlsReassembler in;
  int fragments = 0;
  while (out.pending()) {
    const Bytes td = out.next();
    const auto f = parse_eap_tls(td);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->message_length.has_value(), fragments == 0);  // L only on the first
    if (fragments == 0) {
      EXPECT_EQ(*f->message_length, 1000u);
    }
    const auto r = in.add(*f);
    ++fragments;
    EXPECT_EQ(r, out.pending() ? EapTlsReassembler::Result::NeedMore : EapTlsReassembler::Result::Complete);
  }
  EXPECT_EQ(fragments, 4);
  EXPECT_EQ(in.message(), message);
  // A message that fits one fragment carries neither L nor M.
  out.load(Bytes{1, 2, 3}, 300);
  EXPECT_EQ(out.next(), (Bytes{0, 1, 2, 3}));
}

TEST(EapTlsFraming, BoundsAndLies) {
  EapTlsReassembler in;
  const Bytes data(10, 0x16);
  // Announced length above 64 KiB.
  EXPECT_EQ(in.add({0xc0, 65537, data}), EapTlsReassembler::Result::TooLarge);
  // More data than announced.
  EXPECT_EQ(in.add({0xc0, 15, data}), EapTlsReassembler::Result::NeedMore);
  EXPECT_EQ(in.add({0x00, std::nullopt, data}), EapTlsReassembler::Result::Invalid);
  // Less data than announced.
  EXPECT_EQ(in.add({0xc0, 15, data}), EapTlsReassembler::Result::NeedMore);
  EXPECT_EQ(in.add({0x00, std::nullopt, ByteView(data).first(2)}), EapTlsReassembler::Result::Invalid);
  // Without L, fragments with M stop at 64 KiB.
  const Bytes chunk(1000, 0x17);
  EapTlsReassembler::Result r = EapTlsReassembler::Result::NeedMore;
  int n = 0;
  while (r == EapTlsReassembler::Result::NeedMore && n < 1000) {
    r = in.add({0x40, std::nullopt, chunk});
    ++n;
  }
  EXPECT_EQ(r, EapTlsReassembler::Result::TooLarge);
  EXPECT_EQ(n, 66);
}

}  // namespace
}  // namespace pptpx::ppp
