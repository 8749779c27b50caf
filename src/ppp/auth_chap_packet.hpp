// CHAP packet codec (RFC 1994 §4), shared by CHAP-MD5, MS-CHAPv1 (RFC 2433 §5-8) and MS-CHAPv2
// (RFC 2759 §3-6): all four codes, every length checked before it is trusted.
//
//   Challenge/Response:  Code | Identifier | Length(2) | Value-Size | Value... | Name...
//   Success/Failure:     Code | Identifier | Length(2) | Message...
#pragma once
#include <cstdint>
#include <string_view>

#include "util/bytes.hpp"

namespace pptpx::ppp {

enum class ChapCode : std::uint8_t { Challenge = 1, Response = 2, Success = 3, Failure = 4 };
std::string_view to_string(ChapCode c);

constexpr std::size_t kChapHeaderSize = 4;  // Code, Identifier, Length

struct ChapPacket {
  ChapCode code = ChapCode::Challenge;
  std::uint8_t identifier = 0;
  ByteView value;    // Challenge/Response
  ByteView name;     // Challenge/Response
  ByteView message;  // Success/Failure
};

enum class ChapParseError : std::uint8_t {
  None,
  Truncated,            // fewer than 4 octets: not even a header
  LengthBelowHeader,    // Length field < 4
  LengthBeyondFrame,    // Length field claims more octets than the frame carries
  NoValueSize,          // Challenge/Response without the Value-Size octet
  ValueBeyondLength,    // Value-Size runs past the end given by Length
  EmptyValue,           // Value-Size 0 (RFC 1994 §4.1: "one or more octets")
  UnknownCode,          // Code not 1..4
};
std::string_view to_string(ChapParseError e);

struct ChapParseResult {
  ChapParseError error = ChapParseError::None;
  ChapPacket packet;  // valid only when error == None; views into the parsed buffer
};

// Octets beyond Length are data-link padding and ignored (RFC 1994 §3 / RFC 1661 §5).
ChapParseResult parse_chap(ByteView information);

Bytes build_chap_challenge_or_response(ChapCode code, std::uint8_t identifier, ByteView value,
                                       std::string_view name);
Bytes build_chap_status(ChapCode code, std::uint8_t identifier, std::string_view message);

}  // namespace pptpx::ppp
