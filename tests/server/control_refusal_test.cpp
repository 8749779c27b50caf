#include "server/control_refusal.hpp"

#include <gtest/gtest.h>

#include "pptp/control_codec.hpp"
#include "pptp/control_message.hpp"

namespace pptpx::server {
namespace {

TEST(ControlRefusal, ReplyIsAWholeSccrpWithResultCode4AndTheReason) {
  const std::string r = refusal_reply("address locked out for 60 s after 2 failed logins");
  // RFC 2637 §2.2: a Start-Control-Connection-Reply is 156 octets, Control Message Type 2,
  // Result Code at offset 14 (4: "Requester is not authorized to establish a command channel").
  ASSERT_EQ(r.size(), 156u);
  EXPECT_EQ(static_cast<unsigned char>(r[9]), 2u);
  EXPECT_EQ(static_cast<unsigned char>(r[14]), 4u);
  const auto d = pptp::decode(ByteView(reinterpret_cast<const std::uint8_t*>(r.data()), r.size()));
  ASSERT_TRUE(d.ok()) << d.reason;
  const auto* m = std::get_if<pptp::StartControlConnectionReply>(&*d.message);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->result_code, 4u);
  EXPECT_EQ(m->vendor, "address locked out for 60 s after 2 failed logins");
}

TEST(ControlRefusal, LongReasonIsCutToTheField) {
  const std::string r = refusal_reply(std::string(100, 'x'));
  ASSERT_EQ(r.size(), 156u);
  const auto d = pptp::decode(ByteView(reinterpret_cast<const std::uint8_t*>(r.data()), r.size()));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(std::get<pptp::StartControlConnectionReply>(*d.message).vendor, std::string(63, 'x'));
}

}  // namespace
}  // namespace pptpx::server
