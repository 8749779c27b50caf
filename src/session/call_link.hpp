// One PPTP call's data path: the call's GRE channel (RFC 2637 §4: header checks, sequence
// window, acknowledgements) around its PPP Link. GRE packets in -> GreChannel (reorder, drop
// duplicates) -> Link::receive_frame; Link frames out -> GRE header (our sequence number,
// piggybacked acknowledgement) written into the PacketBuffer's headroom -> CallOutput::send_gre.
// When data flows only one way, an acknowledgement-only packet (RFC 2637 §4.1: S clear, A set,
// no payload) goes out after the window's ack delay.
#pragma once
#include <cstdint>
#include <string>

#include "ppp/link.hpp"
#include "pptp/gre_channel.hpp"
#include "util/packet_buffer.hpp"

namespace pptpx::session {

class CallOutput {
 public:
  virtual ~CallOutput() = default;
  // A complete GRE packet for the session's peer (the shell adds the outer IPv4 header).
  virtual void send_gre(std::uint16_t local_call_id, MutableByteView packet) = 0;
  virtual void deliver_ipv4(std::uint16_t local_call_id, ByteView packet) = 0;
  virtual void deliver_ipv6(std::uint16_t local_call_id, ByteView packet) = 0;
  virtual void link_event(std::uint16_t local_call_id, const ppp::LinkEvent& event) = 0;
  // ppp::LinkOutput::prepare_network for this call (default: keep the configured addresses).
  virtual bool prepare_network(std::uint16_t local_call_id, const std::string& user, ppp::IpcpConfig& ipcp,
                               ppp::Ipv6cpConfig& ipv6cp, std::string& why) {
    (void)local_call_id, (void)user, (void)ipcp, (void)ipv6cp, (void)why;
    return true;
  }
};

struct CallGreCounters {
  std::uint64_t tx_no_headroom = 0;  // a frame without room for the GRE header: dropped
};

class CallLink final : private ppp::LinkOutput, private pptp::GreDeliverySink {
 public:
  CallLink(std::uint16_t local_call_id, std::uint16_t peer_call_id, const ppp::LinkConfig& link_config,
           const pptp::GreWindowConfig& gre_config, ppp::AuthFactory& factory, CallOutput& output);

  void start(Time now) { link_.start(now); }
  // A whole GRE packet (from the GRE header on), already matched to this call by the session.
  void receive_gre(ByteView packet, Time now);
  bool send_ipv4(PacketBuffer& packet, Time now) { return link_.send_ipv4(packet, now); }
  bool send_ipv6(PacketBuffer& packet, Time now) { return link_.send_ipv6(packet, now); }
  void close(std::string reason, Time now) { link_.close(std::move(reason), now); }
  void lower_down(std::string reason, Time now) { link_.lower_down(std::move(reason), now); }

  std::optional<Time> deadline() const;
  void on_timer(Time now);

  std::uint16_t local_call_id() const { return local_call_id_; }
  std::uint16_t peer_call_id() const { return peer_call_id_; }
  const ppp::Link& link() const { return link_; }
  const pptp::GreChannel& gre() const { return gre_; }
  const pptp::GreReceiveWindow& receive_window() const { return gre_.receive_window(); }
  const CallGreCounters& counters() const { return counters_; }

 private:
  // ppp::LinkOutput
  void send_frame(PacketBuffer& frame) override;
  void deliver_ipv4(ByteView packet) override { output_.deliver_ipv4(local_call_id_, packet); }
  void deliver_ipv6(ByteView packet) override { output_.deliver_ipv6(local_call_id_, packet); }
  void on_event(const ppp::LinkEvent& event) override { output_.link_event(local_call_id_, event); }
  bool prepare_network(const std::string& user, ppp::IpcpConfig& ipcp, ppp::Ipv6cpConfig& ipv6cp,
                       std::string& why) override {
    return output_.prepare_network(local_call_id_, user, ipcp, ipv6cp, why);
  }
  // pptp::GreDeliverySink
  void deliver(std::uint32_t seq, ByteView payload) override;

  void send_ack_only();

  std::uint16_t local_call_id_;
  std::uint16_t peer_call_id_;
  CallOutput& output_;
  pptp::GreChannel gre_;
  CallGreCounters counters_;
  Time now_{};                 // time of the packet being delivered (the sink has no time argument)
  PacketBuffer rx_scratch_;    // the Link decrypts in place; window payloads are read-only views
  ppp::Link link_;             // last: its constructor may not send, but its destructor outlives nothing
};

}  // namespace pptpx::session
