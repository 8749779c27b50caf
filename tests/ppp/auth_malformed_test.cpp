// Every length lie, against every machine in both roles: dropped, counted, no state change, no
// reply, no crash. Plus the codec-level table for each lie.
#include <gtest/gtest.h>

#include <random>

#include "ppp/auth_chap_packet.hpp"
#include "ppp/auth_pap_packet.hpp"
#include "support/hex_literal.hpp"
#include "auth_test_harness.hpp"

namespace pptpx::ppp {
namespace {

using authtest::AuthPair;
using authtest::counters_of;
using authtest::peer_config;
using pptpx::test::hex;

struct PapLie {
  const char* bytes;
  PapParseError error;
};

const PapLie kPapLies[] = {
    {"", PapParseError::Truncated},
    {"01", PapParseError::Truncated},
    {"01 01 00", PapParseError::Truncated},
    {"01 01 0003", PapParseError::LengthBelowHeader},
    {"02 01 0000 00", PapParseError::LengthBelowHeader},
    {"01 01 0010 03 626f62", PapParseError::LengthBeyondFrame},
    {"02 01 ffff 00", PapParseError::LengthBeyondFrame},
    {"01 01 0004", PapParseError::NoPeerIdLength},
    {"01 01 0008 05 626f62", PapParseError::PeerIdBeyondLength},
    {"01 01 0008 03 626f62", PapParseError::NoPasswordLength},
    {"01 01 000a 03 626f62 05 70", PapParseError::PasswordBeyondLength},
    // The frame holds the password, but Length cuts it off: Length wins (rest is padding).
    {"01 01 0009 03 626f62 02 7077", PapParseError::PasswordBeyondLength},
    {"02 01 0006 05 41", PapParseError::MessageBeyondLength},
    {"03 01 0005 01", PapParseError::MessageBeyondLength},
};

struct ChapLie {
  const char* bytes;
  ChapParseError error;
};

const ChapLie kChapLies[] = {
    {"", ChapParseError::Truncated},
    {"01", ChapParseError::Truncated},
    {"02 01 00", ChapParseError::Truncated},
    {"01 01 0003", ChapParseError::LengthBelowHeader},
    {"03 01 0000", ChapParseError::LengthBelowHeader},
    {"01 01 0020 04 aabbccdd", ChapParseError::LengthBeyondFrame},
    {"04 01 0005", ChapParseError::LengthBeyondFrame},
    {"01 01 0004", ChapParseError::NoValueSize},
    {"02 01 0004 10", ChapParseError::NoValueSize},
    {"01 01 0005 00", ChapParseError::EmptyValue},
    {"02 01 0006 00 41", ChapParseError::EmptyValue},
    {"01 01 0008 05 aabbcc", ChapParseError::ValueBeyondLength},
    {"02 01 0008 10 aabbcc", ChapParseError::ValueBeyondLength},
    // Frame carries 16 octets of Value, but Length says only one follows Value-Size.
    {"02 01 0006 10 00112233445566778899aabbccddeeff", ChapParseError::ValueBeyondLength},
};

TEST(AuthCodecs, PapLengthLiesAreNamed) {
  for (const auto& lie : kPapLies) {
    EXPECT_EQ(parse_pap(hex(lie.bytes)).error, lie.error) << lie.bytes;
  }
  EXPECT_EQ(parse_pap(hex("07 01 0004")).error, PapParseError::UnknownCode);
}

TEST(AuthCodecs, ChapLengthLiesAreNamed) {
  for (const auto& lie : kChapLies) {
    EXPECT_EQ(parse_chap(hex(lie.bytes)).error, lie.error) << lie.bytes;
  }
  EXPECT_EQ(parse_chap(hex("05 01 0004")).error, ChapParseError::UnknownCode);
  EXPECT_EQ(parse_chap(hex("00 01 0004")).error, ChapParseError::UnknownCode);
}

TEST(AuthCodecs, PaddingBeyondLengthIsIgnored) {
  const Bytes pap_bytes = hex("01 09 000b 03 626f62 02 7077 deadbeef");
  const auto pap = parse_pap(pap_bytes);
  ASSERT_EQ(pap.error, PapParseError::None);
  EXPECT_EQ(pap.packet.identifier, 9);
  EXPECT_EQ(authtest::text_of(pap.packet.peer_id), "bob");
  EXPECT_EQ(authtest::text_of(pap.packet.password), "pw");
  const Bytes chap_bytes = hex("01 09 0008 02 aabb 78 deadbeef");
  const auto chap = parse_chap(chap_bytes);
  ASSERT_EQ(chap.error, ChapParseError::None);
  EXPECT_EQ(chap.packet.value.size(), 2u);
  EXPECT_EQ(authtest::text_of(chap.packet.name), "x");
  // An Ack with no Msg-Length at all is read as an empty message (lenient on the peer's side).
  const auto ack = parse_pap(hex("02 09 0004"));
  ASSERT_EQ(ack.error, PapParseError::None);
  EXPECT_TRUE(ack.packet.message.empty());
}

const AuthMethod kMethods[] = {AuthMethod::Pap, AuthMethod::ChapMd5, AuthMethod::MsChapV1, AuthMethod::MsChapV2};

// Feeds `packets` to a started machine and checks it ignored them all as malformed.
void expect_all_dropped(AuthMethod method, AuthRole role, const std::vector<Bytes>& packets,
                        std::uint64_t AuthCounters::*counter) {
  SCOPED_TRACE(std::string(to_string(method)) + " " + std::string(to_string(role)));
  AuthPair pair(method, peer_config("bob", "Tunnel-Lab-7"));
  pair.store.add_password("bob", "Tunnel-Lab-7");
  AuthMachine& m = role == AuthRole::Authenticator ? *pair.authenticator : *pair.peer;
  authtest::RecordingSink& out = role == AuthRole::Authenticator ? pair.from_authenticator : pair.from_peer;
  m.start(pair.now);
  const std::size_t sent = out.frames.size();
  const auto deadline = m.deadline();
  for (const Bytes& p : packets) m.receive(p, pair.now);
  EXPECT_EQ(m.status(), AuthStatus::Pending);
  EXPECT_EQ(out.frames.size(), sent);
  EXPECT_EQ(m.deadline(), deadline);
  EXPECT_EQ(counters_of(m).*counter, packets.size());
  EXPECT_EQ(counters_of(m).received, packets.size());
}

TEST(AuthMalformed, EveryLengthLieIsDroppedAndCountedByEveryMachine) {
  for (AuthMethod method : kMethods) {
    std::vector<Bytes> lies;
    if (method == AuthMethod::Pap) {
      for (const auto& l : kPapLies) lies.push_back(hex(l.bytes));
    } else {
      for (const auto& l : kChapLies) lies.push_back(hex(l.bytes));
    }
    for (AuthRole role : {AuthRole::Authenticator, AuthRole::Peer}) {
      expect_all_dropped(method, role, lies, &AuthCounters::malformed);
    }
  }
}

TEST(AuthMalformed, UnknownCodesAreDroppedAndCounted) {
  for (AuthMethod method : kMethods) {
    const std::vector<Bytes> unknown =
        method == AuthMethod::Pap ? std::vector<Bytes>{hex("00 01 0004"), hex("04 01 0004"), hex("ff 01 0004")}
                                  : std::vector<Bytes>{hex("00 01 0004"), hex("05 01 0004"), hex("07 01 0004")};
    for (AuthRole role : {AuthRole::Authenticator, AuthRole::Peer}) {
      expect_all_dropped(method, role, unknown, &AuthCounters::unknown_code);
    }
  }
}

// Runs a successful exchange, then feeds every strict prefix of every packet each side received
// to a fresh machine of that role: each prefix is a frame shorter than its Length field claims.
TEST(AuthMalformed, EveryTruncationOfRealPacketsIsDropped) {
  for (AuthMethod method : kMethods) {
    AuthPair pair(method, peer_config("bob", "Tunnel-Lab-7"));
    pair.store.add_password("bob", "Tunnel-Lab-7");
    pair.start();
    ASSERT_EQ(pair.peer->status(), AuthStatus::Succeeded);
    for (AuthRole role : {AuthRole::Authenticator, AuthRole::Peer}) {
      const auto& inbound = role == AuthRole::Authenticator ? pair.from_peer.frames : pair.from_authenticator.frames;
      std::vector<Bytes> prefixes;
      for (const auto& f : inbound) {
        for (std::size_t n = 0; n < f.information.size(); ++n) {
          prefixes.emplace_back(f.information.begin(), f.information.begin() + static_cast<std::ptrdiff_t>(n));
        }
      }
      ASSERT_FALSE(prefixes.empty());
      expect_all_dropped(method, role, prefixes, &AuthCounters::malformed);
    }
  }
}

// Random corruption of real packets: whatever happens, no crash and every packet is accounted
// for by exactly one outcome counter or a state change (checked loosely: received counts all).
TEST(AuthMalformed, RandomCorruptionNeverCrashes) {
  std::mt19937 rng(1234);
  for (AuthMethod method : kMethods) {
    AuthPair good(method, peer_config("bob", "Tunnel-Lab-7"));
    good.store.add_password("bob", "Tunnel-Lab-7");
    good.start();
    for (AuthRole role : {AuthRole::Authenticator, AuthRole::Peer}) {
      const auto& inbound = role == AuthRole::Authenticator ? good.from_peer.frames : good.from_authenticator.frames;
      for (int round = 0; round < 300; ++round) {
        AuthPair pair(method, peer_config("bob", "Tunnel-Lab-7"));
        pair.store.add_password("bob", "Tunnel-Lab-7");
        AuthMachine& m = role == AuthRole::Authenticator ? *pair.authenticator : *pair.peer;
        m.start(pair.now);
        Bytes p = inbound[rng() % inbound.size()].information;
        const int flips = 1 + static_cast<int>(rng() % 4);
        for (int i = 0; i < flips; ++i) p[rng() % p.size()] = static_cast<std::uint8_t>(rng());
        if (rng() % 3 == 0) p.resize(rng() % (p.size() + 1));
        m.receive(p, pair.now);
        m.on_timer(pair.now + 1h);
        EXPECT_EQ(counters_of(m).received, 1u);
      }
    }
  }
}

}  // namespace
}  // namespace pptpx::ppp
