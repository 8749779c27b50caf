// PPTP control plane (RFC 2637 §2, §3): the stream reassembler + message codec, and a whole
// ControlConnection fed arbitrary TCP bytes in either role.
//
// Byte 0:  bit 0 = 0: ControlStream + decode over the rest (one TCP stream); every message that
//                     decodes must re-encode to the same octets and decode to the same message.
//          bit 0 = 1: a ControlConnection; bit 1 role (0 PAC, 1 PNS), bit 2 originate (we send
//                     SCCRQ), then records (fuzz_common.hpp): data = TCP bytes received;
//                     op & 7: 0 advance (op>>3)+1 s and fire due timers, 1 place a call,
//                     2 clear the first call, 3 stop, 4 transport closed, 5 Set-Link-Info,
//                     6 abandon, 7 jump to the deadline and fire it.
#include <cstdint>

#include "fuzz_common.hpp"
#include "pptp/control_codec.hpp"
#include "pptp/control_connection.hpp"
#include "pptp/control_stream.hpp"

using namespace pptpx;

namespace {

void fuzz_stream(fuzz::Input& in) {
  pptp::ControlStream s;
  s.append(in.rest());
  for (int guard = 0; guard < 100000; ++guard) {
    auto r = s.next();
    if (r.status != pptp::ControlStream::Status::Message) {
      PPTPX_FUZZ_CHECK(r.status != pptp::ControlStream::Status::Fatal || s.failed());
      return;
    }
    Bytes frame(r.frame.begin(), r.frame.end());
    auto d = pptp::decode(frame);
    PPTPX_FUZZ_CHECK(d.ok() == (d.error == pptp::DecodeError::None));
    if (!d.ok()) continue;
    // Round trip: what we decoded we can encode, and it decodes back to the same message.
    Bytes again = pptp::encode(*d.message);
    auto d2 = pptp::decode(again);
    PPTPX_FUZZ_CHECK(d2.ok());
    PPTPX_FUZZ_CHECK(*d2.message == *d.message);
    PPTPX_FUZZ_CHECK(pptp::encode(*d2.message) == again);
  }
}

void drain(pptp::ControlConnection& c) {
  Bytes out = c.take_output();
  (void)fuzz::touch(out);
  for (auto& e : c.take_events()) {
    if (std::holds_alternative<pptp::Closed>(e)) PPTPX_FUZZ_CHECK(c.closed());
  }
  // All calls go down before Closed (control_connection.hpp).
  if (c.closed()) PPTPX_FUZZ_CHECK(c.calls().empty());
}

void fuzz_connection(std::uint8_t mode, fuzz::Input& in) {
  pptp::ControlConfig cfg;
  cfg.role = (mode & 2) ? pptp::Role::Pns : pptp::Role::Pac;
  cfg.originate = (mode & 4) != 0;
  cfg.max_calls = 3;
  cfg.maximum_channels = cfg.role == pptp::Role::Pac ? 8 : 0;
  cfg.echo_interval = std::chrono::seconds(20);
  cfg.echo_reply_timeout = std::chrono::seconds(10);
  cfg.local_ipv4 = 0xC0000202;
  cfg.peer_ipv4 = 0xC0000203;
  pptp::SequentialCallIdAllocator ids;
  pptp::ControlConnection c(cfg, ids);
  Time now{};
  std::uint16_t serial = 0;
  c.start(now);
  drain(c);
  while (auto r = in.record()) {
    if (!r->is_op) {
      c.receive(r->data, now);
    } else {
      switch (r->op & 7) {
        case 0:
          now += std::chrono::seconds((r->op >> 3) + 1);
          if (auto d = c.deadline(); d && *d <= now) c.on_timer(now);
          break;
        case 1:
          if (cfg.role == pptp::Role::Pns) {
            pptp::OutgoingCallParams p;
            p.call_serial_number = ++serial;
            p.phone_number = "5551234";
            (void)c.place_outgoing_call(p, now);
          } else {
            pptp::IncomingCallParams p;
            p.call_serial_number = ++serial;
            p.dialed_number = "5551234";
            (void)c.place_incoming_call(p, now);
          }
          break;
        case 2:
          if (!c.calls().empty()) c.clear_call(c.calls().front().local_call_id, "fuzz", now);
          break;
        case 3: c.stop(pptp::StopReason::None, "fuzz", now); break;
        case 4: c.on_transport_closed(now); break;
        case 5:
          if (!c.calls().empty()) c.send_set_link_info(c.calls().front().local_call_id, 0, 0xFFFFFFFF);
          break;
        case 6: c.abandon("fuzz"); break;
        default:
          if (auto d = c.deadline()) {
            if (*d > now) now = *d;
            c.on_timer(now);
          }
          break;
      }
    }
    drain(c);
  }
  c.on_transport_closed(now);
  drain(c);
  PPTPX_FUZZ_CHECK(c.closed());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  std::uint8_t mode = in.byte();
  if ((mode & 1) == 0) {
    fuzz_stream(in);
  } else {
    fuzz_connection(mode, in);
  }
  return 0;
}
