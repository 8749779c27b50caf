#include "ppp/ccp.hpp"

namespace pptpx::ppp {

std::uint32_t strength_bit(auth::MppeStrength s) {
  switch (s) {
    case auth::MppeStrength::Bits40: return mppe_bits::k40;
    case auth::MppeStrength::Bits56: return mppe_bits::k56;
    case auth::MppeStrength::Bits128: return mppe_bits::k128;
  }
  return 0;
}

std::string describe_strength_bits(std::uint32_t bits) {
  std::string out;
  auto add = [&](std::uint32_t b, const char* name) {
    if ((bits & b) == 0) return;
    if (!out.empty()) out += " or ";
    out += name;
  };
  add(mppe_bits::k40, "40-bit");
  add(mppe_bits::k56, "56-bit");
  add(mppe_bits::k128, "128-bit");
  return out.empty() ? "no strength" : out;
}

std::string describe(const MppeChoice& c) {
  return std::string(to_string(c.strength)) + (c.stateless ? " stateless" : " stateful");
}

namespace {
// The strongest strength among `bits`, or nullopt.
std::optional<auth::MppeStrength> strongest(std::uint32_t bits) {
  if (bits & mppe_bits::k128) return auth::MppeStrength::Bits128;
  if (bits & mppe_bits::k56) return auth::MppeStrength::Bits56;
  if (bits & mppe_bits::k40) return auth::MppeStrength::Bits40;
  return std::nullopt;
}
std::optional<MppeChoice> parse_choice(ByteView value) {
  if (value.size() != 4) return std::nullopt;
  std::uint32_t bits = load_be32(value.data());
  auto s = strongest(bits);
  if (!s) return std::nullopt;
  return MppeChoice{*s, (bits & mppe_bits::kStateless) != 0};
}
void set32(Bytes& out, std::uint32_t v) {
  out.resize(4);
  store_be32(out.data(), v);
}
}  // namespace

std::uint32_t CcpOptions::allowed_strengths() const {
  std::uint32_t b = 0;
  for (auto s : policy_.mppe_strengths) b |= strength_bit(s);
  return b;
}

std::optional<bool> CcpOptions::choose_stateless(bool peer_wants_stateless) const {
  if (peer_wants_stateless && policy_.allow_stateless) return true;
  if (!peer_wants_stateless && policy_.allow_stateful) return false;
  if (policy_.allow_stateless) return true;
  if (policy_.allow_stateful) return false;
  return std::nullopt;
}

void CcpOptions::reset_request() {
  send_mppe_ = true;
  // RFC 3078 §2: request every strength we accept; prefer stateless when it is allowed.
  bits_ = allowed_strengths() | (policy_.allow_stateless ? mppe_bits::kStateless : 0);
  mode_naks_ = 0;
  receive_.reset();
  send_.reset();
}

void CcpOptions::build_request(Bytes& options) {
  if (send_mppe_) append_option_u32(options, ccp_option::kMppe, bits_);
}

OptionVerdict CcpOptions::check_option(std::uint8_t type, ByteView value, Bytes& nak_value) {
  // Deflate, BSD-Compress, Predictor, Stac...: we never compress.
  if (type != ccp_option::kMppe) return OptionVerdict::Reject;
  // Catches an MPPE option of the wrong length (RFC 3078 §2: Length 6).
  if (value.size() != 4) return OptionVerdict::Reject;
  std::uint32_t bits = load_be32(value.data());
  std::uint32_t offered = bits & mppe_bits::kStrengths;
  std::uint32_t common = offered & allowed_strengths();
  if (common == 0) {
    if (offered == 0) {
      fail("peer offered no MPPE strength" + std::string((bits & mppe_bits::kMppc) ? " (only MPPC compression)" : "") +
           "; policy requires " + describe_strength_bits(allowed_strengths()));
    } else {
      fail("peer offered only " + describe_strength_bits(offered) + " MPPE; policy requires " +
           describe_strength_bits(allowed_strengths()));
    }
    return OptionVerdict::Reject;
  }
  bool peer_stateless = (bits & mppe_bits::kStateless) != 0;
  auto stateless = choose_stateless(peer_stateless);
  if (!stateless) {
    fail("policy allows neither stateless nor stateful MPPE");
    return OptionVerdict::Reject;
  }
  if (*stateless != peer_stateless) {
    // Asked the peer once to change mode; if it asks again it cannot.
    if (++mode_naks_ > 1) {
      fail(peer_stateless ? "peer requires stateless MPPE; policy allows only stateful"
                          : "peer requires stateful MPPE; policy allows only stateless");
      return OptionVerdict::Reject;
    }
  }
  std::uint32_t want = strength_bit(*strongest(common)) | (*stateless ? mppe_bits::kStateless : 0);
  // The C (MPPC) bit and unknown bits are cleared by the Nak (RFC 3078 §2).
  if (bits == want) return OptionVerdict::Ack;
  set32(nak_value, want);
  return OptionVerdict::Nak;
}

void CcpOptions::peer_request_acked(ByteView options) {
  send_.reset();
  for_each_option(options, [&](RawOption o) {
    if (o.type == ccp_option::kMppe) send_ = parse_choice(o.value);
  });
}

void CcpOptions::request_acked(ByteView options) {
  receive_.reset();
  for_each_option(options, [&](RawOption o) {
    if (o.type == ccp_option::kMppe) receive_ = parse_choice(o.value);
  });
}

void CcpOptions::nak_received(std::uint8_t type, ByteView value) {
  if (type != ccp_option::kMppe || value.size() != 4) return;
  std::uint32_t bits = load_be32(value.data());
  std::uint32_t offered = bits & mppe_bits::kStrengths;
  std::uint32_t common = offered & allowed_strengths();
  if (common == 0) {
    fail("peer offered only " + describe_strength_bits(offered) + " MPPE; policy requires " +
         describe_strength_bits(allowed_strengths()));
    return;
  }
  bool peer_stateless = (bits & mppe_bits::kStateless) != 0;
  if (peer_stateless && !policy_.allow_stateless) {
    fail("peer requires stateless MPPE; policy allows only stateful");
    return;
  }
  if (!peer_stateless && !policy_.allow_stateful) {
    fail("peer requires stateful MPPE; policy allows only stateless");
    return;
  }
  bits_ = strength_bit(*strongest(common)) | (peer_stateless ? mppe_bits::kStateless : 0);
}

void CcpOptions::reject_received(std::uint8_t type, ByteView /*value*/) {
  if (type != ccp_option::kMppe) return;
  send_mppe_ = false;
  if (policy_.require_encryption) fail("peer rejected MPPE; policy requires encryption");
}

std::string CcpOptions::option_name(std::uint8_t type) const {
  if (type == ccp_option::kMppe) return "MPPE";
  return "CCP option " + std::to_string(type);
}

}  // namespace pptpx::ppp
