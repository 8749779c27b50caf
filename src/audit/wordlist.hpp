// Wordlist and NT-hash-list checks against captured handshakes, on every core. MS-CHAPv1/v2:
// per candidate one MD4 (the NT hash), then the two-octet filter — the NT hash's last two octets
// must equal the handshake's tail from the 2^16 search (handshake_exports.hpp) — so only one
// candidate in 65 536 reaches the DES check of the full NT-Response. CHAP-MD5: one MD5 each.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/session_report.hpp"

namespace pptpx::audit {

// One handshake to test, copied out of a Session.
struct CrackTarget {
  std::size_t session = 0, handshake = 0;  // where it came from (1-based session index)
  AuthMethod method = AuthMethod::Unknown;
  std::string name;
  auth::Challenge8 des_challenge{};
  auth::NtResponse nt_response{};
  std::uint16_t tail = 0;  // NT hash octets 14..15
  // CHAP-MD5
  std::uint8_t identifier = 0;
  Bytes challenge, response;
};
// The targets a Session's handshakes give (MS-CHAP with a tail found, CHAP-MD5).
std::vector<CrackTarget> crack_targets(const Session& s);

struct CrackHit {
  std::size_t target = 0;  // index into the targets
  std::optional<std::string> password;  // wordlist
  auth::NtHash nt_hash{};
};

struct CrackStats {
  std::uint64_t candidates = 0;
  double seconds = 0;
  unsigned threads = 0;
  double per_second() const { return seconds > 0 ? static_cast<double>(candidates) / seconds : 0; }
};

// Tests every word (one per line, CR/LF stripped) against every target; stops early when all
// targets fell. threads = 0: one per core.
CrackStats crack_words(const std::vector<std::string_view>& words, const std::vector<CrackTarget>& targets,
                       std::vector<CrackHit>& hits, unsigned threads = 0);
CrackStats crack_words(const std::vector<std::string>& words, const std::vector<CrackTarget>& targets,
                       std::vector<CrackHit>& hits, unsigned threads = 0);
// Tests NT hashes (MS-CHAP targets only).
CrackStats crack_nt_hashes(const std::vector<auth::NtHash>& hashes, const std::vector<CrackTarget>& targets,
                           std::vector<CrackHit>& hits);

// True when `nt` reproduces the target's NT-Response (tail filter first).
bool nt_hash_matches(const CrackTarget& t, const auth::NtHash& nt);

}  // namespace pptpx::audit
