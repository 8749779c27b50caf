#include "audit/analyzer.hpp"

#include <map>
#include <set>

#include "audit/handshake_exports.hpp"

namespace pptpx::audit {

void Analyzer::frame(int link_type, Timestamp t, ByteView data, std::uint32_t wire_length) {
  if (counters_.frames == 0) first_ = t;
  ++counters_.frames;
  last_ = std::max(last_, t);
  auto ip = ipv4_in_frame(link_type, data);
  if (!ip) {
    ++counters_.not_ipv4;
    return;
  }
  const auto p = parse_ipv4(*ip);
  if (p.error == Ipv4Error::NotIpv4) {
    ++counters_.not_ipv4;
    return;
  }
  if (p.error == Ipv4Error::Truncated || (p.error != Ipv4Error::None && wire_length > data.size())) {
    ++counters_.snaplen_cut;
    return;
  }
  if (p.error != Ipv4Error::None) {
    ++counters_.bad_ipv4;
    return;
  }
  if (p.header.fragment()) {
    if (auto whole = defrag_.add(p.header, t)) {
      whole->header.payload = ByteView(whole->storage);
      observer_.datagram(whole->header, t);
    }
    return;
  }
  observer_.datagram(p.header, t);
}

void Analyzer::finish(const MonitorThresholds& thresholds) {
  observer_.finish(last_);
  for (auto& s : observer_.sessions()) {
    for (auto& h : s->handshakes) {
      if (h.des_challenge && h.nt_response) h.nt_hash_tail = nt_hash_tail(*h.des_challenge, *h.nt_response);
    }
  }
  alerts(thresholds);
}

void Analyzer::alerts(const MonitorThresholds& th) {
  // Brute force: authentication failures per user and per source within the window.
  std::map<std::string, std::vector<Timestamp>> by_user, by_source;
  for (const auto& s : observer_.sessions()) {
    for (const auto& h : s->handshakes) {
      if (h.outcome != AuthOutcome::Failure) continue;
      by_user[h.name].push_back(h.time);
      by_source[ipv4_to_string(s->ip[static_cast<std::size_t>(1 - s->authenticator_side)])].push_back(h.time);
    }
  }
  auto scan_window = [&](const std::string& what, const std::string& key, std::vector<Timestamp> times) {
    std::sort(times.begin(), times.end());
    for (std::size_t i = 0; i + th.auth_failures <= times.size(); ++i) {
      const std::size_t j = i + th.auth_failures - 1;
      if (times[j] - times[i] <= th.window) {
        std::size_t k = j;
        while (k + 1 < times.size() && times[k + 1] - times[i] <= th.window) ++k;
        alerts_.push_back(Alert{"brute-force", times[i], times[k], key,
                                std::to_string(k - i + 1) + " authentication failures " + what + " " + key +
                                    " within " + std::to_string(th.window / 1000000) + " s",
                                k - i + 1});
        return;
      }
    }
  };
  if (th.auth_failures > 0) {
    for (auto& [u, times] : by_user) scan_window("for user", u, times);
    for (auto& [src, times] : by_source) scan_window("from", src, times);
  }
  // Scans: control connections that never set up a call, and many sources starting one.
  std::set<std::uint32_t> starters;
  Timestamp first = 0, last = 0;
  for (const auto& c : observer_.connections()) {
    if (c.saw_start_request) {
      if (starters.empty()) first = c.start;
      starters.insert(c.client_ip);
      last = std::max(last, c.end);
    }
    if (c.calls == 0) {
      alerts_.push_back(Alert{"scan", c.start, c.end, ipv4_to_string(c.client_ip),
                              "control connection from " + ipv4_to_string(c.client_ip) + ":" +
                                  std::to_string(c.client_port) + " to " + ipv4_to_string(c.server_ip) +
                                  " set up no call (" + std::to_string(c.messages) + " messages)",
                              c.messages});
    }
  }
  if (th.scan_sources > 0 && starters.size() >= th.scan_sources) {
    alerts_.push_back(Alert{"scan", first, last, "", std::to_string(starters.size()) +
                                                         " sources sent Start-Control-Connection-Request",
                            starters.size()});
  }
  // GRE for calls nobody set up between hosts that do have a control connection: Call ID
  // guessing, or a third party injecting into a call (hijack) when the ID belongs to a live call
  // of other hosts.
  std::map<std::uint16_t, const Session*> live_ids;
  for (const auto& s : observer_.sessions()) {
    if (s->pns_call_id) live_ids[*s->pns_call_id] = s.get();
    if (s->pac_call_id) live_ids[*s->pac_call_id] = s.get();
  }
  for (const auto& [key, n] : observer_.unknown_gre()) {
    if (n < th.unknown_gre) continue;
    const auto [src, dst, id] = key;
    const bool other_call = live_ids.count(id) != 0;
    alerts_.push_back(Alert{other_call ? "hijack" : "unknown-call", first_, last_, ipv4_to_string(src),
                            std::to_string(n) + " GRE packets from " + ipv4_to_string(src) + " to " +
                                ipv4_to_string(dst) + " for Call ID " + std::to_string(id) +
                                (other_call ? ", which belongs to another session's call" : ", which no control connection set up"),
                            n});
  }
}

Grade grade(const Session& s) {
  Grade g;
  int severity = 0;  // 0 unknown, 1 weak, 2 broken, 3 exposed
  auto worse = [&](int v) { severity = std::max(severity, v); };
  AuthMethod m = s.lcp_auth;
  if (!s.handshakes.empty()) m = s.handshakes.back().method;
  switch (m) {
    case AuthMethod::Pap:
      g.findings.push_back("PAP: the password in clear");
      worse(3);
      break;
    case AuthMethod::ChapMd5:
      g.findings.push_back("CHAP-MD5: the password falls to an offline dictionary search (hashcat -m 4800)");
      worse(1);
      break;
    case AuthMethod::MsChapV1:
      g.findings.push_back(
          "MS-CHAPv1: the NT hash falls to one 2^56 DES search whatever the password; then every MPPE key of this session");
      worse(2);
      break;
    case AuthMethod::MsChapV2:
      g.findings.push_back(
          "MS-CHAPv2: the NT hash falls to one 2^56 DES search whatever the password; then every MPPE key of this session");
      worse(2);
      break;
    case AuthMethod::Eap:
      g.findings.push_back("EAP: depends on the EAP method, which the audit does not analyse");
      break;
    case AuthMethod::None:
    case AuthMethod::Unknown:
      g.findings.push_back(s.started_mid_session ? "authentication not in the capture"
                                                 : "no authentication seen");
      break;
  }
  const bool mppe = s.mppe_agreed[0] || s.mppe_agreed[1] || s.dir[0].mppe_packets + s.dir[1].mppe_packets > 0;
  if (!mppe) {
    if (s.dir[0].clear_ip_packets + s.dir[1].clear_ip_packets > 0 || (s.ccp_seen == false && s.lcp_seen)) {
      g.findings.push_back("no MPPE: every packet of the tunnel in clear");
      worse(3);
    }
  } else {
    std::optional<auth::MppeStrength> weakest;
    bool stateful = false;
    for (const auto& c : s.mppe_agreed) {
      if (!c) continue;
      if (!weakest || static_cast<int>(c->strength) < static_cast<int>(*weakest)) weakest = c->strength;
      stateful = stateful || !c->stateless;
    }
    if (weakest == auth::MppeStrength::Bits40) {
      g.findings.push_back("MPPE-40: the traffic falls to a 2^40 search");
      worse(2);
    } else if (weakest == auth::MppeStrength::Bits56) {
      g.findings.push_back("MPPE-56: the traffic falls to a 2^56 search");
      worse(2);
    } else if (weakest == auth::MppeStrength::Bits128) {
      g.findings.push_back("MPPE-128: the traffic is only as safe as the authentication above");
    }
    if (stateful) g.findings.push_back("stateful MPPE: RC4 keys change only every 256 packets");
  }
  for (const auto& h : s.handshakes) {
    if (h.password || h.nt_hash) {
      g.findings.push_back("the credential of " + h.name + " is known (" + h.credential_source +
                           "): the traffic is readable now");
      worse(3);
      break;
    }
  }
  static const char* names[] = {"unknown", "weak", "broken", "exposed"};
  g.level = names[severity];
  return g;
}

}  // namespace pptpx::audit
