// MPPE codec (RFC 3078): known answers, round trips for every strength x mode, header handling.
#include <gtest/gtest.h>

#include <string_view>

#include "auth/mppe_keys.hpp"
#include "crypto/rc4.hpp"
#include "ppp/mppe.hpp"
#include "support/hex_literal.hpp"

namespace pptpx::ppp {
namespace {

using auth::MppeKey;
using auth::MppeStrength;
using test::hex;

MppeKey make_key(const Bytes& b) {
  MppeKey k;
  k.length = b.size();
  for (std::size_t i = 0; i < b.size(); ++i) k.bytes[i] = b[i];
  return k;
}

// RFC 3079 §3.5 send start keys (server side).
MppeKey start_key(MppeStrength s) {
  return s == MppeStrength::Bits128 ? make_key(hex("8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB"))
                                    : make_key(hex("8B 7C DC 14 9B 99 3A 1B"));
}

using namespace std::string_view_literals;
Bytes text(std::string_view s) { return Bytes(s.begin(), s.end()); }

TEST(MppeCodec, StatefulFirstPacketUsesTheInitialSessionKey) {
  // RFC 3079 §3.5.1-§3.5.3 "Sample Encrypted Message" is rc4(SendSessionKey, "test message"):
  // exactly the first stateful packet (count 0, no key change yet). 56-bit with the corrected
  // last octet B8 (the RFC misprints 58).
  const struct {
    MppeStrength s;
    const char* cipher;
  } cases[] = {{MppeStrength::Bits40, "92 91 37 91 7E 58 03 D6 68 D7 58 98"},
               {MppeStrength::Bits56, "3F 10 68 33 FA 44 8D A8 42 BC 57 B8"},
               {MppeStrength::Bits128, "81 84 83 17 DF 68 84 62 72 FB 5A BE"}};
  for (const auto& c : cases) {
    MppeEncryptor enc(start_key(c.s), {c.s, /*stateless=*/false});
    Bytes b = text("test message");
    EXPECT_EQ(enc.encrypt(b), 0x1000);  // D set, A clear, count 0
    EXPECT_EQ(b, hex(c.cipher));
    MppeDecryptor dec(start_key(c.s), {c.s, false});
    EXPECT_EQ(dec.decrypt(0x1000, b), MppeDecryptResult::Ok);
    EXPECT_EQ(b, text("test message"));
  }
}

TEST(MppeCodec, StatelessPacketsMatchAnIndependentKeyChain) {
  // Recomputed here from the RFC 3078 §7.3 text with the building blocks (each checked against
  // RFC 3079 vectors in tests/auth): key change before every packet, the first one included.
  for (auto s : {MppeStrength::Bits40, MppeStrength::Bits56, MppeStrength::Bits128}) {
    const MppeKey start = start_key(s);
    MppeKey key = auth::mppe_initial_session_key(start, s);
    MppeEncryptor enc(start, {s, true});
    for (std::uint16_t count = 0; count < 3; ++count) {
      MppeKey interim = auth::mppe_get_new_key_from_sha(start, key);
      crypto::Rc4 rc4;
      rc4.set_key(ByteView(interim.bytes.data(), interim.length));
      rc4.apply(MutableByteView(interim.bytes.data(), interim.length));
      auth::mppe_salt(interim, s);
      key = interim;
      Bytes expected = text("\x00\x21 an IPv4 packet"sv);
      rc4.set_key(ByteView(key.bytes.data(), key.length));
      rc4.apply(expected);

      Bytes b = text("\x00\x21 an IPv4 packet"sv);
      EXPECT_EQ(enc.encrypt(b), 0x9000 | count);  // A + D on every stateless packet
      EXPECT_EQ(b, expected) << "strength " << int(s) << " count " << count;
    }
  }
}

TEST(MppeCodec, RoundTripsEveryStrengthAndModeAcrossFlagPacketsAndWrap) {
  for (auto s : {MppeStrength::Bits40, MppeStrength::Bits56, MppeStrength::Bits128}) {
    for (bool stateless : {true, false}) {
      MppeEncryptor enc(start_key(s), {s, stateless});
      MppeDecryptor dec(start_key(s), {s, stateless});
      for (int i = 0; i < 4200; ++i) {  // past the 4095 -> 0 wrap
        Bytes plain = {0x00, 0x21, static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i >> 8), 0x55, 0xaa};
        Bytes b = plain;
        const std::uint16_t h = enc.encrypt(b);
        ASSERT_EQ(h & kMppeCountMask, i % 4096);
        const bool flag = (i & 0xff) == 0xff;
        ASSERT_EQ((h & kMppeFlushed) != 0, stateless || flag) << i;
        ASSERT_NE(b, plain);
        ASSERT_EQ(dec.decrypt(h, b), MppeDecryptResult::Ok) << "strength " << int(s) << " stateless " << stateless
                                                             << " packet " << i;
        ASSERT_EQ(b, plain) << i;
      }
    }
  }
}

TEST(MppeCodec, HeaderChecksLeaveTheStateAlone) {
  for (bool stateless : {true, false}) {
    MppeEncryptor enc(start_key(MppeStrength::Bits128), {MppeStrength::Bits128, stateless});
    MppeDecryptor dec(start_key(MppeStrength::Bits128), {MppeStrength::Bits128, stateless});
    Bytes b = text("\x00\x21hello"sv);
    const std::uint16_t h = enc.encrypt(b);
    Bytes copy = b;
    EXPECT_EQ(dec.decrypt(static_cast<std::uint16_t>(h & ~kMppeEncrypted), copy), MppeDecryptResult::NotEncrypted);
    EXPECT_EQ(dec.decrypt(static_cast<std::uint16_t>(h | kMppeCompressed), copy), MppeDecryptResult::BadHeader);
    EXPECT_EQ(dec.decrypt(h, MutableByteView()), MppeDecryptResult::TooShort);
    if (stateless) {
      // RFC 3078 §3.1: FLUSHED must be set on every stateless packet.
      EXPECT_EQ(dec.decrypt(static_cast<std::uint16_t>(h & ~kMppeFlushed), copy), MppeDecryptResult::BadHeader);
    }
    EXPECT_EQ(copy, b);  // untouched
    // Bit B has no significance in MPPE (RFC 3078 §3.1): ignored.
    EXPECT_EQ(dec.decrypt(static_cast<std::uint16_t>(h | kMppeBitB), b), MppeDecryptResult::Ok);
    EXPECT_EQ(b, text("\x00\x21hello"sv));
    EXPECT_FALSE(dec.take_reset_request());
  }
}

TEST(MppeCodec, ObjectsStaySmall) {
  // Per-session budget (10,000 sessions, < 32 KiB each): the codec objects hold keys, counters
  // and the RC4 state (RC4_KEY, 1,032 octets, in the object since issue 17: no heap context).
  EXPECT_LE(sizeof(crypto::Rc4), 1100u);
  EXPECT_LE(sizeof(MppeEncryptor), 128u + sizeof(crypto::Rc4));
  EXPECT_LE(sizeof(MppeDecryptor), 128u + sizeof(crypto::Rc4));
}

TEST(MppeCodec, ResultNames) {
  EXPECT_STREQ(to_string(MppeDecryptResult::Ok), "ok");
  EXPECT_STREQ(to_string(MppeDecryptResult::LostSync), "lost-sync");
  EXPECT_STREQ(to_string(MppeDecryptResult::Stale), "stale");
}

}  // namespace
}  // namespace pptpx::ppp
