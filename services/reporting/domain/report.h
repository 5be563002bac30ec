#pragma once
// The reports of one scored assessment, as pure functions: the caller brings
// the score, the catalogue it was computed against (both languages), the
// assessment and the organisation's name; each function returns the finished
// file. Nothing here talks to a network, a cache or a database, so the same
// input always gives the same bytes (the PDF aside, which carries cairo's
// creation date).
//
//   ReportInput in{&score, &catalogue, &assessment, "ACME", Lang::kEn};
//   std::string html = RenderHtml(in);          // one self-contained page
//   absl::StatusOr<std::string> pdf = RenderPdf(in);
//   std::string name = ReportFileName(in, "pdf");  // "ACME-2026-11-26-report.pdf"
//
// Every text that comes from a user or a tenant's catalogue (names, notes,
// titles) is escaped for the format it lands in, and invalid UTF-8 is
// replaced, so a hostile note cannot break out of its cell or tag.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "soc/maturity/assessment/v1/assessment.pb.h"
#include "soc/maturity/assessment/v1/practice.pb.h"
#include "soc/maturity/catalogue/v1/catalogue.pb.h"
#include "soc/maturity/scoring/v1/scoring.pb.h"

namespace socm::reporting {

enum class Lang { kJa, kEn };

// Everything a report shows; the caller fills it. A null pointer reads as an
// empty message. The pointees must outlive the call.
// What a report shows beyond the assessment: its evidence (names and hashes), the discussion
// of its roles (when asked for), and the organisation's earlier assessments on the catalogue.
struct ReportExtras {
  std::vector<soc::maturity::assessment::v1::Evidence> evidence;
  std::vector<soc::maturity::assessment::v1::RoleComment> comments;
  // Oldest first, this assessment last; fewer than two points print no trend.
  std::vector<soc::maturity::scoring::v1::TrendPoint> trend;
};

struct ReportInput {
  const soc::maturity::scoring::v1::Score* score;
  const soc::maturity::catalogue::v1::Catalogue* catalogue;  // both languages
  const soc::maturity::assessment::v1::Assessment* assessment;
  std::string organization_name;
  Lang lang;
  // Null: none.
  const ReportExtras* extras = nullptr;
};

// A standalone SVG document: one axis per function, grid rings 1..5, the
// current levels and, when any function has a target, the target polygon;
// axis labels such as "A セキュリティ対応組織運営 4/5"; a legend.
std::string RenderRadarSvg(const ReportInput& input);

// One self-contained HTML file (no external resources, print CSS for A4):
// summary, inline radar, function table, strengths and weaknesses with their
// narratives and level advice, the per-role answers with both ladders' texts,
// scoring policy, rating guidance and the catalogue's provenance.
std::string RenderHtml(const ReportInput& input);

// UTF-8 CSV with a byte order mark (so that Excel reads it as UTF-8), RFC 4180
// quoting, CRLF line ends: a header row, then one row per catalogue role.
// An unanswered value is an empty cell.
std::string RenderCsv(const ReportInput& input);

// A JSON document: organisation, assessment, the score in the protobuf JSON
// mapping, and the narratives chosen for the strengths and weaknesses.
std::string RenderJson(const ReportInput& input);

// An .xlsx workbook: sheet "self-check" laid out like ISOG-J's input sheet
// with the level ladders as a legend, sheet "results" with the function scores,
// the overall score, strengths and weaknesses and a radar chart.
absl::StatusOr<std::string> RenderXlsx(const ReportInput& input);

// The fillable self-check sheet (../shared/spec/isogj-sheet.md): sheet 入力シート/Input with
// ● on the answered levels (○ elsewhere; all ○ when `assessment` is null or empty), notes and
// targets, and sheet 記入方法/How to fill with the rules and the ladders. What the importer
// reads back exactly.
absl::StatusOr<std::string> RenderSheet(const ReportInput& input);

// An A4 PDF drawn with cairo and pango, Japanese set in Noto Sans CJK (fonts
// embedded): summary with the radar, function table, narratives, and the
// per-role table over as many pages as it needs.
absl::StatusOr<std::string> RenderPdf(const ReportInput& input);

// The download name "<org>-<assessedOn>-report.<extension>", safe for a
// Content-Disposition header and any file system: only [A-Za-z0-9._-], every
// run of other bytes becomes one '_', no leading '.' or '-', never empty, at
// most 100 characters.
std::string ReportFileName(const ReportInput& input, const std::string& extension);

// The portfolio: one line per organisation with its latest assessment's scores, and the
// catalogue that names the functions (both languages).
struct PortfolioInput {
  const soc::maturity::catalogue::v1::Catalogue* catalogue;
  const std::vector<soc::maturity::scoring::v1::PortfolioOrganization>* lines;
  Lang lang;
};

// UTF-8 with a BOM, CRLF: organisation, industry, labels, the assessment's title, date, status
// and answered count, the overall score and level, then a score and a level per function.
std::string RenderPortfolioCsv(const PortfolioInput& input);

// The same columns in one sheet, header frozen, level columns shaded on the catalogue's scale.
absl::StatusOr<std::string> RenderPortfolioXlsx(const PortfolioInput& input);

}  // namespace socm::reporting
