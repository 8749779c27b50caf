#include "audit/html_report.hpp"

#include <algorithm>
#include <sstream>

#include "ppp/ccp.hpp"

namespace pptpx::audit {

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {
const char* colour(const std::string& level) {
  if (level == "exposed") return "#c0392b";
  if (level == "broken") return "#e67e22";
  if (level == "weak") return "#f1c40f";
  return "#7f8c8d";
}
}  // namespace

std::string html_report(const Analyzer& a, const ReportOptions& o) {
  (void)o;
  std::ostringstream h;
  const auto& sessions = a.observer().sessions();
  h << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>pptpx audit</title>\n"
       "<style>body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse}"
       "td,th{border:1px solid #bbb;padding:4px 8px;vertical-align:top;font-size:14px}th{background:#eee}"
       ".lvl{color:#fff;font-weight:bold;padding:2px 6px;border-radius:3px}</style></head><body>\n";
  h << "<h1>pptpx audit</h1>\n<p>" << a.counters().frames << " frames, " << sessions.size() << " sessions, "
    << a.alerts().size() << " alerts; " << html_escape(format_time(a.first())) << " to "
    << html_escape(format_time(a.last())) << "</p>\n";
  h << "<h2>Sessions</h2>\n<table id=\"sessions\"><tr><th>#</th><th>PNS</th><th>PAC</th><th>user</th><th>auth</th>"
       "<th>MPPE</th><th>packets</th><th>ended</th><th>grade</th><th>what an eavesdropper gets</th></tr>\n";
  for (const auto& sp : sessions) {
    const Session& s = *sp;
    const Grade g = grade(s);
    std::string user, auth = to_string(s.lcp_auth);
    if (!s.handshakes.empty()) {
      user = s.handshakes.back().name;
      auth = std::string(to_string(s.handshakes.back().method)) + " (" + to_string(s.handshakes.back().outcome) + ")";
    }
    std::string mppe;
    for (int d = 0; d < 2; ++d) {
      if (d) mppe += " / ";
      mppe += s.mppe_agreed[static_cast<std::size_t>(d)] ? ppp::describe(*s.mppe_agreed[static_cast<std::size_t>(d)])
                                                          : std::string("none");
    }
    h << "<tr><td>" << s.index << "</td><td>" << ipv4_to_string(s.ip[0]) << "</td><td>" << ipv4_to_string(s.ip[1])
      << "</td><td>" << html_escape(user) << "</td><td>" << html_escape(auth) << "</td><td>" << html_escape(mppe)
      << "</td><td>" << s.dir[0].packets << " / " << s.dir[1].packets << "</td><td>" << html_escape(s.end_reason)
      << "</td><td><span class=\"lvl\" style=\"background:" << colour(g.level) << "\">" << g.level
      << "</span></td><td><ul>";
    for (const auto& f : g.findings) h << "<li>" << html_escape(f) << "</li>";
    h << "</ul></td></tr>\n";
  }
  h << "</table>\n";

  // Timeline: one lane per session, alerts as red diamonds on the last lane.
  const Timestamp t0 = a.first();
  const Timestamp t1 = std::max(a.last(), t0 + 1);
  const int width = 900, left = 90, lane = 26;
  const int lanes = static_cast<int>(sessions.size()) + 1;
  const int height = 40 + lanes * lane;
  auto x = [&](Timestamp t) {
    const double f = static_cast<double>(std::clamp(t, t0, t1) - t0) / static_cast<double>(t1 - t0);
    return left + static_cast<int>(f * (width - left - 10));
  };
  h << "<h2>Timeline</h2>\n<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width
    << "\" height=\"" << height << "\" viewBox=\"0 0 " << width << " " << height << "\">\n";
  h << "<rect x=\"0\" y=\"0\" width=\"" << width << "\" height=\"" << height << "\" fill=\"#fafafa\"/>\n";
  for (int i = 0; i <= 4; ++i) {
    const int gx = left + i * (width - left - 10) / 4;
    const Timestamp t = t0 + (t1 - t0) * i / 4;
    h << "<line x1=\"" << gx << "\" y1=\"20\" x2=\"" << gx << "\" y2=\"" << height - 5
      << "\" stroke=\"#ddd\"/><text x=\"" << gx << "\" y=\"14\" font-size=\"10\" text-anchor=\"middle\">"
      << html_escape(format_time(t).substr(11, 12)) << "</text>\n";
  }
  int row = 0;
  for (const auto& sp : sessions) {
    const Session& s = *sp;
    const int y = 28 + row++ * lane;
    const int xs = x(s.start), xe = std::max(x(s.end), xs + 3);
    h << "<text x=\"4\" y=\"" << y + 14 << "\" font-size=\"12\">session " << s.index << "</text>"
      << "<rect class=\"session\" x=\"" << xs << "\" y=\"" << y << "\" width=\"" << xe - xs
      << "\" height=\"18\" fill=\"" << colour(grade(s).level) << "\"><title>"
      << html_escape(ipv4_to_string(s.ip[0]) + " - " + ipv4_to_string(s.ip[1]) + ": " + grade(s).level)
      << "</title></rect>\n";
  }
  const int ya = 28 + row * lane;
  h << "<text x=\"4\" y=\"" << ya + 14 << "\" font-size=\"12\">alerts</text>\n";
  for (const auto& al : a.alerts()) {
    const int ax = x(al.first);
    h << "<polygon class=\"alert\" points=\"" << ax << "," << ya << " " << ax + 7 << "," << ya + 9 << " " << ax << ","
      << ya + 18 << " " << ax - 7 << "," << ya + 9 << "\" fill=\"#c0392b\"><title>" << html_escape(al.kind + ": " + al.text)
      << "</title></polygon>\n";
  }
  h << "</svg>\n<h2>Alerts</h2>\n";
  if (a.alerts().empty()) {
    h << "<p id=\"alerts\">none</p>\n";
  } else {
    h << "<table id=\"alerts\"><tr><th>kind</th><th>first</th><th>last</th><th>evidence</th></tr>\n";
    for (const auto& al : a.alerts()) {
      h << "<tr><td>" << html_escape(al.kind) << "</td><td>" << html_escape(format_time(al.first)) << "</td><td>"
        << html_escape(format_time(al.last)) << "</td><td>" << html_escape(al.text) << " (" << al.evidence_packets
        << " packets)</td></tr>\n";
    }
    h << "</table>\n";
  }
  h << "</body></html>\n";
  return h.str();
}

}  // namespace pptpx::audit
