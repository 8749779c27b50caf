// The raw GRE socket (socket(AF_INET, SOCK_RAW, IPPROTO_GRE)) with batched I/O: recvmmsg hands
// out (peer address, GRE bytes) for up to kMaxBatch datagrams per call, sendmmsg sends a queued
// batch in one call. All buffers are allocated once, at construction; nothing allocates per
// packet. Bad datagrams are dropped and counted, never thrown.
//
// The kernel delivers the whole IPv4 datagram to a raw socket (header included) and builds the
// IPv4 header itself on send (no IP_HDRINCL), so receive strips it and send takes GRE bytes.
#pragma once
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "net/unique_fd.hpp"
#include "util/bytes.hpp"

namespace pptpx::net {

struct GreDatagram {
  in_addr peer{};   // the sender's (receive) or destination (send) IPv4 address
  ByteView gre;     // from the first GRE header byte
};

struct GreCounters {
  std::uint64_t rx_datagrams = 0;      // handed out
  std::uint64_t rx_truncated = 0;      // longer than a slot (MSG_TRUNC): dropped
  std::uint64_t rx_bad_ip_header = 0;  // shorter than its IPv4 header claims, or not IPv4/GRE
  std::uint64_t rx_fragments = 0;      // IPv4 fragments (the raw socket gets them reassembled; counted if not)
  std::uint64_t rx_errors = 0;         // recvmmsg failed with something other than EAGAIN
  std::uint64_t tx_datagrams = 0;      // accepted by the kernel
  std::uint64_t tx_dropped = 0;        // not sent (socket buffer full, or an error): GRE is unreliable
  std::uint64_t tx_errors = 0;         // sendmmsg errors other than EAGAIN (counted in tx_dropped too)
  std::uint64_t tx_too_big = 0;        // queue_copy of more than a slot holds (counted in tx_dropped too)
};

class GreSocket {
 public:
  static constexpr std::size_t kMaxBatch = 64;
  // Batches a daemon reads per turn of its event loop before letting timers, TCP and TUN run
  // (issue 19: draining a flooded socket completely starved them for seconds).
  static constexpr std::size_t kBatchesPerTurn = 4;
  // A slot holds one IPv4 datagram: 60-byte header + GRE (16) + PPP + MPPE + a 1500-byte payload fits.
  static constexpr std::size_t kSlotSize = 2048;

  struct Options {
    in_addr bind_address{};           // INADDR_ANY by default
    int receive_buffer_bytes = 0;     // SO_RCVBUF; 0 keeps the system default
    int send_buffer_bytes = 0;        // SO_SNDBUF; 0 keeps the system default
  };

  // Needs CAP_NET_RAW. On failure returns false from ok() and the reason from error().
  explicit GreSocket(const Options& options);
  GreSocket(const GreSocket&) = delete;
  GreSocket& operator=(const GreSocket&) = delete;

  bool ok() const { return static_cast<bool>(fd_); }
  const std::string& error() const { return error_; }
  int fd() const { return fd_.get(); }

  // Non-blocking: receives what is waiting (up to kMaxBatch). The views point into the socket's
  // own buffers and stay valid until the next receive_batch().
  std::span<const GreDatagram> receive_batch();
  // True when the last receive_batch() found the socket empty (the kernel returned fewer than
  // kMaxBatch datagrams, or none): the caller can stop without another recvmmsg that would only
  // say EAGAIN. Bad datagrams dropped from a full batch do not count as empty.
  bool drained() const { return drained_; }

  // Queues one datagram for the next flush(). The bytes are NOT copied: they must stay valid
  // until flush() returns. Returns false (and counts a drop) when the batch is already full;
  // callers flush when full() is true.
  bool queue(in_addr peer, ByteView gre);
  // Same, but copies the bytes into the socket's own preallocated slot, for callers whose buffer
  // is reused before the flush (e.g. a session's send_gre callback). Datagrams longer than
  // kSlotSize are dropped and counted in tx_too_big.
  bool queue_copy(in_addr peer, ByteView gre);
  bool full() const { return tx_count_ == kMaxBatch; }
  std::size_t queued() const { return tx_count_; }
  // Sends everything queued with sendmmsg; what the kernel will not take now is dropped and
  // counted. Returns the number sent.
  std::size_t flush();

  const GreCounters& counters() const { return counters_; }

 private:
  UniqueFd fd_;
  std::string error_;
  GreCounters counters_;

  std::vector<std::uint8_t> rx_buffers_;  // kMaxBatch * kSlotSize
  std::array<iovec, kMaxBatch> rx_iov_{};
  std::array<sockaddr_in, kMaxBatch> rx_addr_{};
  std::array<mmsghdr, kMaxBatch> rx_msgs_{};
  std::array<GreDatagram, kMaxBatch> rx_out_{};

  std::vector<std::uint8_t> tx_buffers_;  // kMaxBatch * kSlotSize, for queue_copy
  std::array<iovec, kMaxBatch> tx_iov_{};
  std::array<sockaddr_in, kMaxBatch> tx_addr_{};
  std::array<mmsghdr, kMaxBatch> tx_msgs_{};
  std::size_t tx_count_ = 0;
  bool drained_ = false;
};

// Strips the IPv4 header a raw socket returns. Returns the GRE bytes, or an empty view when the
// header lies (wrong version, IHL < 5, header or total length past the datagram, not GRE).
ByteView strip_ipv4_header(ByteView datagram);

}  // namespace pptpx::net
