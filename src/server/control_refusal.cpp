#include "server/control_refusal.hpp"

#include <array>
#include <chrono>
#include <memory>

#include <asio/read.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>

#include "pptp/control_codec.hpp"
#include "pptp/control_message.hpp"
#include "pptp/result_codes.hpp"
#include "util/bytes.hpp"

namespace pptpx::server {

namespace {
constexpr std::size_t kSccrqLength = 156;  // RFC 2637 §2.1
constexpr int kMaxInFlight = 64;
int in_flight = 0;  // the event loop is single-threaded

struct Refusal : std::enable_shared_from_this<Refusal> {
  Refusal(asio::io_context& io, asio::ip::tcp::socket s, std::string r)
      : socket(std::move(s)), timer(io), reply(std::move(r)) {
    ++in_flight;
  }
  ~Refusal() { --in_flight; }
  asio::ip::tcp::socket socket;
  asio::steady_timer timer;
  std::string reply;
  std::array<char, kSccrqLength> request{};

  void start() {
    auto self = shared_from_this();
    timer.expires_after(std::chrono::seconds(5));
    timer.async_wait([self](const std::error_code& e) {
      if (!e) self->socket.close();
    });
    // The peer speaks first (§3.1.2); its request is read so closing sends FIN, not RST.
    asio::async_read(socket, asio::buffer(request), [self](const std::error_code& e, std::size_t) {
      if (e) {
        self->timer.cancel();
        return;
      }
      asio::async_write(self->socket, asio::buffer(self->reply), [self](const std::error_code&, std::size_t) {
        std::error_code ignored;
        self->socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        self->socket.close(ignored);
        self->timer.cancel();
      });
    });
  }
};
}  // namespace

std::string refusal_reply(const std::string& reason) {
  pptp::StartControlConnectionReply r;
  r.result_code = static_cast<std::uint8_t>(pptp::StartResult::NotAuthorized);
  r.host_name = "pptpx";
  r.vendor = reason.substr(0, pptp::kNameFieldSize - 1);
  const Bytes b = pptp::encode(pptp::ControlMessage{r});
  return std::string(b.begin(), b.end());
}

void refuse_control_connection(asio::io_context& io, asio::ip::tcp::socket socket, const std::string& reason) {
  if (in_flight >= kMaxInFlight) return;  // the socket closes here, as an unanswered refusal
  std::make_shared<Refusal>(io, std::move(socket), refusal_reply(reason))->start();
}

}  // namespace pptpx::server
