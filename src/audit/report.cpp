#include "audit/report.hpp"

#include <ctime>
#include <sstream>

#include "audit/handshake_exports.hpp"
#include "ppp/ccp.hpp"

namespace pptpx::audit {
namespace {

std::string tail_hex(std::uint16_t v) {
  const std::uint8_t b[2] = {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
  return hex(ByteView(b, 2));
}

std::string secret(const std::string& s, bool show) {
  return show ? s : "(" + std::to_string(s.size()) + " characters; --show prints it)";
}

std::string side_name(const Session& s, int side) {
  if (!s.roles_known) return side == 0 ? "A" : "B";
  return side == 0 ? "PNS" : "PAC";
}

std::string ipv6_id(std::uint64_t id) {
  char b[40];
  std::snprintf(b, sizeof b, "::%x:%x:%x:%x", static_cast<unsigned>(id >> 48), static_cast<unsigned>((id >> 32) & 0xffff),
                static_cast<unsigned>((id >> 16) & 0xffff), static_cast<unsigned>(id & 0xffff));
  return b;
}

std::string mppe_bits_text(std::uint32_t bits) {
  std::string s = ppp::describe_strength_bits(bits);
  s += (bits & ppp::mppe_bits::kStateless) ? ", stateless" : ", stateful";
  return s;
}

}  // namespace

std::string json_text(const nlohmann::json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string printable(const std::string& s) {
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) {
      char b[8];
      std::snprintf(b, sizeof b, "\\x%02x", c);
      out += b;
    } else {
      out += ch;
    }
  }
  return out;
}

std::string format_time(Timestamp t) {
  const std::time_t secs = static_cast<std::time_t>(t / 1000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char b[64];
  std::snprintf(b, sizeof b, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(t % 1000000));
  return b;
}

std::string text_report(const Analyzer& a, const ReportOptions& o) {
  std::ostringstream out;
  const auto& sessions = a.observer().sessions();
  out << "pptpx audit: " << a.counters().frames << " frames, " << a.observer().connections().size()
      << " control connections, " << sessions.size() << " sessions\n";
  for (const auto& sp : sessions) {
    const Session& s = *sp;
    out << "\nsession " << s.index << ": " << side_name(s, 0) << " " << ipv4_to_string(s.ip[0]) << " <-> "
        << side_name(s, 1) << " " << ipv4_to_string(s.ip[1]);
    if (!s.roles_known) out << " (roles unknown: the capture started mid-session)";
    out << "\n  time       " << format_time(s.start) << " .. " << format_time(s.end) << "\n";
    out << "  call IDs   " << side_name(s, 0) << " " << (s.pns_call_id ? std::to_string(*s.pns_call_id) : "?") << ", "
        << side_name(s, 1) << " " << (s.pac_call_id ? std::to_string(*s.pac_call_id) : "?")
        << (s.incoming_call ? " (incoming call)" : "") << "\n";
    for (const auto& h : s.handshakes) {
      out << "  auth       " << to_string(h.method) << " user '" << printable(h.name) << "'";
      if (!h.domain.empty()) out << " (domain '" << printable(h.domain) << "', user '" << printable(h.user) << "')";
      out << ": " << to_string(h.outcome) << "\n";
      if (h.method == AuthMethod::Pap) out << "  password   " << secret(printable(h.pap_password), o.show_secrets) << "\n";
      if (h.nt_hash_tail) out << "  NT hash    last two octets " << tail_hex(*h.nt_hash_tail) << " (2^16 search)\n";
      if (h.password) out << "  password   " << secret(*h.password, o.show_secrets) << " (" << h.credential_source << ")\n";
      const auto e = exports_for(h);
      if (!e.hashcat_5500.empty()) out << "  hashcat    -m 5500 " << printable(e.hashcat_5500) << "\n";
      if (!e.hashcat_4800.empty()) out << "  hashcat    -m 4800 " << e.hashcat_4800 << "\n";
      if (!e.john.empty()) out << "  john       " << printable(e.john) << "\n";
      if (!e.token99.empty()) out << "  chapcrack  " << e.token99 << "\n";
      if (!e.asleap.empty()) out << "  asleap     " << e.asleap << "\n";
    }
    if (s.handshakes.empty()) out << "  auth       " << to_string(s.lcp_auth) << " (no handshake captured)\n";
    for (int side = 0; side < 2; ++side) {
      if (s.mppe_requested[static_cast<std::size_t>(side)]) {
        out << "  MPPE       " << side_name(s, side) << " asked for "
            << mppe_bits_text(*s.mppe_requested[static_cast<std::size_t>(side)]) << "\n";
      }
    }
    for (int d = 0; d < 2; ++d) {
      const auto& c = s.mppe_agreed[static_cast<std::size_t>(d)];
      out << "  MPPE       " << side_name(s, d) << " -> " << side_name(s, 1 - d) << ": "
          << (c ? ppp::describe(*c) : std::string("none")) << "\n";
    }
    for (int side = 0; side < 2; ++side) {
      if (s.ipv4_address[static_cast<std::size_t>(side)]) {
        out << "  IPCP       " << side_name(s, side) << " " << ipv4_to_string(s.ipv4_address[static_cast<std::size_t>(side)]) << "\n";
      }
      if (s.ipv6_interface_id[static_cast<std::size_t>(side)]) {
        out << "  IPV6CP     " << side_name(s, side) << " fe80" << ipv6_id(s.ipv6_interface_id[static_cast<std::size_t>(side)]) << "\n";
      }
    }
    for (int d = 0; d < 2; ++d) {
      const auto& st = s.dir[static_cast<std::size_t>(d)];
      out << "  traffic    " << side_name(s, d) << " -> " << side_name(s, 1 - d) << ": " << st.packets << " packets, "
          << st.octets << " octets, " << st.lost << " lost, " << st.reordered << " reordered";
      if (st.mppe_packets) out << ", " << st.mppe_packets << " MPPE, " << st.decrypted << " decrypted";
      out << "\n";
      for (const auto& [why, n] : st.undecryptable) out << "             not decrypted: " << n << " (" << why << ")\n";
      for (const auto& [proto, n] : st.inner) out << "             inner " << proto << ": " << n << "\n";
    }
    out << "  ended      " << s.end_reason << "\n";
    const Grade g = grade(s);
    out << "  grade      " << g.level << "\n";
    for (const auto& f : g.findings) out << "             - " << f << "\n";
    for (const auto& n : s.notes) out << "  note       " << printable(n) << "\n";
  }
  for (const auto& c : a.observer().connections()) {
    if (c.gaps || c.bad_messages || c.resyncs) {
      out << "\ncontrol connection " << ipv4_to_string(c.client_ip) << ":" << c.client_port << " -> "
          << ipv4_to_string(c.server_ip) << ": " << c.gaps << " gaps (" << c.gap_octets << " octets missing), "
          << c.resyncs << " resynchronisations, " << c.bad_messages << " bad messages\n";
    }
  }
  if (!a.alerts().empty()) {
    out << "\nalerts\n";
    for (const auto& al : a.alerts()) {
      out << "  [" << al.kind << "] " << format_time(al.first) << " .. " << format_time(al.last) << ": " << printable(al.text) << "\n";
    }
  }
  const auto& dc = a.defrag();
  if (dc.fragments || a.counters().snaplen_cut) {
    out << "\ninput      " << dc.fragments << " IPv4 fragments, " << dc.reassembled << " datagrams reassembled, "
        << dc.expired << " incomplete; " << a.counters().snaplen_cut << " packets cut by the snaplen\n";
  }
  const EvictionCounters ev = a.evictions();
  if (ev.connections || ev.sessions || ev.reassembly_flushes || ev.fragment_datagrams || ev.unknown_gre_packets) {
    const TrackingLimits& l = a.limits();
    out << "\ntracking   bounds reached, oldest evicted first: " << ev.connections << " control connections (limit "
        << l.connections << ", --max-connections), " << ev.sessions << " sessions dropped from this report (limit "
        << l.sessions << ", --max-sessions), " << ev.reassembly_flushes
        << " TCP reassembly flushes, holes skipped (limit " << l.reassembly_octets << " octets, --max-reassembly-octets), "
        << ev.fragment_datagrams << " incomplete IPv4 datagrams (limit " << l.fragment_datagrams << " datagrams / "
        << l.fragments << " fragments, --max-fragments), " << ev.unknown_gre_packets
        << " GRE packets for unknown calls counted but not itemised (limit " << l.unknown_gre_flows << " flows)\n";
  }
  if (!o.output_file.empty()) {
    out << "\ndecrypted  " << o.decrypted_written << " inner IP packets written to " << o.output_file << "\n";
  }
  return out.str();
}

nlohmann::json json_report(const Analyzer& a, const ReportOptions& o) {
  using nlohmann::json;
  json j;
  j["version"] = 1;
  j["frames"] = a.counters().frames;
  j["input"] = {{"not_ipv4", a.counters().not_ipv4},
                {"snaplen_cut", a.counters().snaplen_cut},
                {"bad_ipv4", a.counters().bad_ipv4},
                {"fragments", a.defrag().fragments},
                {"reassembled", a.defrag().reassembled},
                {"incomplete_datagrams", a.defrag().expired}};
  const EvictionCounters ev = a.evictions();
  const TrackingLimits& l = a.limits();
  j["tracking"] = {{"limits",
                    {{"connections", l.connections},
                     {"sessions", l.sessions},
                     {"reassembly_octets", l.reassembly_octets},
                     {"fragment_datagrams", l.fragment_datagrams},
                     {"fragments", l.fragments},
                     {"unknown_gre_flows", l.unknown_gre_flows}}},
                   {"evicted",
                    {{"connections", ev.connections},
                     {"sessions", ev.sessions},
                     {"reassembly_flushes", ev.reassembly_flushes},
                     {"fragment_datagrams", ev.fragment_datagrams},
                     {"unknown_gre_packets", ev.unknown_gre_packets}}}};
  j["sessions"] = json::array();
  for (const auto& sp : a.observer().sessions()) {
    const Session& s = *sp;
    json js;
    js["index"] = s.index;
    js["roles_known"] = s.roles_known;
    js["started_mid_session"] = s.started_mid_session;
    js["pns"] = {{"ip", ipv4_to_string(s.ip[0])}, {"call_id", s.pns_call_id ? json(*s.pns_call_id) : json()}};
    js["pac"] = {{"ip", ipv4_to_string(s.ip[1])}, {"call_id", s.pac_call_id ? json(*s.pac_call_id) : json()}};
    js["incoming_call"] = s.incoming_call;
    js["start"] = format_time(s.start);
    js["end"] = format_time(s.end);
    js["end_reason"] = s.end_reason;
    js["auth_method"] = to_string(s.handshakes.empty() ? s.lcp_auth : s.handshakes.back().method);
    js["handshakes"] = json::array();
    for (const auto& h : s.handshakes) {
      json jh;
      jh["method"] = to_string(h.method);
      jh["time"] = format_time(h.time);
      jh["name"] = h.name;
      jh["domain"] = h.domain;
      jh["user"] = h.user;
      jh["outcome"] = to_string(h.outcome);
      jh["message"] = h.message;
      if (h.nt_hash_tail) jh["nt_hash_last2"] = tail_hex(*h.nt_hash_tail);
      if (h.method == AuthMethod::Pap) jh["password"] = o.show_secrets ? json(h.pap_password) : json("hidden");
      if (h.password) jh["password_known"] = o.show_secrets ? json(*h.password) : json("hidden");
      jh["credential_source"] = h.credential_source;
      const auto e = exports_for(h);
      json je = json::object();
      if (!e.hashcat_5500.empty()) je["hashcat_5500"] = e.hashcat_5500;
      if (!e.hashcat_4800.empty()) je["hashcat_4800"] = e.hashcat_4800;
      if (!e.john.empty()) je["john"] = e.john;
      if (!e.token99.empty()) je["chapcrack"] = e.token99;
      if (!e.asleap.empty()) je["asleap"] = e.asleap;
      jh["exports"] = je;
      js["handshakes"].push_back(jh);
    }
    static const char* dir_names[2] = {"pns_to_pac", "pac_to_pns"};
    json jm = json::object();
    for (int d = 0; d < 2; ++d) {
      const auto& c = s.mppe_agreed[static_cast<std::size_t>(d)];
      jm[dir_names[d]] = c ? json(ppp::describe(*c)) : json();
    }
    js["mppe"] = jm;
    js["mppe_requested"] = {{"pns", s.mppe_requested[0] ? json(*s.mppe_requested[0]) : json()},
                            {"pac", s.mppe_requested[1] ? json(*s.mppe_requested[1]) : json()}};
    js["ipcp"] = {{"pns", s.ipv4_address[0] ? json(ipv4_to_string(s.ipv4_address[0])) : json()},
                  {"pac", s.ipv4_address[1] ? json(ipv4_to_string(s.ipv4_address[1])) : json()}};
    js["ipv6cp"] = {{"pns", s.ipv6_interface_id[0] ? json(ipv6_id(s.ipv6_interface_id[0])) : json()},
                    {"pac", s.ipv6_interface_id[1] ? json(ipv6_id(s.ipv6_interface_id[1])) : json()}};
    json jt = json::object();
    for (int d = 0; d < 2; ++d) {
      const auto& st = s.dir[static_cast<std::size_t>(d)];
      jt[dir_names[d]] = {{"packets", st.packets},       {"octets", st.octets},
                          {"lost", st.lost},             {"reordered", st.reordered},
                          {"mppe_packets", st.mppe_packets}, {"decrypted", st.decrypted},
                          {"undecryptable", st.undecryptable}, {"inner_protocols", st.inner},
                          {"clear_ip_packets", st.clear_ip_packets}};
    }
    js["traffic"] = jt;
    const Grade g = grade(s);
    js["grade"] = {{"level", g.level}, {"findings", g.findings}};
    js["notes"] = s.notes;
    j["sessions"].push_back(js);
  }
  j["control_connections"] = json::array();
  for (const auto& c : a.observer().connections()) {
    j["control_connections"].push_back({{"client", ipv4_to_string(c.client_ip) + ":" + std::to_string(c.client_port)},
                                        {"server", ipv4_to_string(c.server_ip)},
                                        {"start", format_time(c.start)},
                                        {"end", format_time(c.end)},
                                        {"calls", c.calls},
                                        {"messages", c.messages},
                                        {"gaps", c.gaps},
                                        {"gap_octets", c.gap_octets},
                                        {"resyncs", c.resyncs},
                                        {"bad_messages", c.bad_messages},
                                        {"end_reason", c.end_reason}});
  }
  j["alerts"] = json::array();
  for (const auto& al : a.alerts()) {
    j["alerts"].push_back({{"kind", al.kind},
                           {"first", format_time(al.first)},
                           {"last", format_time(al.last)},
                           {"source", al.source},
                           {"text", al.text},
                           {"evidence_packets", al.evidence_packets}});
  }
  if (!o.output_file.empty()) j["decrypted"] = {{"file", o.output_file}, {"packets", o.decrypted_written}};
  return j;
}

std::string export_lines(const Analyzer& a, const std::string& format) {
  std::string out;
  for (const auto& s : a.observer().sessions()) {
    for (const auto& h : s->handshakes) {
      const auto e = exports_for(h);
      const std::string* line = nullptr;
      if (format == "hashcat-5500") line = &e.hashcat_5500;
      if (format == "hashcat-4800") line = &e.hashcat_4800;
      if (format == "john") line = &e.john;
      if (format == "99") line = &e.token99;
      if (format == "asleap") line = &e.asleap;
      if (line && !line->empty()) out += printable(*line) + "\n";
    }
  }
  return out;
}

}  // namespace pptpx::audit
