#include "ppp/fsm.hpp"

#include <utility>

namespace pptpx::ppp {

std::string_view to_string(FsmState s) {
  switch (s) {
    case FsmState::Initial: return "Initial";
    case FsmState::Starting: return "Starting";
    case FsmState::Closed: return "Closed";
    case FsmState::Stopped: return "Stopped";
    case FsmState::Closing: return "Closing";
    case FsmState::Stopping: return "Stopping";
    case FsmState::ReqSent: return "Req-Sent";
    case FsmState::AckRcvd: return "Ack-Rcvd";
    case FsmState::AckSent: return "Ack-Sent";
    case FsmState::Opened: return "Opened";
  }
  return "unknown";
}

std::string OptionsHandler::option_name(std::uint8_t type) const {
  return "option " + std::to_string(type);
}

Fsm::Fsm(Protocol protocol, std::string name, OptionsHandler& handler, LayerObserver& observer, FrameSink& sink,
         FsmConfig config)
    : protocol_(protocol),
      name_(std::move(name)),
      handler_(handler),
      observer_(observer),
      sink_(sink),
      config_(config) {}

namespace {
// RFC 1661 §4.1: "The Restart timer is running" exactly in the states with TO events.
bool timer_state(FsmState s) {
  switch (s) {
    case FsmState::Closing:
    case FsmState::Stopping:
    case FsmState::ReqSent:
    case FsmState::AckRcvd:
    case FsmState::AckSent: return true;
    default: return false;
  }
}
}  // namespace

void Fsm::set_state(FsmState s) {
  state_ = s;
  // RFC 1661 §4.1: "The Restart timer is stopped when transitioning from any state where the
  // timer is running to a state where the timer is not running."
  if (!timer_state(s)) deadline_.reset();
}

void Fsm::irc(Counter c) {
  restart_count_ = c == Counter::Configure ? config_.max_configure : config_.max_terminate;
}

void Fsm::zrc(Time now) {
  restart_count_ = 0;
  deadline_ = now + config_.restart_interval;
}

void Fsm::send_packet(std::uint8_t c, std::uint8_t identifier, ByteView data) {
  build_control_packet(packet_, c, identifier, data);
  sink_.send_frame(protocol_, packet_);
}

void Fsm::scr(Time now, bool retransmit) {
  // RFC 1661 §5.1: a new request (not a retransmission) carries a new Identifier.
  if (!retransmit) {
    // A fresh negotiation (not a reply to a Nak/Reject or a crossed Ack) starts from the
    // handler's initial wishes, as pppd's fsm_sconfreq does.
    bool negotiating = state_ == FsmState::ReqSent || state_ == FsmState::AckRcvd || state_ == FsmState::AckSent;
    if (!negotiating) handler_.reset_request();
    request_.clear();
    handler_.build_request(request_);
    request_id_ = next_identifier();
  }
  --restart_count_;
  deadline_ = now + config_.restart_interval;
  ++counters_.requests_sent;
  send_packet(code::kConfigureRequest, request_id_, request_);
}

void Fsm::str(Time now) {
  --restart_count_;
  deadline_ = now + config_.restart_interval;
  // RFC 1661 §5.5: the Data field is uninterpreted; like pppd we put the reason there.
  send_packet(code::kTerminateRequest, next_identifier(),
              ByteView(reinterpret_cast<const std::uint8_t*>(terminate_text_.data()), terminate_text_.size()));
}

void Fsm::sta(std::uint8_t identifier) { send_packet(code::kTerminateAck, identifier, {}); }

void Fsm::scj(ByteView rejected_packet) {
  // RFC 1661 §5.6: the rejected packet, truncated to fit the peer's MRU; 1000 bytes always fits
  // the MRU we accept (>= 1000 is not guaranteed, but the minimum useful Code-Reject is small).
  ++counters_.code_rejects_sent;
  send_packet(code::kCodeReject, next_identifier(),
              rejected_packet.first(std::min<std::size_t>(rejected_packet.size(), 1000)));
}

void Fsm::note_reason(std::string reason) {
  if (failure_reason_.empty() && !reason.empty()) failure_reason_ = std::move(reason);
}

bool Fsm::check_failure(Time now) {
  if (auto f = handler_.take_failure()) {
    fail(std::move(*f), now);
    return true;
  }
  return false;
}

void Fsm::fail(std::string reason, Time now) {
  note_reason(std::move(reason));
  close({}, now);
}

// ---- administrative and lower-layer events (RFC 1661 §4.3) ----

void Fsm::up(Time now) {
  switch (state_) {
    case FsmState::Initial: set_state(FsmState::Closed); break;
    case FsmState::Starting:
      irc(Counter::Configure);
      scr(now, false);
      set_state(FsmState::ReqSent);
      break;
    default: break;  // "-": illegal, ignored
  }
}

void Fsm::down(Time now) {
  switch (state_) {
    case FsmState::Closed: set_state(FsmState::Initial); break;
    case FsmState::Stopped:
      tls(now);
      set_state(FsmState::Starting);
      break;
    case FsmState::Closing: set_state(FsmState::Initial); break;
    case FsmState::Stopping:
    case FsmState::ReqSent:
    case FsmState::AckRcvd:
    case FsmState::AckSent: set_state(FsmState::Starting); break;
    case FsmState::Opened:
      tld(now);
      set_state(FsmState::Starting);
      break;
    default: break;
  }
}

void Fsm::open(Time now) {
  switch (state_) {
    case FsmState::Initial:
      failure_reason_.clear();
      tls(now);
      set_state(FsmState::Starting);
      break;
    case FsmState::Closed:
      failure_reason_.clear();
      irc(Counter::Configure);
      scr(now, false);
      set_state(FsmState::ReqSent);
      break;
    case FsmState::Closing: set_state(FsmState::Stopping); break;  // "5r", no restart option
    default: break;  // Starting, Stopped ("3r"), Stopping, 6..9: stay
  }
}

void Fsm::close(std::string_view reason, Time now, std::optional<std::string_view> wire_text) {
  note_reason(std::string(reason));
  terminate_text_ = wire_text ? std::string(wire_text->substr(0, 200)) : failure_reason_.substr(0, 200);
  switch (state_) {
    case FsmState::Starting:
      set_state(FsmState::Initial);
      tlf(now);
      break;
    case FsmState::Stopped: set_state(FsmState::Closed); break;
    case FsmState::Stopping: set_state(FsmState::Closing); break;
    case FsmState::ReqSent:
    case FsmState::AckRcvd:
    case FsmState::AckSent:
      irc(Counter::Terminate);
      str(now);
      set_state(FsmState::Closing);
      break;
    case FsmState::Opened:
      tld(now);
      irc(Counter::Terminate);
      str(now);
      set_state(FsmState::Closing);
      break;
    default: break;  // Initial, Closed, Closing: stay
  }
}

void Fsm::on_timer(Time now) {
  if (!deadline_ || now < *deadline_) return;
  deadline_.reset();
  if (restart_count_ > 0) {
    timeout_plus(now);
  } else {
    timeout_minus(now);
  }
}

void Fsm::timeout_plus(Time now) {
  switch (state_) {
    case FsmState::Closing: str(now); break;
    case FsmState::Stopping: str(now); break;
    case FsmState::ReqSent:
    case FsmState::AckRcvd:
      scr(now, true);
      set_state(FsmState::ReqSent);
      break;
    case FsmState::AckSent: scr(now, true); break;
    default: break;
  }
}

// RFC 1661 §4.1 table: TO-, RTA and RXJ- all end a termination the same way: Closing goes to
// Closed and Stopping to Stopped, then tlf. False (nothing done) in any other state.
bool Fsm::end_termination(Time now) {
  if (state_ != FsmState::Closing && state_ != FsmState::Stopping) return false;
  set_state(state_ == FsmState::Closing ? FsmState::Closed : FsmState::Stopped);
  tlf(now);
  return true;
}

void Fsm::timeout_minus(Time now) {
  if (end_termination(now)) return;
  switch (state_) {
    case FsmState::ReqSent:
    case FsmState::AckRcvd:
    case FsmState::AckSent:
      note_reason(name_ + ": no acceptable reply to " + std::to_string(config_.max_configure) +
                  " Configure-Requests");
      set_state(FsmState::Stopped);
      tlf(now);
      break;
    default: break;
  }
}

void Fsm::protocol_rejected(Time now) {
  note_reason("peer rejected protocol " + name_);
  rxj(true, now);
}

// ---- receive (RFC 1661 §4.3 receive events, §5 packet formats) ----

void Fsm::receive(ByteView information, Time now) {
  auto p = parse_control_packet(information);
  if (!p) {
    ++counters_.malformed;
    return;
  }
  if (state_ == FsmState::Initial || state_ == FsmState::Starting) {
    // RFC 1661 §4.2: in Initial/Starting the lower layer is down; nothing is received.
    ++counters_.ignored;
    return;
  }
  ByteView raw = information.first(kControlHeaderSize + p->data.size());
  switch (p->code) {
    case code::kConfigureRequest: rcr(*p, now); break;
    case code::kConfigureAck: rca(*p, now); break;
    case code::kConfigureNak:
    case code::kConfigureReject: rcn(*p, now); break;
    case code::kTerminateRequest: rtr(*p, now); break;
    case code::kTerminateAck: rta(now); break;
    case code::kCodeReject: {
      // RFC 1661 §5.6: the data is the rejected packet. Rejecting one of the codes the automaton
      // itself needs (1..7) is catastrophic (RXJ-); anything else is RXJ+.
      if (p->data.empty()) {
        ++counters_.malformed;
        return;
      }
      std::uint8_t rejected = p->data[0];
      bool catastrophic = rejected >= code::kConfigureRequest && rejected <= code::kCodeReject;
      if (catastrophic) {
        note_reason("peer Code-Rejected " + name_ + " " + std::string(code_name(rejected)));
      }
      rxj(catastrophic, now);
      break;
    }
    default:
      if (!observer_.extra_code(*this, *p, now)) ruc(raw, now);
      break;
  }
}

std::uint8_t Fsm::evaluate_request(ByteView options, std::string& refused) {
  Bytes rejects;
  Bytes naks;
  Bytes nak_value;
  for_each_option(options, [&](RawOption o) {
    nak_value.clear();
    OptionVerdict v = handler_.check_option(o.type, o.value, nak_value);
    if (v == OptionVerdict::Nak && naks_sent_since_ack_ >= config_.max_failure) {
      // RFC 1661 §4.6 Max-Failure: "...Configure-Nak packets sent without sending a
      // Configure-Ack before assuming that configuration is not converging": Reject instead.
      v = OptionVerdict::Reject;
    }
    if (v == OptionVerdict::Reject) {
      rejects.push_back(o.type);
      rejects.push_back(static_cast<std::uint8_t>(o.value.size() + 2));
      rejects.insert(rejects.end(), o.value.begin(), o.value.end());
      if (!refused.empty()) refused += ", ";
      refused += handler_.option_name(o.type);
    } else if (v == OptionVerdict::Nak) {
      append_option(naks, o.type, nak_value);
    }
  });
  // RFC 1661 §5.3/§5.4: Reject takes precedence over Nak, Nak over Ack.
  if (!rejects.empty()) {
    response_ = std::move(rejects);
    return code::kConfigureReject;
  }
  if (!naks.empty()) {
    response_ = std::move(naks);
    return code::kConfigureNak;
  }
  response_.assign(options.begin(), options.end());
  return code::kConfigureAck;
}

void Fsm::rcr(const ControlPacket& p, Time now) {
  switch (state_) {
    case FsmState::Closed: sta(p.identifier); return;
    case FsmState::Closing:
    case FsmState::Stopping: return;
    default: break;
  }
  if (!options_well_formed(p.data)) {
    ++counters_.malformed;
    return;
  }
  if (state_ == FsmState::Opened) {
    tld(now);
  }
  if (state_ == FsmState::Stopped) irc(Counter::Configure);
  if (state_ == FsmState::Stopped || state_ == FsmState::Opened) scr(now, false);

  std::string refused;
  std::uint8_t reply = evaluate_request(p.data, refused);
  bool good = reply == code::kConfigureAck;
  if (good) {
    handler_.peer_request_acked(p.data);
    naks_sent_since_ack_ = 0;
    rejects_sent_since_ack_ = 0;
  } else if (reply == code::kConfigureNak) {
    ++naks_sent_since_ack_;
    ++counters_.naks_sent;
  } else {
    ++rejects_sent_since_ack_;
    ++counters_.rejects_sent;
  }
  send_packet(reply, p.identifier, response_);

  switch (state_) {
    case FsmState::Stopped:
    case FsmState::ReqSent:
    case FsmState::AckSent:
    case FsmState::Opened: set_state(good ? FsmState::AckSent : FsmState::ReqSent); break;
    case FsmState::AckRcvd:
      if (good) {
        set_state(FsmState::Opened);
        tlu(now);
      }
      break;
    default: break;
  }
  if (check_failure(now)) return;
  if (rejects_sent_since_ack_ > config_.max_failure) {
    fail(name_ + " negotiation did not converge: peer kept requesting " + refused + " after " +
             std::to_string(rejects_sent_since_ack_) + " Configure-Rejects",
         now);
  }
}

// RCA and RCN start alike (RFC 1661 §4.1 table): Closed and Stopped answer with Terminate-Ack,
// Closing and Stopping ignore the packet; and a reply whose Identifier is not that of our last
// Configure-Request is invalid and silently discarded (§5.2-§5.4). True when the event goes on.
bool Fsm::configure_reply_applies(const ControlPacket& p) {
  switch (state_) {
    case FsmState::Closed:
    case FsmState::Stopped: sta(p.identifier); return false;
    case FsmState::Closing:
    case FsmState::Stopping: return false;
    default: break;
  }
  if (p.identifier != request_id_) {
    ++counters_.bad_identifier;
    return false;
  }
  return true;
}

void Fsm::rca(const ControlPacket& p, Time now) {
  if (!configure_reply_applies(p)) return;
  // RFC 1661 §5.2: the options must be exactly those sent; otherwise the packet is invalid and
  // silently discarded.
  if (!std::equal(p.data.begin(), p.data.end(), request_.begin(), request_.end())) {
    ++counters_.ack_mismatch;
    return;
  }
  naks_received_since_ack_ = 0;
  switch (state_) {
    case FsmState::ReqSent:
      irc(Counter::Configure);
      handler_.request_acked(p.data);
      set_state(FsmState::AckRcvd);
      break;
    case FsmState::AckRcvd:  // "6x": crossed connection
      scr(now, false);
      set_state(FsmState::ReqSent);
      break;
    case FsmState::AckSent:
      irc(Counter::Configure);
      handler_.request_acked(p.data);
      set_state(FsmState::Opened);
      tlu(now);
      break;
    case FsmState::Opened:
      tld(now);
      scr(now, false);
      set_state(FsmState::ReqSent);
      break;
    default: break;
  }
  check_failure(now);
}

void Fsm::rcn(const ControlPacket& p, Time now) {
  if (!configure_reply_applies(p)) return;
  if (!options_well_formed(p.data)) {
    ++counters_.malformed;
    return;
  }
  bool reject = p.code == code::kConfigureReject;
  ++(reject ? counters_.rejects_received : counters_.naks_received);
  ++naks_received_since_ack_;
  for_each_option(p.data, [&](RawOption o) {
    if (reject) {
      handler_.reject_received(o.type, o.value);
    } else {
      handler_.nak_received(o.type, o.value);
    }
  });
  if (state_ == FsmState::Opened) tld(now);
  if (auto f = handler_.take_failure()) {
    fail(std::move(*f), now);
    return;
  }
  if (naks_received_since_ack_ > config_.max_configure) {
    fail(name_ + " negotiation did not converge: peer sent " + std::to_string(naks_received_since_ack_) +
             " Configure-Nak/Reject replies without accepting a request",
         now);
    return;
  }
  switch (state_) {
    case FsmState::ReqSent:
      irc(Counter::Configure);
      scr(now, false);
      break;
    case FsmState::AckRcvd:
      scr(now, false);
      set_state(FsmState::ReqSent);
      break;
    case FsmState::AckSent:
      irc(Counter::Configure);
      scr(now, false);
      break;
    case FsmState::Opened:
      // Enter Req-Sent first so the new request keeps what the Nak/Reject taught the handler.
      set_state(FsmState::ReqSent);
      scr(now, false);
      break;
    default: break;
  }
}

void Fsm::rtr(const ControlPacket& p, Time now) {
  switch (state_) {
    case FsmState::Closed:
    case FsmState::Stopped:
    case FsmState::Closing:
    case FsmState::Stopping: sta(p.identifier); break;
    case FsmState::ReqSent:
    case FsmState::AckRcvd:
    case FsmState::AckSent:
      sta(p.identifier);
      set_state(FsmState::ReqSent);
      break;
    case FsmState::Opened: {
      std::string text;
      for (std::uint8_t c : p.data) {
        if (c >= 0x20 && c < 0x7F) text.push_back(static_cast<char>(c));
      }
      note_reason("peer sent " + name_ + " Terminate-Request" + (text.empty() ? "" : ": " + text));
      tld(now);
      zrc(now);
      sta(p.identifier);
      set_state(FsmState::Stopping);
      break;
    }
    default: break;
  }
}

void Fsm::rta(Time now) {
  if (end_termination(now)) return;
  switch (state_) {
    case FsmState::AckRcvd: set_state(FsmState::ReqSent); break;
    case FsmState::Opened:
      tld(now);
      scr(now, false);
      set_state(FsmState::ReqSent);
      break;
    default: break;  // Closed, Stopped, Req-Sent, Ack-Sent: stay
  }
}

void Fsm::ruc(ByteView raw, Time /*now*/) {
  // RFC 1661 §4.3 RUC: every state from Closed on answers with Code-Reject and stays.
  scj(raw);
}

void Fsm::rxj(bool catastrophic, Time now) {
  if (!catastrophic) {
    // RXJ+: no action, except that Ack-Rcvd falls back to Req-Sent (RFC 1661 §4.1 table, as
    // pppd's fsm_rcoderej does): the peer's Ack may have been for a request it half understood.
    if (state_ == FsmState::AckRcvd) set_state(FsmState::ReqSent);
    return;
  }
  if (end_termination(now)) return;
  switch (state_) {
    case FsmState::Closed:
    case FsmState::Stopped: tlf(now); break;
    case FsmState::ReqSent:
    case FsmState::AckRcvd:
    case FsmState::AckSent:
      set_state(FsmState::Stopped);
      tlf(now);
      break;
    case FsmState::Opened:
      tld(now);
      irc(Counter::Terminate);
      str(now);
      set_state(FsmState::Stopping);
      break;
    default: break;
  }
}

}  // namespace pptpx::ppp
