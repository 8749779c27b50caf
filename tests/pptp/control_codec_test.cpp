// Control message codec: byte strings built by hand from the RFC 2637 §2 figures (not from our
// encoder), round trips of all fifteen messages, and every header/length error.
#include <gtest/gtest.h>

#include <string>

#include "pptp/control_codec.hpp"
#include "pptp/result_codes.hpp"
#include "support/hex_literal.hpp"

namespace pptpx::pptp {
namespace {

using test::hex;

// A text field as the RFC lays it out: the text, then zeros up to the field size.
Bytes padded(const std::string& s, std::size_t n) {
  Bytes b(s.begin(), s.end());
  b.resize(n, 0);
  return b;
}
Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// Lengths copied from the RFC 2637 §2 figures (rows of 4 octets counted by hand).
struct Expected {
  std::uint16_t type;
  std::size_t length;
};
constexpr Expected kRfcLengths[] = {{1, 156}, {2, 156}, {3, 16},  {4, 16},  {5, 16},
                                    {6, 20},  {7, 168}, {8, 32},  {9, 220}, {10, 24},
                                    {11, 28}, {12, 16}, {13, 148}, {14, 40}, {15, 24}};

TEST(ControlCodec, DecodesHandBuiltStartControlConnectionRequest) {
  // §2.1: Length 156, type 1, cookie, ctrl type 1, version 1.0, framing 1, bearer 1,
  // max channels 0, firmware 0x0010, host "peer", vendor "linux".
  Bytes b = cat({hex("009c 0001 1a2b3c4d 0001 0000 0100 0000 00000001 00000001 0000 0010"),
                 padded("peer", 64), padded("linux", 64)});
  ASSERT_EQ(b.size(), 156u);
  auto r = decode(b);
  ASSERT_TRUE(r.ok()) << r.reason;
  const auto& m = std::get<StartControlConnectionRequest>(*r.message);
  EXPECT_EQ(m.protocol_version, 0x0100);
  EXPECT_EQ(m.framing_capabilities, 1u);
  EXPECT_EQ(m.bearer_capabilities, 1u);
  EXPECT_EQ(m.maximum_channels, 0);
  EXPECT_EQ(m.firmware_revision, 0x10);
  EXPECT_EQ(m.host_name, "peer");
  EXPECT_EQ(m.vendor, "linux");
  EXPECT_EQ(encode(m), b);
}

TEST(ControlCodec, DecodesHandBuiltStartControlConnectionReplyWithError) {
  // §2.2: result 2 (general error), error 4 (no resource).
  Bytes b = cat({hex("009c 0001 1a2b3c4d 0002 0000 0100 02 04 00000003 00000002 0008 0001"),
                 padded("pac", 64), padded("v", 64)});
  auto r = decode(b);
  ASSERT_TRUE(r.ok()) << r.reason;
  const auto& m = std::get<StartControlConnectionReply>(*r.message);
  EXPECT_EQ(m.result_code, 2);
  EXPECT_EQ(m.error_code, 4);
  EXPECT_EQ(m.framing_capabilities, 3u);
  EXPECT_EQ(m.bearer_capabilities, 2u);
  EXPECT_EQ(m.maximum_channels, 8);
  EXPECT_EQ(describe_result(start_result_to_string(m.result_code), m.result_code, m.error_code),
            "general error, error no resource");
}

TEST(ControlCodec, DecodesHandBuiltSmallMessages) {
  auto stop = decode(hex("0010 0001 1a2b3c4d 0003 0000 03 00 0000"));
  ASSERT_TRUE(stop.ok()) << stop.reason;
  EXPECT_EQ(std::get<StopControlConnectionRequest>(*stop.message).reason, 3);
  EXPECT_EQ(stop_reason_to_string(3), "local shutdown");

  auto stop_reply = decode(hex("0010 0001 1a2b3c4d 0004 0000 01 00 0000"));
  ASSERT_TRUE(stop_reply.ok());
  EXPECT_EQ(std::get<StopControlConnectionReply>(*stop_reply.message).result_code, 1);

  auto echo = decode(hex("0010 0001 1a2b3c4d 0005 0000 deadbeef"));
  ASSERT_TRUE(echo.ok());
  EXPECT_EQ(std::get<EchoRequest>(*echo.message).identifier, 0xdeadbeefu);

  auto echo_reply = decode(hex("0014 0001 1a2b3c4d 0006 0000 00000007 01 00 0000"));
  ASSERT_TRUE(echo_reply.ok());
  EXPECT_EQ(std::get<EchoReply>(*echo_reply.message), (EchoReply{7, 1, 0}));

  auto ccrq = decode(hex("0010 0001 1a2b3c4d 000c 0000 1234 0000"));
  ASSERT_TRUE(ccrq.ok());
  EXPECT_EQ(std::get<CallClearRequest>(*ccrq.message).call_id, 0x1234);

  auto sli = decode(hex("0018 0001 1a2b3c4d 000f 0000 0102 0000 ffffffff 000a0000"));
  ASSERT_TRUE(sli.ok());
  EXPECT_EQ(std::get<SetLinkInfo>(*sli.message), (SetLinkInfo{0x0102, 0xffffffff, 0x000a0000}));
}

TEST(ControlCodec, DecodesHandBuiltCallMessages) {
  // §2.7 OCRQ: call 0x0a0b serial 3, bps 300..100000000, bearer 3, framing 3, window 64,
  // delay 0, phone length 0.
  Bytes ocrq = cat({hex("00a8 0001 1a2b3c4d 0007 0000 0a0b 0003 0000012c 05f5e100 00000003 "
                        "00000003 0040 0000 0000 0000"),
                    padded("", 64), padded("", 64)});
  auto r = decode(ocrq);
  ASSERT_TRUE(r.ok()) << r.reason;
  const auto& o = std::get<OutgoingCallRequest>(*r.message);
  EXPECT_EQ(o.call_id, 0x0a0b);
  EXPECT_EQ(o.call_serial_number, 3);
  EXPECT_EQ(o.minimum_bps, 300u);
  EXPECT_EQ(o.maximum_bps, 100000000u);
  EXPECT_EQ(o.packet_recv_window_size, 64);

  // §2.8 OCRP: call 7, peer 0x0a0b, result 1, error 0, cause 0, speed 100000000, window 64,
  // delay 0, channel 0.
  auto rp = decode(hex("0020 0001 1a2b3c4d 0008 0000 0007 0a0b 01 00 0000 05f5e100 0040 0000 "
                       "00000000"));
  ASSERT_TRUE(rp.ok()) << rp.reason;
  const auto& p = std::get<OutgoingCallReply>(*rp.message);
  EXPECT_EQ(p.call_id, 7);
  EXPECT_EQ(p.peer_call_id, 0x0a0b);
  EXPECT_EQ(p.result_code, 1);
  EXPECT_EQ(p.connect_speed, 100000000u);

  // §2.9 ICRQ: call 9, serial 1, bearer 1, channel 2, dialed "123" (len 3), dialing "" (len 0).
  Bytes icrq = cat({hex("00dc 0001 1a2b3c4d 0009 0000 0009 0001 00000001 00000002 0003 0000"),
                    padded("123", 64), padded("", 64), padded("sub", 64)});
  auto ri = decode(icrq);
  ASSERT_TRUE(ri.ok()) << ri.reason;
  const auto& i = std::get<IncomingCallRequest>(*ri.message);
  EXPECT_EQ(i.dialed_number, "123");
  EXPECT_EQ(i.subaddress, "sub");
  EXPECT_EQ(encode(i), icrq);

  auto icrp = decode(hex("0018 0001 1a2b3c4d 000a 0000 0005 0009 03 00 0010 0002 0000"));
  ASSERT_TRUE(icrp.ok()) << icrp.reason;
  EXPECT_EQ(std::get<IncomingCallReply>(*icrp.message), (IncomingCallReply{5, 9, 3, 0, 16, 2}));

  auto iccn = decode(hex("001c 0001 1a2b3c4d 000b 0000 0005 0000 0000fa00 0020 0001 00000001"));
  ASSERT_TRUE(iccn.ok()) << iccn.reason;
  EXPECT_EQ(std::get<IncomingCallConnected>(*iccn.message),
            (IncomingCallConnected{5, 64000, 32, 1, 1}));

  Bytes cdn = cat({hex("0094 0001 1a2b3c4d 000d 0000 0007 03 00 0010 0000"),
                   padded("bytes=1", 128)});
  auto rc = decode(cdn);
  ASSERT_TRUE(rc.ok()) << rc.reason;
  const auto& c = std::get<CallDisconnectNotify>(*rc.message);
  EXPECT_EQ(c.call_id, 7);
  EXPECT_EQ(c.result_code, 3);
  EXPECT_EQ(c.cause_code, 16);
  EXPECT_EQ(c.call_statistics, "bytes=1");
  EXPECT_EQ(disconnect_result_to_string(c.result_code), "admin shutdown");

  auto wen = decode(hex("0028 0001 1a2b3c4d 000e 0000 0005 0000 00000001 00000002 00000003 "
                        "00000004 00000005 00000006"));
  ASSERT_TRUE(wen.ok()) << wen.reason;
  EXPECT_EQ(std::get<WanErrorNotify>(*wen.message), (WanErrorNotify{5, 1, 2, 3, 4, 5, 6}));
}

TEST(ControlCodec, EncodedLengthsMatchTheRfcForEveryType) {
  const ControlMessage all[] = {StartControlConnectionRequest{}, StartControlConnectionReply{},
                                StopControlConnectionRequest{},  StopControlConnectionReply{},
                                EchoRequest{},                   EchoReply{},
                                OutgoingCallRequest{},           OutgoingCallReply{},
                                IncomingCallRequest{},           IncomingCallReply{},
                                IncomingCallConnected{},         CallClearRequest{},
                                CallDisconnectNotify{},          WanErrorNotify{},
                                SetLinkInfo{}};
  for (std::size_t i = 0; i < 15; ++i) {
    Bytes b = encode(all[i]);
    EXPECT_EQ(b.size(), kRfcLengths[i].length) << "type " << kRfcLengths[i].type;
    EXPECT_EQ(load_be16(b.data()), kRfcLengths[i].length);
    EXPECT_EQ(load_be16(b.data() + 2), 1);
    EXPECT_EQ(load_be32(b.data() + 4), 0x1a2b3c4du);
    EXPECT_EQ(load_be16(b.data() + 8), kRfcLengths[i].type);
    EXPECT_EQ(message_length(kRfcLengths[i].type), kRfcLengths[i].length);
  }
}

TEST(ControlCodec, RoundTripsEveryMessageWithNonDefaultFields) {
  StartControlConnectionRequest sccrq{0x0100, 3, 2, 5, 0x1234, "host.example", "pptpx vendor"};
  StartControlConnectionReply sccrp{0x0100, 2, 6, 1, 1, 9, 7, std::string(64, 'h'), "v"};
  OutgoingCallRequest ocrq{1, 2, 3, 4, 1, 2, 64, 5, "5551234", "sub"};
  OutgoingCallReply ocrp{1, 2, 4, 0, 17, 56000, 16, 3, 99};
  IncomingCallRequest icrq{3, 4, 2, 8, "555", "666", "s"};
  const ControlMessage all[] = {sccrq,
                                sccrp,
                                StopControlConnectionRequest{2},
                                StopControlConnectionReply{2, 3},
                                EchoRequest{0xfffffffe},
                                EchoReply{42, 2, 1},
                                ocrq,
                                ocrp,
                                icrq,
                                IncomingCallReply{1, 2, 1, 0, 32, 1},
                                IncomingCallConnected{1, 2, 3, 4, 2},
                                CallClearRequest{0xffff},
                                CallDisconnectNotify{1, 4, 0, 2, "stats"},
                                WanErrorNotify{1, 10, 20, 30, 40, 50, 60},
                                SetLinkInfo{3, 0, 0x000a0000}};
  for (const auto& m : all) {
    auto r = decode(encode(m));
    ASSERT_TRUE(r.ok()) << r.reason;
    EXPECT_EQ(*r.message, m) << to_string(type_of(m));
  }
}

TEST(ControlCodec, OverlongTextIsCutToTheField) {
  StartControlConnectionRequest m;
  m.host_name = std::string(80, 'x');
  auto r = decode(encode(m));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::get<StartControlConnectionRequest>(*r.message).host_name, std::string(64, 'x'));
}

TEST(ControlCodec, RejectsWrongLengthFieldForEveryType) {
  for (const auto& e : kRfcLengths) {
    for (std::size_t wrong : {e.length - 4, e.length + 4}) {
      Bytes b(wrong, 0);
      store_be16(b.data(), static_cast<std::uint16_t>(wrong));
      store_be16(b.data() + 2, 1);
      store_be32(b.data() + 4, 0x1a2b3c4d);
      store_be16(b.data() + 8, e.type);
      auto r = decode(b);
      EXPECT_FALSE(r.ok());
      EXPECT_EQ(r.error, DecodeError::LengthMismatch) << "type " << e.type << " len " << wrong;
      EXPECT_NE(r.reason.find("must be " + std::to_string(e.length)), std::string::npos)
          << r.reason;
    }
  }
}

TEST(ControlCodec, RejectsBufferShorterOrLongerThanLengthField) {
  Bytes b = hex("0010 0001 1a2b3c4d 0005 0000 00000001");
  auto short_r = decode(ByteView(b).first(15));
  EXPECT_EQ(short_r.error, DecodeError::Truncated);
  Bytes longer = b;
  longer.push_back(0);
  EXPECT_EQ(decode(longer).error, DecodeError::Truncated);
  EXPECT_EQ(decode(ByteView(b).first(11)).error, DecodeError::Truncated);
  EXPECT_EQ(decode(ByteView{}).error, DecodeError::Truncated);
}

TEST(ControlCodec, RejectsBadMagicCookie) {
  auto r = decode(hex("0010 0001 1a2b3c4e 0005 0000 00000001"));
  EXPECT_EQ(r.error, DecodeError::BadMagicCookie);
  EXPECT_NE(r.reason.find("1a2b3c4e"), std::string::npos) << r.reason;
}

TEST(ControlCodec, RejectsManagementMessageType) {
  auto r = decode(hex("0010 0002 1a2b3c4d 0005 0000 00000001"));
  EXPECT_EQ(r.error, DecodeError::NotControlMessage);
  EXPECT_EQ(decode(hex("0010 0000 1a2b3c4d 0005 0000 00000001")).error,
            DecodeError::NotControlMessage);
}

TEST(ControlCodec, RejectsUnknownControlMessageTypes) {
  EXPECT_EQ(decode(hex("0010 0001 1a2b3c4d 0000 0000 00000001")).error,
            DecodeError::UnknownMessageType);
  EXPECT_EQ(decode(hex("0010 0001 1a2b3c4d 0010 0000 00000001")).error,
            DecodeError::UnknownMessageType);
  EXPECT_EQ(decode(hex("0010 0001 1a2b3c4d ffff 0000 00000001")).error,
            DecodeError::UnknownMessageType);
}

TEST(ControlCodec, ResultCodeNamesCoverTheRfcTables) {
  EXPECT_EQ(start_result_to_string(5), "protocol version not supported");
  EXPECT_EQ(outgoing_result_to_string(4), "busy");
  EXPECT_EQ(outgoing_result_to_string(7), "do not accept");
  EXPECT_EQ(incoming_result_to_string(3), "do not accept");
  EXPECT_EQ(general_error_to_string(5), "bad call id");
  EXPECT_EQ(general_error_to_string(0), "none");
  EXPECT_EQ(outgoing_result_to_string(0), "unknown (0)");
  EXPECT_EQ(outgoing_result_to_string(8), "unknown (8)");
  EXPECT_EQ(to_string(ControlType::WanErrorNotify), "WAN-Error-Notify");
}

}  // namespace
}  // namespace pptpx::pptp
