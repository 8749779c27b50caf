// RADIUS packet codec (RFC 2865 §3): Code, Identifier, Length, Authenticator and a list of
// attributes (§5: Type, Length, Value), including the Vendor-Specific layout of §5.26 with
// one-octet vendor types and lengths (Microsoft's, RFC 2548). Parsing never throws: a bad
// packet yields an error that the caller counts and drops (RFC 2865 §3 "silently discarded").
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "radius/dictionary.hpp"
#include "util/bytes.hpp"

namespace pptpx::radius {

inline constexpr std::size_t kHeaderSize = 20;
inline constexpr std::size_t kMinPacket = 20;    // RFC 2865 §3 Length
inline constexpr std::size_t kMaxPacket = 4096;  // RFC 2865 §3 Length
inline constexpr std::size_t kMaxAttributeValue = 253;

using Authenticator = std::array<std::uint8_t, 16>;

struct Attribute {
  std::uint8_t type = 0;
  Bytes value;
};

struct Packet {
  Code code = Code::AccessRequest;
  std::uint8_t identifier = 0;
  Authenticator authenticator{};
  std::vector<Attribute> attributes;

  // First attribute of `type`, or nullptr.
  const Attribute* find(std::uint8_t type) const;
  // Value of the first Microsoft (vendor 311) sub-attribute `vendor_type` in any Vendor-Specific
  // attribute, or nullopt.
  std::optional<Bytes> find_vendor(std::uint32_t vendor, std::uint8_t vendor_type) const;
  std::optional<std::string> find_string(std::uint8_t type) const;
  // A 4-octet integer/address/time attribute; nullopt when absent or not 4 octets long.
  std::optional<std::uint32_t> find_u32(std::uint8_t type) const;

  void add(std::uint8_t type, ByteView value);
  void add_string(std::uint8_t type, std::string_view value);
  void add_u32(std::uint8_t type, std::uint32_t value);
  // One Vendor-Specific attribute holding one sub-attribute (RFC 2865 §5.26).
  void add_vendor(std::uint32_t vendor, std::uint8_t vendor_type, ByteView value);
};

enum class ParseError : std::uint8_t {
  None,
  TooShort,         // fewer than 20 octets, or fewer than the Length field says
  BadLength,        // Length field below 20 or above 4096
  UnknownCode,      // a Code we do not implement
  BadAttribute,     // an attribute Length below 2 or past the end of the packet
};
std::string_view to_string(ParseError e);

struct ParseResult {
  ParseError error = ParseError::None;
  Packet packet;
};

// RFC 2865 §3: octets beyond Length are padding and ignored; fewer than Length is an error.
ParseResult parse(ByteView datagram);

// The wire form. Throws std::length_error when an attribute value exceeds 253 octets or the
// packet exceeds 4096 (our own construction error, never peer input).
Bytes encode(const Packet& packet);

// RFC 2865 §5.26: the (vendor type, value) pairs of one Vendor-Specific value with the
// one-octet type/length layout. nullopt when malformed or when `vendor` does not match.
struct VendorAttribute {
  std::uint8_t type = 0;
  Bytes value;
};
std::optional<std::vector<VendorAttribute>> parse_vendor_specific(ByteView value, std::uint32_t& vendor);

}  // namespace pptpx::radius
