#include "net/unix_line_server.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <asio/local/stream_protocol.hpp>
#include <asio/read_until.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>

#include "net/unique_fd.hpp"

namespace pptpx::net {

using asio::local::stream_protocol;

struct UnixLineServer::State {
  State(asio::io_context& io, std::size_t max, Handler h) : acceptor(io), max_line(max), handle(std::move(h)) {}
  stream_protocol::acceptor acceptor;
  std::size_t max_line;
  Handler handle;
  std::size_t clients = 0;
  bool stopped = false;
};

namespace {

class Client : public std::enable_shared_from_this<Client> {
 public:
  Client(std::shared_ptr<UnixLineServer::State> server, stream_protocol::socket socket)
      : server_(std::move(server)), socket_(std::move(socket)), idle_(socket_.get_executor()) {
    ++server_->clients;
  }
  ~Client() { --server_->clients; }

  void read() {
    if (server_->stopped) return;
    idle_.expires_after(UnixLineServer::kIdleLimit);
    idle_.async_wait([self = shared_from_this()](const std::error_code& ec) {
      if (!ec) self->close();
    });
    // One byte more than the longest line: a line that does not fit is detected as such.
    asio::async_read_until(socket_, asio::dynamic_buffer(in_, server_->max_line + 1), '\n',
                           [self = shared_from_this()](const std::error_code& ec, std::size_t n) { self->on_line(ec, n); });
  }

 private:
  void on_line(const std::error_code& ec, std::size_t n) {
    idle_.cancel();
    if (server_->stopped) return;
    bool last = false;
    std::string line;
    if (ec == asio::error::not_found) {  // too long: answer (the handler says so) and close
      line = in_;
      last = true;
    } else if (ec) {
      close();
      return;
    } else {
      line = in_.substr(0, n - 1);
      in_.erase(0, n);
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out_ = server_->handle(line) + "\n";
    asio::async_write(socket_, asio::buffer(out_), [self = shared_from_this(), last](const std::error_code& wec, std::size_t) {
      if (wec || last) {
        self->close();
        return;
      }
      self->read();
    });
  }
  void close() {
    std::error_code ignored;
    socket_.close(ignored);
  }

  std::shared_ptr<UnixLineServer::State> server_;
  stream_protocol::socket socket_;
  asio::steady_timer idle_;
  std::string in_, out_;
};

void accept_next(const std::shared_ptr<UnixLineServer::State>& s) {
  s->acceptor.async_accept([s](const std::error_code& ec, stream_protocol::socket socket) {
    if (s->stopped || ec == asio::error::operation_aborted) return;
    if (!ec) {
      if (s->clients >= UnixLineServer::kMaxClients) {
        std::error_code ignored;
        socket.close(ignored);  // busy: the client sees the connection close
      } else {
        std::make_shared<Client>(s, std::move(socket))->read();
      }
    }
    accept_next(s);
  });
}

// Something answers on `path`: another live server.
bool someone_listens(const std::string& path) {
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return false;
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::memcpy(a.sun_path, path.c_str(), path.size() + 1);
  return ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a) == 0;
}

}  // namespace

UnixLineServer::UnixLineServer(asio::io_context& io, std::string path, std::size_t max_line, Handler handle)
    : state_(std::make_shared<State>(io, max_line, std::move(handle))), path_(std::move(path)) {
  if (path_.size() >= sizeof(sockaddr_un::sun_path)) {
    error_ = "control socket path " + path_ + " is longer than " + std::to_string(sizeof(sockaddr_un::sun_path) - 1) +
             " bytes; choose a shorter [control] socket";
    return;
  }
  if (const auto slash = path_.rfind('/'); slash != std::string::npos && slash > 0) {
    const std::string dir = path_.substr(0, slash);
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
      error_ = "cannot create the directory " + dir + " for the control socket: " + std::strerror(errno) +
               "; create it or choose another [control] socket";
      return;
    }
  }
  struct stat st{};
  if (::lstat(path_.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) {
      error_ = path_ + " exists and is not a socket; remove it or choose another [control] socket";
      return;
    }
    if (someone_listens(path_)) {
      error_ = "another pptpx server answers on " + path_ + "; stop it or give this one another [control] socket";
      return;
    }
    ::unlink(path_.c_str());  // stale: left by a server that did not exit cleanly
  }
  std::error_code ec;
  state_->acceptor.open(stream_protocol(), ec);
  const mode_t old_mask = ::umask(0177);  // the socket file is created 0600
  if (!ec) state_->acceptor.bind(stream_protocol::endpoint(path_), ec);
  ::umask(old_mask);
  if (!ec) state_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    error_ = "cannot listen on the control socket " + path_ + ": " + ec.message() +
             "; check the directory's permissions or choose another [control] socket";
    return;
  }
  if (::lstat(path_.c_str(), &st) == 0) inode_ = st.st_ino;
  accept_next(state_);
}

UnixLineServer::~UnixLineServer() {
  state_->stopped = true;
  std::error_code ignored;
  state_->acceptor.close(ignored);
  struct stat st{};
  if (inode_ != 0 && ::lstat(path_.c_str(), &st) == 0 && st.st_ino == inode_) ::unlink(path_.c_str());
}

}  // namespace pptpx::net
