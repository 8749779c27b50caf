#include "pptp/gre_channel.hpp"

namespace pptpx::pptp {

GreChannel::GreChannel(std::uint16_t local_call_id, std::uint16_t peer_call_id,
                       GreWindowConfig cfg, std::uint32_t first_tx_sequence)
    : local_(local_call_id), peer_(peer_call_id), rx_(cfg), tx_(first_tx_sequence) {}

GreError GreChannel::receive(ByteView packet, Time now, GreDeliverySink& sink) {
  ++counters_.rx_packets;
  auto d = decode_gre(packet);
  // Catches, besides bad headers: a packet the shell's demultiplexer should not have sent here.
  if (d.ok() && d.header.call_id != local_) d.error = GreError::WrongCallId;
  if (!d.ok()) {
    ++counters_.rx_dropped[static_cast<std::size_t>(d.error)];
    return d.error;
  }
  if (d.header.ack) tx_.on_ack(*d.header.ack);  // a bad ack is counted by the send window
  if (d.header.sequence) {
    ++counters_.rx_data;
    rx_.on_data(*d.header.sequence, d.payload, now, sink);
  } else {
    ++counters_.rx_ack_only;
  }
  return GreError::None;
}

std::optional<MutableByteView> GreChannel::prepare_data(MutableByteView buffer,
                                                        std::size_t payload_offset,
                                                        std::size_t payload_len) {
  if (payload_len > 0xFFFF) return std::nullopt;
  GreHeader h;
  h.payload_length = static_cast<std::uint16_t>(payload_len);
  h.call_id = peer_;
  h.ack = rx_.pending_ack();
  h.sequence = 0;  // placeholder: size only
  // Check room before consuming a sequence number or the pending ack.
  if (payload_offset < h.size() || payload_offset > buffer.size() ||
      buffer.size() - payload_offset < payload_len) {
    return std::nullopt;
  }
  h.sequence = tx_.next_sequence();
  rx_.take_ack();
  ++counters_.tx_data;
  return gre_prepend(h, buffer, payload_offset);
}

std::size_t GreChannel::write_ack_only(MutableByteView out) {
  if (!rx_.ack_pending() || out.size() < kGreBaseSize + 4) return 0;
  GreHeader h;
  h.call_id = peer_;
  h.ack = rx_.take_ack();
  ++counters_.tx_ack_only;
  return encode_gre_header(h, out);
}

}  // namespace pptpx::pptp
