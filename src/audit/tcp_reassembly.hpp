// One direction of a TCP connection put back in order (RFC 9293 §3.4 sequence numbers): segments
// out of order are held, retransmitted and overlapping octets are used once (the first copy
// wins), and a hole that never fills is skipped and reported as a gap so the reader can
// resynchronise. A capture that starts mid-connection begins at the first segment seen.
// Sans-I/O: segments in, in-order bytes and gaps out.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>

#include "util/bytes.hpp"

namespace pptpx::audit {

struct TcpSegment {
  std::uint16_t src_port = 0, dst_port = 0;
  std::uint32_t seq = 0;
  bool syn = false, fin = false, rst = false;
  ByteView data;
};
// nullopt for a segment shorter than its header or with a bad data offset.
std::optional<TcpSegment> parse_tcp(ByteView ip_payload);

struct TcpStreamCounters {
  std::uint64_t segments = 0, octets = 0, retransmitted_octets = 0, out_of_order = 0, gaps = 0,
                gap_octets = 0;
};

class TcpStream {
 public:
  // Bytes in order; `gap_before` > 0 when that many octets were missing just before them.
  using Sink = std::function<void(ByteView data, std::uint64_t gap_before)>;
  static constexpr std::size_t kMaxHeld = 256 * 1024;  // octets held behind a hole before skipping it

  void segment(const TcpSegment& s, const Sink& sink);
  // End of the capture or of the connection: skips any remaining hole and hands out what is held.
  void flush(const Sink& sink);
  const TcpStreamCounters& counters() const { return c_; }
  bool started() const { return started_; }
  bool saw_syn() const { return saw_syn_; }
  std::size_t held_octets() const { return held_octets_; }  // beyond a hole, waiting for it

 private:
  void drain(const Sink& sink);
  bool started_ = false, saw_syn_ = false;
  std::uint32_t next_seq_ = 0;         // sequence number of the next octet expected
  std::uint64_t delivered_ = 0;        // stream offset of next_seq_
  std::map<std::uint64_t, Bytes> held_;  // stream offset -> octets beyond a hole
  std::size_t held_octets_ = 0;
  TcpStreamCounters c_;
};

}  // namespace pptpx::audit
