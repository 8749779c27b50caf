// Client and server sessions in one process over a simulated wire: every authentication method
// x every MPPE strength x stateless/stateful, plus no-MPPE where the policy allows it. Each case
// ends with IPv4 and IPv6 packets delivered both ways, byte for byte.
#include <gtest/gtest.h>

#include <string>

#include "session/session_pair.hpp"

namespace pptpx::test {
namespace {

using auth::MppeStrength;
using ppp::AuthMethod;
using session::SessionEvent;

struct Case {
  AuthMethod method;
  std::optional<MppeStrength> strength;  // nullopt: no MPPE
  bool stateless = true;
};

std::string name_of(const Case& c) {
  std::string n(ppp::to_string(c.method));
  if (!c.strength) {
    n += "_plain";
  } else {
    n += c.strength == MppeStrength::Bits40 ? "_mppe40" : c.strength == MppeStrength::Bits56 ? "_mppe56" : "_mppe128";
    n += c.stateless ? "_stateless" : "_stateful";
  }
  for (char& ch : n)
    if (ch == '-') ch = '_';
  return n;
}

ppp::Policy policy_for(const Case& c) {
  ppp::Policy p;
  p.auth_methods = {c.method};
  if (c.strength) {
    p.allow_encryption = true;
    p.require_encryption = true;
    p.mppe_strengths = {*c.strength};
    p.allow_stateless = c.stateless;
    p.allow_stateful = !c.stateless;
  } else {
    p.allow_encryption = false;
    p.require_encryption = false;
  }
  return p;
}

class SessionMatrix : public ::testing::TestWithParam<Case> {};

TEST_P(SessionMatrix, LinkComesUpAndCarriesIpv4AndIpv6BothWays) {
  const Case c = GetParam();
  PairOptions o;
  o.server_policy = policy_for(c);
  o.client_policy = policy_for(c);
  SessionPair pair(o);
  pair.start();
  ASSERT_TRUE(pair.run_until([&] { return pair.both_up(); }, std::chrono::seconds(30)))
      << "client events: " << pair.client_out().events.size();

  const SessionEvent* up = pair.client_out().find(SessionEvent::Kind::LinkUp);
  ASSERT_NE(up, nullptr);
  ASSERT_TRUE(up->link.auth_method.has_value());
  EXPECT_EQ(*up->link.auth_method, c.method);
  EXPECT_EQ(up->link.local_ipv4, 0xC633640Au);  // 198.51.100.10, as the server assigned
  EXPECT_EQ(up->link.peer_ipv4, 0xC6336401u);
  EXPECT_EQ(up->link.dns[0], 0xC6336435u);
  if (c.strength) {
    ASSERT_TRUE(up->link.mppe.has_value());
    EXPECT_EQ(up->link.mppe->strength, *c.strength);
    EXPECT_EQ(up->link.mppe->stateless, c.stateless);
  } else {
    EXPECT_FALSE(up->link.mppe.has_value());
  }
  // IPV6CP may open just after IPCP.
  pair.run_until([&] { return pair.client_out().find(SessionEvent::Kind::Ipv6Up) || up->link.local_ipv6_id; },
                 std::chrono::seconds(5));

  // Sizes from 40 octets up to exactly the negotiated MTU (peer MRU less MPPE overhead).
  const std::size_t mtu = up->link.mtu;
  ASSERT_GE(mtu, 1200u);
  std::vector<Bytes> c2s, s2c, c2s6, s2c6;
  for (std::uint32_t i = 0; i < 300; ++i) {
    std::size_t size = i == 0 ? mtu : 40 + (i * 97) % (mtu - 39);
    c2s.push_back(make_ipv4_packet(0xC633640A, 0xCB007102, i, size));
    s2c.push_back(make_ipv4_packet(0xCB007102, 0xC633640A, 1000 + i, size));
    ASSERT_TRUE(pair.client_send(c2s.back())) << i;
    ASSERT_TRUE(pair.server_send(s2c.back())) << i;
    if (i % 10 == 0) pair.run_for(std::chrono::milliseconds(2));
  }
  for (std::uint32_t i = 0; i < 20; ++i) {
    c2s6.push_back(make_ipv6_packet(i, 60 + i * 50));
    s2c6.push_back(make_ipv6_packet(500 + i, 60 + i * 50));
    ASSERT_TRUE(pair.client_send(c2s6.back(), true)) << i;
    ASSERT_TRUE(pair.server_send(s2c6.back(), true)) << i;
  }
  pair.run_for(std::chrono::seconds(1));
  EXPECT_EQ(pair.server_out().ipv4, c2s);
  EXPECT_EQ(pair.client_out().ipv4, s2c);
  EXPECT_EQ(pair.server_out().ipv6, c2s6);
  EXPECT_EQ(pair.client_out().ipv6, s2c6);
  // Confidentiality: with MPPE no packet's bytes appear on the wire; without it they do.
  ByteView sample(c2s[7].data() + 20, 40);
  EXPECT_EQ(pair.client_out().wire_contains(sample), !c.strength.has_value());
  ByteView sample_back(s2c[7].data() + 20, 40);
  EXPECT_EQ(pair.server_out().wire_contains(sample_back), !c.strength.has_value());

  // Orderly teardown from the client: LinkDown on both sides and both control connections closed.
  pair.client().stop("user asked", pair.now());
  ASSERT_TRUE(pair.run_until([&] { return pair.client().closed() && pair.server().closed(); },
                             std::chrono::seconds(30)));
  EXPECT_NE(pair.server_out().find(SessionEvent::Kind::LinkDown), nullptr);
  EXPECT_EQ(pair.hooks().finished, 1);
  EXPECT_TRUE(pair.client().call_ids().empty());
  EXPECT_TRUE(pair.server().call_ids().empty());
}

std::vector<Case> all_cases() {
  std::vector<Case> v;
  for (AuthMethod m : {AuthMethod::Pap, AuthMethod::ChapMd5, AuthMethod::MsChapV1, AuthMethod::MsChapV2})
    v.push_back({m, std::nullopt, true});
  for (AuthMethod m : {AuthMethod::MsChapV1, AuthMethod::MsChapV2})
    for (MppeStrength s : {MppeStrength::Bits40, MppeStrength::Bits56, MppeStrength::Bits128})
      for (bool stateless : {true, false}) v.push_back({m, s, stateless});
  return v;
}

INSTANTIATE_TEST_SUITE_P(AllModes, SessionMatrix, ::testing::ValuesIn(all_cases()),
                         [](const auto& param_info) { return name_of(param_info.param); });

}  // namespace
}  // namespace pptpx::test
