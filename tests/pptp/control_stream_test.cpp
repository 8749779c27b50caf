// The reassembler against split, coalesced and absurd TCP reads.
#include <gtest/gtest.h>

#include "pptp/control_codec.hpp"
#include "pptp/control_stream.hpp"
#include "support/hex_literal.hpp"

namespace pptpx::pptp {
namespace {

using test::hex;

// Two hand-built messages (RFC 2637 §2.5 Echo-Request, §2.12 Call-Clear-Request).
const Bytes kEcho = hex("0010 0001 1a2b3c4d 0005 0000 00000009");
const Bytes kClear = hex("0010 0001 1a2b3c4d 000c 0000 0042 0000");

std::vector<Bytes> drain(ControlStream& s) {
  std::vector<Bytes> out;
  for (;;) {
    auto n = s.next();
    if (n.status != ControlStream::Status::Message) break;
    out.emplace_back(n.frame.begin(), n.frame.end());
  }
  return out;
}

TEST(ControlStream, ByteByByte) {
  ControlStream s;
  Bytes both = kEcho;
  both.insert(both.end(), kClear.begin(), kClear.end());
  std::vector<Bytes> got;
  for (auto b : both) {
    s.append(ByteView(&b, 1));
    for (auto& m : drain(s)) got.push_back(m);
  }
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], kEcho);
  EXPECT_EQ(got[1], kClear);
  EXPECT_EQ(s.buffered(), 0u);
}

TEST(ControlStream, CoalescedWithTrailingPartial) {
  ControlStream s;
  Bytes chunk = kEcho;
  chunk.insert(chunk.end(), kClear.begin(), kClear.end());
  chunk.insert(chunk.end(), kEcho.begin(), kEcho.begin() + 5);
  s.append(chunk);
  auto got = drain(s);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1], kClear);
  EXPECT_EQ(s.buffered(), 5u);
  s.append(ByteView(kEcho).subspan(5));
  got = drain(s);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], kEcho);
}

TEST(ControlStream, LargestMessageSplitAcrossReads) {
  Bytes icrq = encode(IncomingCallRequest{1, 2, 1, 0, "1", "2", "3"});
  ASSERT_EQ(icrq.size(), 220u);
  ControlStream s;
  s.append(ByteView(icrq).first(1));
  EXPECT_TRUE(drain(s).empty());
  s.append(ByteView(icrq).subspan(1, 150));
  EXPECT_TRUE(drain(s).empty());
  s.append(ByteView(icrq).subspan(151));
  auto got = drain(s);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(decode(got[0]).ok());
}

TEST(ControlStream, AbsurdLengthsAreFatal) {
  for (const char* h : {"0000", "0001", "000f", "0011", "00dd", "ffff", "0064"}) {
    ControlStream s;
    s.append(hex(std::string(h) + "0001 1a2b3c4d"));
    auto n = s.next();
    EXPECT_EQ(n.status, ControlStream::Status::Fatal) << h;
    EXPECT_NE(n.reason.find("not the size of any"), std::string::npos) << n.reason;
    EXPECT_TRUE(s.failed());
    // Stays failed: more bytes do not resynchronise it.
    s.append(kEcho);
    EXPECT_EQ(s.next().status, ControlStream::Status::Fatal);
  }
}

TEST(ControlStream, AbsurdLengthAfterGoodMessage) {
  ControlStream s;
  Bytes chunk = kEcho;
  for (auto b : hex("1000 0001")) chunk.push_back(b);
  s.append(chunk);
  EXPECT_EQ(s.next().status, ControlStream::Status::Message);
  EXPECT_EQ(s.next().status, ControlStream::Status::Fatal);
}

TEST(ControlStream, LargeReadDoesNotPinMemory) {
  ControlStream s;
  Bytes big;
  for (int i = 0; i < 400; ++i) big.insert(big.end(), kEcho.begin(), kEcho.end());
  big.insert(big.end(), kClear.begin(), kClear.begin() + 3);
  s.append(big);
  EXPECT_EQ(drain(s).size(), 400u);
  EXPECT_EQ(s.buffered(), 3u);
  EXPECT_LE(s.capacity(), 4u * 220u);  // the 6 KiB read is not kept around
}

TEST(ControlStream, SplitLengthFieldWaits) {
  ControlStream s;
  s.append(ByteView(kEcho).first(1));
  EXPECT_EQ(s.next().status, ControlStream::Status::NeedMore);
  EXPECT_FALSE(s.failed());
}

}  // namespace
}  // namespace pptpx::pptp
