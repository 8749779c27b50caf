#include "pptp/control_stream.hpp"

#include <algorithm>

#include "pptp/control_message.hpp"

namespace pptpx::pptp {
namespace {

bool is_known_length(std::size_t n) {
  for (std::uint16_t t = 1; t <= 15; ++t) {
    if (message_length(t) == n) return true;
  }
  return false;
}

}  // namespace

void ControlStream::compact() {
  // Drop what next() has handed out, so between reads at most one partial message (< 220
  // octets) is held; give back the room a large read needed (memory per idle connection).
  if (pos_ > 0) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(pos_));
    pos_ = 0;
  }
  if (buf_.capacity() > 4 * kMaxMessageLength) Bytes(buf_).swap(buf_);
}

void ControlStream::append(ByteView tcp_bytes) {
  if (failed_) return;  // after a fatal error nothing more is parsed
  compact();
  buf_.insert(buf_.end(), tcp_bytes.begin(), tcp_bytes.end());
}

ControlStream::Next ControlStream::next() {
  Next out;
  if (failed_) {
    out.status = Status::Fatal;
    out.reason = reason_;
    return out;
  }
  const std::size_t avail = buf_.size() - pos_;
  if (avail < 2) {  // the Length field itself is still split
    compact();
    return out;
  }
  const std::size_t length = load_be16(buf_.data() + pos_);
  // Catches: a peer that is not speaking PPTP, or a stream already out of step. Only the fifteen
  // fixed sizes exist (RFC 2637 §2), so anything else (0, 1, 65535, ...) can never be a message.
  if (length < kMinMessageLength || length > kMaxMessageLength || !is_known_length(length)) {
    failed_ = true;
    reason_ = "control stream Length field " + std::to_string(length) +
              " is not the size of any PPTP control message";
    out.status = Status::Fatal;
    out.reason = reason_;
    return out;
  }
  if (avail < length) {
    compact();
    return out;
  }
  out.status = Status::Message;
  out.frame = ByteView(buf_.data() + pos_, length);
  pos_ += length;
  return out;
}

}  // namespace pptpx::pptp
