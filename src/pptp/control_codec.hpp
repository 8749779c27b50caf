// Encode and decode PPTP control messages (RFC 2637 §1.4, §2). Decoding never throws: a bad
// message yields a DecodeError with a reason a log line can carry as is.
#pragma once
#include <optional>
#include <string>

#include "pptp/control_message.hpp"
#include "util/bytes.hpp"

namespace pptpx::pptp {

enum class DecodeError {
  None,
  Truncated,           // fewer octets than the header or than the Length field says
  LengthMismatch,      // Length field is not the exact size for this Control Message Type
  NotControlMessage,   // PPTP Message Type is not 1
  BadMagicCookie,      // not 0x1A2B3C4D
  UnknownMessageType,  // Control Message Type outside 1..15
};
std::string_view to_string(DecodeError e);

struct DecodeResult {
  std::optional<ControlMessage> message;
  DecodeError error = DecodeError::None;
  std::string reason;  // empty when ok
  bool ok() const { return message.has_value(); }
};

// Decodes exactly one message; `bytes` must be the whole message (the stream reassembler cuts
// them). The General Error code to report back for a failure is GeneralError::BadFormat (§2.16).
DecodeResult decode(ByteView bytes);

// Appends the encoded message to `out`; returns the number of octets written.
std::size_t encode(const ControlMessage& m, Bytes& out);
Bytes encode(const ControlMessage& m);

}  // namespace pptpx::pptp
