#include "control/metrics_exposition.hpp"

#include <limits>
#include <map>
#include <sstream>

#include <prometheus/text_serializer.h>

#include "control/protocol.hpp"

namespace pptpx::control {

namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

struct Families {
  std::vector<MetricFamily> all;

  MetricFamily& add(std::string name, std::string help, MetricType type) {
    all.push_back(MetricFamily{std::move(name), std::move(help), type, {}});
    return all.back();
  }
  static void sample(MetricFamily& f, double value, std::vector<ClientMetric::Label> labels = {}) {
    ClientMetric m;
    m.label = std::move(labels);
    if (f.type == MetricType::Counter) m.counter.value = value;
    else m.gauge.value = value;
    f.metric.push_back(std::move(m));
  }
  void counter(std::string name, std::string help, double value) {
    sample(add(std::move(name), std::move(help), MetricType::Counter), value);
  }
  void gauge(std::string name, std::string help, double value) {
    sample(add(std::move(name), std::move(help), MetricType::Gauge), value);
  }
};

double num(std::uint64_t v) { return static_cast<double>(v); }

}  // namespace

std::vector<MetricFamily> metric_families(const Snapshot& s, const MetricsOptions& o) {
  Families f;
  Families::sample(f.add("pptpx_build_info", "pptpx version (always 1)", MetricType::Gauge), 1,
                   {{"version", o.version}});
  f.gauge("pptpx_uptime_seconds", "Seconds since the server started",
          static_cast<double>(s.daemon.uptime_seconds));
  f.gauge("pptpx_connections", "PPTP control connections open", num(s.daemon.connections));

  auto& sessions = f.add("pptpx_sessions", "Sessions (PPP links) by state", MetricType::Gauge);
  for (const auto& [state, n] : sessions_by_state(s.sessions)) Families::sample(sessions, num(n), {{"state", state}});

  auto& setups = f.add("pptpx_session_setups_total", "Session setups by result (success or why it failed)",
                       MetricType::Counter);
  Families::sample(setups, 0, {{"result", "success"}});  // present from the start, for rate()
  if (s.metrics) {
    for (const auto& [result, n] : s.metrics->setups()) {
      if (result == "success") setups.metric.front().counter.value = num(n);
      else Families::sample(setups, num(n), {{"result", result}});
    }
  }

  auto& hist = f.add("pptpx_session_setup_seconds", "Time from a call's placement to its link coming up",
                     MetricType::Histogram);
  ClientMetric h;
  if (s.metrics) {
    h.histogram.sample_count = s.metrics->setup_count();
    h.histogram.sample_sum = s.metrics->setup_sum_seconds();
  }
  for (std::size_t i = 0; i < SessionMetrics::kSetupBuckets.size(); ++i)
    h.histogram.bucket.push_back({s.metrics ? s.metrics->setup_buckets()[i] : 0, SessionMetrics::kSetupBuckets[i]});
  h.histogram.bucket.push_back({h.histogram.sample_count, std::numeric_limits<double>::infinity()});
  hist.metric.push_back(std::move(h));

  auto& auth = f.add("pptpx_auth_failures_total", "Failed PPP authentications by method and reason",
                     MetricType::Counter);
  if (s.metrics) {
    for (const auto& [k, n] : s.metrics->auth_failures())
      Families::sample(auth, num(n), {{"method", k.first}, {"reason", k.second}});
  }

  auto& lockouts = f.add("pptpx_lockouts", "Authentication lockouts in force", MetricType::Gauge);
  std::uint64_t by_address = 0, by_user = 0;
  for (const auto& l : s.lockouts) ++(l.kind == "user" ? by_user : by_address);
  Families::sample(lockouts, num(by_address), {{"kind", "address"}});
  Families::sample(lockouts, num(by_user), {{"kind", "user"}});

  const Traffic t = total_traffic(s);
  f.counter("pptpx_received_bytes_total", "IP bytes received from clients through their tunnels",
            num(t.received_bytes));
  f.counter("pptpx_sent_bytes_total", "IP bytes sent to clients through their tunnels", num(t.sent_bytes));
  f.counter("pptpx_received_packets_total", "IP packets received from clients through their tunnels",
            num(t.received_packets));
  f.counter("pptpx_sent_packets_total", "IP packets sent to clients through their tunnels", num(t.sent_packets));

  auto& gre = f.add("pptpx_gre_dropped_total", "GRE datagrams dropped by the server, by reason", MetricType::Counter);
  for (const auto& [reason, n] : s.daemon.gre_dropped) Families::sample(gre, num(n), {{"reason", reason}});
  auto& tun = f.add("pptpx_tun_dropped_total", "Packets from the TUN device dropped, by reason", MetricType::Counter);
  for (const auto& [reason, n] : s.daemon.tun_dropped) Families::sample(tun, num(n), {{"reason", reason}});
  auto& dgrams = f.add("pptpx_gre_datagrams_total", "GRE datagrams on the raw socket", MetricType::Counter);
  Families::sample(dgrams, num(s.daemon.gre_received), {{"direction", "received"}});
  Families::sample(dgrams, num(s.daemon.gre_sent), {{"direction", "sent"}});
  f.counter("pptpx_icmp_too_big_sent_total", "ICMP fragmentation-needed / packet-too-big errors sent",
            num(s.daemon.icmp_too_big_sent));
  f.counter("pptpx_mss_clamped_total", "TCP SYNs whose MSS option was lowered", num(s.daemon.mss_clamped));
  f.counter("pptpx_connections_refused_total", "Control connections refused (limits, lockouts)",
            num(s.daemon.connections_refused));
  auto& closed = f.add("pptpx_connections_closed_total",
                       "Control connections the server closed itself (issue 19 bounds), by reason", MetricType::Counter);
  for (const auto& [reason, n] : s.daemon.connections_closed) Families::sample(closed, num(n), {{"reason", reason}});
  if (!s.daemon.radius_dae.empty()) {
    auto& dae = f.add("pptpx_radius_dae_total", "RADIUS Disconnect/CoA requests (RFC 5176): received, dropped by reason, "
                      "answered", MetricType::Counter);
    for (const auto& [event, n] : s.daemon.radius_dae) Families::sample(dae, num(n), {{"event", event}});
  }

  if (s.radius.enabled) {
    auto& req = f.add("pptpx_radius_requests_total", "RADIUS client events, by kind", MetricType::Counter);
    for (const auto& [k, n] : s.radius.requests) Families::sample(req, num(n), {{"kind", k}});
    auto& acct = f.add("pptpx_radius_accounting_total", "RADIUS accounting records and sends, by kind",
                       MetricType::Counter);
    for (const auto& [k, n] : s.radius.accounting) Families::sample(acct, num(n), {{"kind", k}});
    auto& queued = f.add("pptpx_radius_accounting_stops_queued", "Accounting Stops waiting for a RADIUS server",
                         MetricType::Gauge);
    Families::sample(queued, num(s.radius.stops_queued), {});
    auto& dropped = f.add("pptpx_radius_replies_dropped_total", "RADIUS replies dropped, by reason",
                          MetricType::Counter);
    for (const auto& [k, n] : s.radius.dropped) Families::sample(dropped, num(n), {{"reason", k}});
    auto& up = f.add("pptpx_radius_server_up", "1 when the RADIUS server is not marked dead", MetricType::Gauge);
    for (const auto& [name, alive] : s.radius.servers) Families::sample(up, alive ? 1.0 : 0.0, {{"server", name}});
  }

  if (o.per_user && s.metrics) {
    std::map<std::string, Traffic> users = s.metrics->ended_by_user();
    for (const auto& x : s.sessions) {
      if (!x.user.empty()) users[x.user] += Traffic{x.received_bytes, x.sent_bytes, x.received_packets, x.sent_packets};
    }
    auto& rx = f.add("pptpx_user_received_bytes_total", "IP bytes received from a user's sessions", MetricType::Counter);
    auto& tx = f.add("pptpx_user_sent_bytes_total", "IP bytes sent to a user's sessions", MetricType::Counter);
    for (const auto& [user, tr] : users) {
      Families::sample(rx, num(tr.received_bytes), {{"user", user}});
      Families::sample(tx, num(tr.sent_bytes), {{"user", user}});
    }
  }
  return f.all;
}

std::string exposition_text(const Snapshot& s, const MetricsOptions& o) {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, metric_families(s, o));
  return out.str();
}

}  // namespace pptpx::control
