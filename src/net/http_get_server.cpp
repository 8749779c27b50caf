#include "net/http_get_server.hpp"

#include <asio/ip/tcp.hpp>
#include <asio/read_until.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>

namespace pptpx::net {

using asio::ip::tcp;

struct HttpGetServer::State {
  State(asio::io_context& io, Allow a, Handler h) : acceptor(io), allow(std::move(a)), handle(std::move(h)) {}
  tcp::acceptor acceptor;
  Allow allow;
  Handler handle;
  std::size_t clients = 0;
  bool stopped = false;
};

HttpRequestLine parse_request_line(const std::string& head) {
  HttpRequestLine r;
  const std::string line = head.substr(0, head.find("\r\n"));
  const auto a = line.find(' ');
  const auto b = a == std::string::npos ? a : line.find(' ', a + 1);
  if (a == std::string::npos || b == std::string::npos || line.find(' ', b + 1) != std::string::npos) return r;
  r.method = line.substr(0, a);
  r.target = line.substr(a + 1, b - a - 1);
  r.version = line.substr(b + 1);
  if (r.version.rfind("HTTP/1.", 0) != 0 || r.target.empty()) r.method.clear();
  return r;
}

std::string http_response(const HttpAnswer& a, bool head_only) {
  const char* reason = a.status == 200   ? "OK"
                       : a.status == 400 ? "Bad Request"
                       : a.status == 404 ? "Not Found"
                       : a.status == 405 ? "Method Not Allowed"
                                         : "Error";
  std::string out = "HTTP/1.1 " + std::to_string(a.status) + " " + reason + "\r\nContent-Type: " + a.content_type +
                    "\r\nContent-Length: " + std::to_string(a.body.size()) + "\r\nConnection: close\r\n";
  if (a.status == 405) out += "Allow: GET, HEAD\r\n";
  out += "\r\n";
  if (!head_only) out += a.body;
  return out;
}

namespace {

class Exchange : public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(std::shared_ptr<HttpGetServer::State> s, tcp::socket socket)
      : server_(std::move(s)), socket_(std::move(socket)), deadline_(socket_.get_executor()) {
    ++server_->clients;
  }
  ~Exchange() { --server_->clients; }

  void start() {
    deadline_.expires_after(HttpGetServer::kRequestLimit);
    deadline_.async_wait([self = shared_from_this()](const std::error_code& ec) {
      if (!ec) self->close();
    });
    asio::async_read_until(socket_, asio::dynamic_buffer(head_, HttpGetServer::kMaxHead), "\r\n\r\n",
                           [self = shared_from_this()](const std::error_code& ec, std::size_t) { self->on_head(ec); });
  }

 private:
  void on_head(const std::error_code& ec) {
    if (server_->stopped) return;
    HttpAnswer a;
    bool head_only = false;
    if (ec == asio::error::not_found) {
      a = {400, "text/plain; charset=utf-8", "request head too long\n"};
    } else if (ec) {
      close();
      return;
    } else {
      const HttpRequestLine r = parse_request_line(head_);
      head_only = r.method == "HEAD";
      if (r.method.empty()) a = {400, "text/plain; charset=utf-8", "malformed request line\n"};
      else if (r.method != "GET" && r.method != "HEAD") a = {405, "text/plain; charset=utf-8", "only GET\n"};
      else a = server_->handle(r.target);
    }
    out_ = http_response(a, head_only);
    asio::async_write(socket_, asio::buffer(out_), [self = shared_from_this()](const std::error_code&, std::size_t) {
      std::error_code ignored;
      self->socket_.shutdown(tcp::socket::shutdown_both, ignored);
      self->close();
    });
  }
  void close() {
    deadline_.cancel();
    std::error_code ignored;
    socket_.close(ignored);
  }

  std::shared_ptr<HttpGetServer::State> server_;
  tcp::socket socket_;
  asio::steady_timer deadline_;
  std::string head_, out_;
};

void accept_next(const std::shared_ptr<HttpGetServer::State>& s) {
  s->acceptor.async_accept([s](const std::error_code& ec, tcp::socket socket) {
    if (s->stopped || ec == asio::error::operation_aborted) return;
    if (!ec) {
      std::error_code rec;
      const auto remote = socket.remote_endpoint(rec);
      if (rec || !s->allow(remote.address()) || s->clients >= HttpGetServer::kMaxClients) {
        std::error_code ignored;
        socket.close(ignored);
      } else {
        std::make_shared<Exchange>(s, std::move(socket))->start();
      }
    }
    accept_next(s);
  });
}

}  // namespace

HttpGetServer::HttpGetServer(asio::io_context& io, const std::string& address, std::uint16_t port, Allow allow,
                             Handler handle)
    : state_(std::make_shared<State>(io, std::move(allow), std::move(handle))) {
  std::error_code ec;
  const auto addr = asio::ip::make_address(address, ec);
  if (ec) {
    error_ = "metrics listen address \"" + address + "\" is not an IP address; fix [metrics] listen";
    return;
  }
  const tcp::endpoint ep(addr, port);
  state_->acceptor.open(ep.protocol(), ec);
  if (!ec) state_->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) state_->acceptor.bind(ep, ec);
  if (!ec) state_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    error_ = "cannot listen for metrics on " + address + ":" + std::to_string(port) + ": " + ec.message() +
             "; choose a free address and port in [metrics] listen";
    return;
  }
  accept_next(state_);
}

HttpGetServer::~HttpGetServer() {
  state_->stopped = true;
  std::error_code ignored;
  state_->acceptor.close(ignored);
}

std::uint16_t HttpGetServer::port() const {
  std::error_code ec;
  const auto ep = state_->acceptor.local_endpoint(ec);
  return ec ? std::uint16_t{0} : ep.port();
}

}  // namespace pptpx::net
