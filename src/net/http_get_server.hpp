// A minimal HTTP/1.x server for one purpose: answering GET requests of a scraper (Prometheus'
// GET /metrics). Each connection carries one request: the head is read (at most 8 KiB, within
// kRequestLimit), the answer is written with "Connection: close", and the socket closed. A
// source that `allow` refuses is closed at accept without a byte. At most kMaxClients at once.
// docs/architecture.md says why this is ours rather than a library's.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <asio/io_context.hpp>
#include <asio/ip/address.hpp>

#include "util/time.hpp"

namespace pptpx::net {

struct HttpAnswer {
  int status = 200;  // 200, 404, 405, ...
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

class HttpGetServer {
 public:
  static constexpr std::size_t kMaxHead = 8 * 1024;
  static constexpr std::size_t kMaxClients = 16;
  static constexpr Duration kRequestLimit = std::chrono::seconds(10);
  using Allow = std::function<bool(const asio::ip::address& source)>;
  // `path` is the request target ("/metrics"); called for GET and HEAD only.
  using Handler = std::function<HttpAnswer(const std::string& path)>;

  HttpGetServer(asio::io_context& io, const std::string& address, std::uint16_t port, Allow allow, Handler handle);
  ~HttpGetServer();
  HttpGetServer(const HttpGetServer&) = delete;
  HttpGetServer& operator=(const HttpGetServer&) = delete;
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  std::uint16_t port() const;  // the bound port (port 0 in tests)

  struct State;

 private:
  std::shared_ptr<State> state_;
  std::string error_;
};

// The parts of a request head the server needs; nullopt-like empty method when malformed.
struct HttpRequestLine {
  std::string method, target, version;
};
HttpRequestLine parse_request_line(const std::string& head);
// A full HTTP/1.1 response with Content-Length and Connection: close; `head_only` omits the body.
std::string http_response(const HttpAnswer& a, bool head_only);

}  // namespace pptpx::net
