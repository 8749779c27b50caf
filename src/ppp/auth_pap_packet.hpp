// PAP packet codec (RFC 1334 §2.2), every length checked before it is trusted.
//
//   Authenticate-Request:  Code=1 | Identifier | Length(2) | Peer-ID-Length | Peer-ID |
//                          Passwd-Length | Password
//   Authenticate-Ack/Nak:  Code=2/3 | Identifier | Length(2) | Msg-Length | Message
#pragma once
#include <cstdint>
#include <string_view>

#include "util/bytes.hpp"

namespace pptpx::ppp {

enum class PapCode : std::uint8_t { Request = 1, Ack = 2, Nak = 3 };
std::string_view to_string(PapCode c);

constexpr std::size_t kPapHeaderSize = 4;

struct PapPacket {
  PapCode code = PapCode::Request;
  std::uint8_t identifier = 0;
  ByteView peer_id;   // Request
  ByteView password;  // Request
  ByteView message;   // Ack/Nak
};

enum class PapParseError : std::uint8_t {
  None,
  Truncated,               // fewer than 4 octets
  LengthBelowHeader,       // Length field < 4
  LengthBeyondFrame,       // Length field claims more than the frame carries
  NoPeerIdLength,          // Request without the Peer-ID-Length octet
  PeerIdBeyondLength,      // Peer-ID-Length runs past Length
  NoPasswordLength,        // Request without the Passwd-Length octet
  PasswordBeyondLength,    // Passwd-Length runs past Length
  MessageBeyondLength,     // Ack/Nak Msg-Length runs past Length
  UnknownCode,             // Code not 1..3
};
std::string_view to_string(PapParseError e);

struct PapParseResult {
  PapParseError error = PapParseError::None;
  PapPacket packet;
};

// Octets beyond Length are padding (RFC 1334 §2.2). An Ack/Nak with no Msg-Length octet at all
// is accepted as an empty message (some peers send it; the message "MUST NOT affect operation").
PapParseResult parse_pap(ByteView information);

// Callers keep peer_id, password and message <= 255 octets.
Bytes build_pap_request(std::uint8_t identifier, std::string_view peer_id, std::string_view password);
Bytes build_pap_reply(PapCode code, std::uint8_t identifier, std::string_view message);

}  // namespace pptpx::ppp
