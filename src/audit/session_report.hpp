// What the audit learns about one PPTP call (a "session"): the control connection it rode on,
// its call IDs, the PPP negotiation (authentication, MPPE, addresses), data counts each way and
// how it ended. Filled by the observers (pptp_observer.hpp, ppp_observer.hpp); read by the
// grading, export and report code.
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "audit/frame_source.hpp"
#include "auth/mschap.hpp"
#include "ppp/ccp.hpp"
#include "util/bytes.hpp"

namespace pptpx::audit {

enum class AuthMethod : std::uint8_t { None, Pap, ChapMd5, MsChapV1, MsChapV2, Eap, Unknown };
const char* to_string(AuthMethod m);
enum class AuthOutcome : std::uint8_t { Unknown, Success, Failure };
const char* to_string(AuthOutcome o);

// One authentication attempt (challenge + response [+ result]) or one PAP request.
struct Handshake {
  AuthMethod method = AuthMethod::Unknown;
  Timestamp time = 0;
  std::string name;    // as the peer sent it, DOMAIN\user
  std::string domain;  // the part before the last backslash, or empty
  std::string user;    // the part after it
  AuthOutcome outcome = AuthOutcome::Unknown;
  std::string message;      // Success/Failure/Ack/Nak message text
  std::uint8_t identifier = 0;
  Bytes challenge;          // CHAP: the authenticator's challenge value
  Bytes response;           // CHAP: the peer's response value
  std::string pap_password; // PAP only: in clear on the wire
  // MS-CHAP, derived from the above:
  std::optional<auth::Challenge8> des_challenge;  // v2: ChallengeHash (RFC 2759 §8.2); v1: the challenge
  std::optional<auth::NtResponse> nt_response;
  std::optional<auth::Challenge16> peer_challenge;  // v2 only
  std::optional<auth::Challenge16> auth_challenge;  // v2 only
  std::optional<std::uint16_t> nt_hash_tail;        // last two octets of the NT hash (2^16 search)
  // Credentials: given (--password/--nt-hash) or found (--wordlist) and checked against the response.
  std::optional<auth::NtHash> nt_hash;
  std::optional<std::string> password;
  std::string credential_source;  // "--password", "--nt-hash", "wordlist"
};

// Per direction: 0 = PNS -> PAC, 1 = PAC -> PNS.
struct DirectionStats {
  std::uint64_t packets = 0, octets = 0;        // GRE packets and their PPP payload octets
  std::uint64_t lost = 0, reordered = 0;        // from GRE sequence numbers
  std::uint64_t acks_only = 0;
  std::uint64_t mppe_packets = 0, decrypted = 0;
  std::map<std::string, std::uint64_t> undecryptable;  // reason -> packets
  std::map<std::string, std::uint64_t> inner;          // PPP protocol name -> packets after MPPE is up
  std::uint64_t clear_ip_packets = 0;                  // IP without MPPE
  std::uint64_t mppe_resyncs = 0;
  std::optional<std::uint32_t> last_seq;
};

struct Session {
  std::size_t index = 0;  // 1-based, in order of appearance
  // Endpoints: side 0 = PNS, side 1 = PAC (VPN clients act as the PNS and servers as the PAC).
  std::array<std::uint32_t, 2> ip{};
  std::uint16_t pns_tcp_port = 0;  // 0 if the control connection was not seen
  bool roles_known = true;         // false: seen from GRE alone (capture started mid-session)
  bool incoming_call = false;      // Incoming-Call-Request rather than Outgoing-Call-Request
  std::optional<std::uint16_t> pns_call_id, pac_call_id;
  Timestamp start = 0, end = 0;
  bool started_mid_session = false;
  std::string call_result;  // Outgoing/Incoming-Call-Reply result
  std::string host_name[2], vendor[2];

  AuthMethod lcp_auth = AuthMethod::None;  // what LCP agreed (Authentication-Protocol option)
  bool lcp_seen = false;
  int authenticator_side = 1;               // the side that sent the Challenge (normally the PAC)
  std::vector<Handshake> handshakes;

  std::array<std::optional<std::uint32_t>, 2> mppe_requested;  // side s's last CCP Configure-Request bits
  std::array<std::optional<ppp::MppeChoice>, 2> mppe_agreed;  // per direction
  bool ccp_seen = false;
  std::array<std::uint32_t, 2> ipv4_address{};   // IPCP, per side
  std::array<std::uint64_t, 2> ipv6_interface_id{};  // IPV6CP, per side

  std::array<DirectionStats, 2> dir;
  std::string end_reason;   // empty while running
  std::vector<std::string> notes;
};

// A control connection (TCP to port 1723) and what happened on it.
struct ControlConnection {
  std::uint32_t client_ip = 0, server_ip = 0;
  std::uint16_t client_port = 0;
  Timestamp start = 0, end = 0;
  bool saw_syn = false, saw_start_request = false;
  std::size_t calls = 0;
  std::uint64_t messages = 0, bad_messages = 0, resyncs = 0;
  std::uint64_t gaps = 0, gap_octets = 0, retransmitted_octets = 0;
  std::string end_reason;
};

}  // namespace pptpx::audit
