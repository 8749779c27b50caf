#include "client/client_options.hpp"

#include <arpa/inet.h>
#include <sys/stat.h>

#include <cstring>
#include <fstream>
#include <sstream>

namespace pptpx::client {

namespace {
std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) {
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (!item.empty()) out.push_back(item);
  }
  return out;
}
}  // namespace

std::string parse_policy(const ClientOptions& o, ppp::Policy& p) {
  p = ppp::Policy{};
  p.auth_methods.clear();
  for (const std::string& m : split_commas(o.auth)) {
    if (m == "mschapv2" || m == "mschap-v2") p.auth_methods.push_back(ppp::AuthMethod::MsChapV2);
    else if (m == "mschapv1" || m == "mschap" || m == "mschap-v1") p.auth_methods.push_back(ppp::AuthMethod::MsChapV1);
    else if (m == "chap-md5" || m == "chap") p.auth_methods.push_back(ppp::AuthMethod::ChapMd5);
    else if (m == "pap") p.auth_methods.push_back(ppp::AuthMethod::Pap);
    else if (m == "eap-tls") p.auth_methods.push_back(ppp::AuthMethod::EapTls);
    else
      return "--auth: \"" + m + "\" is not a method; use a comma list of eap-tls, mschapv2, mschapv1, chap-md5, pap";
  }
  if (p.auth_methods.empty())
    return "--auth is empty; name at least one of eap-tls, mschapv2, mschapv1, chap-md5, pap";
  p.mppe_strengths.clear();
  if (o.mppe == "none") {
    if (o.mppe_stateful) return "--mppe-stateful makes no sense with --mppe none; drop one of them";
    p.allow_encryption = false;
    p.require_encryption = false;
    return {};
  }
  for (const std::string& s : split_commas(o.mppe)) {
    if (s == "128") p.mppe_strengths.push_back(auth::MppeStrength::Bits128);
    else if (s == "56") p.mppe_strengths.push_back(auth::MppeStrength::Bits56);
    else if (s == "40") p.mppe_strengths.push_back(auth::MppeStrength::Bits40);
    else return "--mppe: \"" + s + "\" is not an MPPE strength; use a comma list of 128, 56, 40, or none";
  }
  if (p.mppe_strengths.empty()) return "--mppe is empty; use 128 (the default), 56, 40, or none";
  bool mschap = false;
  for (auto m : p.auth_methods)
    mschap = mschap || m == ppp::AuthMethod::MsChapV1 || m == ppp::AuthMethod::MsChapV2 || m == ppp::AuthMethod::EapTls;
  if (!mschap && !o.mppe_optional)
    return "MPPE keys come from MS-CHAP or EAP-TLS, so --auth " + o.auth +
           " cannot give an encrypted link; add mschapv2 or eap-tls to --auth, or use --mppe none (or --mppe-optional)";
  p.allow_encryption = true;
  p.require_encryption = !o.mppe_optional;
  // --mppe-stateful asks for stateful MPPE: a server (pppd) offers stateless first and accepts
  // stateful only when the peer insists, so accepting both would always end stateless.
  p.allow_stateless = !o.mppe_stateful;
  p.allow_stateful = o.mppe_stateful;
  return {};
}

bool needs_password(const ClientOptions& o) {
  for (const std::string& m : split_commas(o.auth)) {
    if (m != "eap-tls") return true;
  }
  return false;
}

std::string eap_tls_problem(const ClientOptions& o) {
  bool eap = false;
  for (const std::string& m : split_commas(o.auth)) eap = eap || m == "eap-tls";
  if (!eap) return {};
  if (o.cert.empty()) return "--auth eap-tls needs --cert (our certificate, PEM)";
  if (o.key.empty()) return "--auth eap-tls needs --key (the private key of --cert, PEM)";
  if (o.ca.empty()) return "--auth eap-tls needs --ca (the CA certificate the server's certificate must chain to)";
  return {};
}

std::string parse_cidr(const std::string& text, Ipv4Cidr& out) {
  const auto slash = text.find('/');
  const std::string addr = text.substr(0, slash);
  unsigned len = 32;
  if (slash != std::string::npos) {
    const std::string l = text.substr(slash + 1);
    if (l.empty() || l.size() > 2 || l.find_first_not_of("0123456789") != std::string::npos || std::stoul(l) > 32)
      return "--route \"" + text + "\": the prefix length must be 0..32, as in 203.0.113.0/24";
    len = static_cast<unsigned>(std::stoul(l));
  }
  in_addr a{};
  if (inet_pton(AF_INET, addr.c_str(), &a) != 1)
    return "--route \"" + text + "\" is not an IPv4 network; write it as 203.0.113.0/24";
  const std::uint32_t mask = len == 0 ? 0 : ~std::uint32_t{0} << (32 - len);
  out.network.s_addr = htonl(ntohl(a.s_addr) & mask);
  out.prefix_len = static_cast<std::uint8_t>(len);
  out.had_host_bits = out.network.s_addr != a.s_addr;
  return {};
}

std::string parse_cidr6(const std::string& text, Ipv6Cidr& out, const std::string& option) {
  const auto slash = text.find('/');
  const std::string addr = text.substr(0, slash);
  unsigned len = 128;
  if (slash != std::string::npos) {
    const std::string l = text.substr(slash + 1);
    if (l.empty() || l.size() > 3 || l.find_first_not_of("0123456789") != std::string::npos || std::stoul(l) > 128)
      return option + " \"" + text + "\": the prefix length must be 0..128, as in 2001:db8:1::/64";
    len = static_cast<unsigned>(std::stoul(l));
  }
  in6_addr a{};
  if (inet_pton(AF_INET6, addr.c_str(), &a) != 1)
    return option + " \"" + text + "\" is not an IPv6 network; write it as 2001:db8:1::/64";
  const in6_addr given = a;
  for (unsigned bit = len; bit < 128; ++bit)
    a.s6_addr[bit / 8] = static_cast<std::uint8_t>(a.s6_addr[bit / 8] & ~(0x80u >> (bit % 8)));
  out.network = a;
  out.had_host_bits = std::memcmp(&given, &a, sizeof a) != 0;
  out.prefix_len = static_cast<std::uint8_t>(len);
  return {};
}

std::string parse_ipv6_prefix(const std::string& text, Ipv6Cidr& out) {
  if (std::string e = parse_cidr6(text, out, "--ipv6-prefix"); !e.empty()) return e;
  if (text.find('/') == std::string::npos || out.prefix_len > 64)
    return "--ipv6-prefix \"" + text + "\" must be a prefix of /64 or shorter (the interface identifier takes the "
           "low 64 bits, RFC 5072 §5), e.g. 2001:db8:1::/64";
  return {};
}

in6_addr ipv6_with_interface_id(const in6_addr& prefix, std::uint64_t id) {
  in6_addr a = prefix;
  for (std::size_t i = 0; i < 8; ++i) a.s6_addr[15 - i] = static_cast<std::uint8_t>(id >> (8 * i));
  return a;
}

in6_addr ipv6_link_local(std::uint64_t id) {
  in6_addr fe80{};
  fe80.s6_addr[0] = 0xfe;
  fe80.s6_addr[1] = 0x80;
  return ipv6_with_interface_id(fe80, id);
}

std::string cidr_text(const Ipv4Cidr& c) {
  char buf[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &c.network, buf, sizeof buf);
  return std::string(buf) + "/" + std::to_string(c.prefix_len);
}

std::string cidr_text(const Ipv6Cidr& c) { return ipv6_text(c.network) + "/" + std::to_string(c.prefix_len); }

std::string ipv6_text(const in6_addr& a) {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(AF_INET6, &a, buf, sizeof buf);
  return buf;
}

std::string read_password_file(const std::string& path, std::string& password) {
  if (path.empty()) return "no password: give --password-file FILE (the password on its first line)";
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot read the password file " + path + "; check the path and its permissions";
  if (!std::getline(in, password)) password.clear();
  while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) password.pop_back();
  if (password.empty()) return "the password file " + path + " has an empty first line; put the password there";
  return {};
}

}  // namespace pptpx::client
