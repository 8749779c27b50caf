// The RADIUS codec (radius::parse, parse_vendor_specific, the authenticator checks, User-Password
// and MS-MPPE key decryption) on arbitrary datagrams, as they arrive from a RADIUS server or a
// Dynamic Authorization client.
//
// Byte 0: bit 0 = 0: check as a reply to a fixed request; 1: check as a Disconnect/CoA request,
// and hand it to the Dynamic Authorization core (radius/dae.hpp, RFC 5176) with three sessions;
// bit 1 set: with its Request Authenticator made right first (so the attribute checks run).
// The rest is the datagram. Invariants: a packet that parses re-encodes to exactly its first
// Length octets; every decryption yields a bounded result; the DAE core either drops (no reply)
// or answers with a well-formed ACK/NAK of the request's kind, and acts only when it ACKs.
#include <algorithm>
#include <cstdint>

#include "crypto/digest.hpp"
#include "fuzz_common.hpp"
#include "radius/dae.hpp"
#include "radius/packet.hpp"
#include "radius/security.hpp"

using namespace pptpx;

namespace {
class Nas final : public radius::DaeTarget {
 public:
  std::size_t acted = 0;
  std::vector<radius::DaeSession> dae_sessions() const override {
    return {{1, "1", "bob", 0xC6336402, "192.0.2.2"}, {2, "2", "alice", 0xC6336403, "192.0.2.3"},
            {3, "3", "bob", 0, "192.0.2.2"}};
  }
  void dae_disconnect(const radius::DaeSession&) override { ++acted; }
  void dae_change(const radius::DaeSession&, const radius::CoaChange&) override { ++acted; }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  const std::uint8_t mode = in.byte();
  const ByteView d = in.rest();
  constexpr std::string_view kSecret = "xyzzy5461";
  const radius::Authenticator ra{0x0f, 0x40, 0x3f, 0x94, 0x73, 0x97, 0x80, 0x57,
                                 0xbd, 0x83, 0xd5, 0xcb, 0x98, 0xf4, 0x22, 0x7a};
  const radius::ParseResult r = radius::parse(d);
  if ((mode & 1) == 0) {
    (void)radius::verify_response(d, ra, kSecret, true);
  } else {
    (void)radius::verify_accounting_style_request(d, kSecret, false);
    radius::DaeConfig c;
    c.clients = {{0x7f000001, std::string(kSecret), false}};
    c.nas_identifier = "pptpx";
    radius::DaeServer dae(c);
    Nas nas;
    Bytes copy(d.begin(), d.end());
    if ((mode & 2) != 0 && copy.size() >= radius::kHeaderSize) {
      const std::size_t len = std::min<std::size_t>(load_be16(copy.data() + 2), copy.size());
      if (len >= radius::kHeaderSize) {
        const radius::Authenticator zero{};
        const auto a = crypto::md5({ByteView(copy.data(), 4), zero,
                                    ByteView(copy.data() + radius::kHeaderSize, len - radius::kHeaderSize),
                                    ByteView(reinterpret_cast<const std::uint8_t*>(kSecret.data()), kSecret.size())});
        std::copy(a.begin(), a.end(), copy.begin() + 4);
      }
    }
    const radius::DaeOutcome o = dae.receive(0x7f000001, 3799, copy, 1'800'000'000, Time{}, nas);
    if (o.dropped) {
      PPTPX_FUZZ_CHECK(o.reply.empty() && nas.acted == 0);
    } else {
      const radius::ParseResult reply = radius::parse(o.reply);
      PPTPX_FUZZ_CHECK(reply.error == radius::ParseError::None);
      const bool ack = reply.packet.code == radius::Code::DisconnectAck || reply.packet.code == radius::Code::CoaAck;
      PPTPX_FUZZ_CHECK(ack || nas.acted == 0);
      PPTPX_FUZZ_CHECK(reply.packet.identifier == d[1]);
    }
  }
  if (r.error != radius::ParseError::None) return 0;
  const std::size_t length = load_be16(d.data() + 2);
  const Bytes again = radius::encode(r.packet);
  PPTPX_FUZZ_CHECK(again.size() == length);
  PPTPX_FUZZ_CHECK(std::equal(again.begin(), again.end(), d.begin()));
  for (const radius::Attribute& a : r.packet.attributes) {
    if (a.type == radius::attr::UserPassword) {
      if (auto pw = radius::unhide_user_password(a.value, ra, kSecret)) PPTPX_FUZZ_CHECK(pw->size() <= 128);
    }
    if (a.type != radius::attr::VendorSpecific) continue;
    std::uint32_t vendor = 0;
    auto subs = radius::parse_vendor_specific(a.value, vendor);
    if (!subs) continue;
    for (const radius::VendorAttribute& s : *subs) {
      if (auto key = radius::decrypt_mppe_key(s.value, ra, kSecret)) {
        PPTPX_FUZZ_CHECK(!key->empty() && key->size() < s.value.size());
      }
    }
  }
  (void)r.packet.find_vendor(radius::kVendorMicrosoft, radius::ms::MppeSendKey);
  return 0;
}
