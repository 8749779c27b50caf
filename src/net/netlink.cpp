#include "net/netlink.hpp"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace pptpx::net {

namespace {
constexpr std::size_t align4(std::size_t n) { return (n + 3) & ~std::size_t{3}; }
}  // namespace

NetlinkMessage::NetlinkMessage(std::uint16_t type, std::uint16_t flags) : type_(type) {
  buf_.reserve(256);  // also keeps g++ 12 -O2 from a false -Wstringop-overflow on the first insert
  nlmsghdr h{};
  h.nlmsg_type = type;
  h.nlmsg_flags = static_cast<std::uint16_t>(flags | NLM_F_REQUEST | NLM_F_ACK);
  append(&h, sizeof h);
}

void NetlinkMessage::append(const void* data, std::size_t len) {
  const auto* p = static_cast<const std::uint8_t*>(data);
  buf_.insert(buf_.end(), p, p + len);
  pad();
}

void NetlinkMessage::pad() { buf_.resize(align4(buf_.size()), 0); }

void NetlinkMessage::attr(std::uint16_t type, const void* data, std::size_t len) {
  rtattr a{};
  a.rta_type = type;
  a.rta_len = static_cast<unsigned short>(sizeof(rtattr) + len);
  const auto* ap = reinterpret_cast<const std::uint8_t*>(&a);
  buf_.insert(buf_.end(), ap, ap + sizeof a);  // sizeof(rtattr) == 4: already aligned
  append(data, len);
}

Netlink::Netlink() {
  fd_.reset(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
  if (!fd_) {
    error_ = std::string("cannot open an rtnetlink socket: ") + std::strerror(errno);
    return;
  }
  sockaddr_nl local{};
  local.nl_family = AF_NETLINK;
  if (::bind(fd_.get(), reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
    error_ = std::string("cannot bind the rtnetlink socket: ") + std::strerror(errno);
    fd_.reset();
  }
}

int Netlink::request(NetlinkMessage& msg) {
  if (!fd_) return EBADF;
  Bytes& b = msg.bytes();
  const std::uint32_t seq = seq_++;
  nlmsghdr h{};
  std::memcpy(&h, b.data(), sizeof h);
  h.nlmsg_len = static_cast<std::uint32_t>(b.size());
  h.nlmsg_seq = seq;
  std::memcpy(b.data(), &h, sizeof h);

  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  ssize_t sent;
  do {
    sent = ::sendto(fd_.get(), b.data(), b.size(), 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) return errno;

  alignas(nlmsghdr) std::array<std::uint8_t, 8192> reply{};
  for (;;) {
    const ssize_t n = ::recv(fd_.get(), reply.data(), reply.size(), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    std::size_t off = 0;
    const auto len = static_cast<std::size_t>(n);
    while (off + sizeof(nlmsghdr) <= len) {
      nlmsghdr r{};
      std::memcpy(&r, reply.data() + off, sizeof r);
      // A length shorter than the header or past the datagram is a malformed reply: stop.
      if (r.nlmsg_len < sizeof(nlmsghdr) || off + r.nlmsg_len > len) return EPROTO;
      if (r.nlmsg_seq == seq && r.nlmsg_type == NLMSG_ERROR) {
        if (r.nlmsg_len < sizeof(nlmsghdr) + sizeof(int)) return EPROTO;
        int err = 0;
        std::memcpy(&err, reply.data() + off + sizeof(nlmsghdr), sizeof err);
        return -err;  // the kernel sends 0 for success, -errno for failure
      }
      off += align4(r.nlmsg_len);
    }
  }
}

}  // namespace pptpx::net
