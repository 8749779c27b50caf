#include "radius/client.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <stdexcept>

#include "radius/security.hpp"

namespace pptpx::radius {

namespace {
std::size_t port_index(Port p) { return p == Port::Auth ? 0 : 1; }

bool answers(Port port, Code reply) {
  if (port == Port::Acct) return reply == Code::AccountingResponse;
  return reply == Code::AccessAccept || reply == Code::AccessReject || reply == Code::AccessChallenge;
}
}  // namespace

Client::Client(ClientConfig config, std::function<void(MutableByteView)> random)
    : config_(std::move(config)), random_(std::move(random)), servers_(config_.servers.size()) {
  if (!random_) {
    random_ = [](MutableByteView out) {
      if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
        throw std::runtime_error("pptpx: OpenSSL RAND_bytes failed for a RADIUS Request Authenticator");
      }
    };
  }
}

RequestId Client::submit(Request request, Time now) {
  if (config_.servers.empty()) throw std::invalid_argument("RADIUS client without servers");
  const RequestId id = next_request_++;
  ++counters_.requests;
  Active a;
  a.port = request.packet.code == Code::AccountingRequest ? Port::Acct : Port::Auth;
  a.first_sent = request.event_time.value_or(now);
  a.request = std::move(request);
  a.tried.assign(config_.servers.size(), false);
  const auto server = choose_server(a.tried, now);
  a.server = *server;  // there is always an untried server at the start
  a.tried[a.server] = true;
  if (!start_on(id, a, now)) {
    ++counters_.queued_for_identifier;
    waiting_.emplace_back(id, std::move(a));
    return id;
  }
  active_.emplace(id, std::move(a));
  return id;
}

std::optional<std::size_t> Client::choose_server(const std::vector<bool>& tried, Time now) {
  // Smooth weighted round robin (as nginx does) over the live, untried primaries.
  long total = 0;
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < servers_.size(); ++i) {
    const ServerConfig& c = config_.servers[i];
    if (tried[i] || c.backup || servers_[i].dead_until > now) continue;
    const long w = std::max<long>(1, static_cast<long>(c.weight));
    servers_[i].current_weight += w;
    total += w;
    if (!best || servers_[i].current_weight > servers_[*best].current_weight) best = i;
  }
  if (best) {
    servers_[*best].current_weight -= total;
    return best;
  }
  for (std::size_t i = 0; i < servers_.size(); ++i) {  // live backups, in configured order
    if (!tried[i] && config_.servers[i].backup && servers_[i].dead_until <= now) return i;
  }
  // Every untried server is dead: try the one that comes back first anyway.
  for (std::size_t i = 0; i < servers_.size(); ++i) {
    if (!tried[i] && (!best || servers_[i].dead_until < servers_[*best].dead_until)) best = i;
  }
  return best;
}

bool Client::start_on(RequestId id, Active& a, Time now) {
  ServerState& s = servers_[a.server];
  auto& owner = s.owner[port_index(a.port)];
  std::uint8_t& next = s.next_id[port_index(a.port)];
  std::optional<std::uint8_t> free;
  for (unsigned i = 0; i < 256; ++i) {
    const auto candidate = static_cast<std::uint8_t>(next + i);
    if (owner[candidate] == 0) {
      free = candidate;
      break;
    }
  }
  if (!free) return false;
  next = static_cast<std::uint8_t>(*free + 1);
  owner[*free] = id;
  a.identifier = *free;
  a.sends = 0;
  Packet p = a.request.packet;
  p.identifier = a.identifier;
  const std::string& secret = config_.servers[a.server].secret;
  if (a.port == Port::Auth) {
    random_(p.authenticator);
    if (a.request.user_password) {
      // Already checked to be at most 128 octets by whoever built the request; refuse otherwise.
      auto hidden = hide_user_password(*a.request.user_password, p.authenticator, secret);
      if (hidden) p.add(attr::UserPassword, *hidden);
    }
    a.authenticator = p.authenticator;
    a.wire = encode_access_request(std::move(p), secret);
  } else {
    // RFC 2866 §5.2: Acct-Delay-Time, the seconds this record has been trying to get sent.
    std::erase_if(p.attributes, [](const Attribute& x) { return x.type == attr::AcctDelayTime; });
    const auto delay = std::chrono::duration_cast<std::chrono::seconds>(now - a.first_sent).count();
    if (delay > 0) p.add_u32(attr::AcctDelayTime, static_cast<std::uint32_t>(delay));
    a.wire = encode_accounting_style_request(std::move(p), secret);
    std::copy(a.wire.begin() + 4, a.wire.begin() + 20, a.authenticator.begin());
  }
  send(a, now);
  return true;
}

void Client::send(Active& a, Time now) {
  output_.push_back(Datagram{a.server, a.port, a.wire});
  ++counters_.sent;
  if (a.sends > 0) ++counters_.retransmissions;
  ++a.sends;
  a.next_timeout = now + config_.timeout;
}

void Client::release_identifier(const Active& a) {
  auto& owner = servers_[a.server].owner[port_index(a.port)];
  owner[a.identifier] = 0;
}

void Client::on_timer(Time now) {
  std::vector<RequestId> due;
  for (const auto& [id, a] : active_) {
    if (a.next_timeout <= now) due.push_back(id);
  }
  for (RequestId id : due) {
    auto it = active_.find(id);
    if (it == active_.end()) continue;
    Active& a = it->second;
    if (a.sends <= config_.retries) {
      if (a.port == Port::Auth) {
        send(a, now);  // RFC 5080 §2.2.1: same Identifier, same Authenticator
      } else {
        release_identifier(a);
        const unsigned sends = a.sends;
        if (!start_on(id, a, now)) {  // cannot happen: we just freed one
          finish(id, a, std::nullopt, now);
          continue;
        }
        a.sends = sends + 1;
        ++counters_.retransmissions;
      }
      continue;
    }
    give_up_on_server(id, a, now);
  }
  drain_waiting(now);
}

void Client::give_up_on_server(RequestId id, Active& a, Time now) {
  ServerState& s = servers_[a.server];
  if (++s.consecutive_failures >= config_.max_fail && s.dead_until <= now) {
    s.dead_until = now + config_.fail_timeout;
    s.consecutive_failures = 0;
    ++counters_.servers_marked_dead;
  }
  release_identifier(a);
  const auto next = choose_server(a.tried, now);
  if (!next) {
    finish(id, a, std::nullopt, now, false);
    return;
  }
  ++counters_.failovers;
  a.server = *next;
  a.tried[a.server] = true;
  if (!start_on(id, a, now)) {
    ++counters_.queued_for_identifier;
    waiting_.emplace_back(id, std::move(a));
    active_.erase(id);
  }
}

void Client::finish(RequestId id, Active& a, std::optional<Packet> reply, Time now, bool release) {
  if (release) release_identifier(a);
  if (!reply) ++counters_.unanswered;
  Completion c;
  c.id = id;
  c.reply = std::move(reply);
  c.server = a.server;
  c.request_authenticator = a.authenticator;
  c.secret = config_.servers[a.server].secret;
  completions_.push_back(std::move(c));
  active_.erase(id);
  drain_waiting(now);
}

void Client::drain_waiting(Time now) {
  while (!waiting_.empty()) {
    auto& [id, a] = waiting_.front();
    if (!start_on(id, a, now)) return;
    active_.emplace(id, std::move(a));
    waiting_.pop_front();
  }
}

void Client::cancel(RequestId id) {
  if (auto it = active_.find(id); it != active_.end()) {
    release_identifier(it->second);
    active_.erase(it);
    return;
  }
  std::erase_if(waiting_, [id](const auto& w) { return w.first == id; });
}

void Client::receive(std::size_t server, Port port, ByteView d, Time now) {
  if (server >= servers_.size()) return;
  const ParseResult parsed = parse(d);
  if (parsed.error != ParseError::None) {
    ++counters_.dropped_malformed;
    return;
  }
  const RequestId id = servers_[server].owner[port_index(port)][parsed.packet.identifier];
  auto it = active_.find(id);
  if (id == 0 || it == active_.end()) {
    ++counters_.dropped_unknown_id;
    return;
  }
  Active& a = it->second;
  if (!answers(port, parsed.packet.code)) {
    ++counters_.dropped_wrong_code;
    return;
  }
  // RFC 2865 §3 Response Authenticator; RFC 3579 §3.2 Message-Authenticator, checked when
  // present and required on Access replies when so configured (BlastRADIUS, CVE-2024-3596).
  const ServerConfig& sc = config_.servers[server];
  const bool require_ma = port == Port::Auth && sc.require_reply_message_authenticator;
  if (verify_response(d, a.authenticator, sc.secret, require_ma) != VerifyError::None) {
    ++counters_.dropped_bad_authenticator;
    return;
  }
  ++counters_.replies;
  servers_[server].consecutive_failures = 0;
  servers_[server].dead_until = Time{};
  finish(id, a, parsed.packet, now);
}

std::optional<Time> Client::deadline() const {
  std::optional<Time> d;
  for (const auto& [id, a] : active_) {
    if (!d || a.next_timeout < *d) d = a.next_timeout;
  }
  return d;
}

}  // namespace pptpx::radius
