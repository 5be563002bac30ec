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

namespace socm::reporting {
namespace {

using internal::FunctionRow;
using internal::Highlight;
using internal::ReportView;
using internal::RoleRow;
using internal::Words;

// Fixed, ASCII sheet names: scripts that read the workbook find the sheets
// whatever the report's language.
constexpr const char* kInputSheet = "self-check";
constexpr const char* kResultsSheet = "results";
constexpr uint8_t kPaperA4 = 9;
// Excel refuses a cell longer than this.
constexpr size_t kMaxCell = 32000;

// libxlsxwriter needs a path, so the workbook goes through a private temp file
// that disappears whatever happens.
class TempFile {
 public:
  TempFile() {
    std::error_code ec;
    std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
    if (ec) dir = "/tmp";
    std::string pattern = (dir / "socm-report-XXXXXX").string();
    const int fd = mkstemp(pattern.data());
    if (fd >= 0) {
      close(fd);
      path_ = pattern;
    }
  }
  ~TempFile() {
    if (!path_.empty()) unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Writes cells and keeps the first error, so that the code below reads as a
// layout rather than as error handling.
class Sheet {
 public:
  explicit Sheet(lxw_worksheet* ws) : ws_(ws) {}

  void Text(int row, int col, std::string_view text, lxw_format* format = nullptr) {
    std::string clean = internal::CleanText(text);
    if (clean.size() > kMaxCell) {
      size_t cut = kMaxCell;
      while (cut > 0 && (static_cast<unsigned char>(clean[cut]) & 0xC0) == 0x80) --cut;
      clean.resize(cut);
    }
    if (clean.empty()) {
      Keep(worksheet_write_blank(ws_, row, col, format));
    } else {
      Keep(worksheet_write_string(ws_, row, col, clean.c_str(), format));
    }
  }
  void Number(int row, int col, std::optional<double> value, lxw_format* format = nullptr) {
    if (value) {
      Keep(worksheet_write_number(ws_, row, col, *value, format));
    } else {
      Keep(worksheet_write_blank(ws_, row, col, format));
    }
  }
  void Merge(int first_row, int col, int last_row, std::string_view text, lxw_format* format) {
    if (first_row == last_row) return Text(first_row, col, text, format);
    const std::string clean = internal::CleanText(text);
    Keep(worksheet_merge_range(ws_, first_row, col, last_row, col, clean.c_str(), format));
  }
  void Keep(lxw_error e) {
    if (error_ == LXW_NO_ERROR) error_ = e;
  }
  lxw_worksheet* ws() const { return ws_; }
  lxw_error error() const { return error_; }

 private:
  lxw_worksheet* ws_;
  lxw_error error_ = LXW_NO_ERROR;
};

struct Formats {
  lxw_format* title;
  lxw_format* label;
  lxw_format* header;
  lxw_format* cell;
  lxw_format* wrap;
  lxw_format* level;
  lxw_format* input;
  lxw_format* function;
  lxw_format* tenths;
  lxw_format* bold;
};

lxw_format* NewFormat(lxw_workbook* wb, bool border) {
  lxw_format* f = workbook_add_format(wb);
  // Yu Gothic is what Japanese Excel uses; other spreadsheets substitute.
  format_set_font_name(f, "Yu Gothic");
  format_set_font_size(f, 10);
  format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
  if (border) format_set_border(f, LXW_BORDER_THIN);
  return f;
}

Formats MakeFormats(lxw_workbook* wb) {
  Formats f{};
  f.title = NewFormat(wb, false);
  format_set_bold(f.title);
  format_set_font_size(f.title, 14);
  f.label = NewFormat(wb, false);
  format_set_font_color(f.label, 0x5B6472);
  f.header = NewFormat(wb, true);
  format_set_bold(f.header);
  format_set_bg_color(f.header, 0xDCE3EC);
  format_set_text_wrap(f.header);
  format_set_align(f.header, LXW_ALIGN_CENTER);
  f.cell = NewFormat(wb, true);
  f.wrap = NewFormat(wb, true);
  format_set_text_wrap(f.wrap);
  f.level = NewFormat(wb, true);
  format_set_align(f.level, LXW_ALIGN_CENTER);
  // The cells the ISOG-J sheet asks the assessor to fill are shaded.
  f.input = NewFormat(wb, true);
  format_set_align(f.input, LXW_ALIGN_CENTER);
  format_set_bg_color(f.input, 0xFFF8DC);
  f.function = NewFormat(wb, true);
  format_set_bold(f.function);
  format_set_text_wrap(f.function);
  format_set_bg_color(f.function, 0xEEF2F7);
  f.tenths = NewFormat(wb, true);
  format_set_num_format(f.tenths, "0.0");
  f.bold = NewFormat(wb, false);
  format_set_bold(f.bold);
  return f;
}

void InputSheet(Sheet& s, const Formats& f, const ReportView& v) {
  const Words& w = *v.words;
  const auto& c = *v.catalogue;
  lxw_worksheet* ws = s.ws();
  worksheet_set_paper(ws, kPaperA4);
  worksheet_set_landscape(ws);
  worksheet_fit_to_pages(ws, 1, 0);

  s.Text(0, 0, internal::Pick(c.name(), v.lang), f.title);
  s.Text(1, 0, w.organization, f.label);
  s.Text(1, 2, v.organization);
  s.Text(2, 0, w.assessment_title, f.label);
  s.Text(2, 2, v.assessment->title());
  s.Text(3, 0, w.assessed_on, f.label);
  s.Text(3, 2, v.assessment->assessed_on());

  // Columns: function, code, name, area, one per dimension, target, note.
  constexpr int kHeaderRow = 5;
  const int dims = static_cast<int>(v.dimensions.size());
  const int target_col = 4 + dims;
  const int note_col = target_col + 1;
  int col = 0;
  for (const char* h : {w.function, w.role_code, w.role_name, w.area}) {
    s.Text(kHeaderRow, col++, h, f.header);
  }
  for (const auto& d : v.dimensions) s.Text(kHeaderRow, col++, d.name, f.header);
  s.Text(kHeaderRow, target_col, w.target, f.header);
  s.Text(kHeaderRow, note_col, w.note, f.header);
  for (const auto& [first, last, width] :
       {std::tuple{0, 0, 24.0}, std::tuple{1, 1, 9.0}, std::tuple{2, 2, 36.0},
        std::tuple{3, 3, 6.0}, std::tuple{4, target_col, 11.0},
        std::tuple{note_col, note_col, 44.0}}) {
    s.Keep(worksheet_set_column(ws, first, last, width, nullptr));
  }

  int row = kHeaderRow + 1;
  for (const FunctionRow& fn : v.functions) {
    if (fn.roles.empty()) continue;
    const int first = row;
    for (const RoleRow& r : fn.roles) {
      s.Text(row, 1, r.code, f.level);
      s.Text(row, 2, r.name, f.wrap);
      s.Text(row, 3, r.area, f.level);
      const auto as_double = [](std::optional<int> x) {
        return x ? std::optional<double>(*x) : std::nullopt;
      };
      for (int d = 0; d < dims; ++d) s.Number(row, 4 + d, as_double(r.levels[d]), f.input);
      s.Number(row, target_col, as_double(r.target), f.input);
      s.Text(row, note_col, r.note, f.wrap);
      ++row;
    }
    s.Merge(first, 0, row - 1, std::string(fn.code) + " " + std::string(fn.name), f.function);
  }
  if (row > kHeaderRow + 1) {
    // Like the original sheet, a typed level outside the scale is refused.
    lxw_data_validation levels{};
    levels.validate = LXW_VALIDATION_TYPE_INTEGER;
    levels.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
    levels.minimum_number = v.lowest;
    levels.maximum_number = v.highest;
    s.Keep(worksheet_data_validation_range(ws, kHeaderRow + 1, 4, row - 1, target_col, &levels));
  }
  worksheet_freeze_panes(ws, kHeaderRow + 1, 3);
  s.Keep(worksheet_repeat_rows(ws, kHeaderRow, kHeaderRow));

  // The level ladders, to the right of the answers, as the legend a person
  // filling the sheet reads.
  const int legend_col = note_col + 2;
  s.Keep(worksheet_set_column(ws, legend_col, legend_col, 7, nullptr));
  s.Keep(worksheet_set_column(ws, legend_col + 1, legend_col + dims, 46, nullptr));
  s.Text(kHeaderRow - 1, legend_col, w.level_ladders, f.bold);
  s.Text(kHeaderRow, legend_col, w.level, f.header);
  for (int d = 0; d < dims; ++d) {
    s.Text(kHeaderRow, legend_col + 1 + d, v.dimensions[d].name, f.header);
  }
  for (int level = v.lowest; level <= v.highest; ++level) {
    const int r = kHeaderRow + 1 + level - v.lowest;
    s.Number(r, legend_col, level, f.level);
    for (int d = 0; d < dims; ++d) {
      s.Text(r, legend_col + 1 + d, internal::LevelText(*v.dimensions[d].ladder, level, v.lang),
             f.wrap);
    }
  }
  const int guidance_row = kHeaderRow + 2 + (v.highest - v.lowest) + 1;
  s.Text(guidance_row, legend_col, w.rating_guidance, f.bold);
  s.Text(guidance_row + 1, legend_col, internal::Pick(c.rating_guidance(), v.lang));
}

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
  worksheet_set_paper(ws, kPaperA4);
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

  const Formats formats = MakeFormats(wb);
  Sheet input_sheet(workbook_add_worksheet(wb, kInputSheet));
  Sheet results_sheet(workbook_add_worksheet(wb, kResultsSheet));
  if (input_sheet.ws() == nullptr || results_sheet.ws() == nullptr) {
    workbook_close(wb);
    return absl::InternalError("xlsx: cannot add the worksheets");
  }
  InputSheet(input_sheet, formats, v);
  ResultsSheet(wb, results_sheet, formats, v);

  const lxw_error closed = workbook_close(wb);
  for (lxw_error e : {input_sheet.error(), results_sheet.error(), closed}) {
    if (e != LXW_NO_ERROR) return absl::InternalError(std::string("xlsx: ") + lxw_strerror(e));
  }
  std::ifstream in(file.path(), std::ios::binary);
  std::ostringstream bytes;
  if (in.is_open()) bytes << in.rdbuf();
  std::string content = bytes.str();
  if (content.empty()) return absl::InternalError("xlsx: cannot read the workbook back");
  return content;
}

}  // namespace socm::reporting
