#include "server/config_diff.hpp"

namespace pptpx::server {

namespace {

std::string text(const std::string& s) { return s; }
std::string text(bool b) { return b ? "true" : "false"; }
template <typename Int>
  requires std::is_integral_v<Int>
std::string text(Int v) { return std::to_string(v); }
std::string text(Duration d) { return std::to_string(d.count()); }
std::string text(Ipv4Address a) { return to_string(a); }
std::string text(const Ipv6Address& a) { return to_string(a); }
std::string text(const Ipv4Range& r) { return to_string(r.first) + "-" + to_string(r.last); }
std::string text(const Ipv6Prefix& p) { return to_string(p.address) + "/" + std::to_string(p.length); }
std::string text(AuthMethod m) { return std::string(to_string(m)); }
std::string text(MppeMode m) { return std::string(to_string(m)); }
std::string text(AuthSource s) { return std::string(to_string(s)); }
std::string text(const RadiusServerEntry& s) {  // compared, never shown (it holds the secret)
  return s.address + ":" + std::to_string(s.auth_port) + ":" + std::to_string(s.acct_port) + ":" + s.secret + ":" +
         s.secret_file + ":" + std::to_string(s.weight) + ":" + text(s.backup) + ":" +
         text(s.require_message_authenticator);
}
template <typename T>
std::string text(const std::vector<T>& v) {
  std::string out;
  for (const auto& x : v) out += text(x) + ",";
  return out;
}

}  // namespace

std::vector<std::string> config_changes(const Config& a, const Config& b) {
  std::vector<std::string> out;
  auto cmp = [&](const char* name, const auto& x, const auto& y) {
    if (text(x) != text(y)) out.emplace_back(name);
  };
  cmp("[listen] address", a.listen.address, b.listen.address);
  cmp("[listen] port", a.listen.port, b.listen.port);
  cmp("[tun] name", a.tun.name, b.tun.name);
  cmp("[tun] per_session", a.tun.per_session, b.tun.per_session);
  cmp("[tun] mtu", a.tun.mtu, b.tun.mtu);
  cmp("[tun] mss_clamp", a.tun.mss_clamp, b.tun.mss_clamp);
  cmp("[tun] offload", a.tun.offload, b.tun.offload);
  cmp("[ipv4] server_address", a.ipv4.server_address, b.ipv4.server_address);
  cmp("[ipv4] pool", a.ipv4.pool, b.ipv4.pool);
  cmp("[ipv4] dns", a.ipv4.dns, b.ipv4.dns);
  cmp("[ipv6] enabled", a.ipv6.enabled, b.ipv6.enabled);
  cmp("[ipv6] prefix", a.ipv6.prefix, b.ipv6.prefix);
  cmp("[ipv6] server_interface_id", a.ipv6.server_interface_id, b.ipv6.server_interface_id);
  cmp("[ipv6] dns", a.ipv6.dns, b.ipv6.dns);
  cmp("[auth] methods", a.auth.methods, b.auth.methods);
  cmp("[auth] secrets_file", a.auth.secrets_file, b.auth.secrets_file);
  cmp("[auth] server_name", a.auth.server_name, b.auth.server_name);
  cmp("[mppe] required", a.mppe.required, b.mppe.required);
  cmp("[mppe] strengths", a.mppe.strengths, b.mppe.strengths);
  cmp("[mppe] mode", a.mppe.mode, b.mppe.mode);
  cmp("[limits] max_sessions", a.limits.max_sessions, b.limits.max_sessions);
  cmp("[limits] max_sessions_per_source", a.limits.max_sessions_per_source, b.limits.max_sessions_per_source);
  cmp("[limits] max_handshakes_in_progress", a.limits.max_handshakes_in_progress, b.limits.max_handshakes_in_progress);
  cmp("[limits] control_setup_seconds", a.limits.control_setup, b.limits.control_setup);
  cmp("[limits] auth_seconds", a.limits.auth, b.limits.auth);
  cmp("[limits] network_setup_seconds", a.limits.network_setup, b.limits.network_setup);
  cmp("[limits] gre_max_jump", a.limits.gre_max_jump, b.limits.gre_max_jump);
  cmp("[limits.auth_lockout] failures", a.limits.auth_lockout.failures, b.limits.auth_lockout.failures);
  cmp("[limits.auth_lockout] window_seconds", a.limits.auth_lockout.window, b.limits.auth_lockout.window);
  cmp("[limits.auth_lockout] lockout_seconds", a.limits.auth_lockout.lockout, b.limits.auth_lockout.lockout);
  cmp("[echo] control_interval_seconds", a.echo.control_interval, b.echo.control_interval);
  cmp("[echo] lcp_interval_seconds", a.echo.lcp_interval, b.echo.lcp_interval);
  cmp("[echo] lcp_failures", a.echo.lcp_failures, b.echo.lcp_failures);
  cmp("[log] level", a.log.level, b.log.level);
  cmp("[control] socket", a.control.socket, b.control.socket);
  cmp("[metrics] listen", a.metrics.listen, b.metrics.listen);
  cmp("[metrics] allowed", a.metrics.allowed, b.metrics.allowed);
  cmp("[metrics] per_user", a.metrics.per_user, b.metrics.per_user);
  cmp("[accounting] file", a.accounting.file, b.accounting.file);
  cmp("[auth] source", a.auth.source, b.auth.source);
  cmp("[radius] servers", a.radius.servers, b.radius.servers);
  cmp("[radius] timeout_seconds", a.radius.timeout, b.radius.timeout);
  cmp("[radius] retries", a.radius.retries, b.radius.retries);
  cmp("[radius] max_fail", a.radius.max_fail, b.radius.max_fail);
  cmp("[radius] fail_timeout_seconds", a.radius.fail_timeout, b.radius.fail_timeout);
  cmp("[radius] nas_identifier", a.radius.nas_identifier, b.radius.nas_identifier);
  cmp("[radius] nas_ip_address", a.radius.nas_ip_address, b.radius.nas_ip_address);
  cmp("[radius] accounting", a.radius.accounting, b.radius.accounting);
  cmp("[radius] interim_interval_seconds", a.radius.interim_interval, b.radius.interim_interval);
  cmp("[radius] stop_queue_limit", a.radius.stop_queue_limit, b.radius.stop_queue_limit);
  cmp("[radius] stop_retry_seconds", a.radius.stop_retry_interval, b.radius.stop_retry_interval);
  cmp("[radius] stop_max_age_seconds", a.radius.stop_max_age, b.radius.stop_max_age);
  return out;
}

}  // namespace pptpx::server
