// Telling a refused peer why (issue 12, rough edge 6): instead of closing a connection from a
// locked-out address unanswered, read its Start-Control-Connection-Request and answer with a
// Start-Control-Connection-Reply whose Result Code is 4, "Requester is not authorized to
// establish a command channel" (RFC 2637 §2.2), with the reason in the Vendor String field
// (64 octets, §2.2), then close. Bounded: 5 s per peer, and at most 64 refusals at a time
// (past that the connection is closed unanswered, as before).
#pragma once
#include <string>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

namespace pptpx::server {

// The reply's octets (a whole SCCRP, version 1.0, Result Code 4, `reason` cut to 63 octets).
std::string refusal_reply(const std::string& reason);

void refuse_control_connection(asio::io_context& io, asio::ip::tcp::socket socket, const std::string& reason);

}  // namespace pptpx::server
