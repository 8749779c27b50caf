// Cuts the TCP byte stream of a control connection into whole PPTP messages. TCP may split a
// message across reads or coalesce several into one; this holds at most one partial message
// (< 220 octets). A Length field that no control message has is fatal: the stream cannot be
// resynchronised (RFC 2637 §3: a malformed message should close the control connection).
//
//   ControlStream s;  s.append(bytes);
//   while (auto r = s.next(); r.status == ControlStream::Status::Message) decode(r.frame);
#pragma once
#include <string>

#include "util/bytes.hpp"

namespace pptpx::pptp {

class ControlStream {
 public:
  enum class Status { NeedMore, Message, Fatal };
  struct Next {
    Status status = Status::NeedMore;
    ByteView frame;      // Message: one whole message, valid until the next append()/next()
    std::string reason;  // Fatal: why the stream was given up
  };

  void append(ByteView tcp_bytes);
  Next next();
  bool failed() const { return failed_; }
  std::size_t buffered() const { return buf_.size() - pos_; }
  std::size_t capacity() const { return buf_.capacity(); }

 private:
  void compact();
  Bytes buf_;
  std::size_t pos_ = 0;  // start of the first unconsumed octet
  bool failed_ = false;
  std::string reason_;
};

}  // namespace pptpx::pptp
