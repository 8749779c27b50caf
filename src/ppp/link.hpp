// One PPP link (RFC 1661 §3) over one PPTP call, sans-I/O: frames and time in; frames, IP packets,
// timers and events out.
//
// Phases (RFC 1661 §3.2):
//
//   Dead --start()--> Establish --LCP tlu--> Authenticate --all auth machines Succeeded--> Network
//     ^                   ^  |                    | (auth failed / policy: fail -> LCP Close)   |
//     |                   |  +--LCP tld (renegotiation) <-------------------------------------+
//     +--- LCP tlf / lower_down() <-- Terminate <-- close(), fail(), peer Terminate-Request ---+
//
// Network phase: CCP (when the policy allows or requires MPPE), IPCP and (optionally) IPV6CP run
// in parallel. Data flows once IPCP is Opened and, when encryption is required, CCP is Opened
// with MPPE in both directions. Event Up is emitted then (once per LCP session); Ipv6Up if IPV6CP
// opens later; Down{reason} once when LCP finishes or the lower layer goes away.
//
// Data path (no allocation): send_ipv4/send_ipv6 prepend the protocol field, MPPE-encrypt in
// place (RFC 3078 §3: protocols 0x0021..0x00FA only), prepend 0x00FD and address/control into the
// PacketBuffer's headroom and hand the frame to LinkOutput::send_frame. receive_frame decrypts in
// place and delivers IPv4/IPv6 packets. Every drop is counted in LinkCounters.
//
// Use (one Link per PPTP call; Down is final):
//   Link link(config, auth_factory, output);   // sends nothing yet
//   link.start(now);                            // call connected: LCP starts
//   link.receive_frame(gre_payload, now);       // every GRE payload, decrypted in place
//   link.send_ipv4(buffer, now);                // buffer: IP packet with >= 8 bytes headroom
//   if (auto d = link.deadline()) ... link.on_timer(now) at/after *d
//   link.close("reason", now) / link.lower_down("reason", now)
// Output: send_frame(PacketBuffer&) per PPP frame (prepend GRE in place), deliver_ipv4/6, and
// on_event(Up / Ipv6Up / Down{reason}).
#pragma once
#include <array>
#include <memory>
#include <optional>
#include <string>

#include "ppp/auth_factory.hpp"
#include "ppp/auth_random.hpp"
#include "ppp/ccp.hpp"
#include "ppp/fsm.hpp"
#include "ppp/ipcp.hpp"
#include "ppp/ipv6cp.hpp"
#include "ppp/lcp.hpp"
#include "ppp/mppe.hpp"
#include "ppp/mppe_reset.hpp"
#include "ppp/policy.hpp"
#include "util/packet_buffer.hpp"

namespace pptpx::ppp {

enum class LinkPhase : std::uint8_t { Dead, Establish, Authenticate, Network, Terminate };
std::string_view to_string(LinkPhase p);

enum class LinkRole : std::uint8_t { Server, Client };  // Server = authenticator

struct LinkConfig {
  LinkRole role = LinkRole::Server;
  Policy policy;
  LcpConfig lcp;
  IpcpConfig ipcp;
  bool enable_ipv6 = false;
  Ipv6cpConfig ipv6cp;
  FsmConfig fsm;                    // restart timer and Max-* counters for every automaton
  // > 0: the longest time from start() (call up) to Up (data flows). When it passes first, the
  // link closes with "network setup deadline passed: ..." (server [limits] network_setup_seconds).
  Duration setup_timeout{};
  RandomSource* random = nullptr;   // Magic-Numbers, interface ids; nullptr: OpenSSL
};

struct LinkUpInfo {
  std::optional<AuthMethod> auth_method;  // nullopt: no authentication
  std::string user;                       // the authenticated (server) or our (client) user name
  std::optional<MppeChoice> mppe;         // nullopt: unencrypted
  std::uint32_t local_ipv4 = 0, peer_ipv4 = 0;  // host order
  std::array<std::uint32_t, 2> dns{}, nbns{};
  std::optional<std::uint64_t> local_ipv6_id, peer_ipv6_id;
  std::uint16_t peer_mru = kDefaultMru;   // largest information field we may send
  std::uint16_t local_mru = kDefaultMru;  // largest information field the peer may send
  // Largest IP packet we may send: peer_mru less the MPPE header and inner protocol field (4)
  // when encrypting (RFC 3078 §3), as pppd sets the interface MTU.
  std::uint16_t mtu = kDefaultMru;
};

struct LinkEvent {
  enum class Kind : std::uint8_t { Up, Ipv6Up, Down } kind = Kind::Up;
  LinkUpInfo up;       // Up, Ipv6Up; Down after the peer failed our authentication: up.user is
                       // the name it gave (for per-user lockout), the rest is empty
  std::string reason;  // Down
};

class LinkOutput {
 public:
  virtual ~LinkOutput() = default;
  // A complete PPP frame (address/control onwards) for GRE; headroom is left in front for the
  // GRE and outer IP headers, which the caller may prepend in place.
  virtual void send_frame(PacketBuffer& frame) = 0;
  virtual void deliver_ipv4(ByteView packet) = 0;
  virtual void deliver_ipv6(ByteView packet) = 0;
  virtual void on_event(const LinkEvent& event) = 0;
  // Authentication has succeeded (Authenticate -> Network, RFC 1661 §3.5): the last moment to
  // choose the addresses for IPCP/IPV6CP, now that `user` (the authenticated peer on the server,
  // our own name on the client; empty without authentication) is known. `ipcp`/`ipv6cp` are the
  // link's own configuration, read by the NCPs when they start right after this call. Called
  // again after an LCP renegotiation. false (with `why`) ends the link: "address setup failed: why".
  virtual bool prepare_network(const std::string& user, IpcpConfig& ipcp, Ipv6cpConfig& ipv6cp, std::string& why) {
    (void)user, (void)ipcp, (void)ipv6cp, (void)why;
    return true;
  }
};

struct LinkCounters {
  std::uint64_t frames_in = 0, frames_out = 0;
  std::uint64_t dropped_after_down = 0;         // frames after Down (a Link is not reused)
  std::uint64_t bad_frame = 0;                 // address/control or protocol field invalid
  std::uint64_t protocol_rejects_sent = 0;     // unknown protocol while LCP Opened
  std::uint64_t protocol_rejects_received = 0;
  std::uint64_t dropped_wrong_phase = 0;       // auth/NCP packet outside its phase
  std::uint64_t dropped_unencrypted = 0;       // plain IPv4/IPv6 after MPPE is up
  std::uint64_t dropped_not_ready = 0;         // received data before its NCP (and CCP) is up
  std::uint64_t dropped_mppe_not_negotiated = 0;
  std::uint64_t mppe_too_short = 0, mppe_not_encrypted = 0, mppe_bad_header = 0, mppe_stale = 0,
                mppe_lost_sync = 0, mppe_bad_inner = 0;
  std::uint64_t mppe_key_budget = 0;  // stateless jumps over the key-change budget (mppe.hpp)
  std::uint64_t reset_requests_sent = 0, reset_requests_received = 0;
  std::uint64_t tx_not_ready = 0, tx_too_big = 0, tx_no_headroom = 0, tx_control_too_big = 0;
  std::uint64_t echo_requests_sent = 0, echo_replies_received = 0, echo_loopback = 0;
  std::uint64_t echo_replies_truncated = 0;  // Echo-Request longer than the peer's MRU: reply cut to fit
  std::uint64_t dropped_too_long = 0;  // information field beyond our MRU and 1500 (RFC 1661 §6.1)
  std::uint64_t ipv4_in = 0, ipv4_out = 0, ipv6_in = 0, ipv6_out = 0;
};

class Link final : private FrameSink, private LayerObserver {
 public:
  Link(LinkConfig config, AuthFactory& factory, LinkOutput& output);
  ~Link() override;
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;

  // The lower layer (the PPTP call) is up: LCP Up + Open (RFC 1661 §3.3 Dead -> Establish).
  void start(Time now);
  // Administrative close: LCP Terminate-Request; Down{reason} follows when LCP finishes.
  void close(std::string reason, Time now);
  // The lower layer went away (call cleared): Down{reason} at once.
  void lower_down(std::string reason, Time now);

  // One PPP frame as carried in GRE; decrypted in place.
  void receive_frame(MutableByteView frame, Time now);
  // An IPv4/IPv6 packet from the tunnel interface, in `packet` (data = the IP packet, headroom
  // >= 8). The buffer is consumed (framed in place) on success; false: dropped and counted.
  bool send_ipv4(PacketBuffer& packet, Time now);
  bool send_ipv6(PacketBuffer& packet, Time now);

  std::optional<Time> deadline() const;
  void on_timer(Time now);

  LinkPhase phase() const { return phase_; }
  bool is_up() const { return up_emitted_; }
  const LinkCounters& counters() const { return counters_; }
  const std::string& down_reason() const { return reason_; }
  // The reason as the peer may see it (PPTP Call-Disconnect-Notify Call Statistics): the same as
  // down_reason(), except after a failed authentication, whose true reason is for the log only
  // (ppp/auth_wire_text.hpp).
  const std::string& down_wire_reason() const { return wire_reason_ ? *wire_reason_ : reason_; }
  const Fsm& lcp() const { return lcp_; }
  const Fsm& ipcp() const { return ipcp_; }
  const Fsm& ipv6cp() const { return ipv6cp_; }
  const Fsm& ccp() const { return ccp_; }
  const LcpResult& lcp_result() const { return lcp_options_.result(); }
  // Largest IPv4/IPv6 packet send_ipv4/send_ipv6 accept now (see LinkUpInfo::mtu).
  std::uint16_t mtu() const;

 private:
  // FrameSink: control frames from the automata and the authentication machines.
  void send_frame(Protocol protocol, ByteView information) override;
  // LayerObserver
  void this_layer_up(Fsm& fsm, Time now) override;
  void this_layer_down(Fsm& fsm, Time now) override;
  void this_layer_started(Fsm& fsm, Time now) override;
  void this_layer_finished(Fsm& fsm, Time now) override;
  bool extra_code(Fsm& fsm, const ControlPacket& packet, Time now) override;

  void fail(std::string reason, Time now);
  void sync_phase();
  void receive_frame_inner(MutableByteView frame, Time now);
  void emit_down(Time now);
  void dispatch(std::uint16_t protocol, MutableByteView information, bool was_encrypted, Time now);
  void receive_mppe(MutableByteView information, Time now);
  bool send_data(PacketBuffer& packet, Protocol protocol);
  bool frame_and_send(PacketBuffer& buf, std::uint16_t protocol);
  void send_protocol_reject(std::uint16_t protocol, ByteView information);
  void lcp_extra(const ControlPacket& p, Time now);
  void start_authentication(Time now);
  void check_authentication(Time now);
  void enter_network(Time now);
  void start_ncps(Time now);
  void check_ready(Time now);
  bool ccp_wanted() const;
  bool data_ready() const;
  LinkUpInfo up_info() const;
  void reset_session();

  LinkConfig config_;
  AuthFactory& factory_;
  LinkOutput& output_;
  RandomSource& random_;

  LcpOptions lcp_options_;
  IpcpOptions ipcp_options_;
  Ipv6cpOptions ipv6cp_options_;
  CcpOptions ccp_options_;
  Fsm lcp_;
  Fsm ipcp_;
  Fsm ipv6cp_;
  Fsm ccp_;

  LinkPhase phase_ = LinkPhase::Dead;
  std::string reason_;
  std::optional<std::string> wire_reason_;  // set when reason_ must not reach the peer
  bool down_emitted_ = false;
  bool up_emitted_ = false;
  bool ipv6_up_emitted_ = false;
  bool ccp_gave_up_ = false;  // CCP finished without MPPE and the policy allows that
  bool ccp_enabled_ = false;  // this Network phase runs CCP (policy allows MPPE, keys exist)
  bool ncps_started_ = false;  // IPCP (and IPV6CP) opened in this Network phase

  std::unique_ptr<AuthMachine> authenticator_;  // we authenticate the peer
  std::unique_ptr<AuthMachine> authenticatee_;  // we authenticate ourselves to the peer
  std::optional<AuthResult> auth_result_;
  bool auth_done_ = false;
  std::string failed_peer_name_;  // the name the peer gave when our authenticator refused it
  // The name our authenticator first accepted on this link; kept across LCP renegotiations, so a
  // re-authentication must name the same user (issue 19 item 1).
  std::optional<std::string> accepted_peer_name_;

  std::unique_ptr<MppeEncryptor> encryptor_;  // allocated once per CCP session, not per packet
  std::unique_ptr<MppeDecryptor> decryptor_;
  MppeResetRequests reset_requests_;  // our Reset-Requests for decryptor_ (stateful MPPE)
  std::optional<MppeChoice> mppe_;

  std::optional<Time> next_echo_;
  std::optional<Time> setup_deadline_;  // LinkConfig::setup_timeout after start(), until Up
  int echo_outstanding_ = 0;

  PacketBuffer control_;  // scratch for control frames
  LinkCounters counters_;
};

}  // namespace pptpx::ppp
