#include "server/radius_authorization.hpp"

#include "server/ip_address.hpp"

namespace pptpx::server {

namespace {
std::optional<Duration> seconds(const radius::Packet& p, std::uint8_t type) {
  const auto v = p.find_u32(type);
  if (!v || *v == 0) return std::nullopt;
  return std::chrono::seconds{*v};
}

std::optional<std::uint32_t> vendor_address(const radius::Packet& p, std::uint8_t type) {
  const auto v = p.find_vendor(radius::kVendorMicrosoft, type);
  if (!v || v->size() != 4) return std::nullopt;
  return load_be32(v->data());
}

std::string secs(Duration d) { return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(d).count()) + " s"; }
}  // namespace

RadiusAuthorization authorization_from_accept(const radius::Packet& p) {
  RadiusAuthorization a;
  if (auto ip = p.find_u32(radius::attr::FramedIpAddress); ip && *ip != 0xFFFFFFFFu && *ip != 0xFFFFFFFEu && *ip != 0)
    a.framed_ip = *ip;
  a.session_timeout = seconds(p, radius::attr::SessionTimeout);
  a.idle_timeout = seconds(p, radius::attr::IdleTimeout);
  a.interim_interval = seconds(p, radius::attr::AcctInterimInterval);
  if (auto mtu = p.find_u32(radius::attr::FramedMtu); mtu && *mtu >= 64 && *mtu <= 65535)
    a.framed_mtu = static_cast<std::uint16_t>(*mtu);
  a.dns[0] = vendor_address(p, radius::ms::PrimaryDnsServer);
  a.dns[1] = vendor_address(p, radius::ms::SecondaryDnsServer);
  for (const radius::Attribute& x : p.attributes) {
    if (x.type == radius::attr::Class && !x.value.empty()) a.classes.push_back(x.value);
    if (x.type == radius::attr::FramedRoute && !x.value.empty())
      a.framed_routes.emplace_back(x.value.begin(), x.value.end());
  }
  return a;
}

std::string describe(const RadiusAuthorization& a) {
  std::string s;
  auto add = [&s](const std::string& part) { s += (s.empty() ? "" : ", ") + part; };
  if (a.framed_ip) add("address " + to_string(Ipv4Address{*a.framed_ip}));
  if (a.session_timeout) add("Session-Timeout " + secs(*a.session_timeout));
  if (a.idle_timeout) add("Idle-Timeout " + secs(*a.idle_timeout));
  if (a.interim_interval) add("Acct-Interim-Interval " + secs(*a.interim_interval));
  if (a.framed_mtu) add("Framed-MTU " + std::to_string(*a.framed_mtu));
  for (std::size_t i = 0; i < a.dns.size(); ++i)
    if (a.dns[i]) add(std::string(i == 0 ? "primary" : "secondary") + " DNS " + to_string(Ipv4Address{*a.dns[i]}));
  if (!a.classes.empty()) add(std::to_string(a.classes.size()) + " Class");
  for (const std::string& r : a.framed_routes) add("Framed-Route \"" + r + "\" (not installed)");
  return s;
}

}  // namespace pptpx::server
