// One call's GRE data path (RFC 2637 §4): checks and decodes received packets, feeds the receive
// window and the peer's acknowledgements, and builds outgoing data packets in place (with the
// pending acknowledgement piggybacked) and ack-only packets. The shell demultiplexes on
// (peer address, the Call ID in the key), then hands the packet to the matching channel.
//
//   receive(packet): decode -> wrong Call ID? drop+count -> ack? send window -> data? window -> sink
//   prepare_data(buf, off, len): header (seq, piggybacked ack) written just before the payload
//   on_timer(): true -> write_ack_only() now (no data went back within ack_delay)
//
// Size: ~500 octets plus the receive window's lazily allocated reorder storage (gre_window.hpp).
#pragma once
#include <array>
#include <cstdint>
#include <optional>

#include "pptp/gre_header.hpp"
#include "pptp/gre_window.hpp"

namespace pptpx::pptp {

struct GreChannelCounters {
  std::uint64_t rx_packets = 0;
  std::uint64_t rx_data = 0;
  std::uint64_t rx_ack_only = 0;
  std::array<std::uint64_t, kGreErrorCount> rx_dropped{};  // indexed by GreError
  std::uint64_t tx_data = 0;
  std::uint64_t tx_ack_only = 0;
};

class GreChannel {
 public:
  GreChannel(std::uint16_t local_call_id, std::uint16_t peer_call_id, GreWindowConfig cfg = {},
             std::uint32_t first_tx_sequence = 0);

  // A GRE packet (IP payload) from the peer. Returns GreError::None if it was accepted (its
  // payload, if any, went through the window to `sink`), else the reason it was dropped.
  GreError receive(ByteView packet, Time now, GreDeliverySink& sink);

  // Data packet in place: the PPP payload is at buffer[payload_offset, payload_offset + len);
  // the header (at most kGreMaxHeaderSize octets) goes right before it. nullopt when the
  // headroom is short, the payload overruns the buffer or is longer than 65535.
  std::optional<MutableByteView> prepare_data(MutableByteView buffer, std::size_t payload_offset,
                                              std::size_t payload_len);
  // Ack-only packet into `out` (12 octets); 0 when nothing needs acknowledging or out is small.
  std::size_t write_ack_only(MutableByteView out);

  bool on_timer(Time now, GreDeliverySink& sink) { return rx_.on_timer(now, sink); }
  std::optional<Time> deadline() const { return rx_.deadline(); }

  std::uint16_t local_call_id() const { return local_; }
  std::uint16_t peer_call_id() const { return peer_; }
  const GreChannelCounters& counters() const { return counters_; }
  const GreReceiveWindow& receive_window() const { return rx_; }
  const GreSendWindow& send_window() const { return tx_; }

 private:
  std::uint16_t local_;
  std::uint16_t peer_;
  GreReceiveWindow rx_;
  GreSendWindow tx_;
  GreChannelCounters counters_;
};

}  // namespace pptpx::pptp
