// What `pptpx client` is told on its command line, and the parsers that turn the policy and
// route options into the protocol cores' settings. Each parser returns "" or one sentence saying
// what is wrong and how to fix it.
#pragma once
#include <netinet/in.h>

#include <cstdint>
#include <string>
#include <vector>

#include "ppp/policy.hpp"

namespace pptpx::client {

struct Ipv4Cidr {
  in_addr network{};  // network order, host bits cleared
  std::uint8_t prefix_len = 32;
  bool had_host_bits = false;  // the text had bits set below the prefix (203.0.113.5/24): cleared
};

struct Ipv6Cidr {
  in6_addr network{};  // host bits cleared
  std::uint8_t prefix_len = 128;
  bool had_host_bits = false;
};
// "203.0.113.0/24", "2001:db8:1::/64".
std::string cidr_text(const Ipv4Cidr& c);
std::string cidr_text(const Ipv6Cidr& c);

struct ClientOptions {
  std::string server;           // host name or IPv4 address
  std::uint16_t port = 1723;
  std::string user;
  std::string password_file;
  std::string tun_name = "pptpxc%d";
  std::uint32_t mtu = 1400;
  bool mss_clamp = true;            // lower the MSS of TCP SYNs crossing the tunnel to fit its MTU
  bool offload = true;              // TUN with virtio-net header and TCP segmentation offload
  std::vector<std::string> routes;  // CIDR strings from --route (IPv4 or IPv6)
  bool ipv6 = true;                 // negotiate IPV6CP (RFC 5072) when the server offers it
  std::string ipv6_prefix;          // --ipv6-prefix: also <prefix>::<our id> on the TUN
  bool default_route = false;
  std::string auth = "mschapv2";    // comma list of eap-tls, mschapv2, mschapv1, chap-md5, pap
  // EAP-TLS (--auth eap-tls): our certificate, its key, the CA the server's certificate must chain
  // to, and the name the server's certificate must carry (empty: any certificate from the CA).
  std::string cert;
  std::string key;
  std::string ca;
  std::string server_name;
  std::string mppe = "128";         // comma list of 128, 56, 40; or "none"
  bool mppe_stateful = false;
  bool mppe_optional = false;
  bool persist = false;
  unsigned connect_timeout_seconds = 15;
  unsigned max_backoff_seconds = 30;
  std::string log_level = "info";
  std::string log_format = "text";  // text or json (net/log_output.hpp)
  bool use_dns = false;             // --dns: apply the pushed DNS servers (client/dns_config.hpp)
  std::string up_script;            // --up-script: run with the link's values once it is up
  std::string down_script;          // --down-script: run when it goes down
  unsigned echo_interval_seconds = 30;  // LCP Echo-Request every N s of silence; 0: none
  unsigned echo_failures = 4;           // unanswered echoes before the link is declared dead
};

// --auth / --mppe / --mppe-stateful / --mppe-optional -> a PPP policy (peer role).
std::string parse_policy(const ClientOptions& o, ppp::Policy& policy);
// Whether --auth names a method that needs --password-file (anything but eap-tls).
bool needs_password(const ClientOptions& o);
// With eap-tls in --auth: "" when --cert, --key and --ca are given, else the sentence to print.
std::string eap_tls_problem(const ClientOptions& o);
// "203.0.113.0/24" (a bare address means /32).
std::string parse_cidr(const std::string& text, Ipv4Cidr& out);
// "2001:db8:1::/64" (a bare address means /128). `option` names the flag in messages.
std::string parse_cidr6(const std::string& text, Ipv6Cidr& out, const std::string& option = "--route");
// --ipv6-prefix: an IPv6 prefix of /64 or shorter, leaving 64 bits for the interface identifier.
std::string parse_ipv6_prefix(const std::string& text, Ipv6Cidr& out);
// `prefix`'s upper 64 bits with `id` below (RFC 5072 §5); fe80::<id> for the link-local prefix.
in6_addr ipv6_with_interface_id(const in6_addr& prefix, std::uint64_t id);
in6_addr ipv6_link_local(std::uint64_t id);
std::string ipv6_text(const in6_addr& a);

// The first line of the password file, without its line end.
std::string read_password_file(const std::string& path, std::string& password);

}  // namespace pptpx::client
