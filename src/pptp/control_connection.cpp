// Control-connection half of ControlConnection: setup, keepalive, stop, dispatch. The call
// messages are in control_connection_calls.cpp.
#include "pptp/control_connection.hpp"

#include <algorithm>
#include <utility>

#include "pptp/control_codec.hpp"

namespace pptpx::pptp {

std::string_view to_string(Role r) { return r == Role::Pns ? "PNS" : "PAC"; }

std::string_view to_string(ControlState s) {
  switch (s) {
    case ControlState::Idle: return "idle";
    case ControlState::WaitCtlRequest: return "wait-ctl-request";
    case ControlState::WaitCtlReply: return "wait-ctl-reply";
    case ControlState::Established: return "established";
    case ControlState::WaitStopReply: return "wait-stop-reply";
    case ControlState::Closed: return "closed";
  }
  return "unknown";
}

ControlConnection::ControlConnection(ControlConfig config, CallIdAllocator& ids)
    : cfg_(std::move(config)), ids_(ids) {}

ControlConnection::~ControlConnection() {
  // Call IDs come from an allocator shared across connections: never leak them.
  for (const auto& c : calls_) ids_.release(c.local_call_id);
}

void ControlConnection::start(Time now) {
  if (state_ != ControlState::Idle) return;
  last_rx_ = now;
  state_deadline_ = now + cfg_.setup_timeout;
  if (cfg_.originate) {
    StartControlConnectionRequest m;
    m.framing_capabilities = cfg_.framing_capabilities;
    m.bearer_capabilities = cfg_.bearer_capabilities;
    // §2.1: a PNS SHOULD send 0 Maximum Channels.
    m.maximum_channels = cfg_.role == Role::Pns ? 0 : cfg_.maximum_channels;
    m.firmware_revision = cfg_.firmware_revision;
    m.host_name = cfg_.host_name;
    m.vendor = cfg_.vendor;
    send(m);
    state_ = ControlState::WaitCtlReply;
  } else {
    state_ = ControlState::WaitCtlRequest;
  }
}

void ControlConnection::receive(ByteView tcp_bytes, Time now) {
  if (state_ == ControlState::Closed || state_ == ControlState::Idle) return;
  stream_.append(tcp_bytes);
  while (state_ != ControlState::Closed) {
    auto next = stream_.next();
    if (next.status == ControlStream::Status::NeedMore) break;
    if (next.status == ControlStream::Status::Fatal) {
      close(next.reason, false);
      break;
    }
    auto decoded = decode(next.frame);
    if (!decoded.ok()) {
      // RFC 2637 §3: an invalid or malformed message should be logged and the control
      // connection closed, to recover into a known state.
      close("malformed control message: " + decoded.reason, false);
      break;
    }
    ++counters_.messages_in;
    last_rx_ = now;
    handle(*decoded.message, now);
  }
}

void ControlConnection::handle(const ControlMessage& m, Time now) {
  // A Stop-Control-Connection-Request is honoured in every state (§3.1.1, §3.1.2).
  if (const auto* stop = std::get_if<StopControlConnectionRequest>(&m)) {
    on_stop_request(*stop, now);
    return;
  }
  switch (state_) {
    case ControlState::WaitCtlRequest:
    case ControlState::WaitCtlReply:
      handle_setup(m, now);
      return;
    case ControlState::Established:
      handle_established(m, now);
      return;
    case ControlState::WaitStopReply:
      if (std::holds_alternative<StopControlConnectionReply>(m)) {
        const auto& r = std::get<StopControlConnectionReply>(m);
        close("control connection stopped (peer replied " +
                  describe_result(stop_result_to_string(r.result_code), r.result_code,
                                  r.error_code) +
                  ")",
              true);
      } else if (const auto* echo = std::get_if<EchoRequest>(&m)) {
        EchoReply reply{echo->identifier, code(EchoResult::Ok), 0};
        send(reply);
        ++counters_.echo_replies_sent;
      } else {
        unexpected(m, "while waiting for Stop-Control-Connection-Reply");
      }
      return;
    case ControlState::Idle:
    case ControlState::Closed:
      return;
  }
}

void ControlConnection::handle_setup(const ControlMessage& m, Time now) {
  if (const auto* rq = std::get_if<StartControlConnectionRequest>(&m)) {
    on_sccrq(*rq, now);
  } else if (const auto* rp = std::get_if<StartControlConnectionReply>(&m)) {
    if (state_ != ControlState::WaitCtlReply) {
      close("Start-Control-Connection-Reply received but we sent no request", false);
      return;
    }
    on_sccrp(*rp, now);
  } else {
    // §2.16 Not-Connected: nothing but the start exchange is valid before Established.
    close(std::string(to_string(type_of(m))) +
              " received before the control connection was established",
          false);
  }
}

void ControlConnection::on_sccrq(const StartControlConnectionRequest& m, Time now) {
  if (state_ == ControlState::WaitCtlReply) {
    // §3.1.3 collision on this connection: both sides sent SCCRQ. The higher address wins and
    // keeps waiting for its reply; the loser answers the winner's request.
    ++counters_.collisions;
    if (wins_collision(cfg_.local_ipv4, cfg_.peer_ipv4)) {
      warn("Start-Control-Connection-Request collision: we win (higher address), ignoring peer's");
      return;
    }
  }
  StartControlConnectionReply reply;
  reply.framing_capabilities = cfg_.framing_capabilities;
  reply.bearer_capabilities = cfg_.bearer_capabilities;
  reply.maximum_channels = cfg_.role == Role::Pns ? 0 : cfg_.maximum_channels;
  reply.firmware_revision = cfg_.firmware_revision;
  reply.host_name = cfg_.host_name;
  reply.vendor = cfg_.vendor;
  // §3.1.2: a peer older than version 1.0 cannot be supported; a newer one gets our version.
  if (m.protocol_version < kProtocolVersion) {
    reply.result_code = code(StartResult::UnsupportedVersion);
    send(reply);
    close("peer protocol version " + std::to_string(m.protocol_version >> 8) + "." +
              std::to_string(m.protocol_version & 0xFF) + " is not supported",
          false);
    return;
  }
  reply.result_code = code(StartResult::Success);
  send(reply);
  Established e;
  e.peer_protocol_version = m.protocol_version;
  e.peer_host_name = m.host_name;
  e.peer_vendor = m.vendor;
  e.peer_firmware_revision = m.firmware_revision;
  e.peer_maximum_channels = m.maximum_channels;
  enter_established(now);
  emit(std::move(e));
}

void ControlConnection::on_sccrp(const StartControlConnectionReply& m, Time now) {
  if (m.result_code != code(StartResult::Success)) {
    // A reason in the Vendor String (pptpx's server puts one there, server/control_refusal.hpp).
    std::string why;
    for (char ch : m.vendor) why += (ch >= 0x20 && ch < 0x7F) ? ch : '?';
    close("peer refused the control connection: " +
              describe_result(start_result_to_string(m.result_code), m.result_code,
                              m.error_code) + (why.empty() ? "" : " (\"" + why + "\")"),
          false);
    return;
  }
  if (m.protocol_version < kProtocolVersion) {
    // §3.1.1: an older version we do not support: Stop-Control-Connection-Request (Stop-Protocol).
    send(StopControlConnectionRequest{code(StopReason::StopProtocol)});
    state_ = ControlState::WaitStopReply;
    state_deadline_ = now + cfg_.stop_timeout;
    warn("peer replied with unsupported protocol version " + std::to_string(m.protocol_version));
    return;
  }
  Established e;
  e.peer_protocol_version = m.protocol_version;
  e.peer_host_name = m.host_name;
  e.peer_vendor = m.vendor;
  e.peer_firmware_revision = m.firmware_revision;
  e.peer_maximum_channels = m.maximum_channels;
  enter_established(now);
  emit(std::move(e));
}

void ControlConnection::enter_established(Time now) {
  state_ = ControlState::Established;
  last_rx_ = now;
  echo_outstanding_ = false;
}

void ControlConnection::on_stop_request(const StopControlConnectionRequest& m, Time) {
  // §3.1.1/§3.1.2: reply, then close TCP; all calls are implicitly cleared (§2.3).
  send(StopControlConnectionReply{code(StopResult::Ok), 0});
  close("peer sent Stop-Control-Connection-Request (" + stop_reason_to_string(m.reason) + ")",
        true);
}

void ControlConnection::handle_established(const ControlMessage& m, Time now) {
  std::visit(
      [&](const auto& msg) {
        using T = std::decay_t<decltype(msg)>;
        if constexpr (std::is_same_v<T, EchoRequest>) {
          send(EchoReply{msg.identifier, code(EchoResult::Ok), 0});
          ++counters_.echo_replies_sent;
        } else if constexpr (std::is_same_v<T, EchoReply>) {
          if (echo_outstanding_ && msg.identifier == echo_id_) {
            echo_outstanding_ = false;
          } else {
            ++counters_.echo_reply_mismatch;
            warn("Echo-Reply with identifier " + std::to_string(msg.identifier) +
                 " matches no outstanding Echo-Request");
          }
        } else if constexpr (std::is_same_v<T, StartControlConnectionRequest> ||
                             std::is_same_v<T, StartControlConnectionReply> ||
                             std::is_same_v<T, StopControlConnectionReply>) {
          unexpected(m, "on an established control connection");
        } else {
          handle_call_message(m, now);
        }
      },
      m);
}

void ControlConnection::on_timer(Time now) {
  switch (state_) {
    case ControlState::WaitCtlRequest:
    case ControlState::WaitCtlReply:
      if (now >= state_deadline_) {
        close(std::string("no Start-Control-Connection-") +
                  (state_ == ControlState::WaitCtlReply ? "Reply" : "Request") + " within " +
                  std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                     cfg_.setup_timeout)
                                     .count()) +
                  " s",
              false);
      }
      return;
    case ControlState::WaitStopReply:
      if (now >= state_deadline_) close("no Stop-Control-Connection-Reply in time", false);
      return;
    case ControlState::Established:
      break;
    case ControlState::Idle:
    case ControlState::Closed:
      return;
  }
  if (auto d = earliest_call_deadline(); d && now >= *d) {
    // §3.2.1: a call stuck in a transient state means the protocol is out of step.
    close("a call did not leave a transient state within the call setup timeout", false);
    return;
  }
  if (cfg_.echo_interval <= Duration::zero()) return;
  if (echo_outstanding_) {
    if (now >= echo_sent_ + cfg_.echo_reply_timeout) {
      close("no Echo-Reply within " +
                std::to_string(
                    std::chrono::duration_cast<std::chrono::seconds>(cfg_.echo_reply_timeout)
                        .count()) +
                " s (peer unreachable)",
            false);
    }
  } else if (now >= last_rx_ + cfg_.echo_interval) {
    // §3.1.4: nothing received for echo_interval: send an Echo-Request.
    send(EchoRequest{++echo_id_});
    ++counters_.echo_requests_sent;
    echo_outstanding_ = true;
    echo_sent_ = now;
  }
}

std::optional<Time> ControlConnection::deadline() const {
  switch (state_) {
    case ControlState::WaitCtlRequest:
    case ControlState::WaitCtlReply:
    case ControlState::WaitStopReply:
      return state_deadline_;
    case ControlState::Established: {
      std::optional<Time> d = earliest_call_deadline();
      if (cfg_.echo_interval > Duration::zero()) {
        const Time echo = echo_outstanding_ ? echo_sent_ + cfg_.echo_reply_timeout
                                            : last_rx_ + cfg_.echo_interval;
        d = d ? std::min(*d, echo) : echo;
      }
      return d;
    }
    case ControlState::Idle:
    case ControlState::Closed:
      return std::nullopt;
  }
  return std::nullopt;
}

void ControlConnection::on_transport_closed(Time) {
  if (state_ == ControlState::Closed) return;
  if (state_ == ControlState::WaitStopReply) {
    close("peer closed TCP before the Stop-Control-Connection-Reply", false);
  } else {
    close("TCP connection closed by peer", false);
  }
}

void ControlConnection::stop(StopReason reason, std::string why, Time now) {
  if (state_ == ControlState::Closed || state_ == ControlState::WaitStopReply) return;
  if (state_ != ControlState::Established) {
    close("stopped before established: " + why, false);
    return;
  }
  drop_all_calls("control connection stopping: " + why);
  send(StopControlConnectionRequest{code(reason)});
  state_ = ControlState::WaitStopReply;
  state_deadline_ = now + cfg_.stop_timeout;
}

void ControlConnection::abandon(std::string why) {
  if (state_ == ControlState::Closed) return;
  out_.clear();  // §3.1.3: "without sending any further PPTP control messages on it"
  close(std::move(why), false);
}

Bytes ControlConnection::take_output() { return std::exchange(out_, {}); }

std::vector<ControlEvent> ControlConnection::take_events() { return std::exchange(events_, {}); }

void ControlConnection::send(const ControlMessage& m) {
  encode(m, out_);
  ++counters_.messages_out;
}

void ControlConnection::warn(std::string reason) { emit(Warning{std::move(reason)}); }

void ControlConnection::unexpected(const ControlMessage& m, std::string_view why) {
  ++counters_.unexpected_message;
  warn("dropped " + std::string(to_string(type_of(m))) + " " + std::string(why));
}

void ControlConnection::close(std::string reason, bool orderly) {
  if (state_ == ControlState::Closed) return;
  drop_all_calls("control connection closed: " + reason);
  state_ = ControlState::Closed;
  emit(Closed{std::move(reason), orderly});
}

}  // namespace pptpx::pptp
