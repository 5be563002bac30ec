#pragma once
// What the HTML and PDF reports print beyond the assessment, shaped once for both: a role's
// evidence and comments as lines of text, and the trend table (the last few assessments on the
// catalogue per function, with the change since the one before).

#include <optional>
#include <string>
#include <vector>

#include "services/reporting/domain/report_view.h"

namespace socm::reporting::internal {

// "ja" or "en" text for the few words only these sections use.
inline const char* Say(Lang lang, const char* ja, const char* en) {
  return lang == Lang::kJa ? ja : en;
}

// "policy.pdf (12,345 bytes, SHA-256 0123456789ab…)". The full hash is in the JSON export.
std::string EvidenceLine(const soc::maturity::assessment::v1::Evidence& e);

// "key_1a2b · 2026-11-03 09:12 UTC".
std::string CommentHead(const soc::maturity::assessment::v1::RoleComment& c);

struct TrendRow {
  std::string code;  // "" for the overall row
  std::string name;
  std::vector<std::optional<double>> scores;  // one per TrendTable::dates
  std::optional<double> delta;                // the last point against the one before
};

struct TrendTable {
  std::vector<std::string> dates;  // assessedOn of the points shown, oldest first
  std::vector<TrendRow> rows;      // overall first, then each function of the view
};

// The last `max_points` points of v.trend; empty when the view has no trend.
TrendTable BuildTrendTable(const ReportView& v, size_t max_points = 4);

}  // namespace socm::reporting::internal
