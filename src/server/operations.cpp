#include "server/operations.hpp"

#include <algorithm>
#include <csignal>
#include <cstring>
#include <tuple>

#include <spdlog/spdlog.h>

#include "control/accounting_record.hpp"
#include "control/metrics_exposition.hpp"
#include "control/protocol.hpp"
#include "server/config_diff.hpp"

namespace pptpx::server {

namespace {
long long seconds_left(Time until, Time now) {
  return std::chrono::duration_cast<std::chrono::seconds>(until - now).count() + 1;
}
}  // namespace

Operations::Operations(asio::io_context& io, const Config& config, OperationsView view, OperationsHooks hooks)
    : io_(io), config_(config), view_(view), hooks_(std::move(hooks)), metrics_sources_(config.metrics.allowed) {}

Operations::~Operations() = default;

std::string Operations::open() {
  if (!config_.accounting.file.empty()) {
    if (std::string e = accounting_.open(config_.accounting.file); !e.empty()) return e;
    spdlog::info("accounting: one line per session start and stop in {} (SIGUSR1 reopens it)", accounting_.path());
  }
  usr1_ = std::make_unique<net::SignalWatch>(io_, SIGUSR1, [this] { reopen_log(); });
  if (!config_.control.socket.empty()) {
    control_ = std::make_unique<net::UnixLineServer>(io_, config_.control.socket, control::kMaxRequestLine,
                                                     [this](std::string_view line) {
                                                       return control::handle_request(line, *this);
                                                     });
    if (!control_->ok()) {
      // The default path is shared by every server on the host: without a [control] socket of
      // its own, a second server runs without one rather than not at all.
      if (config_.control.socket_configured) return control_->error();
      spdlog::warn("no control socket: {}", control_->error());
      control_.reset();
    } else {
      spdlog::info("control socket {} (pptpx ctl)", control_->path());
    }
  }
  if (!config_.metrics.listen.empty()) {
    http_ = std::make_unique<net::HttpGetServer>(
        io_, config_.metrics.address, config_.metrics.port,
        [this](const asio::ip::address& a) {
          if (a.is_v4()) {
            const auto b = a.to_v4().to_bytes();
            return metrics_sources_.allows(b.data(), b.size());
          }
          const auto b = a.to_v6().to_bytes();
          return metrics_sources_.allows(b.data(), b.size());
        },
        [this](const std::string& path) {
          if (path != "/metrics") return net::HttpAnswer{404, "text/plain; charset=utf-8", "try /metrics\n"};
          control::MetricsOptions o;
          o.per_user = config_.metrics.per_user;
          return net::HttpAnswer{200, control::kExpositionContentType, control::exposition_text(snapshot(), o)};
        });
    if (!http_->ok()) return http_->error();
    spdlog::info("metrics on http://{}/metrics", config_.metrics.listen);
  }
  return {};
}

void Operations::write_accounting(const std::string& line) {
  if (!accounting_.is_open()) return;
  if (accounting_.append(line)) {
    accounting_failed_ = false;
  } else if (!accounting_failed_) {
    accounting_failed_ = true;
    spdlog::error("accounting: cannot write to {}: {}; lines are lost until it works again", accounting_.path(),
                  std::strerror(errno));
  }
}

void Operations::link_up(const Connection& c, const CallRecord& call) {
  metrics_.setup_succeeded(call.up_since - call.placed);
  write_accounting(control::accounting_start(c.describe_call(call, Clock::now()), call.up_wall));
}

void Operations::link_down(const Connection& c, const CallRecord& call, const session::SessionEvent& e) {
  const Time now = Clock::now();
  if (call.up) {
    const control::SessionInfo s = c.describe_call(call, now);
    metrics_.session_ended(s.user, {s.received_bytes, s.sent_bytes, s.received_packets, s.sent_packets});
    write_accounting(control::accounting_stop(s, call.up_wall, std::chrono::system_clock::now(), e.reason));
    return;
  }
  metrics_.setup_failed(e.reason);
  if (e.reason.rfind("authentication failed", 0) == 0) {
    // Before the daemon records this failure: a lockout in force now refused the attempt.
    const std::string key = lockout_user_key(e.link.user);
    const char* why = e.link.user.empty()                                  ? "no_response"
                      : view_.user_lockout.locked_until(key, now) ? "locked_out"
                                                                           : "rejected";
    metrics_.auth_failed(call.auth, why);
  }
}

void Operations::reopen_log() {
  if (!accounting_.is_open()) {
    spdlog::info("SIGUSR1: no accounting log to reopen ([accounting] file is not set)");
    return;
  }
  if (std::string e = accounting_.reopen(); !e.empty()) {
    spdlog::error("SIGUSR1: {}", e);
    return;
  }
  spdlog::info("SIGUSR1: reopened the accounting log {}", accounting_.path());
}

control::Snapshot Operations::snapshot() {
  control::Snapshot s;
  const Time now = Clock::now();
  for (const auto& [id, c] : view_.connections) c->describe(s.sessions, now);
  for (const auto& [key, until] : view_.address_lockout.locked_keys(now))
    s.lockouts.push_back({"address", key, seconds_left(until, now)});
  for (const auto& [key, until] : view_.user_lockout.locked_keys(now))
    s.lockouts.push_back({"user", key, seconds_left(until, now)});
  std::sort(s.lockouts.begin(), s.lockouts.end(),
            [](const auto& a, const auto& b) { return std::tie(a.kind, a.key) < std::tie(b.kind, b.key); });

  const Ipv4Pool& pool = view_.pool;
  s.pool.first = to_string(pool.range().first);
  s.pool.last = to_string(pool.range().last);
  s.pool.server_address = to_string(pool.server_address());
  s.pool.dynamic_capacity = pool.dynamic_capacity();
  std::map<std::uint32_t, std::string> users;
  for (const auto& x : s.sessions) {
    if (auto a = parse_ipv4(x.ipv4)) users[a->value] = x.user;
  }
  std::vector<std::uint32_t> used(pool.allocated_addresses().begin(), pool.allocated_addresses().end());
  std::sort(used.begin(), used.end());
  for (std::uint32_t a : used) s.pool.in_use.emplace_back(to_string(Ipv4Address{a}), users[a]);
  std::map<std::uint32_t, std::string> reserved(pool.reservations().begin(), pool.reservations().end());
  for (const auto& [a, user] : reserved) s.pool.reserved.emplace_back(to_string(Ipv4Address{a}), user);

  s.daemon.uptime_seconds = std::chrono::duration_cast<std::chrono::seconds>(now - started_).count();
  s.daemon.connections = view_.connections.size();
  if (hooks_.counters) hooks_.counters(s.daemon);
  if (hooks_.radius) hooks_.radius(s.radius);
  s.metrics = &metrics_;
  return s;
}

bool Operations::terminate(std::uint64_t id, const std::string& reason) {
  return hooks_.terminate && hooks_.terminate(id, reason);
}

bool Operations::unlock(const std::string& key) {
  const Time now = Clock::now();
  const bool address = view_.address_lockout.unlock(key, now);
  const bool user = view_.user_lockout.unlock(lockout_user_key(key), now);
  if (address || user) spdlog::info("pptpx ctl unlock: {} \"{}\" is no longer locked out", address ? "address" : "user", key);
  return address || user;
}

control::ReloadReport Operations::reload() {
  control::ReloadReport r;
  auto loaded = load_config(config_.source_file);
  for (const auto& e : loaded.errors) r.errors.push_back(e.to_string());
  if (!loaded.config) return r;
  std::size_t users = 0;
  if (hooks_.reload_secrets) {
    r.errors = hooks_.reload_secrets(users);
    if (!r.errors.empty()) return r;
  }
  const Config& next = *loaded.config;
  r.applied.push_back("secrets file " + next.auth.secrets_file + ": " + std::to_string(users) + " users");
  for (const std::string& key : config_changes(config_, next)) {
    if (key == "[log] level") {
      spdlog::set_level(spdlog::level::from_str(next.log.level));
      config_.log.level = next.log.level;
      r.applied.push_back("[log] level = " + next.log.level);
    } else if (key == "[metrics] per_user") {
      config_.metrics.per_user = next.metrics.per_user;
      r.applied.push_back(std::string("[metrics] per_user = ") + (next.metrics.per_user ? "true" : "false"));
    } else if (key == "[accounting] file") {
      if (next.accounting.file.empty()) {
        accounting_.close();
      } else if (std::string e = accounting_.open(next.accounting.file); !e.empty()) {
        r.needs_restart.push_back(key + " (" + e + ")");
        continue;
      }
      config_.accounting.file = next.accounting.file;
      r.applied.push_back("[accounting] file = \"" + next.accounting.file + "\"");
    } else {
      r.needs_restart.push_back(key);
    }
  }
  spdlog::info("pptpx ctl reload: applied {}; {} setting(s) need a restart{}", r.applied.size(), r.needs_restart.size(),
               r.needs_restart.empty() ? "" : ": " + [&] {
                 std::string all;
                 for (const auto& k : r.needs_restart) all += (all.empty() ? "" : ", ") + k;
                 return all;
               }());
  return r;
}

}  // namespace pptpx::server
