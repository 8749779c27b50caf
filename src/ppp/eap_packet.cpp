#include "ppp/eap_packet.hpp"

#include <algorithm>

namespace pptpx::ppp {

EapParseResult parse_eap(ByteView in) {
  EapParseResult r;
  if (in.size() < 4) {
    r.error = EapParseError::Malformed;
    return r;
  }
  const std::uint8_t code = in[0];
  const std::size_t length = load_be16(in.data() + 2);
  // RFC 3748 §4: Length counts Code..Data; octets past it are padding, a Length past the frame
  // is an error.
  if (length < 4 || length > in.size()) {
    r.error = EapParseError::Malformed;
    return r;
  }
  if (code < 1 || code > 4) {
    r.error = EapParseError::UnknownCode;
    return r;
  }
  r.packet.code = static_cast<EapCode>(code);
  r.packet.identifier = in[1];
  if (r.packet.code == EapCode::Request || r.packet.code == EapCode::Response) {
    if (length < 5) {
      r.error = EapParseError::Malformed;
      return r;
    }
    r.packet.type = in[4];
    r.packet.type_data = in.subspan(5, length - 5);
  }
  return r;
}

Bytes build_eap(EapCode code, std::uint8_t identifier, std::optional<std::uint8_t> type, ByteView type_data) {
  Bytes out;
  ByteWriter w(out);
  w.u8(static_cast<std::uint8_t>(code));
  w.u8(identifier);
  w.u16(static_cast<std::uint16_t>(4 + (type ? 1 + type_data.size() : 0)));
  if (type) {
    w.u8(*type);
    w.bytes(type_data);
  }
  return out;
}

std::optional<EapTlsFrame> parse_eap_tls(ByteView d) {
  if (d.empty()) return std::nullopt;
  EapTlsFrame f;
  f.flags = d[0];
  std::size_t at = 1;
  if (f.flags & eap_tls_flag::kLength) {
    if (d.size() < 5) return std::nullopt;
    f.message_length = load_be32(d.data() + 1);
    at = 5;
  }
  f.data = d.subspan(at);
  return f;
}

void EapTlsReassembler::reset() {
  buffer_.clear();
  announced_.reset();
  in_progress_ = false;
}

EapTlsReassembler::Result EapTlsReassembler::add(const EapTlsFrame& frame) {
  if (!in_progress_) {
    buffer_.clear();
    announced_.reset();
    // RFC 5216 §2.1.5: L appears on the first fragment; later fragments' L is ignored.
    if (frame.message_length) {
      if (*frame.message_length > max_) return Result::TooLarge;
      announced_ = frame.message_length;
    }
  }
  const std::size_t limit = announced_ ? *announced_ : max_;
  if (buffer_.size() + frame.data.size() > limit) {
    const bool announced = announced_.has_value();
    reset();
    return announced ? Result::Invalid : Result::TooLarge;
  }
  buffer_.insert(buffer_.end(), frame.data.begin(), frame.data.end());
  if (frame.flags & eap_tls_flag::kMore) {
    in_progress_ = true;
    return Result::NeedMore;
  }
  in_progress_ = false;
  if (announced_ && buffer_.size() != *announced_) {
    reset();
    return Result::Invalid;
  }
  return Result::Complete;
}

void EapTlsFragmenter::load(Bytes message, std::size_t max_data) {
  message_ = std::move(message);
  offset_ = 0;
  max_data_ = std::max<std::size_t>(max_data, 1);
}

Bytes EapTlsFragmenter::next(std::uint8_t extra_flags) {
  Bytes out;
  ByteWriter w(out);
  const std::size_t remaining = message_.size() - offset_;
  const std::size_t take = std::min(remaining, max_data_);
  const bool first = offset_ == 0;
  const bool fragmented = message_.size() > max_data_;
  std::uint8_t flags = extra_flags;
  if (take < remaining) flags |= eap_tls_flag::kMore;
  if (first && fragmented) flags |= eap_tls_flag::kLength;
  w.u8(flags);
  if (first && fragmented) w.u32(static_cast<std::uint32_t>(message_.size()));
  w.bytes(ByteView(message_).subspan(offset_, take));
  offset_ += take;
  return out;
}

}  // namespace pptpx::ppp
