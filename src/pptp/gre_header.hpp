// Enhanced GRE header of RFC 2637 §4.1 (GRE version 1, protocol 0x880B), for the data plane:
// decode hands back the header and a view of the payload inside the caller's buffer; encode
// writes the header into a caller buffer, in place in front of a payload (headroom), so nothing
// is allocated per packet.
//
//    0                   1                   2                   3
//   |C|R|K|S|s|Recur|A| Flags | Ver |         Protocol Type         |
//   |    Key (HW) Payload Length    |       Key (LW) Call ID        |
//   |                  Sequence Number (Optional)                   |   if S
//   |               Acknowledgment Number (Optional)                |   if A
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "util/bytes.hpp"

namespace pptpx::pptp {

inline constexpr std::uint16_t kGreProtocolPpp = 0x880B;
inline constexpr std::uint8_t kGreVersion = 1;
inline constexpr std::size_t kGreBaseSize = 8;
inline constexpr std::size_t kGreMaxHeaderSize = 16;  // with sequence and acknowledgement

// First octet: C R K S s Recur(3); second octet: A Flags(4) Ver(3).
inline constexpr std::uint8_t kGreFlagC = 0x80, kGreFlagR = 0x40, kGreFlagK = 0x20,
                              kGreFlagS = 0x10, kGreFlagStrict = 0x08, kGreRecurMask = 0x07;
inline constexpr std::uint8_t kGreFlagA = 0x80, kGreFlagsMask = 0x78, kGreVersionMask = 0x07;

struct GreHeader {
  std::uint16_t payload_length = 0;
  std::uint16_t call_id = 0;  // the receiver's Call ID
  std::optional<std::uint32_t> sequence;
  std::optional<std::uint32_t> ack;
  std::size_t size() const { return kGreBaseSize + (sequence ? 4 : 0) + (ack ? 4 : 0); }
  bool operator==(const GreHeader&) const = default;
};

enum class GreError {
  None,
  Truncated,          // shorter than the header its flags announce
  BadVersion,         // Ver != 1 (plain GRE, RFC 1701 version 0, is not PPTP)
  BadProtocol,        // Protocol Type != 0x880B
  BadFlags,           // C, R, s, Recur or Flags set, or K clear (§4.1 "Set to zero"/"one")
  PayloadTooLong,     // Key payload length exceeds the octets present
  PayloadWithoutSeq,  // payload present but S clear (§4.1: S is set when payload is present)
  Empty,              // neither payload nor acknowledgement: nothing to do
  WrongCallId,        // well formed, but the key names another call (GreChannel only)
};
inline constexpr std::size_t kGreErrorCount = 9;
std::string_view to_string(GreError e);

struct GreDecoded {
  GreError error = GreError::None;
  GreHeader header;
  ByteView payload;  // payload_length octets right after the header; padding beyond is ignored
  bool ok() const { return error == GreError::None; }
};

// `packet` is the IP payload (what a raw IPPROTO_GRE socket yields after the IP header).
GreDecoded decode_gre(ByteView packet);

// Writes h into out[0, h.size()); returns the size or 0 if `out` is too small.
std::size_t encode_gre_header(const GreHeader& h, MutableByteView out);

// In place: the payload sits at buffer[payload_offset, payload_offset + h.payload_length); the
// header is written just before it. Returns the whole GRE packet, or nullopt when the headroom
// (payload_offset) is smaller than the header or the payload overruns the buffer.
std::optional<MutableByteView> gre_prepend(const GreHeader& h, MutableByteView buffer,
                                           std::size_t payload_offset);

}  // namespace pptpx::pptp
