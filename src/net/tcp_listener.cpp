#include "net/tcp_listener.hpp"

#include <asio/post.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>

namespace pptpx::net {

struct TcpListener::State {
  explicit State(asio::io_context& io) : acceptor(io) {}
  asio::ip::tcp::acceptor acceptor;
  OnAccept on_accept;
  bool stopped = false;
};

namespace {
void accept_next(const std::shared_ptr<TcpListener::State>& s) {
  s->acceptor.async_accept([s](const std::error_code& ec, asio::ip::tcp::socket socket) {
    if (s->stopped) return;
    // Per-connection failures (ECONNABORTED, EMFILE, ...) must not stop the listener.
    if (!ec) s->on_accept(std::move(socket));
    accept_next(s);
  });
}
}  // namespace

TcpListener::TcpListener(asio::io_context& io, const std::string& address, std::uint16_t port, OnAccept on_accept)
    : state_(std::make_shared<State>(io)) {
  state_->on_accept = std::move(on_accept);
  std::error_code ec;
  const auto ip = asio::ip::make_address(address, ec);
  if (ec) {
    error_ = "listen address \"" + address + "\" is not an IP address; fix [listen] address";
    return;
  }
  const asio::ip::tcp::endpoint ep(ip, port);
  auto& a = state_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    error_ = "cannot listen on " + address + " port " + std::to_string(port) + " (" + ec.message() + ")" +
             (ec == asio::error::access_denied ? "; ports below 1024 need root or CAP_NET_BIND_SERVICE"
                                               : (ec == asio::error::address_in_use
                                                      ? "; another program (another pptpd?) holds the port"
                                                      : ""));
    return;
  }
  ok_ = true;
  accept_next(state_);
}

TcpListener::~TcpListener() {
  state_->stopped = true;
  std::error_code ignored;
  state_->acceptor.close(ignored);
}

std::uint16_t TcpListener::port() const {
  std::error_code ec;
  return state_->acceptor.local_endpoint(ec).port();
}

std::shared_ptr<TcpStream> TcpStream::make(asio::ip::tcp::socket socket, OnBytes on_bytes, OnClosed on_closed) {
  return std::make_shared<TcpStream>(std::move(socket), std::move(on_bytes), std::move(on_closed));
}

TcpStream::TcpStream(asio::ip::tcp::socket socket, OnBytes on_bytes, OnClosed on_closed)
    : socket_(std::move(socket)), on_bytes_(std::move(on_bytes)), on_closed_(std::move(on_closed)) {
  std::error_code ec;
  remote_ = socket_.remote_endpoint(ec);
  // Control messages are small and latency-bound (echo, call setup): no Nagle delay.
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
}

void TcpStream::start() { read_more(); }

void TcpStream::read_more() {
  socket_.async_read_some(asio::buffer(rx_), [self = shared_from_this()](const std::error_code& ec, std::size_t n) {
    if (self->closed_) return;
    if (ec) {
      self->fail(ec == asio::error::eof ? std::error_code{} : ec);
      return;
    }
    self->on_bytes_(ByteView(self->rx_.data(), n));
    if (!self->closed_) self->read_more();
  });
}

void TcpStream::send(ByteView bytes) {
  if (closed_ || bytes.empty()) return;
  if (pending_ + bytes.size() > max_pending_) {
    // The peer does not read what it asked for: drop the queue and the connection, and tell the
    // owner from the loop (it may be inside its own send path now).
    closed_ = true;
    std::error_code ignored;
    socket_.close(ignored);
    release_queue();  // give the memory back now
    asio::post(socket_.get_executor(), [self = shared_from_this()] {
      if (!self->owner_closed_ && self->on_closed_) self->on_closed_(send_queue_full());
    });
    return;
  }
  // Appends to the last buffer unless it is the one being written: one allocation per burst of
  // small control messages rather than one each.
  if (tx_.size() >= 2) {
    tx_.back().insert(tx_.back().end(), bytes.begin(), bytes.end());
  } else {
    tx_.emplace_back(bytes.begin(), bytes.end());
  }
  pending_ += bytes.size();
  if (!writing_) write_more();
}

void TcpStream::write_more() {
  if (tx_.empty()) {
    writing_ = false;
    return;
  }
  writing_ = true;
  asio::async_write(socket_, asio::buffer(tx_.front()),
                    [self = shared_from_this()](const std::error_code& ec, std::size_t n) {
                      if (self->closed_) return;
                      if (ec) {
                        self->fail(ec);
                        return;
                      }
                      self->pending_ -= n;
                      self->tx_.pop_front();
                      self->write_more();
                    });
}

void TcpStream::fail(const std::error_code& ec) {
  if (closed_) return;
  closed_ = true;
  std::error_code ignored;
  socket_.close(ignored);
  release_queue();
  if (on_closed_) on_closed_(ec);
}

void TcpStream::close() {
  owner_closed_ = true;
  if (closed_) return;
  closed_ = true;
  std::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  release_queue();
}

void TcpStream::release_queue() {
  // The buffer being written stays until its (aborted) write completes; the rest goes now.
  std::deque<Bytes> keep;
  if (writing_ && !tx_.empty()) keep.push_back(std::move(tx_.front()));
  tx_.swap(keep);
  pending_ = 0;
}

}  // namespace pptpx::net
