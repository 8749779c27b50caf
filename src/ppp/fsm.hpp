// The option-negotiation automaton of RFC 1661 §4, shared by LCP, IPCP, IPV6CP and CCP.
//
// State transition sketch (RFC 1661 §4.1; the full table is reproduced in tests/ppp/fsm_test.cpp
// and every cell is checked there):
//
//   Initial(0) --Up--> Closed(2) --Open: irc,scr--> Req-Sent(6)
//   Initial(0) --Open: tls--> Starting(1) --Up: irc,scr--> Req-Sent(6)
//   Req-Sent(6) --RCA: irc--> Ack-Rcvd(7) --RCR+: sca,tlu--> Opened(9)
//   Req-Sent(6) --RCR+: sca--> Ack-Sent(8) --RCA: irc,tlu--> Opened(9)
//   Req-Sent/Ack-Rcvd/Ack-Sent --TO-: tlf--> Stopped(3)     (Max-Configure exhausted)
//   Opened(9) --RCR/RCA/RCN/RTA: tld,scr--> Req-Sent/Ack-Sent  (renegotiation)
//   Opened(9) --RTR: tld,zrc,sta--> Stopping(5) --TO-: tlf--> Stopped(3)
//   any of 6..9 --Close: [tld,]irc,str--> Closing(4) --RTA or TO-: tlf--> Closed(2)
//   Stopped(3) --RCR: irc,scr,sca/scn--> Ack-Sent/Req-Sent
//
// Actions: tlu/tld/tls/tlf go to a LayerObserver; scr/sca/scn/str/sta/scj to a FrameSink; the
// option contents come from an OptionsHandler (one per protocol). The restart timer is an
// explicit deadline(); nothing here reads a clock.
//
// Convergence (RFC 1661 §4.6): after Max-Failure Configure-Naks sent without an Ack, options we
// would Nak are Rejected instead; if the peer then keeps requesting refused options (Max-Failure
// more Rejects) or keeps Nak/Rejecting our requests (Max-Configure times without an Ack), the
// automaton closes with a stated reason (failure_reason()).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ppp/control_packet.hpp"
#include "ppp/frame_sink.hpp"
#include "util/time.hpp"

namespace pptpx::ppp {

enum class FsmState : std::uint8_t {
  Initial = 0,
  Starting = 1,
  Closed = 2,
  Stopped = 3,
  Closing = 4,
  Stopping = 5,
  ReqSent = 6,
  AckRcvd = 7,
  AckSent = 8,
  Opened = 9,
};
std::string_view to_string(FsmState s);

// RFC 1661 §4.6 counters and timer.
struct FsmConfig {
  Duration restart_interval = std::chrono::seconds(3);
  int max_configure = 10;
  int max_terminate = 2;
  int max_failure = 5;
};

enum class OptionVerdict : std::uint8_t { Ack, Nak, Reject };

// The protocol-specific half: what we ask for and what we accept.
class OptionsHandler {
 public:
  virtual ~OptionsHandler() = default;
  // A new negotiation starts (not a retransmission): return to the initial wishes.
  virtual void reset_request() = 0;
  // Options for our Configure-Request.
  virtual void build_request(Bytes& options) = 0;
  // One option of the peer's Configure-Request. For Nak, write the suggested value (without
  // type/length) into `nak_value`.
  virtual OptionVerdict check_option(std::uint8_t type, ByteView value, Bytes& nak_value) = 0;
  // We are about to Ack the peer's request (all options acceptable): record its values.
  virtual void peer_request_acked(ByteView options) = 0;
  // Our request (exactly these options) was acknowledged.
  virtual void request_acked(ByteView options) { (void)options; }
  // Peer Nak'd / Rejected one of our options.
  virtual void nak_received(std::uint8_t type, ByteView value) = 0;
  virtual void reject_received(std::uint8_t type, ByteView value) = 0;
  virtual std::string option_name(std::uint8_t type) const;

  // A fatal policy failure found during any callback above; the automaton closes with it.
  std::optional<std::string> take_failure() {
    auto f = std::move(failure_);
    failure_.reset();
    return f;
  }

 protected:
  void fail(std::string reason) {
    if (!failure_) failure_ = std::move(reason);
  }

 private:
  std::optional<std::string> failure_;
};

class Fsm;

// The This-Layer-* actions (RFC 1661 §4.4), plus codes beyond 1..7 (LCP Echo, Protocol-Reject,
// Discard; CCP Reset), which the owner handles. Return false from extra_code for an unknown code
// (RUC: the automaton sends Code-Reject).
class LayerObserver {
 public:
  virtual ~LayerObserver() = default;
  virtual void this_layer_up(Fsm& fsm, Time now) = 0;
  virtual void this_layer_down(Fsm& fsm, Time now) = 0;
  virtual void this_layer_started(Fsm& fsm, Time now) = 0;
  virtual void this_layer_finished(Fsm& fsm, Time now) = 0;
  virtual bool extra_code(Fsm& fsm, const ControlPacket& packet, Time now) = 0;
};

struct FsmCounters {
  std::uint64_t malformed = 0;        // bad header or options: silently discarded
  std::uint64_t bad_identifier = 0;   // Ack/Nak/Reject not matching our outstanding request
  std::uint64_t ack_mismatch = 0;     // Ack whose options differ from our request (RFC 1661 §5.2)
  std::uint64_t ignored = 0;          // packet received in Initial/Starting
  std::uint64_t naks_sent = 0, rejects_sent = 0, naks_received = 0, rejects_received = 0;
  std::uint64_t requests_sent = 0, code_rejects_sent = 0;
};

class Fsm {
 public:
  Fsm(Protocol protocol, std::string name, OptionsHandler& handler, LayerObserver& observer,
      FrameSink& sink, FsmConfig config = {});

  // Administrative and lower-layer events (RFC 1661 §4.3).
  void up(Time now);
  void down(Time now);
  void open(Time now);
  // `wire_text`, when given, goes in our Terminate-Request instead of the reason (which may be
  // for the operator's eyes only: ppp/auth_wire_text.hpp).
  void close(std::string_view reason, Time now, std::optional<std::string_view> wire_text = std::nullopt);
  // A packet of this protocol (the PPP information field).
  void receive(ByteView information, Time now);
  // RXJ- because LCP received a Protocol-Reject for this protocol (RFC 1661 §5.7).
  void protocol_rejected(Time now);
  // Fatal: close with `reason` (kept as failure_reason(), the first one wins).
  void fail(std::string reason, Time now);

  void on_timer(Time now);
  std::optional<Time> deadline() const { return deadline_; }

  FsmState state() const { return state_; }
  Protocol protocol() const { return protocol_; }
  const std::string& name() const { return name_; }
  // Why the automaton stopped or closed, if for a reason (empty otherwise).
  const std::string& failure_reason() const { return failure_reason_; }
  const FsmCounters& counters() const { return counters_; }
  const FsmConfig& config() const { return config_; }

  // Sends a packet of this protocol (used by owners for Echo, Protocol-Reject, Reset...).
  void send_packet(std::uint8_t code, std::uint8_t identifier, ByteView data);
  std::uint8_t next_identifier() { return ++last_id_; }

 private:
  enum class Counter : std::uint8_t { Configure, Terminate };
  void set_state(FsmState s);
  void irc(Counter c);
  void zrc(Time now);
  void scr(Time now, bool retransmit);
  void str(Time now);
  void sta(std::uint8_t identifier);
  void scj(ByteView rejected_packet);
  void tlu(Time now) { observer_.this_layer_up(*this, now); }
  void tld(Time now) { observer_.this_layer_down(*this, now); }
  void tls(Time now) { observer_.this_layer_started(*this, now); }
  void tlf(Time now) { observer_.this_layer_finished(*this, now); }
  void note_reason(std::string reason);
  bool check_failure(Time now);

  void timeout_plus(Time now);
  void timeout_minus(Time now);
  bool end_termination(Time now);
  bool configure_reply_applies(const ControlPacket& p);
  void rcr(const ControlPacket& p, Time now);
  void rca(const ControlPacket& p, Time now);
  void rcn(const ControlPacket& p, Time now);
  void rtr(const ControlPacket& p, Time now);
  void rta(Time now);
  void ruc(ByteView raw, Time now);
  void rxj(bool catastrophic, Time now);
  // Evaluates the peer's request; fills response_ and returns its code (Ack, Nak or Reject).
  std::uint8_t evaluate_request(ByteView options, std::string& refused);

  Protocol protocol_;
  std::string name_;
  OptionsHandler& handler_;
  LayerObserver& observer_;
  FrameSink& sink_;
  FsmConfig config_;

  FsmState state_ = FsmState::Initial;
  int restart_count_ = 0;
  std::optional<Time> deadline_;
  std::uint8_t last_id_ = 0;
  std::uint8_t request_id_ = 0;
  Bytes request_;        // options of our outstanding Configure-Request
  Bytes response_;       // scratch: options of our reply
  Bytes packet_;         // scratch: whole packet
  int naks_sent_since_ack_ = 0;
  int rejects_sent_since_ack_ = 0;
  int naks_received_since_ack_ = 0;
  std::string failure_reason_;
  std::string terminate_text_;  // sent in our Terminate-Request's Data field (RFC 1661 §5.5)
  FsmCounters counters_;
};

}  // namespace pptpx::ppp
