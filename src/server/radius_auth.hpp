// The RADIUS side of an authentication attempt: an Access-Request from what the peer sent
// (RFC 2865 PAP/CHAP, RFC 2548 MS-CHAP/MS-CHAPv2), and a verdict from the reply (RFC 2548
// MS-CHAP2-Success, MS-CHAP-Error, MS-MPPE-Send/Recv-Key). Pure functions; radius_service.cpp
// does the I/O.
#pragma once
#include <optional>
#include <string>

#include "ppp/auth_remote.hpp"
#include "radius/client.hpp"

namespace pptpx::server {

struct NasIdentity {
  std::string nas_identifier;
  std::optional<std::uint32_t> nas_ip_address;  // host order
};

radius::Request build_access_request(const ppp::RemoteAuthRequest& request, const NasIdentity& nas);

// `completion.reply` nullopt: Unavailable. `relay_reply_message` ([radius] reply_message_to_client):
// a Reject's Reply-Message also becomes the verdict's client_text (printable, at most 200 octets).
ppp::RemoteAuthVerdict verdict_from_reply(const radius::Completion& completion, ppp::AuthMethod method,
                                          bool relay_reply_message = false);

}  // namespace pptpx::server
