// IPV6CP Interface-Identifier handling (RFC 5072 §4.1) in Ipv6cpOptions::check_option: a zero or
// equal proposal is Nak'd with a fresh non-zero identifier whose "u" bit is zero; a different
// non-zero one is Acked, unless the server's peer_id_taken says another link uses it.
#include "ppp/ipv6cp.hpp"

#include <gtest/gtest.h>

#include <set>

#include "auth_test_harness.hpp"

namespace pptpx::ppp {
namespace {

using authtest::ScriptedRandom;

Bytes id_bytes(std::uint64_t v) {
  Bytes b(8);
  store_be64(b.data(), v);
  return b;
}

std::uint64_t nak_id(const Bytes& nak) {
  EXPECT_EQ(nak.size(), 8u);
  return nak.size() == 8 ? load_be64(nak.data()) : 0;
}

TEST(Ipv6cpOptions, ZeroProposalIsNakdWithUniversalBitClear) {
  Ipv6cpConfig cfg;
  cfg.interface_id = 1;
  ScriptedRandom rnd;
  // 0xff.. has the u bit set: the suggestion must come back with it cleared (0xfdff...).
  rnd.push(Bytes(8, 0xff));
  Ipv6cpOptions o(cfg, rnd);
  o.reset_request();
  Bytes nak;
  EXPECT_EQ(o.check_option(ipv6cp_option::kInterfaceIdentifier, id_bytes(0), nak), OptionVerdict::Nak);
  EXPECT_EQ(nak_id(nak), 0xfdff'ffff'ffff'ffffULL);
}

TEST(Ipv6cpOptions, EqualProposalIsNakdDifferentOneAcked) {
  Ipv6cpConfig cfg;
  cfg.interface_id = 1;
  ScriptedRandom rnd;
  Ipv6cpOptions o(cfg, rnd);
  o.reset_request();
  Bytes nak;
  EXPECT_EQ(o.check_option(ipv6cp_option::kInterfaceIdentifier, id_bytes(1), nak), OptionVerdict::Nak);
  const std::uint64_t suggested = nak_id(nak);
  EXPECT_NE(suggested, 0u);
  EXPECT_NE(suggested, 1u);
  EXPECT_EQ(suggested & kInterfaceIdUniversalBit, 0u);
  nak.clear();
  EXPECT_EQ(o.check_option(ipv6cp_option::kInterfaceIdentifier, id_bytes(0x42), nak), OptionVerdict::Ack);
}

TEST(Ipv6cpOptions, IdentifierAnotherLinkUsesIsNakdWithAFreeOne) {
  std::set<std::uint64_t> used{0x42, 0x43};
  Ipv6cpConfig cfg;
  cfg.interface_id = 1;
  cfg.peer_id_taken = [&](std::uint64_t id) { return used.count(id) != 0; };
  ScriptedRandom rnd;
  rnd.push(id_bytes(0x43));  // first draw is taken too: drawn again
  rnd.push(id_bytes(0x44));
  Ipv6cpOptions o(cfg, rnd);
  o.reset_request();
  Bytes nak;
  EXPECT_EQ(o.check_option(ipv6cp_option::kInterfaceIdentifier, id_bytes(0x42), nak), OptionVerdict::Nak);
  EXPECT_EQ(nak_id(nak), 0x44u);
  nak.clear();
  EXPECT_EQ(o.check_option(ipv6cp_option::kInterfaceIdentifier, id_bytes(0x44), nak), OptionVerdict::Ack);
}

TEST(Ipv6cpOptions, WrongLengthIsRejected) {
  Ipv6cpConfig cfg;
  ScriptedRandom rnd;
  Ipv6cpOptions o(cfg, rnd);
  o.reset_request();
  Bytes nak;
  const Bytes seven(7, 1);
  EXPECT_EQ(o.check_option(ipv6cp_option::kInterfaceIdentifier, seven, nak), OptionVerdict::Reject);
}

}  // namespace
}  // namespace pptpx::ppp
