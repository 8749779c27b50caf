// The RADIUS codec (radius::parse, parse_vendor_specific, the authenticator checks, User-Password
// and MS-MPPE key decryption) on arbitrary datagrams, as they arrive from a RADIUS server or a
// Dynamic Authorization client.
//
// Byte 0: bit 0 = 0: check as a reply to a fixed request; 1: check as a Disconnect/CoA request.
// The rest is the datagram. Invariants: a packet that parses re-encodes to exactly its first
// Length octets; every decryption yields a bounded result.
#include <algorithm>
#include <cstdint>

#include "fuzz_common.hpp"
#include "radius/packet.hpp"
#include "radius/security.hpp"

using namespace pptpx;

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
