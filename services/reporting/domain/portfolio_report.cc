// The portfolio as files: CSV (every line, RFC 4180 with the formula guard) and XLSX (one
// sheet, function levels shaded as a heat map so the weak spots of fifty customers show at a
// glance).
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/reporting/domain/report.h"
#include "services/reporting/domain/text.h"
#include "services/reporting/domain/xlsx_common.h"

namespace socm::reporting {
namespace {

namespace spb = soc::maturity::scoring::v1;

struct PortfolioWords {
  const char* organization;
  const char* industry;
  const char* labels;
  const char* assessment;
  const char* assessed_on;
  const char* status;
  const char* answered;
  const char* overall;
  const char* level;
  const char* sheet;
};

const PortfolioWords& WordsOf(Lang lang) {
  static const PortfolioWords ja = {"組織", "業種",     "ラベル", "評価",   "評価日",
                                    "状態", "回答済み", "総合",   "レベル", "ポートフォリオ"};
  static const PortfolioWords en = {"Organization", "Industry", "Labels",   "Assessment",
                                    "Assessed on",  "Status",   "Answered", "Overall",
                                    "Level",        "Portfolio"};
  return lang == Lang::kJa ? ja : en;
}

// The header: fixed columns, then a score and a level column per function of the catalogue.
std::vector<std::string> Header(const PortfolioInput& in) {
  const PortfolioWords& w = WordsOf(in.lang);
  std::vector<std::string> out = {
      w.organization, w.industry,    w.labels,
      w.assessment,   w.assessed_on, w.status,
      w.answered,     w.overall,     absl::StrCat(w.overall, " ", w.level)};
  for (const auto& f : in.catalogue->functions()) {
    out.push_back(absl::StrCat(f.code(), " ", std::string(internal::Pick(f.name(), in.lang))));
    out.push_back(absl::StrCat(f.code(), " ", w.level));
  }
  return out;
}

std::string Labels(const spb::PortfolioOrganization& line) {
  std::vector<std::pair<std::string, std::string>> sorted(line.labels().begin(),
                                                          line.labels().end());
  std::sort(sorted.begin(), sorted.end());
  std::string out;
  for (const auto& [k, v] : sorted) absl::StrAppend(&out, out.empty() ? "" : "; ", k, "=", v);
  return out;
}

const spb::PortfolioFunction* FunctionOf(const spb::PortfolioAssessment& a,
                                         const std::string& code) {
  for (const auto& f : a.functions()) {
    if (f.code() == code) return &f;
  }
  return nullptr;
}

}  // namespace

std::string RenderPortfolioCsv(const PortfolioInput& in) {
  std::string out = "\xEF\xBB\xBF";
  bool first = true;
  for (const std::string& h : Header(in)) {
    internal::AppendCsvField(&out, h, first);
    first = false;
  }
  out.append("\r\n");
  for (const auto& line : *in.lines) {
    internal::AppendCsvField(&out, line.display_name(), true);
    internal::AppendCsvField(&out, line.industry(), false);
    internal::AppendCsvField(&out, Labels(line), false);
    const bool has = line.has_latest_assessment();
    const spb::PortfolioAssessment& a = line.latest_assessment();
    internal::AppendCsvField(&out, has ? a.title() : "", false);
    internal::AppendCsvField(&out, has ? a.assessed_on() : "", false);
    internal::AppendCsvField(&out, has ? internal::StatusWord(a.status(), in.lang) : "", false);
    internal::AppendCsvField(
        &out, has ? absl::StrCat(a.completeness().answered(), "/", a.completeness().total()) : "",
        false);
    const bool scored = has && a.overall().has_score();
    internal::AppendCsvField(&out, scored ? internal::FormatTenths(a.overall().score()) : "",
                             false);
    internal::AppendCsvField(
        &out, has && a.overall().has_level() ? internal::FormatInt(a.overall().level()) : "",
        false);
    for (const auto& f : in.catalogue->functions()) {
      const spb::PortfolioFunction* pf = has ? FunctionOf(a, f.code()) : nullptr;
      internal::AppendCsvField(
          &out, pf && pf->has_score() ? internal::FormatTenths(pf->score()) : "", false);
      internal::AppendCsvField(&out, pf && pf->has_level() ? internal::FormatInt(pf->level()) : "",
                               false);
    }
    out.append("\r\n");
  }
  return out;
}

absl::StatusOr<std::string> RenderPortfolioXlsx(const PortfolioInput& in) {
  internal::TempFile file;
  if (file.path().empty()) return absl::InternalError("xlsx: cannot create a temporary file");
  lxw_workbook_options options{};
  lxw_workbook* wb = workbook_new_opt(file.path().c_str(), &options);
  if (wb == nullptr) return absl::InternalError("xlsx: cannot start a workbook");
  const internal::Formats f = internal::MakeFormats(wb);
  const PortfolioWords& w = WordsOf(in.lang);
  internal::Sheet s(workbook_add_worksheet(wb, w.sheet));
  if (s.ws() == nullptr) {
    workbook_close(wb);
    return absl::InternalError("xlsx: cannot add the worksheet");
  }
  const std::vector<std::string> header = Header(in);
  for (size_t c = 0; c < header.size(); ++c) s.Text(0, static_cast<int>(c), header[c], f.header);
  s.Keep(worksheet_set_column(s.ws(), 0, 0, 28, nullptr));
  s.Keep(worksheet_set_column(s.ws(), 1, 5, 14, nullptr));
  s.Keep(worksheet_set_column(s.ws(), 6, static_cast<lxw_col_t>(header.size() - 1), 10, nullptr));
  worksheet_freeze_panes(s.ws(), 1, 1);
  int row = 1;
  for (const auto& line : *in.lines) {
    s.Text(row, 0, line.display_name(), f.cell);
    s.Text(row, 1, line.industry(), f.cell);
    s.Text(row, 2, Labels(line), f.cell);
    const bool has = line.has_latest_assessment();
    const spb::PortfolioAssessment& a = line.latest_assessment();
    s.Text(row, 3, has ? a.title() : "", f.cell);
    s.Text(row, 4, has ? a.assessed_on() : "", f.cell);
    s.Text(row, 5, has ? internal::StatusWord(a.status(), in.lang) : "", f.cell);
    s.Text(row, 6,
           has ? absl::StrCat(a.completeness().answered(), "/", a.completeness().total()) : "",
           f.cell);
    auto number = [](bool present, double v) {
      return present ? std::optional<double>(v) : std::nullopt;
    };
    s.Number(row, 7, number(has && a.overall().has_score(), a.overall().score()), f.tenths);
    s.Number(row, 8, number(has && a.overall().has_level(), a.overall().level()), f.level);
    int col = 9;
    for (const auto& fn : in.catalogue->functions()) {
      const spb::PortfolioFunction* pf = has ? FunctionOf(a, fn.code()) : nullptr;
      s.Number(row, col++, number(pf && pf->has_score(), pf ? pf->score() : 0), f.tenths);
      s.Number(row, col++, number(pf && pf->has_level(), pf ? pf->level() : 0), f.level);
    }
    ++row;
  }
  if (row > 1) {
    // The heat map: every level column, red at the scale's bottom to green at its top.
    lxw_conditional_format heat{};
    heat.type = LXW_CONDITIONAL_3_COLOR_SCALE;
    heat.min_rule_type = LXW_CONDITIONAL_RULE_TYPE_NUMBER;
    heat.mid_rule_type = LXW_CONDITIONAL_RULE_TYPE_NUMBER;
    heat.max_rule_type = LXW_CONDITIONAL_RULE_TYPE_NUMBER;
    const auto& scale = in.catalogue->scale();
    const int lowest = scale.highest() > 0 ? scale.lowest() : 0;
    const int highest = scale.highest() > 0 ? scale.highest() : 5;
    heat.min_value = lowest;
    heat.mid_value = (lowest + highest) / 2.0;
    heat.max_value = highest;
    heat.min_color = 0xF8696B;
    heat.mid_color = 0xFFEB84;
    heat.max_color = 0x63BE7B;
    s.Keep(worksheet_conditional_format_range(s.ws(), 1, 8, row - 1, 8, &heat));
    for (int c = 10; c < 9 + 2 * in.catalogue->functions_size(); c += 2) {
      s.Keep(worksheet_conditional_format_range(s.ws(), 1, c, row - 1, c, &heat));
    }
  }
  return internal::FinishWorkbook(wb, file.path(), {&s});
}

}  // namespace socm::reporting
