// CallHooks::prepare_network: the server learns the authenticated user before IPCP starts and
// chooses that user's address then (static per-user addresses, chap-secrets' 4th column).
#include <gtest/gtest.h>

#include "session/session_pair.hpp"

namespace pptpx::test {
namespace {

using session::SessionEvent;

TEST(SessionAddressHook, AuthenticatedUserGetsTheAddressChosenAfterAuthentication) {
  PairOptions o;
  o.user = "bob";
  SessionPair pair(o);
  pair.hooks().by_user["bob"] = 0xC6336463;  // 198.51.100.99, not the call-time default .10
  pair.start();
  ASSERT_TRUE(pair.run_until([&] { return pair.both_up(); }, std::chrono::seconds(30)));
  ASSERT_EQ(pair.hooks().users_seen.size(), 1u);
  EXPECT_EQ(pair.hooks().users_seen[0], "bob");
  const SessionEvent* up = pair.client_out().find(SessionEvent::Kind::LinkUp);
  ASSERT_NE(up, nullptr);
  EXPECT_EQ(up->link.local_ipv4, 0xC6336463u);
  const SessionEvent* sup = pair.server_out().find(SessionEvent::Kind::LinkUp);
  ASSERT_NE(sup, nullptr);
  EXPECT_EQ(sup->link.peer_ipv4, 0xC6336463u);
  EXPECT_EQ(sup->link.user, "bob");
}

TEST(SessionAddressHook, UserWithoutAStaticAddressKeepsTheCallTimeAddress) {
  PairOptions o;
  SessionPair pair(o);
  pair.hooks().by_user["alice"] = 0xC6336463;
  pair.start();
  ASSERT_TRUE(pair.run_until([&] { return pair.both_up(); }, std::chrono::seconds(30)));
  const SessionEvent* up = pair.client_out().find(SessionEvent::Kind::LinkUp);
  ASSERT_NE(up, nullptr);
  EXPECT_EQ(up->link.local_ipv4, 0xC633640Au);  // FixedAddressHooks::peer from prepare_call
}

TEST(SessionAddressHook, RefusalEndsTheLinkWithTheReasonAndNoIpcp) {
  PairOptions o;
  SessionPair pair(o);
  pair.hooks().refuse_user = "bob";
  pair.start();
  ASSERT_TRUE(pair.run_until([&] { return pair.server_out().find(SessionEvent::Kind::LinkDown) != nullptr; },
                             std::chrono::seconds(30)));
  EXPECT_FALSE(pair.server_out().find(SessionEvent::Kind::LinkUp));
  EXPECT_FALSE(pair.client_out().find(SessionEvent::Kind::LinkUp));
  const SessionEvent* down = pair.server_out().find(SessionEvent::Kind::LinkDown);
  EXPECT_NE(down->reason.find("address setup failed: no address for bob"), std::string::npos) << down->reason;
  // The reason (from the secrets file, naming the user) stays in the log; the client's
  // Terminate-Request gets the fixed text (ppp/auth_wire_text.hpp).
  const auto text = [](std::string_view t) { return ByteView(reinterpret_cast<const std::uint8_t*>(t.data()), t.size()); };
  EXPECT_FALSE(pair.server_out().wire_contains(text("no address for bob")));
  EXPECT_TRUE(pair.server_out().wire_contains(text("no address for this user")));
  pair.run_for(std::chrono::seconds(30));
  EXPECT_EQ(pair.hooks().finished, 1);  // the call ended and its resources were returned
}

}  // namespace
}  // namespace pptpx::test
