// Call half of ControlConnection: the call state machines of RFC 2637 §3.2 (sketch in call.hpp).
// Call ID conventions on the wire: a message's "Call ID" is its sender's own ID, "Peer's Call ID"
// the receiver's. Call-Clear-Request carries the PNS's ID, Call-Disconnect-Notify the PAC's.
#include <algorithm>

#include "pptp/control_connection.hpp"

namespace pptpx::pptp {

Call* ControlConnection::call_by_local(std::uint16_t id) {
  auto it = std::find_if(calls_.begin(), calls_.end(),
                         [id](const Call& c) { return c.local_call_id == id; });
  return it == calls_.end() ? nullptr : &*it;
}

const Call* ControlConnection::find_call(std::uint16_t id) const {
  auto it = std::find_if(calls_.begin(), calls_.end(),
                         [id](const Call& c) { return c.local_call_id == id; });
  return it == calls_.end() ? nullptr : &*it;
}

Call* ControlConnection::call_by_peer(std::uint16_t peer_id) {
  auto it = std::find_if(calls_.begin(), calls_.end(), [peer_id](const Call& c) {
    return c.peer_call_id_known && c.peer_call_id == peer_id;
  });
  return it == calls_.end() ? nullptr : &*it;
}

void ControlConnection::call_up(Call& c, Time now) {
  c.state = CallState::Established;
  c.state_since = now;
  c.was_up = true;
  CallUp e;
  e.local_call_id = c.local_call_id;
  e.peer_call_id = c.peer_call_id;
  e.direction = c.direction;
  e.call_serial_number = c.call_serial_number;
  e.peer_recv_window = c.peer_recv_window;
  e.peer_processing_delay = c.peer_processing_delay;
  e.connect_speed = c.connect_speed;
  emit(e);
}

void ControlConnection::remove_call(std::uint16_t local_call_id, std::string reason) {
  auto it = std::find_if(calls_.begin(), calls_.end(), [local_call_id](const Call& c) {
    return c.local_call_id == local_call_id;
  });
  if (it == calls_.end()) return;
  CallDown e;
  e.local_call_id = it->local_call_id;
  e.peer_call_id = it->peer_call_id;
  e.was_up = it->was_up;
  e.reason = std::move(reason);
  ids_.release(it->local_call_id);
  calls_.erase(it);
  emit(std::move(e));
}

void ControlConnection::drop_all_calls(const std::string& reason) {
  while (!calls_.empty()) remove_call(calls_.front().local_call_id, reason);
}

std::optional<Time> ControlConnection::earliest_call_deadline() const {
  std::optional<Time> d;
  for (const auto& c : calls_) {
    if (!is_transient(c.state)) continue;
    const Time t = c.state_since + cfg_.call_setup_timeout;
    d = d ? std::min(*d, t) : t;
  }
  return d;
}

void ControlConnection::handle_call_message(const ControlMessage& m, Time now) {
  std::visit(
      [&](const auto& msg) {
        using T = std::decay_t<decltype(msg)>;
        if constexpr (std::is_same_v<T, OutgoingCallRequest>) {
          on_outgoing_call_request(msg, now);
        } else if constexpr (std::is_same_v<T, OutgoingCallReply>) {
          on_outgoing_call_reply(msg, now);
        } else if constexpr (std::is_same_v<T, IncomingCallRequest>) {
          on_incoming_call_request(msg, now);
        } else if constexpr (std::is_same_v<T, IncomingCallReply>) {
          on_incoming_call_reply(msg, now);
        } else if constexpr (std::is_same_v<T, IncomingCallConnected>) {
          on_incoming_call_connected(msg, now);
        } else if constexpr (std::is_same_v<T, CallClearRequest>) {
          on_call_clear_request(msg, now);
        } else if constexpr (std::is_same_v<T, CallDisconnectNotify>) {
          on_call_disconnect_notify(msg, now);
        } else if constexpr (std::is_same_v<T, SetLinkInfo>) {
          on_set_link_info(msg);
        } else if constexpr (std::is_same_v<T, WanErrorNotify>) {
          on_wan_error_notify(msg);
        } else {
          unexpected(m, "(not a call message)");
        }
      },
      m);
}

// ---- Shared by both directions: answering a peer's call request, placing our own, and taking
// the peer's reply to ours. ----

namespace {
// What differs between the two replies to a call request (§2.8, §2.10).
std::string_view name_of(const OutgoingCallRequest&) { return "Outgoing-Call-Request"; }
std::string_view name_of(const IncomingCallRequest&) { return "Incoming-Call-Request"; }
std::string_view name_of(const OutgoingCallReply&) { return "Outgoing-Call-Reply"; }
std::string_view name_of(const IncomingCallReply&) { return "Incoming-Call-Reply"; }
bool accepted(const OutgoingCallReply& m) {
  return m.result_code == code(OutgoingResult::Connected);
}
bool accepted(const IncomingCallReply& m) { return m.result_code == code(IncomingResult::Accept); }
std::string result_text(const OutgoingCallReply& m) {
  return outgoing_result_to_string(m.result_code);
}
std::string result_text(const IncomingCallReply& m) {
  return incoming_result_to_string(m.result_code);
}
std::uint16_t peer_delay(const OutgoingCallReply& m) { return m.packet_processing_delay; }
std::uint16_t peer_delay(const IncomingCallReply& m) { return m.packet_transmit_delay; }
}  // namespace

void ControlConnection::no_such_call(std::string_view message, std::string_view id_label,
                                     std::uint16_t id, std::string_view which) {
  ++counters_.unknown_call_id;
  warn(std::string(message) + " for " + std::string(id_label) + " " + std::to_string(id) +
       " which " + std::string(which));
}

template <class Request, class Reply>
Call* ControlConnection::admit_call_request(const Request& m, Reply& reply,
                                            std::uint8_t refused_result, CallDirection d) {
  auto refuse = [&](GeneralError err, const std::string& why) {
    reply.result_code = refused_result;
    reply.error_code = code(err);
    send(reply);
    ++counters_.calls_refused;
    warn("refused " + std::string(name_of(m)) + " (peer Call ID " + std::to_string(m.call_id) +
         "): " + why);
    return nullptr;
  };
  if (call_by_peer(m.call_id) != nullptr) {
    return refuse(GeneralError::BadCallId, "peer Call ID already in use on this connection");
  }
  if (calls_.size() >= cfg_.max_calls) return refuse(GeneralError::NoResource, "call limit reached");
  auto id = ids_.allocate();
  if (!id) return refuse(GeneralError::NoResource, "no Call ID free");
  Call c;
  c.local_call_id = *id;
  c.peer_call_id = m.call_id;
  c.peer_call_id_known = true;
  c.call_serial_number = m.call_serial_number;
  c.direction = d;
  calls_.push_back(c);
  reply.call_id = *id;
  return &calls_.back();
}

std::optional<std::uint16_t> ControlConnection::open_call(Role placer, CallDirection d,
                                                          CallState waiting,
                                                          std::uint16_t serial, Time now) {
  const std::string cannot = "cannot place an " + std::string(to_string(d)) + " call: ";
  if (state_ != ControlState::Established || cfg_.role != placer) {
    warn(cannot + "need an established control connection as " + std::string(to_string(placer)));
    return std::nullopt;
  }
  if (calls_.size() >= cfg_.max_calls) {
    warn(cannot + "call limit reached");
    return std::nullopt;
  }
  auto id = ids_.allocate();
  if (!id) {
    warn(cannot + "no Call ID free");
    return std::nullopt;
  }
  Call c;
  c.local_call_id = *id;
  c.call_serial_number = serial;
  c.direction = d;
  c.state = waiting;
  c.state_since = now;
  calls_.push_back(c);
  return id;
}

template <class Reply>
bool ControlConnection::take_call_reply(Call& c, const Reply& m) {
  if (!accepted(m)) {
    remove_call(c.local_call_id, std::string(name_of(m)) + ": " +
                                     describe_result(result_text(m), m.result_code, m.error_code));
    return false;
  }
  c.peer_call_id = m.call_id;
  c.peer_call_id_known = true;
  c.peer_recv_window = m.packet_recv_window_size;
  c.peer_processing_delay = peer_delay(m);
  return true;
}

// ---- PAC side of outgoing calls (§3.2.4.1): this is how Windows and pppd use a server. ----
void ControlConnection::on_outgoing_call_request(const OutgoingCallRequest& m, Time now) {
  if (cfg_.role != Role::Pac) {
    unexpected(m, "(only a PAC answers Outgoing-Call-Request)");
    return;
  }
  OutgoingCallReply reply;
  reply.peer_call_id = m.call_id;
  reply.packet_recv_window_size = cfg_.recv_window;
  reply.packet_processing_delay = cfg_.processing_delay;
  Call* c = admit_call_request(m, reply, code(OutgoingResult::GeneralError),
                               CallDirection::Outgoing);
  if (c == nullptr) return;
  c->peer_recv_window = m.packet_recv_window_size;
  c->peer_processing_delay = m.packet_processing_delay;
  c->connect_speed = cfg_.connect_speed;
  reply.result_code = code(OutgoingResult::Connected);
  reply.connect_speed = cfg_.connect_speed;
  send(reply);
  call_up(*c, now);
}

// ---- PNS side of outgoing calls (§3.2.4.2) ----
std::optional<std::uint16_t> ControlConnection::place_outgoing_call(const OutgoingCallParams& p,
                                                                    Time now) {
  auto id = open_call(Role::Pns, CallDirection::Outgoing, CallState::WaitReply,
                      p.call_serial_number, now);
  if (!id) return id;
  OutgoingCallRequest rq;
  rq.call_id = *id;
  rq.call_serial_number = p.call_serial_number;
  rq.minimum_bps = p.minimum_bps;
  rq.maximum_bps = p.maximum_bps;
  rq.bearer_type = p.bearer_type;
  rq.framing_type = p.framing_type;
  rq.packet_recv_window_size = cfg_.recv_window;
  rq.packet_processing_delay = cfg_.processing_delay;
  rq.phone_number = p.phone_number;
  rq.subaddress = p.subaddress;
  send(rq);
  return id;
}

void ControlConnection::on_outgoing_call_reply(const OutgoingCallReply& m, Time now) {
  if (cfg_.role != Role::Pns) {
    unexpected(m, "(a PAC does not receive Outgoing-Call-Reply)");
    return;
  }
  Call* c = call_by_local(m.peer_call_id);
  if (c == nullptr ||
      (c->state != CallState::WaitReply && c->state != CallState::WaitDisconnect) ||
      c->direction != CallDirection::Outgoing || c->peer_call_id_known) {
    no_such_call(name_of(m), "Call ID", m.peer_call_id, "awaits no reply");
    return;
  }
  if (!take_call_reply(*c, m)) return;
  c->connect_speed = m.connect_speed;
  if (c->state == CallState::WaitDisconnect) return;  // we cleared it already; await the CDN
  call_up(*c, now);
}

// ---- PAC side of incoming calls (§3.2.3.1) ----
std::optional<std::uint16_t> ControlConnection::place_incoming_call(const IncomingCallParams& p,
                                                                    Time now) {
  auto id = open_call(Role::Pac, CallDirection::Incoming, CallState::PacWaitReply,
                      p.call_serial_number, now);
  if (!id) return id;
  IncomingCallRequest rq;
  rq.call_id = *id;
  rq.call_serial_number = p.call_serial_number;
  rq.call_bearer_type = p.call_bearer_type;
  rq.physical_channel_id = p.physical_channel_id;
  rq.dialed_number = p.dialed_number;
  rq.dialing_number = p.dialing_number;
  rq.subaddress = p.subaddress;
  send(rq);
  return id;
}

void ControlConnection::on_incoming_call_reply(const IncomingCallReply& m, Time now) {
  if (cfg_.role != Role::Pac) {
    unexpected(m, "(a PNS does not receive Incoming-Call-Reply)");
    return;
  }
  Call* c = call_by_local(m.peer_call_id);
  if (c == nullptr || c->state != CallState::PacWaitReply) {
    no_such_call(name_of(m), "Call ID", m.peer_call_id, "awaits no reply");
    return;
  }
  if (!take_call_reply(*c, m)) return;
  c->connect_speed = cfg_.connect_speed;
  IncomingCallConnected cn;
  cn.peer_call_id = m.call_id;
  cn.connect_speed = cfg_.connect_speed;
  cn.packet_recv_window_size = cfg_.recv_window;
  cn.packet_transmit_delay = cfg_.processing_delay;
  cn.framing_type = 1;  // async
  send(cn);
  call_up(*c, now);
}

// ---- PNS side of incoming calls (§3.2.3.2) ----
void ControlConnection::on_incoming_call_request(const IncomingCallRequest& m, Time now) {
  if (cfg_.role != Role::Pns) {
    unexpected(m, "(only a PNS answers Incoming-Call-Request)");
    return;
  }
  IncomingCallReply reply;
  reply.peer_call_id = m.call_id;
  reply.packet_recv_window_size = cfg_.recv_window;
  reply.packet_transmit_delay = cfg_.processing_delay;
  Call* c = admit_call_request(m, reply, code(IncomingResult::GeneralError),
                               CallDirection::Incoming);
  if (c == nullptr) return;
  c->state = CallState::WaitConnect;
  c->state_since = now;
  reply.result_code = code(IncomingResult::Accept);
  send(reply);
}

void ControlConnection::on_incoming_call_connected(const IncomingCallConnected& m, Time now) {
  if (cfg_.role != Role::Pns) {
    unexpected(m, "(a PAC does not receive Incoming-Call-Connected)");
    return;
  }
  Call* c = call_by_local(m.peer_call_id);
  if (c == nullptr || c->state != CallState::WaitConnect) {
    no_such_call("Incoming-Call-Connected", "Call ID", m.peer_call_id, "awaits no connect");
    return;
  }
  c->peer_recv_window = m.packet_recv_window_size;
  c->peer_processing_delay = m.packet_transmit_delay;
  c->connect_speed = m.connect_speed;
  call_up(*c, now);
}

// ---- Clearing (§2.12, §2.13) ----
bool ControlConnection::clear_call(std::uint16_t local_call_id, std::string reason, Time now,
                                   DisconnectResult result) {
  Call* c = call_by_local(local_call_id);
  if (c == nullptr || state_ != ControlState::Established) return false;
  if (cfg_.role == Role::Pns) {
    if (c->state == CallState::WaitDisconnect) return true;  // already asked
    // §2.12: a call "in any state" may be cleared, so also from WaitReply and WaitConnect.
    send(CallClearRequest{c->local_call_id});
    c->state = CallState::WaitDisconnect;
    c->state_since = now;
    return true;
  }
  // PAC: hang up and tell the PNS (§3.2.3.1, §3.2.4.1 "local terminate").
  CallDisconnectNotify n;
  n.call_id = c->local_call_id;
  n.result_code = code(result);
  // §2.13: Call Statistics is an ASCII string "logged for diagnostic purposes": our reason, so the
  // PNS can tell its user why (printable ASCII only, at most 127 octets + the padding zero).
  for (char ch : reason.substr(0, 127)) n.call_statistics += (ch >= 0x20 && ch < 0x7F) ? ch : '?';
  send(n);
  remove_call(local_call_id, std::move(reason));
  return true;
}

void ControlConnection::on_call_clear_request(const CallClearRequest& m, Time) {
  if (cfg_.role != Role::Pac) {
    unexpected(m, "(only a PAC answers Call-Clear-Request)");
    return;
  }
  Call* c = call_by_peer(m.call_id);
  if (c == nullptr) {
    no_such_call("Call-Clear-Request", "peer Call ID", m.call_id, "names no call");
    return;
  }
  CallDisconnectNotify n;
  n.call_id = c->local_call_id;
  n.result_code = code(DisconnectResult::Request);
  send(n);
  remove_call(c->local_call_id, "peer sent Call-Clear-Request");
}

void ControlConnection::on_call_disconnect_notify(const CallDisconnectNotify& m, Time) {
  // The RFC has only the PAC send this, but some PNS implementations hang up with it too; a PAC
  // accepts it for a call the peer names by its own ID rather than leave the call dangling.
  Call* c = call_by_peer(m.call_id);
  if (c == nullptr) {
    no_such_call("Call-Disconnect-Notify", "peer Call ID", m.call_id, "names no call");
    return;
  }
  std::string why = "peer sent Call-Disconnect-Notify: " +
                    describe_result(disconnect_result_to_string(m.result_code), m.result_code,
                                    m.error_code);
  if (m.cause_code != 0) why += ", cause " + std::to_string(m.cause_code);
  if (!m.call_statistics.empty()) why += " (" + m.call_statistics + ")";
  remove_call(c->local_call_id, std::move(why));
}

bool ControlConnection::send_set_link_info(std::uint16_t local_call_id, std::uint32_t send_accm,
                                           std::uint32_t receive_accm) {
  Call* c = call_by_local(local_call_id);
  if (c == nullptr || !c->peer_call_id_known || state_ != ControlState::Established) return false;
  send(SetLinkInfo{c->peer_call_id, send_accm, receive_accm});
  return true;
}

void ControlConnection::on_set_link_info(const SetLinkInfo& m) {
  // §2.15: "Peer's Call ID" is the receiver's own Call ID.
  Call* c = call_by_local(m.peer_call_id);
  if (c == nullptr) {
    no_such_call("Set-Link-Info", "Call ID", m.peer_call_id, "names no call");
    return;
  }
  emit(LinkInfo{c->local_call_id, m.send_accm, m.receive_accm});
}

void ControlConnection::on_wan_error_notify(const WanErrorNotify& m) {
  Call* c = call_by_local(m.peer_call_id);
  if (c == nullptr) {
    no_such_call("WAN-Error-Notify", "Call ID", m.peer_call_id, "names no call");
    return;
  }
  emit(WanError{c->local_call_id, m});
}

}  // namespace pptpx::pptp
