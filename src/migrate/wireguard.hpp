// `pptpx migrate wireguard`: from pptpx's server.toml and chap-secrets to a wg-quick server
// config with one peer per PPTP user, one client config per user, and users.csv. A user's static
// PPTP address (chap-secrets' 4th column) is kept; the others get addresses from a separate
// WireGuard pool, which must not overlap the PPTP pool so both VPNs can run side by side.
// Keys are X25519 (RFC 7748) from OpenSSL. The config building is pure; keys are passed in.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "server/ip_address.hpp"

namespace pptpx::migrate {

struct WgKeyPair {
  std::string private_key;  // base64 of 32 bytes, as wg(8) writes keys
  std::string public_key;
};

// A fresh X25519 key pair from OpenSSL; nullopt if OpenSSL fails.
std::optional<WgKeyPair> wg_generate_keypair();
// The public key of a base64 private key (RFC 7748 X25519 with the base point); nullopt if invalid.
std::optional<std::string> wg_public_key(const std::string& private_key_b64);

struct WgUser {
  std::string name;
  std::optional<server::Ipv4Address> static_address;
};

struct WgPlanInput {
  std::vector<WgUser> users;
  server::Ipv4Address pool_network;  // the WireGuard pool: network address and prefix length
  unsigned pool_prefix = 24;
  server::Ipv4Range pptp_pool;
  std::string endpoint;  // HOST:PORT the clients connect to
  unsigned listen_port = 51820;
  std::vector<std::string> dns;
  WgKeyPair server_keys;
  std::vector<WgKeyPair> user_keys;  // one per user, same order
};

struct WgClientFile {
  std::string user;
  std::string file_name;  // e.g. "clients/bob.conf"
  std::string address;
  std::string text;
};

struct WgPlan {
  std::string server_conf;
  std::vector<WgClientFile> clients;
  std::string users_csv;
  std::vector<std::string> errors;
};

WgPlan plan_wireguard(const WgPlanInput& in);

}  // namespace pptpx::migrate
