// make_auth_machine: the right machine for each method and role.
#include <gtest/gtest.h>

#include "ppp/auth_chap_md5.hpp"
#include "ppp/auth_mschap_v1.hpp"
#include "ppp/auth_mschap_v2.hpp"
#include "ppp/auth_pap.hpp"
#include "auth_test_harness.hpp"

namespace pptpx::ppp {
namespace {

template <typename T>
bool is(const AuthMachine& m) {
  return dynamic_cast<const T*>(&m) != nullptr;
}

TEST(AuthFactory, MakesEachMethodInEachRole) {
  authtest::MemoryStore store;
  authtest::ScriptedRandom random;
  authtest::RecordingSink sink;
  AuthConfig cfg = authtest::peer_config("bob", "pw");
  cfg.authenticator.credentials = &store;
  cfg.random = &random;
  struct Case {
    AuthMethod method;
    AuthRole role;
    bool (*check)(const AuthMachine&);
  };
  const Case cases[] = {
      {AuthMethod::Pap, AuthRole::Authenticator, &is<PapAuthenticator>},
      {AuthMethod::Pap, AuthRole::Peer, &is<PapPeer>},
      {AuthMethod::ChapMd5, AuthRole::Authenticator, &is<ChapMd5Authenticator>},
      {AuthMethod::ChapMd5, AuthRole::Peer, &is<ChapMd5Peer>},
      {AuthMethod::MsChapV1, AuthRole::Authenticator, &is<MsChapV1Authenticator>},
      {AuthMethod::MsChapV1, AuthRole::Peer, &is<MsChapV1Peer>},
      {AuthMethod::MsChapV2, AuthRole::Authenticator, &is<MsChapV2Authenticator>},
      {AuthMethod::MsChapV2, AuthRole::Peer, &is<MsChapV2Peer>},
  };
  for (const auto& c : cases) {
    auto m = make_auth_machine(c.method, c.role, cfg, sink);
    ASSERT_NE(m, nullptr);
    EXPECT_TRUE(c.check(*m)) << to_string(c.method) << " " << to_string(c.role);
    EXPECT_EQ(m->method(), c.method);
    EXPECT_EQ(m->status(), AuthStatus::Pending);
    ASSERT_NE(auth_counters(*m), nullptr);
    EXPECT_EQ(dynamic_cast<const AuthMachineBase&>(*m).role(), c.role);
  }
}

TEST(AuthFactory, DefaultRandomSourceProducesDistinctChallenges) {
  authtest::MemoryStore store;
  authtest::RecordingSink sink;
  AuthConfig cfg;
  cfg.authenticator.credentials = &store;  // cfg.random stays nullptr: OpenSSL
  auto a = make_auth_machine(AuthMethod::MsChapV2, AuthRole::Authenticator, cfg, sink);
  auto b = make_auth_machine(AuthMethod::MsChapV2, AuthRole::Authenticator, cfg, sink);
  a->start(Time{});
  b->start(Time{});
  ASSERT_EQ(sink.frames.size(), 2u);
  const Bytes& x = sink.frames[0].information;
  const Bytes& y = sink.frames[1].information;
  // 16 random octets each: equal only with probability 2^-128.
  EXPECT_NE(Bytes(x.begin() + 5, x.begin() + 21), Bytes(y.begin() + 5, y.begin() + 21));
}

}  // namespace
}  // namespace pptpx::ppp

namespace pptpx::ppp {
namespace {

TEST(AuthFactory, StandardAuthFactoryServesTheLinkInterface) {
  authtest::MemoryStore store;
  store.add_password("bob", "Tunnel-Lab-7");
  authtest::ScriptedRandom random;
  AuthConfig cfg = authtest::peer_config("bob", "Tunnel-Lab-7");
  cfg.authenticator.credentials = &store;
  cfg.random = &random;
  StandardAuthFactory factory(cfg);
  AuthFactory& as_interface = factory;
  authtest::RecordingSink a_out, p_out;
  auto a = as_interface.create(AuthMethod::MsChapV2, true, a_out);
  auto p = as_interface.create(AuthMethod::MsChapV2, false, p_out);
  ASSERT_TRUE(a && p);
  EXPECT_TRUE(is<MsChapV2Authenticator>(*a));
  EXPECT_TRUE(is<MsChapV2Peer>(*p));
  a->start(Time{});
  p->start(Time{});
  p->receive(a_out.frames.at(0).information, Time{});
  a->receive(p_out.frames.at(0).information, Time{});
  p->receive(a_out.frames.at(1).information, Time{});
  EXPECT_EQ(a->status(), AuthStatus::Succeeded);
  EXPECT_EQ(p->status(), AuthStatus::Succeeded);
}

TEST(AuthFactory, PacketRoleFollowsCode) {
  const std::uint8_t pap_req[] = {1, 0, 0, 6, 0, 0};
  const std::uint8_t pap_ack[] = {2, 0, 0, 4};
  const std::uint8_t pap_nak[] = {3, 0, 0, 4};
  const std::uint8_t chap[][4] = {{1, 0, 0, 4}, {2, 0, 0, 4}, {3, 0, 0, 4}, {4, 0, 0, 4}, {9, 0, 0, 4}};
  EXPECT_EQ(auth_packet_role(Protocol::Pap, pap_req), AuthRole::Authenticator);
  EXPECT_EQ(auth_packet_role(Protocol::Pap, pap_ack), AuthRole::Peer);
  EXPECT_EQ(auth_packet_role(Protocol::Pap, pap_nak), AuthRole::Peer);
  EXPECT_EQ(auth_packet_role(Protocol::Chap, chap[0]), AuthRole::Peer);
  EXPECT_EQ(auth_packet_role(Protocol::Chap, chap[1]), AuthRole::Authenticator);
  EXPECT_EQ(auth_packet_role(Protocol::Chap, chap[2]), AuthRole::Peer);
  EXPECT_EQ(auth_packet_role(Protocol::Chap, chap[3]), AuthRole::Peer);
  EXPECT_EQ(auth_packet_role(Protocol::Chap, chap[4]), std::nullopt);
  EXPECT_EQ(auth_packet_role(Protocol::Lcp, chap[0]), std::nullopt);
  EXPECT_EQ(auth_packet_role(Protocol::Chap, ByteView{}), std::nullopt);
}

}  // namespace
}  // namespace pptpx::ppp
