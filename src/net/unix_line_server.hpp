// A Unix stream socket answering JSON-lines requests (the control socket, docs/control.md):
// each line read is passed to `handle`, whose answer is written back with a '\n'. Many
// requests per connection; at most kMaxClients connections at once (more are closed at
// accept); a line longer than `max_line` gets handle()'s answer to the truncated line and the
// connection is closed; a client silent for kIdleLimit is closed.
//
// The socket file is created with mode 0600 (only its owner, normally root, may connect), its
// directory with 0755 when missing. A socket file a live server answers on is left alone
// (error: another server runs there); a stale one (nobody answers) is replaced. The file is
// removed when the server goes away, if it is still ours.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <asio/io_context.hpp>

#include "util/time.hpp"

namespace pptpx::net {

class UnixLineServer {
 public:
  static constexpr std::size_t kMaxClients = 16;
  static constexpr Duration kIdleLimit = std::chrono::seconds(30);
  using Handler = std::function<std::string(std::string_view line)>;

  UnixLineServer(asio::io_context& io, std::string path, std::size_t max_line, Handler handle);
  ~UnixLineServer();
  UnixLineServer(const UnixLineServer&) = delete;
  UnixLineServer& operator=(const UnixLineServer&) = delete;
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }  // one sentence with the fix
  const std::string& path() const { return path_; }

  struct State;

 private:
  std::shared_ptr<State> state_;
  std::string path_;
  std::string error_;
  unsigned long long inode_ = 0;
};

}  // namespace pptpx::net
