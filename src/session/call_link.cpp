#include "session/call_link.hpp"

#include <array>

namespace pptpx::session {

CallLink::CallLink(std::uint16_t local_call_id, std::uint16_t peer_call_id, const ppp::LinkConfig& link_config,
                   const pptp::GreWindowConfig& gre_config, ppp::AuthFactory& factory, CallOutput& output)
    : local_call_id_(local_call_id),
      peer_call_id_(peer_call_id),
      output_(output),
      rx_(gre_config),
      rx_scratch_(0),
      link_(link_config, factory, *this) {}

void CallLink::receive_gre(ByteView packet, Time now) {
  ++counters_.gre_in;
  pptp::GreDecoded d = pptp::decode_gre(packet);
  if (!d.ok()) {
    ++counters_.gre_bad;
    return;
  }
  // Catches a packet the shell demultiplexed on a stale table entry.
  if (d.header.call_id != local_call_id_) {
    ++counters_.gre_wrong_call;
    return;
  }
  if (d.header.ack) tx_.on_ack(*d.header.ack);
  if (d.header.sequence && !d.payload.empty()) {
    now_ = now;
    rx_.on_data(*d.header.sequence, d.payload, now, *this);
  }
}

void CallLink::deliver(std::uint32_t /*seq*/, ByteView payload) {
  // The window hands out read-only views (its own reorder storage or the caller's packet);
  // the Link decrypts in place, so the frame is copied once into a preallocated scratch buffer.
  if (!rx_scratch_.assign(payload, 0)) return;  // longer than any buffer: the Link would drop it too
  link_.receive_frame(rx_scratch_.view(), now_);
}

void CallLink::send_frame(PacketBuffer& frame) {
  pptp::GreHeader h;
  h.call_id = peer_call_id_;  // RFC 2637 §4.1: the Key's Call ID is the peer's
  h.payload_length = static_cast<std::uint16_t>(frame.size());
  h.sequence = tx_.next_sequence();
  h.ack = rx_.take_ack();  // piggyback any pending acknowledgement (§4.4)
  std::uint8_t* p = frame.push_front(h.size());
  if (p == nullptr) {
    ++counters_.tx_no_headroom;
    return;
  }
  pptp::encode_gre_header(h, MutableByteView(p, h.size()));
  ++counters_.gre_out;
  output_.send_gre(local_call_id_, frame.view());
}

void CallLink::send_ack_only() {
  auto ack = rx_.take_ack();
  if (!ack) return;
  pptp::GreHeader h;
  h.call_id = peer_call_id_;
  h.payload_length = 0;
  h.ack = ack;  // RFC 2637 §4.1: no payload, S clear, A set
  std::array<std::uint8_t, pptp::kGreMaxHeaderSize> buf{};
  std::size_t n = pptp::encode_gre_header(h, buf);
  ++counters_.ack_only_sent;
  ++counters_.gre_out;
  output_.send_gre(local_call_id_, MutableByteView(buf.data(), n));
}

std::optional<Time> CallLink::deadline() const {
  auto a = link_.deadline();
  auto b = rx_.deadline();
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

void CallLink::on_timer(Time now) {
  now_ = now;
  if (rx_.on_timer(now, *this)) send_ack_only();
  if (auto d = link_.deadline(); d && *d <= now) link_.on_timer(now);
}

}  // namespace pptpx::session
