// A failed authentication tells the server's shell which name the peer tried (LinkDown's
// link.user), so the server can lock out per user (issue 6); a client whose own authentication
// was refused reports no peer name.
#include <gtest/gtest.h>

#include <string>

#include "session/session_pair.hpp"

namespace pptpx::test {
namespace {

using session::SessionEvent;

const SessionEvent* link_down(const SideRecorder& side) {
  for (const auto& e : side.events)
    if (e.kind == SessionEvent::Kind::LinkDown) return &e;
  return nullptr;
}

void run_refused(PairOptions o, const std::string& expected_server_name) {
  SessionPair pair(o);
  pair.start();
  ASSERT_TRUE(pair.run_until([&] { return pair.client().closed() && pair.server().closed(); }, std::chrono::seconds(60)));
  const SessionEvent* s = link_down(pair.server_out());
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->reason.rfind("authentication failed", 0), 0u) << s->reason;
  EXPECT_EQ(s->link.user, expected_server_name);
  const SessionEvent* c = link_down(pair.client_out());
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->link.user, "");  // our own name was refused: no peer name to report
}

TEST(AuthFailureName, WrongPasswordCarriesTheNameTheClientGave) {
  PairOptions o;
  o.password = "not-the-password";
  run_refused(o, "bob");
}

TEST(AuthFailureName, DomainPrefixIsReportedAsSent) {
  PairOptions o;
  o.user = "CORP\\alice";
  o.server_password = "other";  // on file, with another password
  o.password = "not-the-password";
  run_refused(o, "CORP\\alice");
}

TEST(AuthFailureName, SuccessfulLinkDownHasNoFailedName) {
  PairOptions o;
  SessionPair pair(o);
  pair.start();
  ASSERT_TRUE(pair.run_until([&] { return pair.both_up(); }, std::chrono::seconds(30)));
  pair.client().stop("test over", pair.now());
  ASSERT_TRUE(pair.run_until([&] { return pair.client().closed() && pair.server().closed(); }, std::chrono::seconds(30)));
  const SessionEvent* s = link_down(pair.server_out());
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->link.user, "");
}

}  // namespace
}  // namespace pptpx::test
