#include "session/call_link.hpp"

#include <array>

namespace pptpx::session {

CallLink::CallLink(std::uint16_t local_call_id, std::uint16_t peer_call_id, const ppp::LinkConfig& link_config,
                   const pptp::GreWindowConfig& gre_config, ppp::AuthFactory& factory, CallOutput& output)
    : local_call_id_(local_call_id),
      peer_call_id_(peer_call_id),
      output_(output),
      gre_(local_call_id, peer_call_id, gre_config),
      rx_scratch_(0),
      link_(link_config, factory, *this) {}

void CallLink::receive_gre(ByteView packet, Time now) {
  now_ = now;
  gre_.receive(packet, now, *this);  // drops are counted by the channel, per reason
}

void CallLink::deliver(std::uint32_t /*seq*/, ByteView payload) {
  // The window hands out read-only views (its own reorder storage or the caller's packet);
  // the Link decrypts in place, so the frame is copied once into a preallocated scratch buffer.
  if (!rx_scratch_.assign(payload, 0)) return;  // longer than any buffer: the Link would drop it too
  link_.receive_frame(rx_scratch_.view(), now_);
}

void CallLink::send_frame(PacketBuffer& frame) {
  const std::size_t payload_offset = frame.headroom();
  const std::size_t payload_len = frame.size();
  // The channel writes the GRE header into the headroom in front of the frame.
  if (frame.push_front(payload_offset) == nullptr) return;  // cannot fail: pushes exactly the headroom
  auto packet = gre_.prepare_data(frame.view(), payload_offset, payload_len);
  if (!packet) {
    ++counters_.tx_no_headroom;
    return;
  }
  output_.send_gre(local_call_id_, *packet);
}

void CallLink::send_ack_only() {
  std::array<std::uint8_t, pptp::kGreMaxHeaderSize> buf{};
  std::size_t n = gre_.write_ack_only(buf);
  if (n > 0) output_.send_gre(local_call_id_, MutableByteView(buf.data(), n));
}

std::optional<Time> CallLink::deadline() const {
  auto a = link_.deadline();
  auto b = gre_.deadline();
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

void CallLink::on_timer(Time now) {
  now_ = now;
  if (gre_.on_timer(now, *this)) send_ack_only();
  if (auto d = link_.deadline(); d && *d <= now) link_.on_timer(now);
}

}  // namespace pptpx::session
