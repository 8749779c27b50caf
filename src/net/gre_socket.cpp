#include "net/gre_socket.hpp"

#include <cerrno>
#include <cstring>

namespace pptpx::net {

namespace {
constexpr std::uint8_t kIpProtoGre = 47;  // RFC 2637 §4: PPTP data uses IP protocol 47 (GRE)
constexpr std::size_t kIpv4MinHeader = 20;
}  // namespace

ByteView strip_ipv4_header(ByteView d) {
  // Too short for even a minimal IPv4 header: a truncated or bogus datagram.
  if (d.size() < kIpv4MinHeader) return {};
  const std::uint8_t version = d[0] >> 4;
  const std::size_t header_len = std::size_t{d[0] & 0x0fu} * 4;
  // Not IPv4, or an IHL below 5 words: the header lies about itself.
  if (version != 4 || header_len < kIpv4MinHeader) return {};
  // IHL pointing past what arrived: options claimed but not delivered.
  if (header_len > d.size()) return {};
  const std::size_t total = load_be16(d.data() + 2);
  // Total length shorter than the header, or longer than what arrived.
  if (total < header_len || total > d.size()) return {};
  // Another protocol on our socket cannot happen for IPPROTO_GRE, unless the kernel changes.
  if (d[9] != kIpProtoGre) return {};
  return d.subspan(header_len, total - header_len);
}

GreSocket::GreSocket(const Options& options)
    : rx_buffers_(kMaxBatch * kSlotSize), tx_buffers_(kMaxBatch * kSlotSize) {
  fd_.reset(::socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_GRE));
  if (!fd_) {
    error_ = std::string("cannot open a raw GRE socket (") + std::strerror(errno) +
             "); run as root or with CAP_NET_RAW";
    return;
  }
  if (options.bind_address.s_addr != INADDR_ANY) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_addr = options.bind_address;
    if (::bind(fd_.get(), reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
      error_ = std::string("cannot bind the GRE socket to the listen address (") + std::strerror(errno) +
               "); check [listen] address is configured on this host";
      fd_.reset();
      return;
    }
  }
  if (options.receive_buffer_bytes > 0) {
    ::setsockopt(fd_.get(), SOL_SOCKET, SO_RCVBUF, &options.receive_buffer_bytes, sizeof(int));
  }
  if (options.send_buffer_bytes > 0) {
    ::setsockopt(fd_.get(), SOL_SOCKET, SO_SNDBUF, &options.send_buffer_bytes, sizeof(int));
  }
  for (std::size_t i = 0; i < kMaxBatch; ++i) {
    rx_iov_[i] = {rx_buffers_.data() + i * kSlotSize, kSlotSize};
    rx_msgs_[i].msg_hdr.msg_iov = &rx_iov_[i];
    rx_msgs_[i].msg_hdr.msg_iovlen = 1;
    tx_msgs_[i].msg_hdr.msg_iov = &tx_iov_[i];
    tx_msgs_[i].msg_hdr.msg_iovlen = 1;
    tx_msgs_[i].msg_hdr.msg_name = &tx_addr_[i];
    tx_msgs_[i].msg_hdr.msg_namelen = sizeof(sockaddr_in);
  }
}

std::span<const GreDatagram> GreSocket::receive_batch() {
  for (std::size_t i = 0; i < kMaxBatch; ++i) {
    rx_msgs_[i].msg_hdr.msg_name = &rx_addr_[i];
    rx_msgs_[i].msg_hdr.msg_namelen = sizeof(sockaddr_in);
    rx_msgs_[i].msg_hdr.msg_flags = 0;
    rx_msgs_[i].msg_len = 0;
  }
  int n;
  do {
    n = ::recvmmsg(fd_.get(), rx_msgs_.data(), static_cast<unsigned>(kMaxBatch), MSG_DONTWAIT, nullptr);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK) ++counters_.rx_errors;
    drained_ = true;
    return {};
  }
  drained_ = static_cast<std::size_t>(n) < kMaxBatch;
  std::size_t out = 0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
    if ((rx_msgs_[i].msg_hdr.msg_flags & MSG_TRUNC) != 0) {
      ++counters_.rx_truncated;
      continue;
    }
    const ByteView datagram(rx_buffers_.data() + i * kSlotSize, rx_msgs_[i].msg_len);
    const ByteView gre = strip_ipv4_header(datagram);
    if (gre.empty()) {
      ++counters_.rx_bad_ip_header;
      continue;
    }
    // More-fragments set or a non-zero offset: the kernel normally reassembles before raw delivery.
    if (datagram.size() >= 8 && (load_be16(datagram.data() + 6) & 0x3fffu) != 0) {
      ++counters_.rx_fragments;
      continue;
    }
    rx_out_[out++] = GreDatagram{rx_addr_[i].sin_addr, gre};
  }
  counters_.rx_datagrams += out;
  return {rx_out_.data(), out};
}

bool GreSocket::queue(in_addr peer, ByteView gre) {
  if (tx_count_ == kMaxBatch) {
    ++counters_.tx_dropped;
    return false;
  }
  tx_addr_[tx_count_] = sockaddr_in{};
  tx_addr_[tx_count_].sin_family = AF_INET;
  tx_addr_[tx_count_].sin_addr = peer;
  // iovec wants a non-const pointer; sendmmsg only reads through it.
  tx_iov_[tx_count_] = {const_cast<std::uint8_t*>(gre.data()), gre.size()};
  ++tx_count_;
  return true;
}

bool GreSocket::queue_copy(in_addr peer, ByteView gre) {
  if (gre.size() > kSlotSize) {
    ++counters_.tx_too_big;
    ++counters_.tx_dropped;
    return false;
  }
  if (tx_count_ == kMaxBatch) {
    ++counters_.tx_dropped;
    return false;
  }
  std::uint8_t* slot = tx_buffers_.data() + tx_count_ * kSlotSize;
  std::memcpy(slot, gre.data(), gre.size());
  return queue(peer, ByteView(slot, gre.size()));
}

std::size_t GreSocket::flush() {
  std::size_t next = 0;      // first datagram not yet handed to the kernel
  std::size_t accepted = 0;  // how many the kernel took
  while (next < tx_count_) {
    const int n = ::sendmmsg(fd_.get(), tx_msgs_.data() + next, static_cast<unsigned>(tx_count_ - next), MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) break;  // full: drop the rest
      // A per-destination error (e.g. EHOSTUNREACH) fails the first datagram only: skip it.
      ++counters_.tx_errors;
      ++counters_.tx_dropped;
      ++next;
      continue;
    }
    next += static_cast<std::size_t>(n);
    accepted += static_cast<std::size_t>(n);
  }
  counters_.tx_datagrams += accepted;
  counters_.tx_dropped += tx_count_ - next;
  tx_count_ = 0;
  return accepted;
}

}  // namespace pptpx::net
