#include "migrate/wireguard.hpp"

#include <openssl/evp.h>

#include <array>
#include <memory>
#include <set>
#include <sstream>

namespace pptpx::migrate {
namespace {

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

std::string b64(const unsigned char* p, std::size_t n) {
  std::string out(4 * ((n + 2) / 3) + 1, '\0');
  const int len = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), p, static_cast<int>(n));
  out.resize(static_cast<std::size_t>(len));
  return out;
}

std::optional<std::array<unsigned char, 32>> unb64_key(const std::string& s) {
  if (s.size() != 44) return std::nullopt;
  std::array<unsigned char, 33> raw{};
  if (EVP_DecodeBlock(raw.data(), reinterpret_cast<const unsigned char*>(s.data()), 44) != 33) return std::nullopt;
  std::array<unsigned char, 32> k{};
  for (std::size_t i = 0; i < 32; ++i) k[i] = raw[i];
  return k;
}

std::optional<WgKeyPair> pair_of(EVP_PKEY* key) {
  std::array<unsigned char, 32> priv{}, pub{};
  std::size_t pl = priv.size(), ul = pub.size();
  if (EVP_PKEY_get_raw_private_key(key, priv.data(), &pl) != 1 || pl != 32) return std::nullopt;
  if (EVP_PKEY_get_raw_public_key(key, pub.data(), &ul) != 1 || ul != 32) return std::nullopt;
  return WgKeyPair{b64(priv.data(), 32), b64(pub.data(), 32)};
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// A file name for a user: letters, digits, '-', '_' and '.' kept, anything else '_'.
std::string safe_name(const std::string& user) {
  std::string out;
  for (char c : user) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                    (c == '.' && !out.empty());
    out += ok ? c : '_';
  }
  return out.empty() ? "_" : out;
}

}  // namespace

std::optional<WgKeyPair> wg_generate_keypair() {
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519"), &EVP_PKEY_free);
  if (!key) return std::nullopt;
  return pair_of(key.get());
}

std::optional<std::string> wg_public_key(const std::string& private_key_b64) {
  auto raw = unb64_key(private_key_b64);
  if (!raw) return std::nullopt;
  PkeyPtr key(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, raw->data(), raw->size()), &EVP_PKEY_free);
  if (!key) return std::nullopt;
  auto p = pair_of(key.get());
  if (!p) return std::nullopt;
  return p->public_key;
}

WgPlan plan_wireguard(const WgPlanInput& in) {
  WgPlan plan;
  if (in.user_keys.size() != in.users.size()) {
    plan.errors.push_back("internal: one key pair per user is needed");
    return plan;
  }
  if (in.pool_prefix < 8 || in.pool_prefix > 30) {
    plan.errors.push_back("the WireGuard pool prefix must be /8../30");
    return plan;
  }
  const std::uint32_t mask = in.pool_prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - in.pool_prefix);
  const std::uint32_t net = in.pool_network.value & mask;
  const std::uint32_t bcast = net | ~mask;
  if (net <= in.pptp_pool.last.value && in.pptp_pool.first.value <= bcast) {
    plan.errors.push_back("the WireGuard pool " + server::to_string(server::Ipv4Address{net}) + "/" +
                          std::to_string(in.pool_prefix) + " overlaps the PPTP pool " +
                          server::to_string(in.pptp_pool.first) + "-" + server::to_string(in.pptp_pool.last) +
                          "; choose another --pool");
    return plan;
  }
  const server::Ipv4Address server_addr{net + 1};
  std::set<std::uint32_t> used{server_addr.value};
  for (const auto& u : in.users) {
    if (u.static_address) used.insert(u.static_address->value);
  }
  std::uint32_t next = net + 2;
  std::ostringstream srv, csv;
  srv << "# WireGuard server configuration (wg-quick(8)) written by `pptpx migrate wireguard`:\n"
      << "# one [Peer] per PPTP user. Install as /etc/wireguard/wg0.conf (mode 0600).\n"
      << "[Interface]\nAddress = " << server::to_string(server_addr) << "/" << in.pool_prefix << "\n"
      << "ListenPort = " << in.listen_port << "\nPrivateKey = " << in.server_keys.private_key << "\n";
  csv << "user,address,config_file,public_key\n";
  std::set<std::string> names;
  for (std::size_t i = 0; i < in.users.size(); ++i) {
    const auto& u = in.users[i];
    server::Ipv4Address a;
    std::string origin;
    if (u.static_address) {
      a = *u.static_address;
      origin = "the user's static PPTP address";
    } else {
      while (next < bcast && used.count(next) != 0) ++next;
      if (next >= bcast) {
        plan.errors.push_back("the WireGuard pool has no address left for \"" + u.name + "\"; choose a larger --pool");
        return plan;
      }
      a = server::Ipv4Address{next};
      used.insert(next);
      origin = "the WireGuard pool";
    }
    std::string file = safe_name(u.name);
    while (!names.insert(file).second) file += "_";
    file = "clients/" + file + ".conf";
    srv << "\n# " << u.name << " (" << origin << ")\n[Peer]\nPublicKey = " << in.user_keys[i].public_key
        << "\nAllowedIPs = " << server::to_string(a) << "/32\n";
    std::ostringstream c;
    c << "# WireGuard client configuration for " << u.name << ", written by `pptpx migrate wireguard`.\n"
      << "[Interface]\nPrivateKey = " << in.user_keys[i].private_key << "\nAddress = " << server::to_string(a) << "/32\n";
    if (!in.dns.empty()) {
      c << "DNS = ";
      for (std::size_t d = 0; d < in.dns.size(); ++d) c << (d ? ", " : "") << in.dns[d];
      c << "\n";
    }
    c << "\n[Peer]\nPublicKey = " << in.server_keys.public_key << "\nEndpoint = " << in.endpoint
      << "\nAllowedIPs = " << server::to_string(server::Ipv4Address{net}) << "/" << in.pool_prefix
      << "\nPersistentKeepalive = 25\n";
    plan.clients.push_back({u.name, file, server::to_string(a), c.str()});
    csv << csv_field(u.name) << "," << server::to_string(a) << "," << file << "," << in.user_keys[i].public_key << "\n";
  }
  plan.server_conf = srv.str();
  plan.users_csv = csv.str();
  return plan;
}

}  // namespace pptpx::migrate
