// `pptpx ctl kill` in the sans-I/O session: the server ends a live session with
// Call-Disconnect-Notify carrying the operator's reason in Call Statistics (RFC 2637 §2.13),
// then Stop-Control-Connection-Request (§2.3); the client's link-down reason shows it.
#include <gtest/gtest.h>

#include "session/session_pair.hpp"

namespace pptpx::test {
namespace {

using session::SessionEvent;

TEST(SessionTerminate, ClientSeesTheOperatorsReasonAndBothSidesClose) {
  SessionPair pair(PairOptions{});
  pair.start();
  ASSERT_TRUE(pair.run_until([&] { return pair.both_up(); }, std::chrono::seconds(30)));
  pair.server().terminate("terminated by operator", pair.now());
  ASSERT_TRUE(pair.run_until([&] { return pair.client().closed() && pair.server().closed(); }, std::chrono::seconds(30)));
  const SessionEvent* down = pair.client_out().find(SessionEvent::Kind::LinkDown);
  ASSERT_NE(down, nullptr);
  EXPECT_NE(down->reason.find("Call-Disconnect-Notify"), std::string::npos) << down->reason;
  EXPECT_NE(down->reason.find("(terminated by operator)"), std::string::npos) << down->reason;
  const SessionEvent* server_down = pair.server_out().find(SessionEvent::Kind::LinkDown);
  ASSERT_NE(server_down, nullptr);
  EXPECT_EQ(server_down->reason, "terminated by operator");
  EXPECT_EQ(pair.hooks().finished, 1);
}

}  // namespace
}  // namespace pptpx::test
