#include "server/radius_accounting.hpp"

#include <algorithm>
#include <cstdio>

#include "server/ip_address.hpp"
#include "server/terminate_cause.hpp"

namespace pptpx::server {

namespace {
using radius::AcctStatus;
namespace attr = radius::attr;

std::uint32_t low32(std::uint64_t v) { return static_cast<std::uint32_t>(v & 0xFFFFFFFFu); }
std::uint32_t high32(std::uint64_t v) { return static_cast<std::uint32_t>(v >> 32); }

void add_nas(radius::Packet& p, const NasIdentity& nas) {
  if (!nas.nas_identifier.empty()) p.add_string(attr::NasIdentifier, nas.nas_identifier);
  if (nas.nas_ip_address) p.add_u32(attr::NasIpAddress, *nas.nas_ip_address);
}

std::string_view status_name(std::uint32_t s) {
  switch (static_cast<AcctStatus>(s)) {
    case AcctStatus::Start: return "Start";
    case AcctStatus::Stop: return "Stop";
    case AcctStatus::InterimUpdate: return "Interim-Update";
    case AcctStatus::AccountingOn: return "Accounting-On";
    case AcctStatus::AccountingOff: return "Accounting-Off";
  }
  return "?";
}

std::string printable(ByteView b) {
  std::string s;
  for (std::uint8_t c : b) s += (c >= 0x20 && c < 0x7f && c != '"') ? static_cast<char>(c) : '?';
  return s;
}

std::string hex(ByteView b) {
  std::string s = "0x";
  char buf[3];
  for (std::uint8_t c : b) {
    std::snprintf(buf, sizeof buf, "%02x", c);
    s += buf;
  }
  return s;
}
}  // namespace

radius::Request build_accounting_request(AcctStatus status, const AcctSessionInfo& s, const AcctCounters& c,
                                         const NasIdentity& nas, Time now, std::optional<radius::TerminateCause> cause) {
  radius::Request r;
  radius::Packet& p = r.packet;
  p.code = radius::Code::AccountingRequest;
  p.add_u32(attr::AcctStatusType, static_cast<std::uint32_t>(status));
  p.add_string(attr::AcctSessionId, s.session_id);
  if (!s.user.empty()) p.add_string(attr::UserName, s.user.substr(0, radius::kMaxAttributeValue));
  add_nas(p, nas);
  p.add_u32(attr::NasPort, s.nas_port);
  p.add_u32(attr::NasPortType, radius::kNasPortTypeVirtual);
  p.add_u32(attr::ServiceType, radius::kServiceTypeFramed);
  p.add_u32(attr::FramedProtocol, radius::kFramedProtocolPpp);
  if (s.framed_ip != 0) p.add_u32(attr::FramedIpAddress, s.framed_ip);
  if (!s.calling_station.empty()) p.add_string(attr::CallingStationId, s.calling_station);
  p.add_u32(attr::AcctAuthentic, s.radius_authenticated ? 1 : 2);  // RFC 2866 §5.6: RADIUS / Local
  for (const Bytes& cls : s.classes) p.add(attr::Class, cls);
  if (status == AcctStatus::InterimUpdate || status == AcctStatus::Stop) {
    const auto t = std::chrono::duration_cast<std::chrono::seconds>(now - s.started).count();
    p.add_u32(attr::AcctSessionTime, static_cast<std::uint32_t>(std::max<long long>(0, t)));
    p.add_u32(attr::AcctInputOctets, low32(c.in_octets));
    p.add_u32(attr::AcctOutputOctets, low32(c.out_octets));
    p.add_u32(attr::AcctInputGigawords, high32(c.in_octets));
    p.add_u32(attr::AcctOutputGigawords, high32(c.out_octets));
    p.add_u32(attr::AcctInputPackets, low32(c.in_packets));
    p.add_u32(attr::AcctOutputPackets, low32(c.out_packets));
  }
  if (status == AcctStatus::Stop && cause) p.add_u32(attr::AcctTerminateCause, static_cast<std::uint32_t>(*cause));
  r.event_time = now;
  return r;
}

radius::Request build_accounting_on_off(AcctStatus status, const NasIdentity& nas, const std::string& session_id) {
  radius::Request r;
  radius::Packet& p = r.packet;
  p.code = radius::Code::AccountingRequest;
  p.add_u32(attr::AcctStatusType, static_cast<std::uint32_t>(status));
  p.add_string(attr::AcctSessionId, session_id);  // RFC 2866 §5.5: in every Accounting-Request
  add_nas(p, nas);
  return r;
}

std::string describe_accounting(const radius::Request& request) {
  std::string s;
  for (const radius::Attribute& a : request.packet.attributes) {
    std::string name, value;
    const bool u32 = a.value.size() == 4;
    const std::uint32_t n = u32 ? load_be32(a.value.data()) : 0;
    switch (a.type) {
      case attr::AcctStatusType: name = "Acct-Status-Type", value = std::string(status_name(n)); break;
      case attr::AcctSessionId: name = "Acct-Session-Id", value = printable(a.value); break;
      case attr::UserName: name = "User-Name", value = "\"" + printable(a.value) + "\""; break;
      case attr::NasIdentifier: name = "NAS-Identifier", value = printable(a.value); break;
      case attr::NasIpAddress: name = "NAS-IP-Address", value = to_string(Ipv4Address{n}); break;
      case attr::NasPort: name = "NAS-Port", value = std::to_string(n); break;
      case attr::FramedIpAddress: name = "Framed-IP-Address", value = to_string(Ipv4Address{n}); break;
      case attr::CallingStationId: name = "Calling-Station-Id", value = printable(a.value); break;
      case attr::Class: name = "Class", value = hex(a.value); break;
      case attr::AcctSessionTime: name = "Acct-Session-Time", value = std::to_string(n); break;
      case attr::AcctInputOctets: name = "Acct-Input-Octets", value = std::to_string(n); break;
      case attr::AcctOutputOctets: name = "Acct-Output-Octets", value = std::to_string(n); break;
      case attr::AcctInputGigawords: name = "Acct-Input-Gigawords", value = std::to_string(n); break;
      case attr::AcctOutputGigawords: name = "Acct-Output-Gigawords", value = std::to_string(n); break;
      case attr::AcctInputPackets: name = "Acct-Input-Packets", value = std::to_string(n); break;
      case attr::AcctOutputPackets: name = "Acct-Output-Packets", value = std::to_string(n); break;
      case attr::AcctTerminateCause:
        name = "Acct-Terminate-Cause", value = std::string(to_string(static_cast<radius::TerminateCause>(n)));
        break;
      default: continue;  // NAS-Port-Type, Service-Type, ...: the same in every record
    }
    s += (s.empty() ? "" : " ") + name + "=" + value;
  }
  return s;
}

AcctSessionIds::AcctSessionIds(std::uint32_t boot, std::uint16_t random_bits) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08X%04X", boot, static_cast<unsigned>(random_bits));
  run_ = buf;
}

std::string AcctSessionIds::next() {
  char buf[16];
  std::snprintf(buf, sizeof buf, "-%08X", next_++);
  return run_ + buf;
}

Accounting::Accounting(AccountingConfig config, radius::Client& client, NasIdentity nas, CountersOf counters_of)
    : config_(config), client_(client), nas_(std::move(nas)), counters_of_(std::move(counters_of)) {}

void Accounting::submit(AcctStatus status, radius::Request request, Time now) {
  ++counters_.sent;
  const bool keep = status == AcctStatus::Stop;
  InFlight f{status, keep ? request : radius::Request{}};
  const radius::RequestId id = client_.submit(std::move(request), now);
  in_flight_.emplace(id, std::move(f));
}

void Accounting::accounting_on(const std::string& session_id, Time now) {
  ++counters_.ons;
  submit(AcctStatus::AccountingOn, build_accounting_on_off(AcctStatus::AccountingOn, nas_, session_id), now);
}

void Accounting::accounting_off(const std::string& session_id, Time now) {
  ++counters_.offs;
  submit(AcctStatus::AccountingOff, build_accounting_on_off(AcctStatus::AccountingOff, nas_, session_id), now);
}

void Accounting::start(Key key, AcctSessionInfo info, std::optional<Duration> interim, Time now) {
  Session s;
  s.interim = interim ? std::max(*interim, config_.min_interim) : config_.interim_interval;
  if (s.interim > Duration::zero()) s.next_interim = info.started + s.interim;
  s.info = std::move(info);
  ++counters_.starts;
  submit(AcctStatus::Start, build_accounting_request(AcctStatus::Start, s.info, {}, nas_, now), now);
  if (auto old = sessions_.find(key); old != sessions_.end() && old->second.next_interim)
    interims_.erase({*old->second.next_interim, key});
  if (s.next_interim) interims_.emplace(*s.next_interim, key);
  sessions_[key] = std::move(s);
}

void Accounting::stop(Key key, const AcctCounters& counters, radius::TerminateCause cause, Time now) {
  auto it = sessions_.find(key);
  if (it == sessions_.end()) return;
  ++counters_.stops;
  submit(AcctStatus::Stop, build_accounting_request(AcctStatus::Stop, it->second.info, counters, nas_, now, cause), now);
  if (it->second.next_interim) interims_.erase({*it->second.next_interim, key});
  sessions_.erase(it);
}

bool Accounting::complete(const radius::Completion& c, Time now) {
  auto it = in_flight_.find(c.id);
  if (it == in_flight_.end()) return false;
  InFlight f = std::move(it->second);
  in_flight_.erase(it);
  if (c.reply) {
    ++counters_.acknowledged;
    return true;
  }
  ++counters_.failed;
  if (f.status == AcctStatus::Stop) enqueue(std::move(f.request), now);
  return true;
}

void Accounting::enqueue(radius::Request request, Time now) {
  ++counters_.stops_requeued;
  if (config_.stop_queue_limit == 0) {
    drop(request, "no server answered and the Stop queue is off (stop_queue_limit = 0)");
    return;
  }
  while (queue_.size() >= config_.stop_queue_limit) {
    drop(queue_.front().request, "the queue of unacknowledged Stops is full (" +
                                     std::to_string(config_.stop_queue_limit) + ")");
    queue_.pop_front();
  }
  queue_.push_back(Queued{std::move(request), now + config_.stop_retry_interval});
}

void Accounting::drop(const radius::Request& request, const std::string& why) {
  ++counters_.stops_dropped;
  dropped_.push_back(why + ": " + describe_accounting(request));
}

void Accounting::on_timer(Time now) {
  // Interim-Updates due.
  while (!interims_.empty() && interims_.begin()->first <= now) {
    const Key key = interims_.begin()->second;
    interims_.erase(interims_.begin());
    auto it = sessions_.find(key);
    if (it == sessions_.end()) continue;
    Session& s = it->second;
    while (*s.next_interim <= now) *s.next_interim += s.interim;  // no burst after a stall
    interims_.emplace(*s.next_interim, key);
    const auto counters = counters_of_(key);
    if (!counters) continue;
    ++counters_.interims;
    submit(AcctStatus::InterimUpdate,
           build_accounting_request(AcctStatus::InterimUpdate, s.info, *counters, nas_, now), now);
  }
  // Queued Stops: too old ones go, due ones are sent again (their Acct-Delay-Time grows).
  std::deque<Queued> keep;
  while (!queue_.empty()) {
    Queued q = std::move(queue_.front());
    queue_.pop_front();
    const Time event = q.request.event_time.value_or(now);
    if (now - event >= config_.stop_max_age) {
      drop(q.request, "no server acknowledged it within " +
                          std::to_string(std::chrono::duration_cast<std::chrono::seconds>(config_.stop_max_age).count()) +
                          " s");
      continue;
    }
    if (q.retry_at <= now) {
      submit(AcctStatus::Stop, std::move(q.request), now);
      continue;
    }
    keep.push_back(std::move(q));
  }
  queue_ = std::move(keep);
}

std::optional<Time> Accounting::deadline() const {
  std::optional<Time> d;
  auto earlier = [&d](Time t) {
    if (!d || t < *d) d = t;
  };
  if (!interims_.empty()) earlier(interims_.begin()->first);
  // Queued in order of failure, each with the same retry interval: the front is due first. A
  // later entry's age limit is checked when it is due for a retry.
  if (!queue_.empty()) {
    earlier(queue_.front().retry_at);
    if (queue_.front().request.event_time) earlier(*queue_.front().request.event_time + config_.stop_max_age);
  }
  return d;
}

void Accounting::give_up_all() {
  for (const Queued& q : queue_) drop(q.request, "the server stopped before a RADIUS server acknowledged it");
  queue_.clear();
  for (const auto& [id, f] : in_flight_) {
    if (f.status == AcctStatus::Stop)
      drop(f.request, "the server stopped before a RADIUS server acknowledged it");
    client_.cancel(id);
  }
  in_flight_.clear();
}

}  // namespace pptpx::server
