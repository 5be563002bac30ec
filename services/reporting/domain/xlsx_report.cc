#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "services/reporting/domain/radar.h"
#include "services/reporting/domain/report.h"
#include "services/reporting/domain/report_view.h"
#include "services/reporting/domain/text.h"
#include "services/reporting/domain/xlsx_common.h"

namespace socm::reporting {
namespace {

using internal::FunctionRow;
using internal::Highlight;
using internal::ReportView;
using internal::RoleRow;
using internal::Words;

using internal::Formats;
using internal::Sheet;
using internal::TempFile;

// Fixed, ASCII sheet names: scripts that read the workbook find the sheets
// whatever the report's language. The importer finds "self-check" by its role codes.
constexpr const char* kInputSheet = "self-check";
constexpr const char* kResultsSheet = "results";

void HighlightRows(Sheet& s, const Formats& f, int* row, const char* title,
                   const std::vector<Highlight>& list, const Words& w) {
  s.Text(*row, 0, title, f.bold);
  ++*row;
  const char* headers[] = {w.code, w.function, w.level, w.note, w.advice};
  for (int col = 0; col < 5; ++col) s.Text(*row, col, headers[col], f.header);
  ++*row;
  for (const Highlight& h : list) {
    s.Text(*row, 0, h.function->code, f.level);
    s.Text(*row, 1, h.function->name, f.wrap);
    s.Number(*row, 2, h.function->level ? std::optional<double>(*h.function->level) : std::nullopt,
             f.level);
    s.Text(*row, 3, h.narrative, f.wrap);
    s.Text(*row, 4, h.advice, f.wrap);
    ++*row;
  }
  ++*row;
}

void ResultsSheet(lxw_workbook* wb, Sheet& s, const Formats& f, const ReportView& v) {
  const Words& w = *v.words;
  lxw_worksheet* ws = s.ws();
  worksheet_set_paper(ws, internal::kPaperA4);
  worksheet_fit_to_pages(ws, 1, 0);
  const double widths[] = {8, 34, 10, 10, 40, 40, 9, 9};
  for (int col = 0; col < 8; ++col) {
    s.Keep(worksheet_set_column(ws, col, col, widths[col], nullptr));
  }
  const char* headers[] = {w.code,   w.function, w.score,    w.level,
                           w.target, w.gap,      w.answered, w.role};
  for (int col = 0; col < 8; ++col) s.Text(0, col, headers[col], f.header);
  int row = 1;
  for (const FunctionRow& fn : v.functions) {
    s.Text(row, 0, fn.code, f.level);
    s.Text(row, 1, fn.name, f.wrap);
    s.Number(row, 2, fn.score, f.tenths);
    s.Number(row, 3, fn.level ? std::optional<double>(*fn.level) : std::nullopt, f.level);
    s.Number(row, 4, fn.target, f.tenths);
    s.Number(row, 5, fn.gap, f.tenths);
    s.Number(row, 6, fn.answered, f.level);
    s.Number(row, 7, fn.total, f.level);
    ++row;
  }
  const int last_function_row = row - 1;
  ++row;

  const auto& score = *v.score;
  s.Text(row, 0, w.overall, f.bold);
  s.Number(row, 2,
           score.overall().has_score() ? std::optional(score.overall().score()) : std::nullopt,
           f.tenths);
  s.Number(
      row, 3,
      score.overall().has_level() ? std::optional<double>(score.overall().level()) : std::nullopt,
      f.level);
  ++row;
  s.Text(row, 0, w.completeness, f.bold);
  s.Number(row, 2, score.completeness().answered(), f.level);
  s.Number(row, 3, score.completeness().total(), f.level);
  ++row;
  s.Text(row, 0, w.policy, f.bold);
  s.Text(row, 2, internal::PolicyWord(score.policy(), v.lang));
  row += 2;
  HighlightRows(s, f, &row, w.strengths, v.strengths, w);
  HighlightRows(s, f, &row, w.weaknesses, v.weaknesses, w);

  if (last_function_row < 1) return;
  // The same radar as the other formats: levels, and targets when set.
  lxw_chart* chart = workbook_add_chart(wb, LXW_CHART_RADAR_WITH_MARKERS);
  lxw_chart_series* current = chart_add_series(chart, nullptr, nullptr);
  chart_series_set_categories(current, kResultsSheet, 1, 1, last_function_row, 1);
  chart_series_set_values(current, kResultsSheet, 1, 3, last_function_row, 3);
  chart_series_set_name(current, w.current);
  lxw_chart_line current_line{};
  current_line.color = 0x1F6FEB;
  current_line.width = 2.25;
  chart_series_set_line(current, &current_line);
  if (v.any_target) {
    lxw_chart_series* target = chart_add_series(chart, nullptr, nullptr);
    chart_series_set_categories(target, kResultsSheet, 1, 1, last_function_row, 1);
    chart_series_set_values(target, kResultsSheet, 1, 4, last_function_row, 4);
    chart_series_set_name(target, w.target);
    lxw_chart_line target_line{};
    target_line.color = 0xD9480F;
    target_line.width = 1.5;
    target_line.dash_type = LXW_CHART_LINE_DASH_DASH;
    chart_series_set_line(target, &target_line);
  }
  chart_title_set_name(chart, w.radar);
  chart_axis_set_min(chart->y_axis, 0);
  chart_axis_set_max(chart->y_axis, v.highest);
  chart_axis_set_major_unit(chart->y_axis, 1);
  chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
  lxw_chart_options placement{};
  placement.x_scale = 1.4;
  placement.y_scale = 1.6;
  s.Keep(worksheet_insert_chart_opt(ws, 0, 9, chart, &placement));
}

}  // namespace

absl::StatusOr<std::string> RenderXlsx(const ReportInput& input) {
  const ReportView v = internal::BuildView(input);
  TempFile file;
  if (file.path().empty()) return absl::InternalError("xlsx: cannot create a temporary file");

  lxw_workbook_options options{};
  lxw_workbook* wb = workbook_new_opt(file.path().c_str(), &options);
  if (wb == nullptr) return absl::InternalError("xlsx: cannot start a workbook");

  std::string title = internal::CleanText(v.assessment->title());
  lxw_doc_properties properties{};
  properties.title = title.data();
  properties.comments = const_cast<char*>(v.words->generated_by);
  workbook_set_properties(wb, &properties);

  const Formats formats = internal::MakeFormats(wb);
  Sheet input_sheet(workbook_add_worksheet(wb, kInputSheet));
  Sheet results_sheet(workbook_add_worksheet(wb, kResultsSheet));
  if (input_sheet.ws() == nullptr || results_sheet.ws() == nullptr) {
    workbook_close(wb);
    return absl::InternalError("xlsx: cannot add the worksheets");
  }
  internal::WriteSelfCheckSheet(input_sheet, formats, v);
  ResultsSheet(wb, results_sheet, formats, v);

  return internal::FinishWorkbook(wb, file.path(), {&input_sheet, &results_sheet});
}

}  // namespace socm::reporting
