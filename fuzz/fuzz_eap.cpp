// PPP EAP with EAP-TLS (RFC 3748, RFC 5216): the fragment reassembly on its own, and our
// authenticator or peer machine with real certificates (made once at start, tests/support/
// test_certs.hpp) fed arbitrary EAP packets, so the TLS records reach OpenSSL.
//
// Byte 0: bit 0 role (0 authenticator, 1 peer), bit 1 small fragments (24 TLS octets).
// Records: data = an EAP packet (Code onwards); ops: advance (op & 0x7F) * 500 ms and fire a due
//   timer; op >= 0x80: jump to the deadline.
// Invariants: the reassembler never holds more than 64 KiB nor completes a message shorter or
// longer than its L length; neither machine ever succeeds (nobody here holds a certificate from
// the test CA's key for the other side's handshake), and a failure always has a reason.
#include <stdlib.h>

#include <cstdint>
#include <memory>

#include "fuzz_common.hpp"
#include "ppp/auth_eap.hpp"
#include "ppp/eap_packet.hpp"
#include "support/test_certs.hpp"

using namespace pptpx;

namespace {
struct Sink final : ppp::FrameSink {
  void send_frame(ppp::Protocol, ByteView information) override {
    (void)fuzz::touch(information);
    PPTPX_FUZZ_CHECK(ppp::parse_eap(information).error == ppp::EapParseError::None);
  }
};

struct Contexts {
  std::shared_ptr<const auth::EapTlsContext> server, client;
};

const Contexts& contexts() {
  static const Contexts c = [] {
    char dir[] = "/tmp/pptpx_fuzz_eap.XXXXXX";
    PPTPX_FUZZ_CHECK(mkdtemp(dir) != nullptr);
    const std::string d = dir;
    const auto ca = test::TestPki::make_ca("Fuzz CA");
    const auto server = test::TestPki::make_leaf("server", ca, 2);
    const auto client = test::TestPki::make_leaf("client", ca, 3);
    test::TestPki::write_cert(d + "/ca.pem", {&ca});
    test::TestPki::write_cert(d + "/s.pem", {&server});
    test::TestPki::write_key(d + "/s.key", server);
    test::TestPki::write_cert(d + "/c.pem", {&client});
    test::TestPki::write_key(d + "/c.key", client);
    Contexts out;
    out.server = auth::EapTlsContext::create(true, {d + "/ca.pem", d + "/s.pem", d + "/s.key", "", ""});
    out.client = auth::EapTlsContext::create(false, {d + "/ca.pem", d + "/c.pem", d + "/c.key", "", "server"});
    for (const char* f : {"/ca.pem", "/s.pem", "/s.key", "/c.pem", "/c.key"}) std::remove((d + f).c_str());
    rmdir(dir);
    return out;
  }();
  return c;
}

void reassemble(ppp::EapTlsReassembler& r, ByteView packet) {
  const auto p = ppp::parse_eap(packet);
  if (p.error != ppp::EapParseError::None || p.packet.type != ppp::eap_type::kTls) return;
  const auto f = ppp::parse_eap_tls(p.packet.type_data);
  if (!f) return;
  const bool first = !r.in_progress();
  const std::optional<std::uint32_t> announced = first ? f->message_length : std::nullopt;
  const auto result = r.add(*f);
  PPTPX_FUZZ_CHECK(r.message().size() <= ppp::kEapTlsMaxMessage);
  if (result == ppp::EapTlsReassembler::Result::Complete && announced) {
    PPTPX_FUZZ_CHECK(r.message().size() == *announced);
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  const std::uint8_t mode = in.byte();
  const bool authenticator = (mode & 1) == 0;
  fuzz::DetRandom rnd(authenticator ? fuzz::kServerSeed : fuzz::kClientSeed);
  ppp::AuthConfig cfg;
  cfg.authenticator.eap_tls = contexts().server;
  cfg.peer.eap_tls = contexts().client;
  cfg.peer.user_name = "client";
  if (mode & 2) cfg.authenticator.eap_tls_fragment = cfg.peer.eap_tls_fragment = 24;
  Sink sink;
  std::unique_ptr<ppp::AuthMachine> m;
  if (authenticator) {
    m = std::make_unique<ppp::EapAuthenticator>(cfg.authenticator, rnd, sink);
  } else {
    m = std::make_unique<ppp::EapPeer>(cfg.peer, sink);
  }
  ppp::EapTlsReassembler reassembler;
  Time now{};
  m->start(now);
  while (auto r = in.record()) {
    if (!r->is_op) {
      reassemble(reassembler, r->data);
      m->receive(r->data, now);
    } else {
      if (r->op & 0x80) {
        if (auto d = m->deadline(); d && *d > now) now = *d;
      } else {
        now += std::chrono::milliseconds(500 * r->op);
      }
      if (auto d = m->deadline(); d && *d <= now) m->on_timer(now);
    }
    PPTPX_FUZZ_CHECK(m->status() != ppp::AuthStatus::Succeeded);
    if (m->status() == ppp::AuthStatus::Failed) PPTPX_FUZZ_CHECK(!m->result().failure_reason.empty());
  }
  return 0;
}
