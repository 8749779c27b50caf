// The PPTP control-connection listener (TCP port 1723, RFC 2637 §1.4) and one accepted or dialled
// control connection as a byte stream: bytes in -> on_bytes, send() queues bytes out in order.
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <system_error>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include "util/bytes.hpp"

namespace pptpx::net {

class TcpListener {
 public:
  using OnAccept = std::function<void(asio::ip::tcp::socket socket)>;
  // Binds and listens (SO_REUSEADDR). On failure ok() is false and error() says why and how to fix.
  TcpListener(asio::io_context& io, const std::string& address, std::uint16_t port, OnAccept on_accept);
  ~TcpListener();
  TcpListener(const TcpListener&) = delete;
  TcpListener& operator=(const TcpListener&) = delete;
  bool ok() const { return ok_; }
  const std::string& error() const { return error_; }
  std::uint16_t port() const;  // the bound port (useful with port 0 in tests)

  struct State;  // implementation detail (shared with the pending accept)

 private:
  std::shared_ptr<State> state_;
  bool ok_ = false;
  std::string error_;
};

// A connected TCP socket driven by callbacks. Create with make(); call start() to begin reading.
//
// The bytes queued for the peer are bounded (max_pending(), 64 KiB by default; issue 19): a peer
// that sends requests and never reads the replies would otherwise grow the queue without end. A
// send() that would pass the bound closes the stream instead: the queue is freed, and on_closed
// follows (from the event loop, not from inside send()) with kSendQueueFull. PPTP control
// traffic is a few small messages per call (RFC 2637 §2), so an honest peer never comes near.
class TcpStream : public std::enable_shared_from_this<TcpStream> {
 public:
  using OnBytes = std::function<void(ByteView bytes)>;
  using OnClosed = std::function<void(const std::error_code& why)>;  // why is empty on a clean EOF
  static constexpr std::size_t kDefaultMaxPending = 64 * 1024;
  // on_closed's `why` when the send queue passed its bound.
  static std::error_code send_queue_full() { return std::make_error_code(std::errc::no_buffer_space); }

  static std::shared_ptr<TcpStream> make(asio::ip::tcp::socket socket, OnBytes on_bytes, OnClosed on_closed);
  void start();
  // Queues bytes; they are written in order. Ignored after close(). Past max_pending() bytes
  // queued: closes the stream (see above).
  void send(ByteView bytes);
  // Closes the socket; on_closed is not called for a close the owner asked for.
  void close();
  std::size_t pending_bytes() const { return pending_; }
  std::size_t max_pending() const { return max_pending_; }
  void set_max_pending(std::size_t bytes) { max_pending_ = bytes; }
  asio::ip::tcp::endpoint remote() const { return remote_; }

  TcpStream(asio::ip::tcp::socket socket, OnBytes on_bytes, OnClosed on_closed);  // use make()

 private:
  void read_more();
  void write_more();
  void fail(const std::error_code& ec);
  void release_queue();
  asio::ip::tcp::socket socket_;
  asio::ip::tcp::endpoint remote_;
  OnBytes on_bytes_;
  OnClosed on_closed_;
  std::array<std::uint8_t, 4096> rx_{};
  std::deque<Bytes> tx_;
  std::size_t pending_ = 0;
  std::size_t max_pending_ = kDefaultMaxPending;
  bool writing_ = false;
  bool closed_ = false;
  bool owner_closed_ = false;  // close() was called: on_closed must not run any more
};

}  // namespace pptpx::net
