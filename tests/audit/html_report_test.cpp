// The HTML page: self-contained (no script, no external reference), the session table with the
// grade, one SVG bar per session and one marker per alert, and text escaped.
#include <gtest/gtest.h>

#include "audit/html_report.hpp"
#include "audit/ppp_observer.hpp"
#include "audit_harness.hpp"
#include "support/test_paths.hpp"

namespace pptpx::audit::test {
namespace {

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

TEST(HtmlReport, SessionsTableTimelineAndNothingExternal) {
  auto r = run_audit(pptpx::test::capture_path("pap-plain.pcap"));
  const std::string h = html_report(*r->analyzer, ReportOptions{});
  EXPECT_EQ(count(h, "<table id=\"sessions\">"), 1u);
  EXPECT_EQ(count(h, "<svg id=\"timeline\""), 1u);
  EXPECT_EQ(count(h, "class=\"session\""), 1u);
  EXPECT_NE(h.find("PAP: the password in clear"), std::string::npos);
  EXPECT_NE(h.find(">exposed<"), std::string::npos);
  EXPECT_EQ(h.find("<script"), std::string::npos);
  EXPECT_EQ(h.find("http://"), h.find("http://www.w3.org/2000/svg"));  // only the SVG namespace
  EXPECT_EQ(h.find("https://"), std::string::npos);
  EXPECT_EQ(h.find("Tunnel-Lab-7"), std::string::npos);  // no secret on the page
}

TEST(HtmlReport, EscapesText) {
  EXPECT_EQ(html_escape("<b>\"x\" & 'y'</b>"), "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;");
}

}  // namespace
}  // namespace pptpx::audit::test

namespace pptpx::audit::test {
namespace {

// A user name from the wire with invalid UTF-8 and a terminal escape (found by fuzz_audit): the
// JSON text is still produced (invalid octets replaced) and the text report carries no ESC.
TEST(Reports, HostileUserNamesAreNeutralised) {
  auto r = run_audit(pptpx::test::capture_path("mschapv2-mppe128.pcap"));
  auto& h = const_cast<Session&>(r->session()).handshakes.at(0);
  h.name = "\xC4\x1b[31mEVIL\\bob";
  split_domain(h.name, h.domain, h.user);
  const std::string j = json_text(json_report(*r->analyzer, ReportOptions{}));
  EXPECT_NE(j.find("EVIL"), std::string::npos);
  const std::string t = text_report(*r->analyzer, ReportOptions{});
  EXPECT_EQ(t.find('\x1b'), std::string::npos);
  EXPECT_NE(t.find("\\x1b[31mEVIL\\bob"), std::string::npos);
  EXPECT_EQ(export_lines(*r->analyzer, "john").find('\x1b'), std::string::npos);
}

}  // namespace
}  // namespace pptpx::audit::test
