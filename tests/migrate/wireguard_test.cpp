// `pptpx migrate wireguard` planning (migrate/wireguard.hpp). The key vector is RFC 7748 §6.1's
// (Alice's X25519 private and public keys, base64 as wg(8) writes them).
#include <gtest/gtest.h>

#include <string>

#include "migrate/wireguard.hpp"

namespace pptpx::migrate {
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(WireGuard, PublicKeyMatchesRfc7748Vector) {
  EXPECT_EQ(wg_public_key("dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo="),
            "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=");
  EXPECT_FALSE(wg_public_key("not a key").has_value());
}

TEST(WireGuard, GeneratedKeysAreFreshAndConsistent) {
  auto a = wg_generate_keypair();
  auto b = wg_generate_keypair();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->private_key.size(), 44u);
  EXPECT_NE(a->private_key, b->private_key);
  EXPECT_EQ(wg_public_key(a->private_key), a->public_key);
}

WgPlanInput input() {
  WgPlanInput in;
  in.users = {{"bob", std::nullopt}, {"alice smith", server::Ipv4Address{0xC6336410}}, {"carol", std::nullopt}};
  in.pool_network = server::Ipv4Address{0xCB007100};  // 203.0.113.0
  in.pool_prefix = 24;
  in.pptp_pool = {server::Ipv4Address{0xC633640A}, server::Ipv4Address{0xC6336414}};  // 198.51.100.10-20
  in.endpoint = "192.0.2.1:51820";
  in.dns = {"198.51.100.53"};
  in.server_keys = {"S-priv", "S-pub"};
  in.user_keys = {{"B-priv", "B-pub"}, {"A-priv", "A-pub"}, {"C-priv", "C-pub"}};
  return in;
}

TEST(WireGuard, StaticAddressesKeptOthersFromThePool) {
  auto p = plan_wireguard(input());
  ASSERT_TRUE(p.errors.empty());
  EXPECT_TRUE(has(p.server_conf, "[Interface]\nAddress = 203.0.113.1/24\nListenPort = 51820\nPrivateKey = S-priv\n"));
  EXPECT_TRUE(has(p.server_conf, "[Peer]\nPublicKey = B-pub\nAllowedIPs = 203.0.113.2/32\n"));
  EXPECT_TRUE(has(p.server_conf, "[Peer]\nPublicKey = A-pub\nAllowedIPs = 198.51.100.16/32\n"));
  EXPECT_TRUE(has(p.server_conf, "[Peer]\nPublicKey = C-pub\nAllowedIPs = 203.0.113.3/32\n"));
  ASSERT_EQ(p.clients.size(), 3u);
  EXPECT_EQ(p.clients[1].file_name, "clients/alice_smith.conf");
  EXPECT_TRUE(has(p.clients[0].text, "PrivateKey = B-priv\nAddress = 203.0.113.2/32\nDNS = 198.51.100.53\n"));
  EXPECT_TRUE(has(p.clients[0].text, "PublicKey = S-pub\nEndpoint = 192.0.2.1:51820\nAllowedIPs = 203.0.113.0/24\n"));
  EXPECT_EQ(p.users_csv,
            "user,address,config_file,public_key\n"
            "bob,203.0.113.2,clients/bob.conf,B-pub\n"
            "alice smith,198.51.100.16,clients/alice_smith.conf,A-pub\n"
            "carol,203.0.113.3,clients/carol.conf,C-pub\n");
}

TEST(WireGuard, OverlappingOrFullPoolIsRefused) {
  auto in = input();
  in.pool_network = server::Ipv4Address{0xC6336400};  // 198.51.100.0/24 holds the PPTP pool
  auto p = plan_wireguard(in);
  ASSERT_EQ(p.errors.size(), 1u);
  EXPECT_TRUE(has(p.errors[0], "overlaps the PPTP pool 198.51.100.10-198.51.100.20"));
  in = input();
  in.pool_prefix = 30;  // .1 for the server, .2 for bob, nothing for carol
  p = plan_wireguard(in);
  ASSERT_EQ(p.errors.size(), 1u);
  EXPECT_TRUE(has(p.errors[0], "no address left for \"carol\""));
}

}  // namespace
}  // namespace pptpx::migrate
