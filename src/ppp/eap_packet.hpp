// EAP packets (RFC 3748 §4, §5) and the EAP-TLS framing (RFC 5216 §3.1, §2.1.5): parse and build,
// plus the fragment reassembly and fragmentation of TLS data with the L, M and S flags.
//
//   EAP:      Code(1) Identifier(1) Length(2) [Type(1) Type-Data...]     (Request/Response only)
//   EAP-TLS:  ... Type=13 Flags(1) [TLS Message Length(4) if L] [TLS Data]
//             Flags: L=0x80 length included, M=0x40 more fragments, S=0x20 start.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "util/bytes.hpp"

namespace pptpx::ppp {

enum class EapCode : std::uint8_t { Request = 1, Response = 2, Success = 3, Failure = 4 };

namespace eap_type {
inline constexpr std::uint8_t kIdentity = 1;      // RFC 3748 §5.1
inline constexpr std::uint8_t kNotification = 2;  // RFC 3748 §5.2
inline constexpr std::uint8_t kNak = 3;           // RFC 3748 §5.3.1 (Legacy Nak)
inline constexpr std::uint8_t kTls = 13;          // RFC 5216
inline constexpr std::uint8_t kExpanded = 254;    // RFC 3748 §5.7
}  // namespace eap_type

namespace eap_tls_flag {
inline constexpr std::uint8_t kLength = 0x80;
inline constexpr std::uint8_t kMore = 0x40;
inline constexpr std::uint8_t kStart = 0x20;
}  // namespace eap_tls_flag

// Largest TLS message we reassemble (the sum of one flight's fragments). pppd uses the same bound
// (EAP_TLS_MAX_LEN, 64 KiB); a certificate chain of a few certificates fits easily.
inline constexpr std::size_t kEapTlsMaxMessage = 64 * 1024;

struct EapPacket {
  EapCode code = EapCode::Request;
  std::uint8_t identifier = 0;
  std::optional<std::uint8_t> type;  // Request/Response only
  ByteView type_data;                // after Type (views into the parsed input)
};

enum class EapParseError : std::uint8_t { None, Malformed, UnknownCode };
struct EapParseResult {
  EapParseError error = EapParseError::None;
  EapPacket packet;
};
// RFC 3748 §4: octets beyond Length are padding and ignored; Length beyond the data, under 4, or a
// Request/Response without a Type is malformed. Success/Failure carry no data (Length 4; more is
// tolerated and ignored).
EapParseResult parse_eap(ByteView information);

Bytes build_eap(EapCode code, std::uint8_t identifier, std::optional<std::uint8_t> type = std::nullopt,
                ByteView type_data = {});

struct EapTlsFrame {
  std::uint8_t flags = 0;
  std::optional<std::uint32_t> message_length;  // present with L
  ByteView data;
};
// nullopt: Type-Data too short for its flags (no Flags octet, or L without 4 length octets).
std::optional<EapTlsFrame> parse_eap_tls(ByteView type_data);

// Collects the fragments of one TLS message (RFC 5216 §2.1.5).
class EapTlsReassembler {
 public:
  enum class Result : std::uint8_t {
    NeedMore,  // a fragment with M taken: acknowledge it and wait for the next
    Complete,  // the message is whole: message() holds it
    TooLarge,  // the L length or the data exceed kEapTlsMaxMessage
    Invalid,   // data beyond the announced length, or a message shorter than announced
  };
  explicit EapTlsReassembler(std::size_t max_message = kEapTlsMaxMessage) : max_(max_message) {}
  Result add(const EapTlsFrame& frame);
  const Bytes& message() const { return buffer_; }
  bool in_progress() const { return in_progress_; }
  void reset();

 private:
  std::size_t max_;
  Bytes buffer_;
  std::optional<std::uint32_t> announced_;
  bool in_progress_ = false;
};

// Cuts one outgoing TLS message into EAP-TLS Type-Data fragments of at most `max_data` TLS octets:
// L with the total length on the first fragment when there is more than one, M on all but the
// last (RFC 5216 §2.1.5).
class EapTlsFragmenter {
 public:
  void load(Bytes message, std::size_t max_data);
  bool pending() const { return offset_ < message_.size(); }
  // Type-Data (Flags onward) of the next fragment; empty message: a bare Flags octet.
  Bytes next(std::uint8_t extra_flags = 0);
  void clear() { message_.clear(), offset_ = 0; }

 private:
  Bytes message_;
  std::size_t offset_ = 0;
  std::size_t max_data_ = 1;
};

}  // namespace pptpx::ppp
