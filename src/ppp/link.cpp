#include "ppp/link.hpp"

#include "ppp/auth_factory_impl.hpp"
#include "ppp/auth_machine_base.hpp"
#include "ppp/auth_wire_text.hpp"

#include <algorithm>

#include "ppp/frame.hpp"

namespace pptpx::ppp {

std::string_view to_string(LinkPhase p) {
  switch (p) {
    case LinkPhase::Dead: return "Dead";
    case LinkPhase::Establish: return "Establish";
    case LinkPhase::Authenticate: return "Authenticate";
    case LinkPhase::Network: return "Network";
    case LinkPhase::Terminate: return "Terminate";
  }
  return "unknown";
}

namespace {
constexpr std::uint16_t proto(Protocol p) { return static_cast<std::uint16_t>(p); }
// The methods that leave MPPE key material: MS-CHAPv1/v2 (RFC 3079) and EAP-TLS (RFC 5216 §2.3).
bool yields_mppe_keys(AuthMethod m) {
  return m == AuthMethod::MsChapV1 || m == AuthMethod::MsChapV2 || m == AuthMethod::EapTls;
}
Protocol protocol_of(AuthMethod m) {
  return m == AuthMethod::Pap ? Protocol::Pap : m == AuthMethod::EapTls ? Protocol::Eap : Protocol::Chap;
}
}  // namespace

Link::Link(LinkConfig config, AuthFactory& factory, LinkOutput& output)
    : config_(std::move(config)),
      factory_(factory),
      output_(output),
      random_(config_.random != nullptr ? *config_.random : default_random_source()),
      lcp_options_(config_.lcp, config_.policy, config_.role == LinkRole::Server, random_, config_.fsm.max_failure),
      ipcp_options_(config_.ipcp),
      ipv6cp_options_(config_.ipv6cp, random_),
      ccp_options_(config_.policy),
      lcp_(Protocol::Lcp, "LCP", lcp_options_, *this, *this, config_.fsm),
      ipcp_(Protocol::Ipcp, "IPCP", ipcp_options_, *this, *this, config_.fsm),
      ipv6cp_(Protocol::Ipv6cp, "IPV6CP", ipv6cp_options_, *this, *this, config_.fsm),
      ccp_(Protocol::Ccp, "CCP", ccp_options_, *this, *this, config_.fsm) {}

Link::~Link() = default;

// ---- lifecycle ----

void Link::start(Time now) {
  if (phase_ != LinkPhase::Dead || down_emitted_) return;
  // RFC 1661 §3.3: "...an external event (such as carrier detection) indicates that the
  // physical-layer is ready ... the link will proceed to the Link Establishment phase."
  phase_ = LinkPhase::Establish;
  if (config_.setup_timeout > Duration::zero()) setup_deadline_ = now + config_.setup_timeout;
  lcp_.open(now);
  lcp_.up(now);
}

void Link::close(std::string reason, Time now) {
  if (reason_.empty()) reason_ = std::move(reason);
  if (phase_ != LinkPhase::Dead) phase_ = LinkPhase::Terminate;
  if (wire_reason_) {
    lcp_.close(reason_, now, *wire_reason_);
  } else {
    lcp_.close(reason_, now);
  }
  // Nothing to terminate (never started, or LCP already stopped): the link is down now.
  if (lcp_.state() == FsmState::Initial || lcp_.state() == FsmState::Closed) {
    reset_session();
    phase_ = LinkPhase::Dead;
    emit_down(now);
  }
}

void Link::fail(std::string reason, Time now) { close(std::move(reason), now); }

void Link::lower_down(std::string reason, Time now) {
  if (reason_.empty()) reason_ = std::move(reason);
  lcp_.down(now);
  lcp_.close({}, now);  // Starting/Initial -> Initial: nothing more is sent
  reset_session();
  phase_ = LinkPhase::Dead;
  emit_down(now);
}

void Link::emit_down(Time /*now*/) {
  if (down_emitted_) return;
  down_emitted_ = true;
  if (reason_.empty()) reason_ = lcp_.failure_reason().empty() ? "LCP closed" : lcp_.failure_reason();
  LinkEvent e;
  e.kind = LinkEvent::Kind::Down;
  e.reason = reason_;
  e.up.user = failed_peer_name_;
  output_.on_event(e);
}

void Link::reset_session() {
  authenticator_.reset();
  authenticatee_.reset();
  auth_result_.reset();
  auth_done_ = false;
  encryptor_.reset();
  decryptor_.reset();
  mppe_.reset();
  ccp_gave_up_ = false;
  ccp_enabled_ = false;
  ncps_started_ = false;
  up_emitted_ = false;
  ipv6_up_emitted_ = false;
  next_echo_.reset();
  echo_outstanding_ = 0;
}

// ---- layer callbacks (RFC 1661 §4.4 This-Layer-*) ----

void Link::this_layer_up(Fsm& fsm, Time now) {
  if (&fsm == &lcp_) {
    echo_outstanding_ = 0;
    if (config_.lcp.echo_interval.count() > 0) next_echo_ = now + config_.lcp.echo_interval;
    start_authentication(now);
    return;
  }
  if (&fsm == &ccp_) {
    const auto& rx = ccp_options_.receive();
    const auto& tx = ccp_options_.send();
    if (!rx && !tx) {
      if (config_.policy.require_encryption) {
        fail("peer rejected MPPE; policy requires encryption", now);
        return;
      }
      ccp_gave_up_ = true;
    } else if (!rx || !tx) {
      fail("MPPE was negotiated in one direction only", now);
      return;
    } else if (!(*rx == *tx)) {
      fail("MPPE settings differ between directions (we receive " + describe(*rx) + ", we send " + describe(*tx) +
               ")",
           now);
      return;
    } else {
      if (!auth_result_ || !auth_result_->mppe) {
        fail("MPPE needs MS-CHAP key material, but authentication produced none", now);
        return;
      }
      auth::MppeKeys keys = auth::derive_mppe_keys(*auth_result_->mppe, rx->strength);
      MppeSettings settings{rx->strength, rx->stateless};
      encryptor_ = std::make_unique<MppeEncryptor>(keys.send, settings);
      decryptor_ = std::make_unique<MppeDecryptor>(keys.recv, settings);
      reset_requests_ = {};
      mppe_ = *rx;
      start_ncps(now);  // held back by enter_network() while encryption is required
    }
  }
  check_ready(now);
}

void Link::this_layer_down(Fsm& fsm, Time now) {
  if (&fsm == &lcp_) {
    // RFC 1661 §3.5/§4.4: leaving Opened, LCP takes the network layer down with it.
    ccp_.down(now);
    ipcp_.down(now);
    ipv6cp_.down(now);
    reset_session();
    // tld comes before LCP's own state change: renegotiation (Establish) unless we are closing;
    // a peer's Terminate-Request is caught by sync_phase() once LCP has moved to Stopping.
    if (phase_ != LinkPhase::Terminate) phase_ = LinkPhase::Establish;
    return;
  }
  if (&fsm == &ccp_) {
    encryptor_.reset();
    decryptor_.reset();
    mppe_.reset();
  }
}

void Link::this_layer_started(Fsm& /*fsm*/, Time /*now*/) {
  // The lower layer of LCP is the PPTP call, already up when start() is called; the lower layer
  // of the NCPs is LCP, brought up in enter_network().
}

void Link::this_layer_finished(Fsm& fsm, Time now) {
  if (&fsm == &lcp_) {
    // RFC 1661 §3.7: after Terminate the link returns to Dead.
    if (reason_.empty()) reason_ = lcp_.failure_reason();
    reset_session();
    phase_ = LinkPhase::Dead;
    emit_down(now);
    return;
  }
  if (phase_ != LinkPhase::Network) return;
  if (&fsm == &ccp_) {
    if (config_.policy.require_encryption) {
      // Say both what happened and why it ends the link, e.g. "peer rejected protocol CCP;
      // policy requires encryption (MPPE)".
      std::string why = ccp_.failure_reason();
      if (why.empty()) why = "CCP did not open";
      if (why.find("policy") == std::string::npos) why += "; policy requires encryption (MPPE)";
      fail(why, now);
      return;
    }
    ccp_gave_up_ = true;
    check_ready(now);
    return;
  }
  if (&fsm == &ipcp_) {
    std::string why = ipcp_.failure_reason();
    fail(why.empty() ? std::string("IPCP finished") : why, now);
    return;
  }
  // IPV6CP finishing (e.g. Protocol-Rejected) leaves an IPv4-only link.
}

bool Link::extra_code(Fsm& fsm, const ControlPacket& p, Time now) {
  if (&fsm == &lcp_) {
    // RFC 1570 §1.1/§1.2: Identification and Time-Remaining (sent by Windows peers) are RXR:
    // no response, no Code-Reject.
    if (p.code < code::kProtocolReject || p.code > code::kTimeRemaining) return false;
    // RFC 1661 §5.7-§5.9: these are processed only in the Opened state (RXR elsewhere: no action).
    if (lcp_.state() == FsmState::Opened) lcp_extra(p, now);
    return true;
  }
  if (&fsm == &ccp_) {
    if (p.code == code::kResetRequest) {
      // RFC 1962 §2.1 / RFC 3078 §8: the peer lost sync; our next packet resets its state.
      if (ccp_.state() != FsmState::Opened) return true;
      ++counters_.reset_requests_received;
      if (encryptor_) encryptor_->on_reset_request();
      ccp_.send_packet(code::kResetAck, p.identifier, {});
      return true;
    }
    if (p.code == code::kResetAck) {  // our decryptor resyncs on the FLUSHED bit
      reset_requests_.on_reset_ack(p.identifier);
      return true;
    }
  }
  return false;
}

void Link::lcp_extra(const ControlPacket& p, Time now) {
  switch (p.code) {
    case code::kEchoRequest: {
      // Catches an Echo-Request without its Magic-Number field (RFC 1661 §5.8).
      if (p.data.size() < 4) return;
      std::uint32_t their = load_be32(p.data.data());
      std::uint32_t ours = lcp_options_.result().local_magic;
      if (ours != 0 && their == ours) {
        ++counters_.echo_loopback;  // our own request came back: looped-back link
        return;
      }
      Bytes reply(p.data.begin(), p.data.end());
      store_be32(reply.data(), ours);
      // RFC 1661 §5.1: an LCP packet's Length MUST NOT exceed the MRU of the link, here the
      // peer's: the Data is cut to fit, as Rejected-Information is (§5.7). (A request that is
      // itself beyond the 1500 octets we must receive never gets here: see dispatch().)
      const std::size_t room = lcp_options_.result().peer_mru > 4 ? lcp_options_.result().peer_mru - 4u : 0u;
      if (reply.size() > room) {
        reply.resize(std::max<std::size_t>(room, 4));
        ++counters_.echo_replies_truncated;
      }
      lcp_.send_packet(code::kEchoReply, p.identifier, reply);
      return;
    }
    case code::kEchoReply:
      ++counters_.echo_replies_received;
      echo_outstanding_ = 0;
      return;
    case code::kDiscardRequest:   // RFC 1661 §5.9: silently discarded
    case code::kIdentification:   // RFC 1570 §1.1: "There is no response"
    case code::kTimeRemaining: return;
    case code::kProtocolReject: {
      ++counters_.protocol_rejects_received;
      // Catches a Protocol-Reject too short to name the rejected protocol.
      if (p.data.size() < 2) return;
      std::uint16_t rejected = load_be16(p.data.data());
      if (rejected == proto(Protocol::Lcp)) {
        lcp_.protocol_rejected(now);
      } else if (rejected == proto(Protocol::Ipcp)) {
        ipcp_.protocol_rejected(now);
      } else if (rejected == proto(Protocol::Ipv6cp)) {
        ipv6cp_.protocol_rejected(now);
      } else if (rejected == proto(Protocol::Ccp)) {
        ccp_.protocol_rejected(now);
      } else if (rejected == proto(Protocol::Compressed) && config_.policy.require_encryption) {
        fail("peer rejected MPPE-encrypted packets; policy requires encryption", now);
      }
      return;
    }
    default: return;
  }
}

// ---- authentication phase (RFC 1661 §3.5) ----

void Link::start_authentication(Time now) {
  phase_ = LinkPhase::Authenticate;
  const LcpResult& r = lcp_options_.result();
  std::optional<AuthMethod> ours = r.we_authenticate;     // peer proves itself to us
  std::optional<AuthMethod> theirs = r.peer_authenticates; // we prove ourselves to the peer
  if (config_.role == LinkRole::Server && !config_.policy.auth_methods.empty() && !ours) {
    fail("LCP opened without authentication; policy requires " + describe_methods(config_.policy.auth_methods), now);
    return;
  }
  if (config_.policy.require_encryption) {
    // RFC 3079 / RFC 5216: MPPE keys come only from MS-CHAP or EAP-TLS; nothing else meets the policy.
    std::optional<AuthMethod> m = ours ? ours : theirs;
    if (!m || !yields_mppe_keys(*m)) {
      fail("policy requires encryption, but LCP agreed on " + std::string(m ? to_string(*m) : "no") +
               " authentication, which yields no MPPE keys",
           now);
      return;
    }
  }
  if (ours) {
    authenticator_ = factory_.create(*ours, true, *this);
    if (!authenticator_) {
      fail("no " + std::string(to_string(*ours)) + " authenticator available", now);
      return;
    }
  }
  if (theirs) {
    authenticatee_ = factory_.create(*theirs, false, *this);
    if (!authenticatee_) {
      fail("no " + std::string(to_string(*theirs)) + " peer machine available", now);
      return;
    }
  }
  if (authenticator_) authenticator_->start(now);
  if (authenticatee_) authenticatee_->start(now);
  check_authentication(now);
}

void Link::check_authentication(Time now) {
  if (phase_ != LinkPhase::Authenticate && phase_ != LinkPhase::Network) return;
  for (AuthMachine* m : {authenticator_.get(), authenticatee_.get()}) {
    if (m != nullptr && m->status() == AuthStatus::Failed) {
      if (m == authenticator_.get()) failed_peer_name_ = m->result().user_name;
      std::string why = m->result().failure_reason;
      // The true reason is for the log; the peer's Terminate-Request (and the PPTP
      // Call-Disconnect-Notify) get the one fixed text, whatever the cause (issue 16).
      if (reason_.empty()) wire_reason_ = std::string(kAuthFailedLinkText);
      fail("authentication failed (" + std::string(to_string(m->method())) + ")" + (why.empty() ? "" : ": " + why),
           now);
      return;
    }
  }
  if (auth_done_) return;
  for (AuthMachine* m : {authenticator_.get(), authenticatee_.get()}) {
    if (m != nullptr && m->status() != AuthStatus::Succeeded) return;
  }
  if (authenticator_) {
    // A re-authentication (LCP renegotiated on an up link) must name the user the call is up as:
    // otherwise one account's link could be used to guess another's password, or switch to it.
    const std::string& name = authenticator_->result().user_name;
    if (accepted_peer_name_ && name != *accepted_peer_name_) {
      if (reason_.empty()) wire_reason_ = std::string(kReauthOtherUserLinkText);
      fail("re-authentication named " + describe_user(name) + ", but the call is up as " +
               describe_user(*accepted_peer_name_) + ": a call keeps the user it first authenticated as",
           now);
      return;
    }
    accepted_peer_name_ = name;
  }
  auth_done_ = true;
  // The authenticator's result names the authenticated peer; otherwise our own.
  AuthMachine* primary = authenticator_ ? authenticator_.get() : authenticatee_.get();
  if (primary != nullptr) {
    auth_result_ = primary->result();
    if (!auth_result_->mppe && authenticatee_ && authenticatee_->result().mppe) {
      auth_result_->mppe = authenticatee_->result().mppe;
    }
  }
  enter_network(now);
}

// ---- network phase (RFC 1661 §3.6) ----

bool Link::ccp_wanted() const { return config_.policy.allow_encryption || config_.policy.require_encryption; }

void Link::enter_network(Time now) {
  std::string why;
  if (!output_.prepare_network(auth_result_ ? auth_result_->user_name : std::string(), config_.ipcp, config_.ipv6cp, why)) {
    // `why` comes from the secrets file and the pool (e.g. a user's "-" address column): the log's.
    if (reason_.empty()) wire_reason_ = std::string(kAddressSetupFailedLinkText);
    fail("address setup failed: " + why, now);
    return;
  }
  phase_ = LinkPhase::Network;
  // MPPE needs MS-CHAP key material (RFC 3079). Without it CCP is not offered and the peer's CCP
  // is Protocol-Rejected; a policy requiring encryption has already failed in start_authentication.
  ccp_enabled_ = ccp_wanted() && auth_result_ && auth_result_->mppe;
  if (ccp_enabled_) {
    ccp_.open(now);
    ccp_.up(now);
  }
  // With encryption required, IPCP/IPV6CP wait until CCP is up, as pppd does (auth.c,
  // start_networks: "wait for the CCP to come up before starting the other NCPs"). Such a peer
  // keeps its IPCP Closed until then and answers an early Configure-Request with Terminate-Ack
  // (RFC 1661 §4.2, RCR in Closed), which would cost us a whole Restart timer (3 s). A peer that
  // sends its own IPCP Configure-Request first starts them at once (dispatch()).
  if (ccp_enabled_ && config_.policy.require_encryption) return;
  start_ncps(now);
}

void Link::start_ncps(Time now) {
  if (ncps_started_) return;
  ncps_started_ = true;
  ipcp_.open(now);
  ipcp_.up(now);
  if (config_.enable_ipv6) {
    ipv6cp_.open(now);
    ipv6cp_.up(now);
  }
}

bool Link::data_ready() const {
  if (phase_ != LinkPhase::Network) return false;
  if (!ccp_enabled_) return true;
  if (mppe_) return true;
  return ccp_gave_up_ && !config_.policy.require_encryption;
}

LinkUpInfo Link::up_info() const {
  LinkUpInfo u;
  if (auth_result_) {
    u.auth_method = auth_result_->method;
    u.user = auth_result_->user_name;
  }
  u.mppe = mppe_;
  const IpcpResult& ip = ipcp_options_.result();
  u.local_ipv4 = ip.local_address;
  u.peer_ipv4 = ip.peer_address;
  u.dns = ip.dns;
  u.nbns = ip.nbns;
  if (ipv6cp_.state() == FsmState::Opened) {
    u.local_ipv6_id = ipv6cp_options_.result().local_id;
    u.peer_ipv6_id = ipv6cp_options_.result().peer_id;
  }
  u.peer_mru = lcp_options_.result().peer_mru;
  u.local_mru = lcp_options_.result().local_mru;
  u.mtu = mtu();
  return u;
}

void Link::check_ready(Time /*now*/) {
  if (!data_ready()) return;
  if (!up_emitted_ && ipcp_.state() == FsmState::Opened) {
    up_emitted_ = true;
    setup_deadline_.reset();
    ipv6_up_emitted_ = ipv6cp_.state() == FsmState::Opened;
    LinkEvent e;
    e.kind = LinkEvent::Kind::Up;
    e.up = up_info();
    output_.on_event(e);
    return;
  }
  if (up_emitted_ && !ipv6_up_emitted_ && ipv6cp_.state() == FsmState::Opened) {
    ipv6_up_emitted_ = true;
    LinkEvent e;
    e.kind = LinkEvent::Kind::Ipv6Up;
    e.up = up_info();
    output_.on_event(e);
  }
}

// ---- timers ----

std::optional<Time> Link::deadline() const {
  if (down_emitted_) return std::nullopt;
  std::optional<Time> d;
  auto take = [&](std::optional<Time> t) {
    if (t && (!d || *t < *d)) d = t;
  };
  take(lcp_.deadline());
  take(ipcp_.deadline());
  take(ipv6cp_.deadline());
  take(ccp_.deadline());
  if (authenticator_) take(authenticator_->deadline());
  if (authenticatee_) take(authenticatee_->deadline());
  take(next_echo_);
  take(setup_deadline_);
  return d;
}

void Link::on_timer(Time now) {
  if (down_emitted_) return;
  if (setup_deadline_ && now >= *setup_deadline_) {
    setup_deadline_.reset();
    if (!up_emitted_ && phase_ != LinkPhase::Terminate && phase_ != LinkPhase::Dead) {
      const auto s = std::chrono::duration_cast<std::chrono::seconds>(config_.setup_timeout).count();
      fail("network setup deadline passed: the link was not up " + std::to_string(s) + " s after the call came up (in " +
               std::string(to_string(phase_)) + " phase)",
           now);
      return;
    }
  }
  lcp_.on_timer(now);
  ccp_.on_timer(now);
  ipcp_.on_timer(now);
  ipv6cp_.on_timer(now);
  // Authentication machines keep timers after success too (CHAP may re-challenge, RFC 1994 §2.1).
  if (authenticator_) authenticator_->on_timer(now);
  if (authenticatee_) authenticatee_->on_timer(now);
  check_authentication(now);
  if (next_echo_ && now >= *next_echo_ && lcp_.state() == FsmState::Opened) {
    // RFC 1661 §5.8 Echo-Request as a keepalive (pppd lcp-echo-interval / lcp-echo-failure).
    if (echo_outstanding_ >= config_.lcp.echo_max_failures) {
      next_echo_.reset();
      fail("peer did not answer " + std::to_string(echo_outstanding_) + " LCP Echo-Requests", now);
      return;
    }
    std::uint8_t magic[4];
    store_be32(magic, lcp_options_.result().local_magic);
    lcp_.send_packet(code::kEchoRequest, lcp_.next_identifier(), magic);
    ++counters_.echo_requests_sent;
    ++echo_outstanding_;
    next_echo_ = now + config_.lcp.echo_interval;
  }
  sync_phase();
}

// ---- receive path ----

void Link::sync_phase() {
  // RFC 1661 §3.7: LCP terminating (Closing/Stopping) is the Terminate phase.
  if ((lcp_.state() == FsmState::Closing || lcp_.state() == FsmState::Stopping) && phase_ != LinkPhase::Dead) {
    phase_ = LinkPhase::Terminate;
  }
}

void Link::receive_frame(MutableByteView frame, Time now) {
  // Down is final for this Link (one per call): a late Configure-Request must not revive LCP
  // from Stopped (RFC 1661 §4.2 would restart it) behind the session's back.
  if (down_emitted_) {
    ++counters_.dropped_after_down;
    return;
  }
  receive_frame_inner(frame, now);
  sync_phase();
}

void Link::receive_frame_inner(MutableByteView frame, Time now) {
  ++counters_.frames_in;
  FrameHeader h = parse_frame_header(frame);
  if (h.error != FrameError::Ok) {
    ++counters_.bad_frame;
    return;
  }
  MutableByteView info = frame.subspan(h.header_size);
  if (h.protocol == proto(Protocol::Compressed)) {
    receive_mppe(info, now);
    return;
  }
  dispatch(h.protocol, info, false, now);
}

void Link::receive_mppe(MutableByteView information, Time now) {
  if (!decryptor_) {
    ++counters_.dropped_mppe_not_negotiated;
    return;
  }
  // Catches an MPPE packet too short for its 2-byte header (RFC 3078 §3).
  if (information.size() < kMppeHeaderSize) {
    ++counters_.mppe_too_short;
    return;
  }
  std::uint16_t header = load_be16(information.data());
  MutableByteView data = information.subspan(kMppeHeaderSize);
  decryptor_->set_clock(now);  // the stateless key-change budget
  MppeDecryptResult r = decryptor_->decrypt(header, data);
  const bool asked = decryptor_->take_reset_request();
  if (reset_requests_.due(asked, r == MppeDecryptResult::LostSync && decryptor_->awaiting_flush(), now)) {
    // RFC 3078 §8 (stateful): a lost packet; ask the peer to flush its history (again: see
    // mppe_reset.hpp).
    ++counters_.reset_requests_sent;
    const std::uint8_t id = ccp_.next_identifier();
    ccp_.send_packet(code::kResetRequest, id, {});
    reset_requests_.sent(id, now);
  }
  switch (r) {
    case MppeDecryptResult::Ok: break;
    case MppeDecryptResult::NotEncrypted: ++counters_.mppe_not_encrypted; return;
    case MppeDecryptResult::BadHeader: ++counters_.mppe_bad_header; return;
    case MppeDecryptResult::Stale: ++counters_.mppe_stale; return;
    case MppeDecryptResult::LostSync: ++counters_.mppe_lost_sync; return;
    case MppeDecryptResult::TooShort: ++counters_.mppe_too_short; return;
    case MppeDecryptResult::KeyChangeBudget: ++counters_.mppe_key_budget; return;
  }
  // RFC 3078 §3: the plaintext starts with the original protocol field (possibly compressed).
  FrameHeader inner = parse_protocol_field(data);
  if (inner.error != FrameError::Ok || inner.protocol == proto(Protocol::Compressed)) {
    ++counters_.mppe_bad_inner;
    return;
  }
  dispatch(inner.protocol, data.subspan(inner.header_size), true, now);
}

void Link::dispatch(std::uint16_t protocol, MutableByteView info, bool was_encrypted, Time now) {
  // RFC 1661 §6.1: the MRU we negotiated bounds what the peer may send, but we "MUST still be
  // able to receive the full 1500 octet information field": larger ones (beyond both) are the
  // peer's error and dropped, counted. (For MPPE, the decrypted information field is measured.)
  if (info.size() > std::max<std::size_t>(lcp_options_.result().local_mru, kDefaultMru)) {
    ++counters_.dropped_too_long;
    return;
  }
  switch (protocol) {
    case proto(Protocol::Lcp): lcp_.receive(info, now); return;
    case proto(Protocol::Pap):
    case proto(Protocol::Chap):
    case proto(Protocol::Eap): {
      // RFC 1661 §3.5: authentication packets belong to the Authenticate phase (CHAP may
      // re-challenge later, so they are also accepted in Network).
      // When both sides authenticate with the same protocol (mutual CHAP), the Code says which
      // of our two machines a packet is for: Request/Response to the authenticator,
      // Ack/Nak/Challenge/Success/Failure to the peer.
      const std::optional<AuthRole> role = auth_packet_role(static_cast<Protocol>(protocol), info);
      bool handled = false;
      for (AuthMachine* m : {authenticator_.get(), authenticatee_.get()}) {
        if (m == nullptr || proto(protocol_of(m->method())) != protocol) continue;
        const AuthRole mine = m == authenticator_.get() ? AuthRole::Authenticator : AuthRole::Peer;
        if (role && *role != mine) continue;
        m->receive(info, now);
        handled = true;
        break;
      }
      if (!handled) {
        ++counters_.dropped_wrong_phase;
        return;
      }
      check_authentication(now);
      return;
    }
    case proto(Protocol::Ipcp):
    case proto(Protocol::Ipv6cp):
    case proto(Protocol::Ccp): {
      Fsm& fsm = protocol == proto(Protocol::Ipcp) ? ipcp_ : protocol == proto(Protocol::Ccp) ? ccp_ : ipv6cp_;
      // RFC 1661 §3.6: NCP packets before the Network phase are silently discarded.
      if (phase_ != LinkPhase::Network) {
        ++counters_.dropped_wrong_phase;
        return;
      }
      bool enabled = protocol == proto(Protocol::Ipcp) || (protocol == proto(Protocol::Ccp) && ccp_enabled_) ||
                     (protocol == proto(Protocol::Ipv6cp) && config_.enable_ipv6);
      if (!enabled) break;  // not ours to speak: Protocol-Reject below
      // The peer runs its IPCP/IPV6CP alongside CCP: answer now rather than leaving it to time out.
      if (&fsm != &ccp_) start_ncps(now);
      fsm.receive(info, now);
      return;
    }
    case proto(Protocol::Ipv4):
    case proto(Protocol::Ipv6): {
      bool v4 = protocol == proto(Protocol::Ipv4);
      if (mppe_ && !was_encrypted) {
        ++counters_.dropped_unencrypted;  // RFC 3078 §3: after MPPE is up all data is encrypted
        return;
      }
      if (!data_ready() || (v4 ? ipcp_ : ipv6cp_).state() != FsmState::Opened) {
        ++counters_.dropped_not_ready;
        return;
      }
      if (v4) {
        ++counters_.ipv4_in;
        output_.deliver_ipv4(info);
      } else {
        ++counters_.ipv6_in;
        output_.deliver_ipv6(info);
      }
      return;
    }
    default: break;
  }
  // RFC 1661 §5.7: an unknown protocol in the Opened state is answered with Protocol-Reject.
  if (lcp_.state() == FsmState::Opened) {
    send_protocol_reject(protocol, info);
  } else {
    ++counters_.dropped_wrong_phase;
  }
}

void Link::send_protocol_reject(std::uint16_t protocol, ByteView information) {
  ++counters_.protocol_rejects_sent;
  // Rejected-Information is truncated to fit the peer's MRU (RFC 1661 §5.7): minus the LCP header
  // (4) and the Rejected-Protocol field (2).
  std::size_t room = lcp_options_.result().peer_mru > 6 ? lcp_options_.result().peer_mru - 6u : 0u;
  Bytes data(2);
  store_be16(data.data(), protocol);
  data.insert(data.end(), information.begin(), information.begin() + static_cast<std::ptrdiff_t>(
                                                                        std::min(room, information.size())));
  lcp_.send_packet(code::kProtocolReject, lcp_.next_identifier(), data);
}

// ---- send path ----

bool Link::frame_and_send(PacketBuffer& buf, std::uint16_t protocol) {
  const LcpResult& r = lcp_options_.result();
  bool opened = lcp_.state() == FsmState::Opened;
  FrameCompression c;
  // RFC 1661 §6.5/§6.6: compress only what the peer agreed to receive, never LCP itself.
  if (opened && protocol != proto(Protocol::Lcp)) {
    c.protocol = r.send_pfc;
    c.address_control = r.send_acfc;
  }
  bool encrypt = encryptor_ && protocol >= 0x0021 && protocol <= 0x00FA;  // RFC 3078 §3
  if (encrypt) {
    // Plaintext = full protocol field + payload, encrypted in place; then the MPPE header and
    // protocol 0x00FD in front.
    if (!prepend_protocol(buf, protocol, false)) {
      ++counters_.tx_no_headroom;
      return false;
    }
    std::uint16_t header = encryptor_->encrypt(buf.view());
    std::uint8_t* h = buf.push_front(kMppeHeaderSize);
    if (h == nullptr) {
      ++counters_.tx_no_headroom;
      return false;
    }
    store_be16(h, header);
    protocol = proto(Protocol::Compressed);
  }
  if (!prepend_frame_header(buf, protocol, c)) {
    ++counters_.tx_no_headroom;
    return false;
  }
  ++counters_.frames_out;
  output_.send_frame(buf);
  return true;
}

void Link::send_frame(Protocol protocol, ByteView information) {
  control_.reset();
  if (!control_.append(information)) {
    ++counters_.tx_control_too_big;
    return;
  }
  frame_and_send(control_, proto(protocol));
}

bool Link::send_data(PacketBuffer& packet, Protocol protocol) {
  bool v4 = protocol == Protocol::Ipv4;
  if (!data_ready() || (v4 ? ipcp_ : ipv6cp_).state() != FsmState::Opened) {
    ++counters_.tx_not_ready;
    return false;
  }
  if (packet.size() > mtu()) {
    ++counters_.tx_too_big;
    return false;
  }
  if (!frame_and_send(packet, proto(protocol))) return false;
  ++(v4 ? counters_.ipv4_out : counters_.ipv6_out);
  return true;
}

std::uint16_t Link::mtu() const {
  std::uint16_t mru = lcp_options_.result().peer_mru;
  std::uint16_t overhead = mppe_ ? static_cast<std::uint16_t>(kMppeHeaderSize + 2) : std::uint16_t{0};
  return mru > overhead ? static_cast<std::uint16_t>(mru - overhead) : std::uint16_t{0};
}

bool Link::send_ipv4(PacketBuffer& packet, Time /*now*/) { return send_data(packet, Protocol::Ipv4); }
bool Link::send_ipv6(PacketBuffer& packet, Time /*now*/) { return send_data(packet, Protocol::Ipv6); }

}  // namespace pptpx::ppp
