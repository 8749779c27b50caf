// `--html FILE`: one self-contained page (no scripts, no network): the sessions and their grades
// in a table, a timeline of sessions and alerts drawn as inline SVG, and the alerts.
#pragma once
#include <string>

#include "audit/report.hpp"

namespace pptpx::audit {
std::string html_report(const Analyzer& a, const ReportOptions& o);
std::string html_escape(const std::string& s);
}  // namespace pptpx::audit
