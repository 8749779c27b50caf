#include "server/radius_auth.hpp"

#include <algorithm>

#include "radius/security.hpp"

namespace pptpx::server {

namespace {
using radius::attr::ChapChallenge;
namespace ms = radius::ms;


// RFC 2548 §2.3.2 MS-CHAP-Response / §2.3.2 MS-CHAP2-Response: Ident, Flags, then the 48
// octets our CHAP Response Value holds before its trailing Flags octet (RFC 2433 §5 / RFC 2759 §4:
// LM(24)+NT(24)+Flags(1), or Peer-Challenge(16)+Reserved(8)+NT(24)+Flags(1)).
Bytes ms_response(std::uint8_t ident, ByteView value) {
  Bytes v{ident, value.size() == 49 ? value[48] : std::uint8_t{0}};
  v.insert(v.end(), value.begin(), value.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(48, value.size())));
  return v;
}

std::string printable_text(ByteView b) {
  std::string out;
  for (std::uint8_t c : b) out += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
  return out;
}
}  // namespace

radius::Request build_access_request(const ppp::RemoteAuthRequest& q, const NasIdentity& nas) {
  radius::Request r;
  radius::Packet& p = r.packet;
  p.code = radius::Code::AccessRequest;
  p.add_string(radius::attr::UserName, q.user_name.substr(0, radius::kMaxAttributeValue));
  if (!nas.nas_identifier.empty()) p.add_string(radius::attr::NasIdentifier, nas.nas_identifier);
  if (nas.nas_ip_address) p.add_u32(radius::attr::NasIpAddress, *nas.nas_ip_address);
  p.add_u32(radius::attr::ServiceType, radius::kServiceTypeFramed);
  p.add_u32(radius::attr::FramedProtocol, radius::kFramedProtocolPpp);
  p.add_u32(radius::attr::NasPortType, radius::kNasPortTypeVirtual);
  switch (q.method) {
    case ppp::AuthMethod::Pap:
      // RFC 2865 §5.2: hidden per server by the request machine; at most 128 octets.
      r.user_password = std::string(q.response.begin(), q.response.begin() +
                                                          static_cast<std::ptrdiff_t>(std::min<std::size_t>(128, q.response.size())));
      break;
    case ppp::AuthMethod::ChapMd5: {
      // RFC 2865 §5.3 CHAP-Password: CHAP Ident + 16-octet Response; §5.40 CHAP-Challenge.
      Bytes v{q.identifier};
      v.insert(v.end(), q.response.begin(), q.response.end());
      p.add(radius::attr::ChapPassword, v);
      p.add(ChapChallenge, q.challenge);
      break;
    }
    case ppp::AuthMethod::MsChapV1:
    case ppp::AuthMethod::MsChapV2:
      p.add_vendor(radius::kVendorMicrosoft, ms::ChapChallenge, q.challenge);
      p.add_vendor(radius::kVendorMicrosoft,
                   q.method == ppp::AuthMethod::MsChapV1 ? ms::ChapResponse : ms::Chap2Response,
                   ms_response(q.identifier, q.response));
      break;
    case ppp::AuthMethod::EapTls:
      break;  // never asked: EAP-TLS is decided locally (EAP relay to RADIUS is not yet built)
  }
  return r;
}

ppp::RemoteAuthVerdict verdict_from_reply(const radius::Completion& c, ppp::AuthMethod method,
                                          bool relay_reply_message) {
  using Outcome = ppp::RemoteAuthVerdict::Outcome;
  ppp::RemoteAuthVerdict v;
  if (!c.reply) {
    v.outcome = Outcome::Unavailable;
    v.reason = "no RADIUS server answered";
    return v;
  }
  const radius::Packet& p = *c.reply;
  if (auto msg = p.find(radius::attr::ReplyMessage)) v.reason = "Reply-Message \"" + printable_text(msg->value) + "\"";
  if (p.code == radius::Code::AccessChallenge) {
    v.outcome = Outcome::Reject;
    v.reason = "the RADIUS server sent an Access-Challenge, which PPP authentication cannot relay";
    return v;
  }
  if (p.code != radius::Code::AccessAccept) {
    v.outcome = Outcome::Reject;
    if (auto msg = p.find(radius::attr::ReplyMessage); msg && relay_reply_message)
      v.client_text = printable_text(ByteView(msg->value).first(std::min<std::size_t>(200, msg->value.size())));
    // RFC 2548 §2.1.5 MS-CHAP-Error: Ident + "E=... R=... [C=... V=...]", relayed to the peer.
    if (auto err = p.find_vendor(radius::kVendorMicrosoft, ms::ChapError); err && err->size() > 1) {
      v.message = printable_text(ByteView(*err).subspan(1));
    }
    return v;
  }
  v.outcome = Outcome::Accept;
  if (method == ppp::AuthMethod::MsChapV2) {
    // RFC 2548 §2.3.3 MS-CHAP2-Success: Ident + "S=<40 hex>".
    if (auto s = p.find_vendor(radius::kVendorMicrosoft, ms::Chap2Success); s && s->size() > 1) {
      v.message = printable_text(ByteView(*s).subspan(1));
    }
  }
  if (method == ppp::AuthMethod::MsChapV1) {
    if (auto keys = p.find_vendor(radius::kVendorMicrosoft, ms::ChapMppeKeys)) {
      if (auto plain = radius::decrypt_ms_chap_mppe_keys(*keys, c.request_authenticator, c.secret)) {
        std::array<std::uint8_t, 16> nt{};
        std::copy_n(plain->begin() + 8, 16, nt.begin());  // after the 8-octet LM-Key
        v.mschapv1_nt_key = nt;
      } else {
        v.reason = "MS-CHAP-MPPE-Keys in the Access-Accept is not 32 octets";
      }
    }
  }
  const auto send = p.find_vendor(radius::kVendorMicrosoft, ms::MppeSendKey);
  const auto recv = p.find_vendor(radius::kVendorMicrosoft, ms::MppeRecvKey);
  if (send && recv) {
    auto send_key = radius::decrypt_mppe_key(*send, c.request_authenticator, c.secret);
    auto recv_key = radius::decrypt_mppe_key(*recv, c.request_authenticator, c.secret);
    if (send_key && recv_key && send_key->size() >= 8 && recv_key->size() >= 8) {
      auth::MppeKeyMaterial m;
      m.method = auth::MppeKeyMaterial::Method::Given;
      m.is_server = true;
      std::copy_n(send_key->begin(), std::min<std::size_t>(16, send_key->size()), m.given_send.begin());
      std::copy_n(recv_key->begin(), std::min<std::size_t>(16, recv_key->size()), m.given_recv.begin());
      v.mppe = m;
    } else {
      v.reason = "MS-MPPE keys in the Access-Accept did not decrypt";
    }
  }
  return v;
}

}  // namespace pptpx::server
