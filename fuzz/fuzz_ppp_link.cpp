// A whole PPP link (RFC 1661 phases; LCP, PAP, CHAP-MD5, MS-CHAPv1/v2, IPCP, IPV6CP, CCP, MPPE)
// in the server or client role, with the real authentication machines, fed arbitrary frames
// after start().
//
// PPTPX_FUZZ_VERBOSE=1 prints the link events (to see how far a reproducer gets).
// Byte 0: link_config() bits (fuzz_common.hpp): bit 0 role, bits 1-4 policy, bit 5 IPv6CP.
// Records: data[0] chooses the frame: 0 = data[1..] is a whole frame (address/control on);
//   1..9 = FF 03 + protocol (LCP, PAP, CHAP, IPCP, IPV6CP, CCP, MPPE 0x00FD, IPv4, IPv6) +
//   data[1..]; anything else is taken modulo 10.
// Ops (op & 7): 0 advance (op>>3)*250 ms and fire due timers, 1 send an IPv4 packet, 2 send an
//   IPv6 packet, 3 close, 4 lower layer down, 5..7 jump to the deadline and fire it.
#include <cstdint>

#include "fuzz_common.hpp"
#include "ppp/auth_factory_impl.hpp"
#include "ppp/link.hpp"

using namespace pptpx;

namespace {

struct Output final : ppp::LinkOutput {
  int downs = 0;
  bool up = false;
  void send_frame(PacketBuffer& frame) override {
    (void)fuzz::touch(frame.view());
    PPTPX_FUZZ_CHECK(frame.size() >= 2);
  }
  void deliver_ipv4(ByteView p) override { (void)fuzz::touch(p); }
  void deliver_ipv6(ByteView p) override { (void)fuzz::touch(p); }
  void on_event(const ppp::LinkEvent& e) override {
    if (std::getenv("PPTPX_FUZZ_VERBOSE")) std::fprintf(stderr, "link event %d %s\n", static_cast<int>(e.kind), e.reason.c_str());
    if (e.kind == ppp::LinkEvent::Kind::Down) ++downs;
    if (e.kind == ppp::LinkEvent::Kind::Up) up = true;
  }
};

constexpr std::uint16_t kProtocols[] = {0xC021, 0xC023, 0xC223, 0x8021, 0x8057, 0x80FD, 0x00FD, 0x0021, 0x0057};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  const std::uint8_t mode = in.byte();
  const bool server = (mode & 1) == 0;
  fuzz::DetRandom rnd(server ? fuzz::kServerSeed : fuzz::kClientSeed);
  fuzz::FuzzCredentials creds;
  ppp::StandardAuthFactory factory(fuzz::auth_config(server, &creds, &rnd));
  Output out;
  ppp::Link link(fuzz::link_config(mode, &rnd), factory, out);
  Time now{};
  link.start(now);
  auto fire = [&] {
    for (int i = 0; i < 64; ++i) {
      auto d = link.deadline();
      if (!d || *d > now) break;
      link.on_timer(now);
    }
  };
  while (auto r = in.record()) {
    if (!r->is_op) {
      std::uint8_t sel = static_cast<std::uint8_t>(r->data[0] % 10);
      Bytes frame;
      if (sel != 0) {
        std::uint16_t proto = kProtocols[sel - 1];
        frame = {0xFF, 0x03, static_cast<std::uint8_t>(proto >> 8), static_cast<std::uint8_t>(proto)};
      }
      frame.insert(frame.end(), r->data.begin() + 1, r->data.end());
      link.receive_frame(frame, now);
      continue;
    }
    switch (r->op & 7) {
      case 0:
        now += std::chrono::milliseconds(250 * (r->op >> 3));
        fire();
        break;
      case 1: {
        PacketBuffer p;
        (void)p.assign(fuzz::sample_ipv4());
        (void)link.send_ipv4(p, now);
        break;
      }
      case 2: {
        PacketBuffer p;
        (void)p.assign(fuzz::sample_ipv6());
        (void)link.send_ipv6(p, now);
        break;
      }
      case 3: link.close("fuzz close", now); break;
      case 4: link.lower_down("fuzz lower down", now); break;
      default:
        if (auto d = link.deadline()) {
          if (*d > now) now = *d;
          fire();
        }
        break;
    }
    PPTPX_FUZZ_CHECK(out.downs <= 1);  // Down is emitted once (link.hpp)
  }
  link.lower_down("end of input", now);
  PPTPX_FUZZ_CHECK(out.downs <= 1);
  return 0;
}
