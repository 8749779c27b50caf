#include "server/dae_service.hpp"

#include <chrono>
#include <fstream>

#include <spdlog/spdlog.h>

#include "server/ip_address.hpp"

namespace pptpx::server {

namespace {

std::optional<std::string> read_secret(const std::string& path, const std::string& client, std::string& why) {
  std::ifstream in(path);
  std::string line;
  if (in) std::getline(in, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
  if (line.empty()) {
    why = "cannot read a shared secret from the first line of \"" + path + "\" (secret_file of DAE client " + client +
          "); check the path, its permissions and its first line";
    return std::nullopt;
  }
  return line;
}

}  // namespace

std::unique_ptr<DaeService> DaeService::make(asio::io_context& io, const Config& config, radius::DaeTarget& target,
                                             std::string& why) {
  const DaeServerConfig& d = config.radius.dae;
  radius::DaeConfig c;
  c.event_timestamp_window = std::chrono::seconds{d.event_timestamp_window};
  c.require_event_timestamp = d.require_event_timestamp;
  c.nas_identifier = config.radius.nas_identifier;
  if (auto a = parse_ipv4(config.radius.nas_ip_address)) c.nas_ip_address = a->value;
  for (const DaeClientEntry& e : d.clients) {
    radius::DaeClient client;
    const auto a = parse_ipv4(e.address);
    if (!a) {
      why = "DAE client address \"" + e.address + "\" is not an IPv4 address";
      return nullptr;
    }
    client.address = a->value;
    client.secret = e.secret;
    if (!e.secret_file.empty()) {
      auto s = read_secret(e.secret_file, e.address, why);
      if (!s) return nullptr;
      client.secret = *s;
    }
    client.require_message_authenticator = e.require_message_authenticator;
    c.clients.push_back(std::move(client));
  }
  std::unique_ptr<DaeService> s(new DaeService(io, std::move(c), target));
  std::error_code ec;
  const asio::ip::udp::endpoint at(asio::ip::make_address_v4(d.address, ec), d.port);
  if (!ec) s->socket_.open(asio::ip::udp::v4(), ec);
  if (!ec) s->socket_.bind(at, ec);
  if (!ec) s->socket_.non_blocking(true, ec);
  if (ec) {
    why = "cannot listen for RADIUS Disconnect/CoA requests on " + d.listen + ": " + ec.message() +
          " (fix [radius.dae] listen)";
    return nullptr;
  }
  s->port_ = s->socket_.local_endpoint(ec).port();
  s->receive_next();
  return s;
}

DaeService::DaeService(asio::io_context& io, radius::DaeConfig config, radius::DaeTarget& target)
    : core_(std::move(config)), target_(target), socket_(io) {}

DaeService::~DaeService() { *alive_ = false; }

void DaeService::receive_next() {
  std::weak_ptr<bool> alive = alive_;
  socket_.async_receive_from(asio::buffer(rx_), rx_from_, [this, alive](const std::error_code& ec, std::size_t n) {
    if (alive.expired() || ec == asio::error::operation_aborted) return;
    if (!ec) handle(n);
    receive_next();
  });
}

void DaeService::handle(std::size_t n) {
  if (!rx_from_.address().is_v4()) return;
  const std::string from = rx_from_.address().to_string() + ":" + std::to_string(rx_from_.port());
  const auto unix_now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const radius::DaeOutcome o = core_.receive(rx_from_.address().to_v4().to_uint(), rx_from_.port(),
                                             ByteView(rx_.data(), n), unix_now, Clock::now(), target_);
  if (o.dropped) {
    bool& warned = warned_[static_cast<std::size_t>(*o.dropped) % warned_.size()];
    const auto level = warned ? spdlog::level::debug : spdlog::level::warn;
    warned = true;
    spdlog::log(level, "RADIUS DAE: dropped a request from {}: {}{} (counted; later ones are logged at debug level)",
                from, to_string(*o.dropped), o.detail.empty() ? "" : " (" + o.detail + ")");
    return;
  }
  if (o.duplicate) {
    spdlog::debug("RADIUS DAE: {} from {} again (a retransmission): the same {}", to_string(o.request), from,
                  to_string(o.reply_code));
  } else if (o.error) {
    spdlog::info("RADIUS DAE: {} from {}: {} with Error-Cause {} ({})", to_string(o.request), from,
                 to_string(o.reply_code), static_cast<std::uint32_t>(*o.error), o.detail);
  } else {
    spdlog::info("RADIUS DAE: {} from {}: {} session(s) matched, {}", to_string(o.request), from, o.matched,
                 to_string(o.reply_code));
  }
  std::error_code ec;
  socket_.send_to(asio::buffer(o.reply), rx_from_, 0, ec);
  if (ec) spdlog::warn("RADIUS DAE: sending the {} to {}: {}", to_string(o.reply_code), from, ec.message());
}

}  // namespace pptpx::server
