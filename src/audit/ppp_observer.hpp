// Watches the PPP frames of one call in both directions, the way a third party on the wire sees
// them: LCP (the authentication protocol, Terminate-Request), CHAP/MS-CHAP/PAP packets, CCP (MPPE
// bits requested and acked), IPCP/IPV6CP addresses, and the data packets. With the user's NT hash
// (given or found) it derives the MPPE keys (RFC 3079) and runs pptpx's own MPPE receiver
// (ppp/mppe.hpp), one per direction, so stateful resynchronisation works as in a real peer.
// Sans-I/O: frames in, Session fields and decrypted inner packets out.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "audit/session_report.hpp"
#include "ppp/mppe.hpp"

namespace pptpx::audit {

// Credentials the auditor supplies, by user name (matched with and without DOMAIN\).
struct KeyBook {
  struct Entry {
    auth::NtHash nt_hash{};
    std::optional<std::string> password;
    std::string source;
  };
  std::map<std::string, Entry> users;
  const Entry* find(const std::string& name) const;
};

// A decrypted (or clear) inner IP packet: session, direction, time, the IPv4/IPv6 packet.
using InnerSink = std::function<void(const Session&, int direction, Timestamp, ByteView ip)>;

class PppObserver {
 public:
  PppObserver(Session& s, const KeyBook& keys, InnerSink sink) : s_(s), keys_(keys), sink_(std::move(sink)) {}
  // One PPP frame (the GRE payload) sent in `direction` (0 = PNS -> PAC).
  void frame(int direction, Timestamp t, ByteView ppp);

 private:
  void lcp(int d, ByteView info);
  void chap(int d, Timestamp t, ByteView info);
  void pap(int d, Timestamp t, ByteView info);
  void ccp(int d, ByteView info);
  void ipcp(int d, ByteView info);
  void ipv6cp(int d, ByteView info);
  void mppe_data(int d, Timestamp t, ByteView info);
  void deliver(int d, Timestamp t, std::uint16_t protocol, ByteView payload, bool decrypted);
  void try_key(Handshake& h);
  void undecryptable(int d, const std::string& why) { ++s_.dir[static_cast<std::size_t>(d)].undecryptable[why]; }

  Session& s_;
  const KeyBook& keys_;
  InnerSink sink_;
  // The pending CHAP challenge (from the authenticator) and the handshake awaiting its result.
  Bytes challenge_;
  std::optional<std::size_t> open_handshake_;
  std::optional<auth::MppeKeyMaterial> material_;
  std::array<std::unique_ptr<ppp::MppeDecryptor>, 2> decryptor_;
  std::array<std::optional<ppp::MppeChoice>, 2> decryptor_choice_;
  // Stateful: the coherency count each direction's decryptor expects next (last accepted + 1).
  std::array<std::uint16_t, 2> expected_count_{};
};

// Splits "DOMAIN\user" at the last backslash.
void split_domain(const std::string& name, std::string& domain, std::string& user);

}  // namespace pptpx::audit
