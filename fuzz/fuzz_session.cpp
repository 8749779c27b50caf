// One whole session::Session (PPTP control connection + calls + a PPP link per call) in the
// server or client role, fed TCP bytes and GRE packets split from the input.
//
// PPTPX_FUZZ_VERBOSE=1 prints the session events.
// Byte 0: session_config() bits (bit 0 role, bits 1-4 policy, bit 5 IPv6CP).
// Records: data[0] bit 0 = 0: data[1..] are TCP bytes; 1: data[1..] is a GRE packet.
// Ops (op & 7): 0 advance (op>>3)*250 ms and fire due timers, 1 send IPv4 on the first call,
//   2 send IPv6 on it, 3 stop, 4 TCP closed, 5..7 jump to the deadline and fire it.
#include <cstdint>

#include "fuzz_common.hpp"
#include "ppp/auth_factory_impl.hpp"
#include "session_setup.hpp"

using namespace pptpx;

namespace {
struct Output final : session::SessionOutput {
  void send_gre(MutableByteView packet) override { (void)fuzz::touch(packet); }
  void deliver_ipv4(std::uint16_t, ByteView p) override { (void)fuzz::touch(p); }
  void deliver_ipv6(std::uint16_t, ByteView p) override { (void)fuzz::touch(p); }
  void on_event(const session::SessionEvent& e) override {
    if (std::getenv("PPTPX_FUZZ_VERBOSE")) {
      std::fprintf(stderr, "session event %s %s\n", std::string(session::to_string(e.kind)).c_str(), e.reason.c_str());
    }
    if (e.kind == session::SessionEvent::Kind::Closed) ++closed_events;
  }
  int closed_events = 0;
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  const std::uint8_t mode = in.byte();
  const bool server = (mode & 1) == 0;
  fuzz::DetRandom rnd(server ? fuzz::kServerSeed : fuzz::kClientSeed);
  fuzz::FuzzCredentials creds;
  ppp::StandardAuthFactory factory(fuzz::auth_config(server, &creds, &rnd));
  pptp::SequentialCallIdAllocator ids;
  fuzz::FixedHooks hooks;
  Output out;
  session::Session s(fuzz::session_config(mode, &rnd), ids, factory, out, server ? &hooks : nullptr);
  Time now{};
  s.start(now);
  auto fire = [&] {
    for (int i = 0; i < 64; ++i) {
      auto d = s.deadline();
      if (!d || *d > now) break;
      s.on_timer(now);
    }
  };
  while (auto r = in.record()) {
    if (!r->is_op) {
      ByteView body = r->data.subspan(1);
      if ((r->data[0] & 1) == 0) {
        s.receive_tcp(body, now);
      } else {
        s.receive_gre(body, now);
      }
    } else {
      switch (r->op & 7) {
        case 0:
          now += std::chrono::milliseconds(250 * (r->op >> 3));
          fire();
          break;
        case 1:
        case 2: {
          auto calls = s.call_ids();
          if (calls.empty()) break;
          PacketBuffer p;
          if ((r->op & 7) == 1) {
            (void)p.assign(fuzz::sample_ipv4());
            (void)s.send_ipv4(calls.front(), p, now);
          } else {
            (void)p.assign(fuzz::sample_ipv6());
            (void)s.send_ipv6(calls.front(), p, now);
          }
          break;
        }
        case 3: s.stop("fuzz stop", now); break;
        case 4: s.on_transport_closed(now); break;
        default:
          if (auto d = s.deadline()) {
            if (*d > now) now = *d;
            fire();
          }
          break;
      }
    }
    (void)fuzz::touch(s.take_tcp_output());
    PPTPX_FUZZ_CHECK(out.closed_events <= 1);
  }
  s.on_transport_closed(now);
  (void)s.take_tcp_output();
  PPTPX_FUZZ_CHECK(s.closed());
  PPTPX_FUZZ_CHECK(s.call_ids().empty());
  PPTPX_FUZZ_CHECK(out.closed_events == 1);
  return 0;
}
