// A minimal rtnetlink client: builds one request (header + fixed part + attributes), sends it,
// and waits for the kernel's acknowledgement. Used by tun_device.cpp for links, addresses and
// routes, so nothing shells out to `ip`.
#pragma once
#include <cstdint>
#include <string>

#include "net/unique_fd.hpp"
#include "util/bytes.hpp"

namespace pptpx::net {

// One rtnetlink request under construction. Attributes are appended 4-byte aligned
// (RTA_ALIGN); the header's length is filled in by Netlink::request().
class NetlinkMessage {
 public:
  NetlinkMessage(std::uint16_t type, std::uint16_t flags);
  // The message's fixed part (ifinfomsg, ifaddrmsg, rtmsg): a kernel ABI struct, copied as bytes.
  template <typename T>
  void fixed(const T& body) {
    append(&body, sizeof body);
  }
  void attr(std::uint16_t type, const void* data, std::size_t len);
  void attr_u32(std::uint16_t type, std::uint32_t v) { attr(type, &v, sizeof v); }
  std::uint16_t type() const { return type_; }
  Bytes& bytes() { return buf_; }

 private:
  void append(const void* data, std::size_t len);
  void pad();
  std::uint16_t type_;
  Bytes buf_;
};

class Netlink {
 public:
  // Opens a NETLINK_ROUTE socket; on failure `ok()` is false and `error()` says why.
  Netlink();
  bool ok() const { return static_cast<bool>(fd_); }
  const std::string& error() const { return error_; }
  // Sends the request with NLM_F_REQUEST|NLM_F_ACK and returns 0 or the kernel's errno.
  int request(NetlinkMessage& msg);

 private:
  UniqueFd fd_;
  std::uint32_t seq_ = 1;
  std::string error_;
};

}  // namespace pptpx::net
