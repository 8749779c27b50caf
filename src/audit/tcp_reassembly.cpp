#include "audit/tcp_reassembly.hpp"

namespace pptpx::audit {

std::optional<TcpSegment> parse_tcp(ByteView p) {
  if (p.size() < 20) return std::nullopt;
  const std::size_t doff = std::size_t{static_cast<std::uint8_t>(p[12] >> 4)} * 4;
  if (doff < 20 || doff > p.size()) return std::nullopt;
  TcpSegment s;
  s.src_port = load_be16(p.data());
  s.dst_port = load_be16(p.data() + 2);
  s.seq = load_be32(p.data() + 4);
  const std::uint8_t flags = p[13];
  s.fin = (flags & 0x01) != 0;
  s.syn = (flags & 0x02) != 0;
  s.rst = (flags & 0x04) != 0;
  s.data = p.subspan(doff);
  return s;
}

void TcpStream::segment(const TcpSegment& s, const Sink& sink) {
  ++c_.segments;
  std::uint32_t seq = s.seq;
  if (s.syn) {
    // The SYN occupies one sequence number; data (rare) follows it.
    if (!started_ || !saw_syn_) {
      started_ = true;
      saw_syn_ = true;
      next_seq_ = seq + 1;
      held_.clear();
      held_octets_ = 0;
    }
    seq += 1;
  }
  if (s.data.empty()) return;
  if (!started_) {  // mid-connection start: the first octet seen begins the stream
    started_ = true;
    next_seq_ = seq;
  }
  ByteView data = s.data;
  // Signed distance in sequence space (RFC 9293 §3.4: modulo 2^32 comparisons).
  const auto diff = static_cast<std::int32_t>(seq - next_seq_);
  if (diff <= 0) {
    const std::uint64_t already = static_cast<std::uint64_t>(-static_cast<std::int64_t>(diff));
    if (already >= data.size()) {
      c_.retransmitted_octets += data.size();
      return;
    }
    c_.retransmitted_octets += already;
    data = data.subspan(already);
    c_.octets += data.size();
    next_seq_ += static_cast<std::uint32_t>(data.size());
    delivered_ += data.size();
    sink(data, 0);
    drain(sink);
    return;
  }
  ++c_.out_of_order;
  const std::uint64_t at = delivered_ + static_cast<std::uint64_t>(diff);
  auto& slot = held_[at];
  if (slot.size() < data.size()) {
    held_octets_ += data.size() - slot.size();
    slot.assign(data.begin(), data.end());
  }
  if (held_octets_ > kMaxHeld) flush(sink);
}

void TcpStream::drain(const Sink& sink) {
  while (!held_.empty() && held_.begin()->first <= delivered_) {
    auto node = held_.extract(held_.begin());
    held_octets_ -= node.mapped().size();
    const std::uint64_t skip = delivered_ - node.key();
    if (skip >= node.mapped().size()) {
      c_.retransmitted_octets += node.mapped().size();
      continue;
    }
    ByteView rest = ByteView(node.mapped()).subspan(skip);
    c_.retransmitted_octets += skip;
    c_.octets += rest.size();
    next_seq_ += static_cast<std::uint32_t>(rest.size());
    delivered_ += rest.size();
    sink(rest, 0);
  }
}

void TcpStream::flush(const Sink& sink) {
  while (!held_.empty()) {
    const std::uint64_t hole = held_.begin()->first - delivered_;
    ++c_.gaps;
    c_.gap_octets += hole;
    auto node = held_.extract(held_.begin());
    held_octets_ -= node.mapped().size();
    next_seq_ += static_cast<std::uint32_t>(hole + node.mapped().size());
    delivered_ += hole + node.mapped().size();
    c_.octets += node.mapped().size();
    sink(node.mapped(), hole);
    drain(sink);
  }
}

}  // namespace pptpx::audit
