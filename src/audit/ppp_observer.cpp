#include "audit/ppp_observer.hpp"

#include <algorithm>

#include "auth/chap_md5.hpp"
#include "auth/mppe_keys.hpp"
#include "auth/mschap.hpp"
#include "crypto/constant_time.hpp"
#include "ppp/auth_chap_packet.hpp"
#include "ppp/auth_pap_packet.hpp"
#include "ppp/control_packet.hpp"
#include "ppp/frame.hpp"
#include "ppp/ipcp.hpp"
#include "ppp/ipv6cp.hpp"
#include "ppp/lcp.hpp"
#include "ppp/protocols.hpp"

namespace pptpx::audit {

const char* to_string(AuthMethod m) {
  switch (m) {
    case AuthMethod::None: return "none";
    case AuthMethod::Pap: return "PAP";
    case AuthMethod::ChapMd5: return "CHAP-MD5";
    case AuthMethod::MsChapV1: return "MS-CHAPv1";
    case AuthMethod::MsChapV2: return "MS-CHAPv2";
    case AuthMethod::Eap: return "EAP";
    case AuthMethod::Unknown: return "unknown";
  }
  return "unknown";
}

const char* to_string(AuthOutcome o) {
  switch (o) {
    case AuthOutcome::Unknown: return "unknown";
    case AuthOutcome::Success: return "success";
    case AuthOutcome::Failure: return "failure";
  }
  return "unknown";
}

void split_domain(const std::string& name, std::string& domain, std::string& user) {
  const auto slash = name.rfind('\\');
  if (slash == std::string::npos) {
    domain.clear();
    user = name;
  } else {
    domain = name.substr(0, slash);
    user = name.substr(slash + 1);
  }
}

const KeyBook::Entry* KeyBook::find(const std::string& name) const {
  if (auto it = users.find(name); it != users.end()) return &it->second;
  std::string domain, user;
  split_domain(name, domain, user);
  if (auto it = users.find(user); it != users.end()) return &it->second;
  return nullptr;
}

namespace {
std::string protocol_name(std::uint16_t p) {
  switch (static_cast<ppp::Protocol>(p)) {
    case ppp::Protocol::Ipv4:
    case ppp::Protocol::Ipv6:
    case ppp::Protocol::Compressed:
    case ppp::Protocol::Ipcp:
    case ppp::Protocol::Ipv6cp:
    case ppp::Protocol::Ccp:
    case ppp::Protocol::Lcp:
    case ppp::Protocol::Pap:
    case ppp::Protocol::Chap:
    case ppp::Protocol::Eap:
      return std::string(ppp::to_string(static_cast<ppp::Protocol>(p)));
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%04x", p);
  return buf;
}

std::optional<ppp::MppeChoice> choice_from_bits(std::uint32_t bits) {
  ppp::MppeChoice c;
  if (bits & ppp::mppe_bits::k128) {
    c.strength = auth::MppeStrength::Bits128;
  } else if (bits & ppp::mppe_bits::k56) {
    c.strength = auth::MppeStrength::Bits56;
  } else if (bits & ppp::mppe_bits::k40) {
    c.strength = auth::MppeStrength::Bits40;
  } else {
    return std::nullopt;
  }
  c.stateless = (bits & ppp::mppe_bits::kStateless) != 0;
  return c;
}

template <std::size_t N>
std::array<std::uint8_t, N> take(ByteView v, std::size_t off) {
  std::array<std::uint8_t, N> a{};
  std::copy_n(v.begin() + static_cast<std::ptrdiff_t>(off), N, a.begin());
  return a;
}
}  // namespace

void PppObserver::frame(int d, Timestamp t, ByteView ppp_frame) {
  auto& st = s_.dir[static_cast<std::size_t>(d)];
  const auto h = ppp::parse_frame_header(ppp_frame);
  if (h.error != ppp::FrameError::Ok) {
    ++st.undecryptable[std::string("bad PPP frame: ") + std::string(ppp::to_string(h.error))];
    return;
  }
  const ByteView info = ppp_frame.subspan(h.header_size);
  const bool mppe_up = s_.mppe_agreed[0] || s_.mppe_agreed[1] || st.mppe_packets > 0;
  if (mppe_up && h.protocol != static_cast<std::uint16_t>(ppp::Protocol::Compressed)) {
    ++st.inner[protocol_name(h.protocol) + " (not encrypted)"];
  }
  switch (static_cast<ppp::Protocol>(h.protocol)) {
    case ppp::Protocol::Lcp: return lcp(d, info);
    case ppp::Protocol::Chap: return chap(d, t, info);
    case ppp::Protocol::Pap: return pap(d, t, info);
    case ppp::Protocol::Ccp: return ccp(d, info);
    case ppp::Protocol::Ipcp: return ipcp(d, info);
    case ppp::Protocol::Ipv6cp: return ipv6cp(d, info);
    case ppp::Protocol::Compressed: return mppe_data(d, t, info);
    case ppp::Protocol::Ipv4:
    case ppp::Protocol::Ipv6:
      ++st.clear_ip_packets;
      return deliver(d, t, h.protocol, info, false);
    case ppp::Protocol::Eap:
      s_.lcp_auth = AuthMethod::Eap;
      return;
  }
}

void PppObserver::lcp(int d, ByteView info) {
  auto p = ppp::parse_control_packet(info);
  if (!p) return;
  s_.lcp_seen = true;
  if (p->code == ppp::code::kConfigureAck) {
    // Side d acks the other side's request: if it names an authentication protocol, the other
    // side authenticates (RFC 1661 §6.2: the option names what the sender wants to receive).
    ppp::for_each_option(p->data, [&](const ppp::RawOption& o) {
      if (o.type != ppp::lcp_option::kAuthProtocol) return;
      s_.authenticator_side = 1 - d;
      if (auto m = ppp::parse_auth_option(o.value)) {
        switch (*m) {
          case ppp::AuthMethod::Pap: s_.lcp_auth = AuthMethod::Pap; break;
          case ppp::AuthMethod::ChapMd5: s_.lcp_auth = AuthMethod::ChapMd5; break;
          case ppp::AuthMethod::MsChapV1: s_.lcp_auth = AuthMethod::MsChapV1; break;
          case ppp::AuthMethod::MsChapV2: s_.lcp_auth = AuthMethod::MsChapV2; break;
          case ppp::AuthMethod::EapTls: s_.lcp_auth = AuthMethod::Eap; break;
        }
      } else if (o.value.size() >= 2 && load_be16(o.value.data()) == static_cast<std::uint16_t>(ppp::Protocol::Eap)) {
        s_.lcp_auth = AuthMethod::Eap;
      } else {
        s_.lcp_auth = AuthMethod::Unknown;
      }
    });
  } else if (p->code == ppp::code::kTerminateRequest && s_.end_reason.empty()) {
    s_.end_reason = std::string("LCP Terminate-Request from the ") + (d == 0 ? "PNS" : "PAC");
  }
}

void PppObserver::chap(int d, Timestamp t, ByteView info) {
  const auto r = ppp::parse_chap(info);
  if (r.error != ppp::ChapParseError::None) return;
  const auto& p = r.packet;
  switch (p.code) {
    case ppp::ChapCode::Challenge:
      s_.authenticator_side = d;
      challenge_.assign(p.value.begin(), p.value.end());
      return;
    case ppp::ChapCode::Response: {
      Handshake h;
      h.time = t;
      h.identifier = p.identifier;
      h.name.assign(p.name.begin(), p.name.end());
      split_domain(h.name, h.domain, h.user);
      h.challenge = challenge_;
      h.response.assign(p.value.begin(), p.value.end());
      AuthMethod m = s_.lcp_auth;
      if (m != AuthMethod::ChapMd5 && m != AuthMethod::MsChapV1 && m != AuthMethod::MsChapV2) {
        // LCP not seen: tell the CHAP flavours apart by the value sizes (RFC 1994, 2433, 2759).
        if (h.response.size() == 49) {
          m = h.challenge.size() == 8 ? AuthMethod::MsChapV1 : AuthMethod::MsChapV2;
        } else {
          m = AuthMethod::ChapMd5;
        }
      }
      h.method = m;
      if (m == AuthMethod::MsChapV2 && h.response.size() == 49 && h.challenge.size() == 16) {
        // Response value: Peer-Challenge(16) Reserved(8) NT-Response(24) Flags(1) (RFC 2759 §4).
        const ByteView v(h.response);
        h.peer_challenge = take<16>(v, 0);
        h.nt_response = take<24>(v, 24);
        h.auth_challenge = take<16>(ByteView(h.challenge), 0);
        h.des_challenge = auth::challenge_hash(*h.peer_challenge, *h.auth_challenge, h.name);
      } else if (m == AuthMethod::MsChapV1 && h.response.size() == 49 && h.challenge.size() == 8) {
        // LM-Response(24) NT-Response(24) Use-NT(1) (RFC 2433 §5).
        h.nt_response = take<24>(ByteView(h.response), 24);
        h.des_challenge = take<8>(ByteView(h.challenge), 0);
      }
      try_key(h);
      s_.handshakes.push_back(std::move(h));
      open_handshake_ = s_.handshakes.size() - 1;
      return;
    }
    case ppp::ChapCode::Success:
    case ppp::ChapCode::Failure:
      if (open_handshake_ && *open_handshake_ < s_.handshakes.size()) {
        auto& h = s_.handshakes[*open_handshake_];
        h.outcome = p.code == ppp::ChapCode::Success ? AuthOutcome::Success : AuthOutcome::Failure;
        h.message.assign(p.message.begin(), p.message.end());
        if (h.outcome == AuthOutcome::Success && h.nt_hash && h.method != AuthMethod::ChapMd5) {
          material_.emplace();
          material_->method = h.method == AuthMethod::MsChapV1 ? auth::MppeKeyMaterial::Method::MsChapV1
                                                               : auth::MppeKeyMaterial::Method::MsChapV2;
          material_->nt_hash = *h.nt_hash;
          material_->nt_response = *h.nt_response;
          material_->challenge = *h.des_challenge;
          material_->is_server = true;  // keys seen from the authenticator
        }
        open_handshake_.reset();
      }
      return;
  }
}

// Checks the auditor's credential for this user against the captured response; keeps it only
// when it reproduces the response exactly (a wrong password must not produce garbage output).
void PppObserver::try_key(Handshake& h) {
  const KeyBook::Entry* e = keys_.find(h.name);
  if (!e) return;
  bool ok = false;
  if (h.method == AuthMethod::MsChapV2 && h.nt_response) {
    ok = auth::mschapv2_nt_response(*h.auth_challenge, *h.peer_challenge, h.name, e->nt_hash) == *h.nt_response;
  } else if (h.method == AuthMethod::MsChapV1 && h.nt_response) {
    ok = auth::mschapv1_nt_response(*h.des_challenge, e->nt_hash) == *h.nt_response;
  } else if (h.method == AuthMethod::ChapMd5 && e->password && h.response.size() == 16) {
    const auto r = auth::chap_md5_response(h.identifier, *e->password, h.challenge);
    ok = std::equal(r.begin(), r.end(), h.response.begin());
  }
  if (ok) {
    h.nt_hash = e->nt_hash;
    h.password = e->password;
    h.credential_source = e->source;
  } else {
    s_.notes.push_back("the credential given for " + h.name + " does not reproduce the captured response");
  }
}

void PppObserver::pap(int d, Timestamp t, ByteView info) {
  const auto r = ppp::parse_pap(info);
  if (r.error != ppp::PapParseError::None) return;
  const auto& p = r.packet;
  if (p.code == ppp::PapCode::Request) {
    s_.authenticator_side = 1 - d;
    Handshake h;
    h.method = AuthMethod::Pap;
    h.time = t;
    h.identifier = p.identifier;
    h.name.assign(p.peer_id.begin(), p.peer_id.end());
    split_domain(h.name, h.domain, h.user);
    h.pap_password.assign(p.password.begin(), p.password.end());
    s_.handshakes.push_back(std::move(h));
    open_handshake_ = s_.handshakes.size() - 1;
  } else if (open_handshake_ && *open_handshake_ < s_.handshakes.size()) {
    auto& h = s_.handshakes[*open_handshake_];
    h.outcome = p.code == ppp::PapCode::Ack ? AuthOutcome::Success : AuthOutcome::Failure;
    h.message.assign(p.message.begin(), p.message.end());
    open_handshake_.reset();
  }
}

void PppObserver::ccp(int d, ByteView info) {
  auto p = ppp::parse_control_packet(info);
  if (!p) return;
  s_.ccp_seen = true;
  auto mppe_bits_of = [](ByteView options) -> std::optional<std::uint32_t> {
    std::optional<std::uint32_t> bits;
    ppp::for_each_option(options, [&](const ppp::RawOption& o) {
      if (o.type == ppp::ccp_option::kMppe && o.value.size() == 4) bits = load_be32(o.value.data());
    });
    return bits;
  };
  if (p->code == ppp::code::kConfigureRequest) {
    s_.mppe_requested[static_cast<std::size_t>(d)] = mppe_bits_of(p->data);
  } else if (p->code == ppp::code::kConfigureAck) {
    // Side d acks what the other side will receive: the MPPE settings of direction d. When CCP
    // (re)opens, the peers start MPPE over (session key from the start key, coherency count 0),
    // so the observer's receiver for that direction starts over too.
    if (auto bits = mppe_bits_of(p->data)) {
      s_.mppe_agreed[static_cast<std::size_t>(d)] = choice_from_bits(*bits);
      decryptor_[static_cast<std::size_t>(d)].reset();
    }
  }
}

void PppObserver::ipcp(int d, ByteView info) {
  auto p = ppp::parse_control_packet(info);
  if (!p || p->code != ppp::code::kConfigureAck) return;
  ppp::for_each_option(p->data, [&](const ppp::RawOption& o) {
    if (o.type == ppp::ipcp_option::kIpAddress && o.value.size() == 4) {
      s_.ipv4_address[static_cast<std::size_t>(1 - d)] = load_be32(o.value.data());
    }
  });
}

void PppObserver::ipv6cp(int d, ByteView info) {
  auto p = ppp::parse_control_packet(info);
  if (!p || p->code != ppp::code::kConfigureAck) return;
  ppp::for_each_option(p->data, [&](const ppp::RawOption& o) {
    if (o.type == ppp::ipv6cp_option::kInterfaceIdentifier && o.value.size() == 8) {
      s_.ipv6_interface_id[static_cast<std::size_t>(1 - d)] = ppp::load_be64(o.value.data());
    }
  });
}

void PppObserver::mppe_data(int d, Timestamp t, ByteView info) {
  const auto di = static_cast<std::size_t>(d);
  auto& st = s_.dir[di];
  ++st.mppe_packets;
  if (info.size() < ppp::kMppeHeaderSize + 1) return undecryptable(d, "too short for MPPE");
  if (!material_) {
    if (s_.handshakes.empty()) return undecryptable(d, "no key: the authentication is not in the capture");
    const auto& h = s_.handshakes.back();
    if (h.method != AuthMethod::MsChapV1 && h.method != AuthMethod::MsChapV2) {
      return undecryptable(d, "no key: MPPE without MS-CHAP");
    }
    if (!h.nt_hash) return undecryptable(d, "no key: no password or NT hash for " + h.name);
    return undecryptable(d, "no key: the authentication did not succeed");
  }
  // Which settings apply: CCP's agreement for this direction, else (capture without CCP) none.
  const auto& choice = s_.mppe_agreed[di];
  if (!choice) return undecryptable(d, "no key: the CCP negotiation is not in the capture");
  if (!decryptor_[di] || decryptor_choice_[di] != *choice) {
    const auth::MppeKeys keys = auth::derive_mppe_keys(*material_, choice->strength);
    // Keys from the authenticator's view: it sends with `send`, receives with `recv`.
    const bool from_authenticator = d == s_.authenticator_side;
    decryptor_[di] = std::make_unique<ppp::MppeDecryptor>(from_authenticator ? keys.send : keys.recv,
                                                          ppp::MppeSettings{choice->strength, choice->stateless});
    decryptor_choice_[di] = *choice;
    expected_count_[di] = 0;
  }
  const std::uint16_t header = load_be16(info.data());
  const auto count = static_cast<std::uint16_t>(header & ppp::kMppeCountMask);
  Bytes plain(info.begin() + 2, info.end());
  const bool in_sync = !decryptor_[di]->awaiting_flush();
  auto r = decryptor_[di]->decrypt(header, plain);
  if (r == ppp::MppeDecryptResult::LostSync && in_sync && (header & ppp::kMppeFlushed) != 0 &&
      (expected_count_[di] & 0xff) + ((count - expected_count_[di]) & ppp::kMppeCountMask) <= 0xff) {
    // A FLUSHED packet ahead of the count we expect, at most up to the next flag packet: the
    // sender's answer to a CCP Reset-Request from a receiver that lost packets the capture holds.
    // pptpx answers with the next flag packet (counts skipped, ppp/mppe.hpp, issue 18); a Linux
    // sender with count+1, which a capture that missed packets also shows as a gap. The receiver
    // was discarding and resynchronises on this packet; the observer, in step until here, would
    // instead start discarding now (RFC 3078 §8.2 for an in-step receiver) and lose every packet
    // up to the next FLUSHED one. So it takes this packet as the receiver did: the decryptor is
    // discarding after the first call, and the second resynchronises. Within one 256-count block
    // no flag packet was skipped, so a packet that decrypts to nothing plausible leaves the key
    // as it was; a late (older) packet is never this close ahead.
    r = decryptor_[di]->decrypt(header, plain);
  }
  if (r == ppp::MppeDecryptResult::Ok) expected_count_[di] = static_cast<std::uint16_t>((count + 1) & ppp::kMppeCountMask);
  (void)decryptor_[di]->take_reset_request();
  st.mppe_resyncs = decryptor_[di]->resyncs();
  if (r != ppp::MppeDecryptResult::Ok) return undecryptable(d, ppp::to_string(r));
  ++st.decrypted;
  const auto ph = ppp::parse_protocol_field(plain);
  if (ph.error != ppp::FrameError::Ok) return undecryptable(d, "decrypted, but no PPP protocol field");
  deliver(d, t, ph.protocol, ByteView(plain).subspan(ph.header_size), true);
}

void PppObserver::deliver(int d, Timestamp t, std::uint16_t protocol, ByteView payload, bool decrypted) {
  auto& st = s_.dir[static_cast<std::size_t>(d)];
  if (decrypted) ++st.inner[protocol_name(protocol) + " (in MPPE)"];
  if (protocol == static_cast<std::uint16_t>(ppp::Protocol::Ipv4) ||
      protocol == static_cast<std::uint16_t>(ppp::Protocol::Ipv6)) {
    if (sink_) sink_(s_, d, t, payload);
  }
}

}  // namespace pptpx::audit
