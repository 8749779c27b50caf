// The PPP authentication machines on their own (PAP RFC 1334, CHAP-MD5 RFC 1994, MS-CHAPv1
// RFC 2433, MS-CHAPv2 RFC 2759), built by make_auth_machine in either role.
//
// Byte 0: bits 0-1 method (PAP, CHAP-MD5, MS-CHAPv1, MS-CHAPv2), bit 2 role (0 authenticator,
//   1 peer), bit 3 peer knows only the NT hash (no plaintext password).
// Records: data = an information field of the machine's protocol (Code onwards);
//   ops: advance (op & 0x7F) * 500 ms and fire a due timer; op >= 0x80: jump to the deadline.
#include <cstdint>

#include "fuzz_common.hpp"
#include "ppp/auth_factory_impl.hpp"

using namespace pptpx;

namespace {
struct Sink final : ppp::FrameSink {
  void send_frame(ppp::Protocol, ByteView information) override { (void)fuzz::touch(information); }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  const std::uint8_t mode = in.byte();
  const auto method = static_cast<ppp::AuthMethod>(mode & 3);
  const bool authenticator = (mode & 4) == 0;
  fuzz::DetRandom rnd(authenticator ? fuzz::kServerSeed : fuzz::kClientSeed);
  fuzz::FuzzCredentials creds;
  ppp::AuthConfig cfg = fuzz::auth_config(authenticator, &creds, &rnd);
  if (!authenticator && (mode & 8)) {
    cfg.peer.password.reset();
    cfg.peer.nt_hash = auth::nt_password_hash("Tunnel-Lab-7");
  }
  Sink sink;
  auto m = ppp::make_auth_machine(method, authenticator ? ppp::AuthRole::Authenticator : ppp::AuthRole::Peer,
                                  cfg, sink);
  PPTPX_FUZZ_CHECK(m != nullptr);
  Time now{};
  m->start(now);
  while (auto r = in.record()) {
    if (!r->is_op) {
      m->receive(r->data, now);
    } else {
      if (r->op & 0x80) {
        if (auto d = m->deadline(); d && *d > now) now = *d;
      } else {
        now += std::chrono::milliseconds(500 * r->op);
      }
      if (auto d = m->deadline(); d && *d <= now) m->on_timer(now);
    }
    if (m->status() == ppp::AuthStatus::Succeeded) {
      const auto& res = m->result();
      PPTPX_FUZZ_CHECK(res.method == method);
      // No authentication bypass: only users on file, with their secret, get through (carol
      // has no plaintext, so never by PAP or CHAP-MD5).
      if (authenticator) {
        const bool plaintext = method == ppp::AuthMethod::Pap || method == ppp::AuthMethod::ChapMd5;
        PPTPX_FUZZ_CHECK(res.user_name == "bob" || (!plaintext && res.user_name == "carol"));
      }
      // auth_machine.hpp: MPPE key material is set for MS-CHAPv1/v2 successes.
      if (method == ppp::AuthMethod::MsChapV1 || method == ppp::AuthMethod::MsChapV2) {
        PPTPX_FUZZ_CHECK(res.mppe.has_value());
      }
    }
  }
  return 0;
}
