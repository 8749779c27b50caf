// What `pptpx bench` is told on its command line, and the check that turns bad values into one
// sentence naming the option and the fix (pure: no I/O, unit-tested).
#pragma once
#include <cstdint>
#include <string>

namespace pptpx::loadgen {

struct BenchOptions {
  std::string server;               // IPv4 address or name of the server under test
  std::uint16_t port = 1723;
  std::uint32_t sessions = 100;     // sessions to open (each its own TCP connection and call)
  double rate = 100;                // new sessions started per second
  std::uint32_t concurrency = 256;  // setups in progress at once (TCP connect .. IPCP up)
  std::string user;
  std::string password_file;
  std::string auth = "mschapv2";    // as `pptpx client --auth`
  std::string mppe = "128";         // as `pptpx client --mppe`
  bool mppe_stateful = false;
  double hold_seconds = 0;          // keep the sessions up this long before tearing down
  double setup_timeout_seconds = 30;  // per session: TCP connect to IPCP up
  bool ping = false;                // each session pings the server through its tunnel (1/s until a reply)
  double ping_timeout_seconds = 5;
  std::string log_level = "warn";
};

// Largest --sessions: each session holds one of our 65,535 Call IDs (RFC 2637 §3.2.2: 16 bits,
// 0 avoided), and GRE coming back is demultiplexed by it alone.
constexpr std::uint32_t kMaxSessions = 60000;

// "" when the options are usable, otherwise one sentence with the fix.
std::string validate(const BenchOptions& o);

}  // namespace pptpx::loadgen
