#include "session/session.hpp"

#include <algorithm>

namespace pptpx::session {

namespace {
pptp::ControlConfig control_config(const SessionConfig& c) {
  pptp::ControlConfig cc = c.control;
  cc.role = c.role == SessionRole::Client ? pptp::Role::Pns : pptp::Role::Pac;
  cc.originate = c.role == SessionRole::Client;  // the PNS opened the TCP connection
  return cc;
}
}  // namespace

Session::Session(SessionConfig config, pptp::CallIdAllocator& ids, ppp::AuthFactory& auth, SessionOutput& output,
                 CallHooks* hooks)
    : config_(std::move(config)), control_(control_config(config_), ids), auth_(auth), output_(output), hooks_(hooks) {
  config_.link.role = config_.role == SessionRole::Client ? ppp::LinkRole::Client : ppp::LinkRole::Server;
}

Session::~Session() {
  // Destroying calls must not call back into a half-destroyed session.
  calls_.clear();
}

void Session::start(Time now) {
  control_.start(now);
  pump(now);
}

void Session::receive_tcp(ByteView bytes, Time now) {
  control_.receive(bytes, now);
  pump(now);
}

Bytes Session::take_tcp_output() { return control_.take_output(); }

void Session::on_transport_closed(Time now) {
  control_.on_transport_closed(now);
  pump(now);
}

void Session::receive_gre(ByteView packet, Time now) {
  // Catches a packet too short to carry the Key: decode_gre reports it to the call, but the
  // session needs the Call ID first to choose the call.
  if (packet.size() < pptp::kGreBaseSize) {
    ++counters_.gre_unknown_call;
    return;
  }
  std::uint16_t call_id = load_be16(packet.data() + 6);
  auto it = calls_.find(call_id);
  if (it == calls_.end()) {
    ++counters_.gre_unknown_call;
    return;
  }
  it->second->receive_gre(packet, now);
  pump(now);
}

bool Session::send_ipv4(std::uint16_t call_id, PacketBuffer& packet, Time now) {
  auto it = calls_.find(call_id);
  if (it == calls_.end()) {
    ++counters_.ip_no_call;
    return false;
  }
  return it->second->send_ipv4(packet, now);
}

bool Session::send_ipv6(std::uint16_t call_id, PacketBuffer& packet, Time now) {
  auto it = calls_.find(call_id);
  if (it == calls_.end()) {
    ++counters_.ip_no_call;
    return false;
  }
  return it->second->send_ipv6(packet, now);
}

void Session::stop(std::string reason, Time now, pptp::StopReason code) {
  if (control_.closed()) return;
  if (close_reason_.empty()) close_reason_ = reason;
  stopping_ = true;
  if (config_.role == SessionRole::Client && !calls_.empty()) {
    // PNS: end PPP first (LCP Terminate), then Call-Clear-Request, then Stop-Control-Connection.
    for (auto& [id, call] : calls_) call->close(reason, now);
  } else {
    control_.stop(code, reason, now);
  }
  pump(now);
}

void Session::terminate(std::string reason, Time now) {
  if (config_.role == SessionRole::Server && !control_.closed()) {
    if (close_reason_.empty()) close_reason_ = reason;
    stopping_ = true;
    // clear_call reports each call down (CallDown), which pump() turns into LinkDown and
    // call_finished; then stop() sends Stop-Control-Connection-Request.
    for (std::uint16_t id : call_ids()) control_.clear_call(id, reason, now, pptp::DisconnectResult::AdminShutdown);
    pump(now);
  }
  stop(std::move(reason), now);
}

std::optional<Time> Session::deadline() const {
  std::optional<Time> d = control_.deadline();
  for (const auto& [id, call] : calls_) {
    auto c = call->deadline();
    if (c && (!d || *c < *d)) d = c;
  }
  return d;
}

void Session::on_timer(Time now) {
  if (auto d = control_.deadline(); d && *d <= now) control_.on_timer(now);
  // on_timer may remove calls (through pump); collect IDs first.
  std::vector<std::uint16_t> due;
  for (const auto& [id, call] : calls_) {
    auto d = call->deadline();
    if (d && *d <= now) due.push_back(id);
  }
  for (std::uint16_t id : due) {
    auto it = calls_.find(id);
    if (it != calls_.end()) it->second->on_timer(now);
  }
  pump(now);
}

std::vector<std::uint16_t> Session::call_ids() const {
  std::vector<std::uint16_t> ids;
  for (const auto& [id, call] : calls_) ids.push_back(id);
  return ids;
}

const CallLink* Session::call(std::uint16_t call_id) const {
  auto it = calls_.find(call_id);
  return it == calls_.end() ? nullptr : it->second.get();
}

// ---- CallOutput ----

void Session::send_gre(std::uint16_t, MutableByteView packet) { output_.send_gre(packet); }
void Session::deliver_ipv4(std::uint16_t id, ByteView packet) { output_.deliver_ipv4(id, packet); }
void Session::deliver_ipv6(std::uint16_t id, ByteView packet) { output_.deliver_ipv6(id, packet); }

void Session::link_event(std::uint16_t id, const ppp::LinkEvent& event) {
  SessionEvent e;
  e.call_id = id;
  e.link = event.up;
  e.reason = event.reason;
  switch (event.kind) {
    case ppp::LinkEvent::Kind::Up: e.kind = SessionEvent::Kind::LinkUp; break;
    case ppp::LinkEvent::Kind::Ipv6Up: e.kind = SessionEvent::Kind::Ipv6Up; break;
    case ppp::LinkEvent::Kind::Down:
      e.kind = SessionEvent::Kind::LinkDown;
      // The Link is still on the stack: clear its call afterwards, in pump().
      links_down_.push_back(id);
      break;
  }
  output_.on_event(e);
}

// ---- control events and call lifetime ----

void Session::pump(Time now) {
  // Links that ended: clear their calls (PNS: Call-Clear-Request; PAC: Call-Disconnect-Notify).
  while (!links_down_.empty()) {
    std::uint16_t id = links_down_.back();
    links_down_.pop_back();
    auto it = calls_.find(id);
    if (it == calls_.end()) continue;
    std::string reason = it->second->link().down_reason();
    // The peer reads this one (Call-Disconnect-Notify Call Statistics): never an auth failure's
    // true reason (ppp/auth_wire_text.hpp).
    std::string wire_reason = it->second->link().down_wire_reason();
    calls_.erase(it);
    if (hooks_) hooks_->call_finished(id);
    control_.clear_call(id, wire_reason, now, pptp::DisconnectResult::AdminShutdown);
    if (config_.role == SessionRole::Client || stopping_) {
      if (close_reason_.empty()) close_reason_ = reason;
      if (calls_.empty()) control_.stop(pptp::StopReason::None, close_reason_, now);
    }
  }
  for (auto& e : control_.take_events()) on_control_event(e, now);
  if (!links_down_.empty()) pump(now);
}

void Session::on_control_event(const pptp::ControlEvent& ev, Time now) {
  if (const auto* est = std::get_if<pptp::Established>(&ev)) {
    emit(SessionEvent::Kind::ControlUp, 0, "peer " + est->peer_host_name + " (" + est->peer_vendor + ")");
    if (config_.role == SessionRole::Client && !stopping_) {
      if (!control_.place_outgoing_call(config_.outgoing_call, now)) {
        control_.stop(pptp::StopReason::None, "could not place the call", now);
      }
    }
  } else if (const auto* up = std::get_if<pptp::CallUp>(&ev)) {
    call_up(*up, now);
  } else if (const auto* down = std::get_if<pptp::CallDown>(&ev)) {
    call_down(down->local_call_id, down->reason, now);
  } else if (const auto* w = std::get_if<pptp::Warning>(&ev)) {
    emit(SessionEvent::Kind::Warning, 0, w->reason);
  } else if (const auto* wan = std::get_if<pptp::WanError>(&ev)) {
    emit(SessionEvent::Kind::Warning, wan->local_call_id, "peer reported WAN errors (WAN-Error-Notify)");
  } else if (const auto* closed = std::get_if<pptp::Closed>(&ev)) {
    // The control connection reports CallDown for every call before Closed.
    for (auto& [id, call] : calls_) call->lower_down(closed->reason, now);
    if (close_reason_.empty()) close_reason_ = closed->reason;
    if (!closed_emitted_) {
      closed_emitted_ = true;
      emit(SessionEvent::Kind::Closed, 0, close_reason_);
    }
  }
  // pptp::LinkInfo (Set-Link-Info ACCMs) needs no action: ACCM does not apply to PPP over GRE.
}

void Session::call_up(const pptp::CallUp& up, Time now) {
  ppp::LinkConfig cfg = config_.link;
  std::string why;
  if (hooks_ && !hooks_->prepare_call(up.local_call_id, cfg, why)) {
    emit(SessionEvent::Kind::Warning, up.local_call_id, "call refused: " + why);
    control_.clear_call(up.local_call_id, why, now, pptp::DisconnectResult::AdminShutdown);
    return;
  }
  auto call = std::make_unique<CallLink>(up.local_call_id, up.peer_call_id, cfg, config_.gre, auth_,
                                           static_cast<CallOutput&>(*this));
  CallLink& c = *call;
  calls_[up.local_call_id] = std::move(call);
  emit(SessionEvent::Kind::CallUp, up.local_call_id, "");
  c.start(now);
}

bool Session::prepare_network(std::uint16_t local_call_id, const std::string& user, ppp::IpcpConfig& ipcp,
                              ppp::Ipv6cpConfig& ipv6cp, std::string& why) {
  return hooks_ == nullptr || hooks_->prepare_network(local_call_id, user, ipcp, ipv6cp, why);
}

void Session::call_down(std::uint16_t call_id, const std::string& reason, Time now) {
  auto it = calls_.find(call_id);
  if (it == calls_.end()) return;
  // lower_down emits LinkDown (queued in links_down_); the call is already gone on the control
  // side, so remove it here and skip the clear in pump().
  it->second->lower_down(reason, now);
  links_down_.erase(std::remove(links_down_.begin(), links_down_.end(), call_id), links_down_.end());
  calls_.erase(call_id);
  if (hooks_) hooks_->call_finished(call_id);
  if (config_.role == SessionRole::Client && calls_.empty() && !control_.closed()) {
    if (close_reason_.empty()) close_reason_ = reason;
    control_.stop(pptp::StopReason::None, close_reason_, now);
  }
}

void Session::emit(SessionEvent::Kind kind, std::uint16_t call_id, std::string reason) {
  SessionEvent e;
  e.kind = kind;
  e.call_id = call_id;
  e.reason = std::move(reason);
  output_.on_event(e);
}

}  // namespace pptpx::session
