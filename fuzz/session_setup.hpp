// How fuzz_session and the seed generator build a session::Session (same config, same
// deterministic random source), so generated seeds replay.
#pragma once
#include "fuzz_common.hpp"
#include "session/session.hpp"

namespace pptpx::fuzz {

// Byte 0 of fuzz_session: link_config() bits (bit 0 role, bits 1-4 policy, bit 5 IPv6CP).
inline session::SessionConfig session_config(std::uint8_t mode, ppp::RandomSource* rnd) {
  session::SessionConfig c;
  const bool server = (mode & 1) == 0;
  c.role = server ? session::SessionRole::Server : session::SessionRole::Client;
  c.link = link_config(mode, rnd);
  c.control.host_name = server ? "server" : "client";
  c.control.max_calls = 2;
  c.control.local_ipv4 = server ? 0xC0000202 : 0xC0000203;
  c.control.peer_ipv4 = server ? 0xC0000203 : 0xC0000202;
  c.outgoing_call.phone_number = "1";
  return c;
}

// Server addressing: what a pool of one would hand out (as tests/session/session_pair.hpp).
struct FixedHooks final : session::CallHooks {
  bool prepare_call(std::uint16_t, ppp::LinkConfig& cfg, std::string&) override {
    cfg.ipcp.local_address = 0xC6336401;
    cfg.ipcp.peer_address = 0xC633640A;
    cfg.ipcp.dns = {0xC6336435, 0};
    return true;
  }
  void call_finished(std::uint16_t) override {}
};

}  // namespace pptpx::fuzz
