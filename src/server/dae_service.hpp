// The Dynamic Authorization shell ([radius.dae], RFC 5176): one non-blocking UDP socket on the
// server's Asio loop around the sans-I/O radius::DaeServer. The daemon is the DaeTarget: it lists
// its sessions and ends or changes them (server_daemon.cpp).
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include <asio.hpp>

#include "radius/dae.hpp"
#include "server/config.hpp"

namespace pptpx::server {

class DaeService {
 public:
  // nullptr with `why` (one sentence) when a secret_file cannot be read or the socket cannot be
  // bound.
  static std::unique_ptr<DaeService> make(asio::io_context& io, const Config& config, radius::DaeTarget& target,
                                          std::string& why);
  ~DaeService();

  const radius::DaeCounters& counters() const { return core_.counters(); }
  std::uint16_t port() const { return port_; }

 private:
  DaeService(asio::io_context& io, radius::DaeConfig config, radius::DaeTarget& target);
  void receive_next();
  void handle(std::size_t n);

  radius::DaeServer core_;
  radius::DaeTarget& target_;
  asio::ip::udp::socket socket_;
  std::uint16_t port_ = 0;
  std::array<std::uint8_t, radius::kMaxPacket> rx_{};
  asio::ip::udp::endpoint rx_from_;
  std::array<bool, 8> warned_{};  // the first drop of each kind is a warning, the rest debug lines
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace pptpx::server
