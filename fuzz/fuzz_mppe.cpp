// MPPE receive path (RFC 3078, RFC 3079): MppeDecryptor in stateless and stateful mode, every
// strength, on arbitrary packets; and an encryptor -> lossy wire -> decryptor round trip whose
// plaintext must come out unchanged.
//
// Byte 0: (b & 3) % 3 strength (40, 56, 128), bit 2 stateful, bit 3 round trip.
// Decrypt mode records: data = MPPE header (2 octets) + encrypted bytes (the PPP information of
//   a 0x00FD frame). Round-trip records: data[0] bit 0 = lose the packet, bit 1 = deliver it
//   twice; data[1..] = plaintext (PPP protocol + payload).
#include <cstdint>

#include "fuzz_common.hpp"
#include "ppp/mppe.hpp"

using namespace pptpx;

namespace {

auth::MppeKey start_key(auth::MppeStrength s) {
  auth::MppeKey k;
  k.length = auth::mppe_key_length(s);
  for (std::size_t i = 0; i < k.length; ++i) k.bytes[i] = static_cast<std::uint8_t>(0x11 * (i + 1));
  return k;
}

void decrypt_only(ppp::MppeSettings st, fuzz::Input& in) {
  ppp::MppeDecryptor dec(start_key(st.strength), st);
  while (auto r = in.record()) {
    if (r->is_op || r->data.size() < 2) continue;
    const auto header = static_cast<std::uint16_t>((r->data[0] << 8) | r->data[1]);
    Bytes body(r->data.begin() + 2, r->data.end());
    auto res = dec.decrypt(header, body);
    if (res == ppp::MppeDecryptResult::Ok) (void)fuzz::touch(body);
    (void)dec.take_reset_request();
  }
}

void round_trip(ppp::MppeSettings st, fuzz::Input& in) {
  ppp::MppeEncryptor enc(start_key(st.strength), st);
  ppp::MppeDecryptor dec(start_key(st.strength), st);
  unsigned lost_run = 0;      // packets lost since the last one delivered
  bool prev_lost = false;
  while (auto r = in.record()) {
    if (r->is_op || r->data.size() < 2) continue;
    const std::uint8_t how = r->data[0];
    Bytes plain(r->data.begin() + 1, r->data.end());
    Bytes wire = plain;
    const std::uint16_t header = enc.encrypt(wire);
    if (how & 1) {  // lost
      ++lost_run;
      prev_lost = true;
      continue;
    }
    const bool was_discarding = dec.awaiting_flush();
    Bytes copy = wire;
    auto res = dec.decrypt(header, copy);
    if (res == ppp::MppeDecryptResult::Ok) PPTPX_FUZZ_CHECK(copy == plain);
    if (st.stateless) {
      // RFC 3078 §8.1: a stateless receiver follows any forward jump it can tell from a replay.
      if (lost_run < ppp::kMppeMaxStatelessJump) PPTPX_FUZZ_CHECK(res == ppp::MppeDecryptResult::Ok);
    } else if (!prev_lost && !was_discarding) {
      PPTPX_FUZZ_CHECK(res == ppp::MppeDecryptResult::Ok);  // in order, in sync
    }
    if (how & 2) {  // duplicate: never accepted twice
      Bytes dup = wire;
      auto res2 = dec.decrypt(header, dup);
      PPTPX_FUZZ_CHECK(res2 != ppp::MppeDecryptResult::Ok);
    }
    if (dec.take_reset_request()) enc.on_reset_request();  // CCP Reset-Request to the sender
    lost_run = 0;
    prev_lost = false;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  const std::uint8_t mode = in.byte();
  ppp::MppeSettings st;
  static constexpr auth::MppeStrength kStrengths[] = {auth::MppeStrength::Bits40, auth::MppeStrength::Bits56,
                                                      auth::MppeStrength::Bits128};
  st.strength = kStrengths[(mode & 3) % 3];
  st.stateless = (mode & 4) == 0;
  if (mode & 8) {
    round_trip(st, in);
  } else {
    decrypt_only(st, in);
  }
  return 0;
}
