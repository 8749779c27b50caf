// Enhanced GRE (RFC 2637 §4): the header codec, and one call's GreChannel (decode, receive
// window, acknowledgements, outgoing data and ack-only packets).
//
// Byte 0:  bit 0 = 0: decode_gre over the rest; a packet that decodes must re-encode to the same
//                     header octets, and a re-built packet must decode to the same header/payload.
//          bit 0 = 1: a GreChannel; bits 1-3 reorder slots (0..7), then u16 local Call ID,
//                     u16 peer Call ID, then records (fuzz_common.hpp): data = GRE packet
//                     received; op & 3: 0 advance (op>>2)*10 ms and fire the timer, 1 send a data
//                     packet of op>>2 octets, 2 write an ack-only packet, 3 jump to the deadline.
#include <array>
#include <cstdint>
#include <cstring>

#include "fuzz_common.hpp"
#include "pptp/gre_channel.hpp"
#include "pptp/gre_header.hpp"

using namespace pptpx;

namespace {

struct Sink final : pptp::GreDeliverySink {
  std::uint64_t n = 0;
  bool have_last = false;
  std::uint32_t last = 0;      // the highest number delivered in order
  std::uint32_t max_jump = 0;  // the window's bound (the harness keeps the default, not 0)
  bool far_jump = false;       // a delivery far behind, or more than max_jump past, the last one
  std::uint32_t behind = 0;    // deliveries behind the last one, within the late ring
  void deliver(std::uint32_t seq, ByteView payload) override {
    (void)fuzz::touch(payload);
    // Delivery is in sequence order (RFC 2637 §4.4: out-of-order packets are reordered or
    // dropped): each delivered number is after the last one in serial-number order and at most
    // max_jump past it. The exceptions: a packet from a jump's open gap, delivered late and
    // counted (at most kLateWindow behind; it does not move `last`), and a resync of the window
    // onto another stream (gre_window.hpp); the caller checks the counters.
    if (have_last) {
      const std::uint32_t ahead_of_next = seq - (last + 1);
      if (ahead_of_next > 0x7FFFFFFFu && last - seq < pptp::GreReceiveWindow::kLateWindow) {
        ++behind;
        ++n;
        return;
      }
      if (ahead_of_next > 0x7FFFFFFFu || seq - last > max_jump) far_jump = true;
    }
    have_last = true;
    last = seq;
    ++n;
  }
};

void fuzz_decode(ByteView packet) {
  auto d = pptp::decode_gre(packet);
  if (!d.ok()) return;
  PPTPX_FUZZ_CHECK(d.payload.size() == d.header.payload_length);
  PPTPX_FUZZ_CHECK(d.header.size() + d.payload.size() <= packet.size());
  std::array<std::uint8_t, pptp::kGreMaxHeaderSize> hdr{};
  std::size_t n = pptp::encode_gre_header(d.header, hdr);
  PPTPX_FUZZ_CHECK(n == d.header.size());
  PPTPX_FUZZ_CHECK(std::memcmp(hdr.data(), packet.data(), n) == 0);
  Bytes rebuilt(hdr.begin(), hdr.begin() + static_cast<std::ptrdiff_t>(n));
  rebuilt.insert(rebuilt.end(), d.payload.begin(), d.payload.end());
  auto d2 = pptp::decode_gre(rebuilt);
  PPTPX_FUZZ_CHECK(d2.ok());
  PPTPX_FUZZ_CHECK(d2.header == d.header);
  PPTPX_FUZZ_CHECK(std::equal(d2.payload.begin(), d2.payload.end(), d.payload.begin(), d.payload.end()));
}

void fuzz_channel(std::uint8_t mode, fuzz::Input& in) {
  pptp::GreWindowConfig cfg;
  cfg.reorder_slots = (mode >> 1) & 7;
  cfg.max_held_payload = 1600;
  std::uint16_t local = in.u16();
  std::uint16_t peer = in.u16();
  pptp::GreChannel ch(local, peer, cfg, 0);
  Sink sink;
  sink.max_jump = cfg.max_jump;
  Time now{};
  std::array<std::uint8_t, 2048> buf{};
  while (auto r = in.record()) {
    if (!r->is_op) {
      Bytes pkt(r->data.begin(), r->data.end());
      const std::uint64_t resyncs = ch.receive_window().counters().resyncs;
      const std::uint64_t late = ch.receive_window().counters().late;
      sink.far_jump = false;
      sink.behind = 0;
      (void)ch.receive(pkt, now, sink);
      // The jump bound (gre_window.hpp): the window moves more than max_jump at once only by a
      // resync (resync_packets consistent far or stale packets after resync_quiet of silence).
      const bool resynced = ch.receive_window().counters().resyncs == resyncs + 1;
      if (sink.far_jump) PPTPX_FUZZ_CHECK(resynced);
      if (resynced) sink.last = ch.receive_window().last_delivered().value_or(sink.last);  // a new origin
      // Behind the last in-order delivery: only a late packet from an open gap (or the resync).
      if (sink.behind > 0 && !resynced) PPTPX_FUZZ_CHECK(ch.receive_window().counters().late == late + sink.behind);
      continue;
    }
    switch (r->op & 3) {
      case 0:
        now += std::chrono::milliseconds(10 * (r->op >> 2));
        sink.far_jump = false;
        if (auto d = ch.deadline(); d && *d <= now && ch.on_timer(now, sink)) (void)ch.write_ack_only(buf);
        PPTPX_FUZZ_CHECK(!sink.far_jump);  // the timer only gives up gaps within the reorder slots
        break;
      case 1: {
        std::size_t len = r->op >> 2;
        auto pkt = ch.prepare_data(buf, pptp::kGreMaxHeaderSize, len);
        PPTPX_FUZZ_CHECK(pkt.has_value());
        auto d = pptp::decode_gre(*pkt);
        PPTPX_FUZZ_CHECK(len == 0 ? true : d.ok());
        if (d.ok()) PPTPX_FUZZ_CHECK(d.header.call_id == peer && d.payload.size() == len);
        break;
      }
      case 2: {
        std::size_t n = ch.write_ack_only(buf);
        if (n > 0) {
          auto d = pptp::decode_gre(ByteView(buf.data(), n));
          PPTPX_FUZZ_CHECK(d.ok() && d.header.ack.has_value() && d.header.call_id == peer);
        }
        break;
      }
      default:
        if (auto d = ch.deadline()) {
          if (*d > now) now = *d;
          sink.far_jump = false;
          if (ch.on_timer(now, sink)) (void)ch.write_ack_only(buf);
          PPTPX_FUZZ_CHECK(!sink.far_jump);
        }
        break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  std::uint8_t mode = in.byte();
  if ((mode & 1) == 0) {
    fuzz_decode(in.rest());
  } else {
    fuzz_channel(mode, in);
  }
  return 0;
}
