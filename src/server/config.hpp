// The server's configuration file (TOML, read with toml++). Every key is listed below with its
// default; an unknown key or a bad value is an error naming file:line:column and the fix.
//
//   [listen]   address = "0.0.0.0"   port = 1723
//   [tun]      name = "pptpx0"   per_session = false   mtu = 1400
//              mss_clamp = true   offload = true
//   [ipv4]     server_address = "198.51.100.1"            (required)
//              pool = "198.51.100.10-198.51.100.20" | "198.51.100.0/24"   (required)
//              dns = ["198.51.100.1"]                     (0..2 servers, IPCP RFC 1877)
//   [ipv6]     enabled = false   prefix = "2001:db8:1::/64"   server_interface_id = "::1"
//              dns = []
//   [auth]     methods = ["mschapv2"]   (ordered; of "eap-tls", "mschapv2", "mschap", "chap-md5", "pap")
//              secrets_file = "/etc/pptpx/chap-secrets"   server_name = "*"
//   [eap_tls]  ca = ""  cert = ""  key = ""  crl = ""  user_from = "cn" | "san-email"  (PEM; ca, cert,
//              key required when methods has "eap-tls"; crl: peers' certificates checked against it)
//   [mppe]     required = true   strengths = [128]  (of 40, 56, 128)   mode = "stateless" | "stateful"
//   [limits]   max_sessions = 1000   max_sessions_per_source = 16   max_handshakes_in_progress = 64
//              control_setup_seconds = 30   auth_seconds = 30   network_setup_seconds = 30
//              no_call_seconds = 30   (0: none)   gre_max_jump = 4096
//   [limits.auth_lockout]   failures = 5   window_seconds = 300   lockout_seconds = 600
//   [echo]     control_interval_seconds = 60   lcp_interval_seconds = 30   lcp_failures = 4
//   [log]      level = "info"   (of "trace", "debug", "info", "warn", "error", "off")
//   [control]  socket = "/run/pptpx/control.sock"   ("" : no control socket; docs/control.md)
//   [metrics]  listen = ""  ("127.0.0.1:9612": serve /metrics)   allowed = ["127.0.0.1", "::1"]
//              per_user = false
//   [accounting] file = ""   ("/var/log/pptpx/sessions.jsonl": one JSON line per session start/stop)
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/radius_config.hpp"
#include "server/ip_address.hpp"
#include "util/time.hpp"

namespace pptpx::server {

enum class AuthMethod { mschapv2, mschap, chap_md5, pap, eap_tls };
std::string_view to_string(AuthMethod m);

enum class MppeMode { stateless, stateful };
std::string_view to_string(MppeMode m);

struct Config {
  std::string source_file;  // where this was read from (for messages)

  struct Listen {
    std::string address = "0.0.0.0";  // IPv4 only: GRE runs over IPv4 (RFC 2637 §4)
    std::uint16_t port = 1723;
  } listen;

  struct Tun {
    std::string name = "pptpx0";  // with per_session, a prefix: pptpx0, pptpx1, ...
    bool per_session = false;
    std::uint32_t mtu = 1400;
    bool mss_clamp = true;  // lower the MSS option of TCP SYNs crossing the tunnel to fit its MTU
    bool offload = true;    // TUN with virtio-net header and TCP segmentation offload (tun_device.hpp)
  } tun;

  struct Ipv4 {
    Ipv4Address server_address;
    Ipv4Range pool;
    std::vector<Ipv4Address> dns;
  } ipv4;

  struct Ipv6 {
    bool enabled = false;
    Ipv6Prefix prefix;
    std::uint64_t server_interface_id = 1;
    std::vector<Ipv6Address> dns;
  } ipv6;

  struct Auth {
    std::vector<AuthMethod> methods{AuthMethod::mschapv2};
    std::string secrets_file = "/etc/pptpx/chap-secrets";
    // The 2nd column of chap-secrets this server answers to, and the Name of its CHAP/MS-CHAP
    // Challenges; "*": any column, and the Challenge Name is "pptpx".
    std::string server_name = "*";
    AuthSource source = AuthSource::secrets;
  } auth;

  RadiusConfig radius;  // [radius]: servers empty unless configured

  // [eap_tls]: EAP-TLS (RFC 5216) certificates; used when [auth] methods lists "eap-tls".
  struct EapTls {
    std::string ca;    // CA certificate(s) the clients' certificates must chain to
    std::string cert;  // this server's certificate (chain)
    std::string key;   // its private key
    std::string crl;   // optional CRL(s) of the CA
    std::string user_from = "cn";  // the user name: "cn" subject CN, "san-email" first e-mail SAN
  } eap_tls;

  struct Mppe {
    bool required = true;
    std::vector<unsigned> strengths{128};
    MppeMode mode = MppeMode::stateless;
  } mppe;

  struct Limits {
    std::uint32_t max_sessions = 1000;
    std::uint32_t max_sessions_per_source = 16;
    std::uint32_t max_handshakes_in_progress = 64;
    Duration control_setup = std::chrono::seconds{30};
    Duration auth = std::chrono::seconds{30};
    Duration network_setup = std::chrono::seconds{30};
    // A control connection holding no call this long (from accept, or from its last call's end)
    // is closed (connection_deadlines.hpp); zero: never. Its first link must also be up within
    // control_setup + network_setup of accept.
    Duration no_call = std::chrono::seconds{30};
    // GRE packets more than this many sequence numbers from the last accepted one are dropped
    // (pptp/gre_window.hpp); 0: no bound.
    std::uint32_t gre_max_jump = 4096;
    struct AuthLockout {
      std::uint32_t failures = 5;
      Duration window = std::chrono::seconds{300};
      Duration lockout = std::chrono::seconds{600};
    } auth_lockout;
  } limits;

  struct Echo {
    Duration control_interval = std::chrono::seconds{60};  // RFC 2637 §3.1.4: 60 s of silence
    Duration lcp_interval = std::chrono::seconds{30};
    std::uint32_t lcp_failures = 4;
  } echo;

  struct Log {
    std::string level = "info";
  } log;

  struct Control {
    std::string socket = "/run/pptpx/control.sock";  // empty: none
    bool socket_configured = false;  // set in the file (a failure to bind it is then fatal)
  } control;

  struct Metrics {
    std::string listen;         // "ADDRESS:PORT" ("[v6]:PORT"); empty: off
    std::string address;        // parsed from listen
    std::uint16_t port = 0;
    std::vector<std::string> allowed{"127.0.0.1", "::1"};  // sources (addresses or CIDR prefixes)
    bool per_user = false;      // pptpx_user_* series (one per user name)
  } metrics;

  struct Accounting {
    std::string file;  // empty: no accounting log
  } accounting;
};

// One problem found in a configuration file: `to_string()` gives "file:line:column: sentence".
struct ConfigError {
  std::string file;
  std::uint32_t line = 0;    // 0 when the problem has no single place (e.g. a missing key)
  std::uint32_t column = 0;
  std::string message;
  std::string to_string() const;
};

struct ConfigResult {
  std::optional<Config> config;       // set only when errors is empty
  // Whenever the TOML syntax was valid: what was read, defaults where a key was bad or missing
  // (so --check-config can go on to the secrets file and report everything in one pass).
  std::optional<Config> partial;
  std::vector<ConfigError> errors;
};

// Parses TOML text; `source_name` is used in messages (normally the file path).
ConfigResult parse_config(std::string_view toml_text, std::string_view source_name);
// Reads and parses a file; an unreadable file is one error.
ConfigResult load_config(const std::string& path);
// `pptpx server --check-config FILE`: every error as a printable line; empty means valid.
std::vector<std::string> validate_config_file(const std::string& path);

}  // namespace pptpx::server
