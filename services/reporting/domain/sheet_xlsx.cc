// The fillable self-check sheet (../shared/spec/isogj-sheet.md), written so that the
// importer (services/assessment/domain/sheet_reader.cc) reads it back exactly.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/reporting/domain/report.h"
#include "services/reporting/domain/report_view.h"
#include "services/reporting/domain/text.h"
#include "services/reporting/domain/xlsx_common.h"

namespace socm::reporting {
namespace internal {
namespace {

constexpr int kDateRow = 0;
constexpr int kGroupRow = 1;
constexpr int kLadderRow = 2;
constexpr int kHeaderRow = 3;
constexpr int kFirstRoleRow = 4;
constexpr int kFirstLevelColumn = 4;         // E
constexpr const char* kMarked = "\u25CF";    // ●
constexpr const char* kUnmarked = "\u25CB";  // ○

}  // namespace

void WriteSelfCheckSheet(Sheet& s, const Formats& f, const ReportView& v) {
  const Words& w = *v.words;
  const auto& c = *v.catalogue;
  lxw_worksheet* ws = s.ws();
  worksheet_set_paper(ws, kPaperA4);
  worksheet_set_landscape(ws);
  worksheet_fit_to_pages(ws, 1, 0);

  const int levels = v.highest - v.lowest + 1;
  const int dims = static_cast<int>(v.dimensions.size());
  const int note_col = kFirstLevelColumn + dims * levels;
  const int target_col = note_col + 1;

  s.Text(kDateRow, 0, w.sheet_date, f.bold);
  s.Text(kDateRow, 1, v.assessment->assessed_on(), f.note);
  std::string title(Pick(c.name(), v.lang));
  if (!c.version().empty()) title.append(" v").append(c.version());
  if (!v.organization.empty()) title.append(" \u2014 ").append(v.organization);
  s.Text(kDateRow, 2, title, f.title);

  // Columns A-D, then each dimension's group of levels, then note and target.
  for (const auto& [first, last, width] :
       {std::tuple{0, 0, 22.0}, std::tuple{1, 1, 8.0}, std::tuple{2, 2, 30.0},
        std::tuple{3, 3, 6.0}, std::tuple{kFirstLevelColumn, note_col - 1, 5.5},
        std::tuple{note_col, note_col, 40.0}, std::tuple{target_col, target_col, 7.0}}) {
    s.Keep(worksheet_set_column(ws, first, last, width, nullptr));
  }
  s.Keep(worksheet_set_row(ws, kLadderRow, 96, nullptr));

  for (int d = 0; d < dims; ++d) {
    const int first = kFirstLevelColumn + d * levels;
    s.MergeAcross(kGroupRow, first, first + levels - 1, v.dimensions[d].name, f.header);
    for (int k = 0; k < levels; ++k) {
      const int level = v.lowest + k;
      s.Text(kLadderRow, first + k, LevelText(*v.dimensions[d].ladder, level, v.lang), f.ladder);
      s.Number(kHeaderRow, first + k, level, f.header);
    }
  }
  int col = 0;
  for (const char* h : {w.function, w.role, w.role_name, w.area}) {
    s.Text(kHeaderRow, col++, h, f.header);
  }
  s.Text(kHeaderRow, note_col, w.note, f.header);
  s.Text(kHeaderRow, target_col, w.sheet_target, f.header);

  int row = kFirstRoleRow;
  for (const FunctionRow& fn : v.functions) {
    if (fn.roles.empty()) continue;
    const int first = row;
    for (const RoleRow& r : fn.roles) {
      s.Text(row, 1, std::string(r.code) + ".", f.level);
      s.Text(row, 2, r.name, f.wrap);
      s.Text(row, 3, r.area, f.level);
      for (int d = 0; d < dims; ++d) {
        for (int k = 0; k < levels; ++k) {
          const bool marked = r.levels[d] && *r.levels[d] == v.lowest + k;
          s.Text(row, kFirstLevelColumn + d * levels + k, marked ? kMarked : kUnmarked, f.input);
        }
      }
      s.Text(row, note_col, r.note, f.note);
      s.Number(row, target_col, r.target ? std::optional<double>(*r.target) : std::nullopt,
               f.input);
      ++row;
    }
    s.Merge(first, 0, row - 1, std::string(fn.code) + ". " + std::string(fn.name), f.function);
  }

  if (row > kFirstRoleRow) {
    // Only the two marks in level cells, so the sheet fills in any spreadsheet without macros.
    // libxlsxwriter's list takes char*, though it only reads them.
    std::string marked = kMarked, unmarked = kUnmarked;
    char* marks[] = {marked.data(), unmarked.data(), nullptr};
    lxw_data_validation mark{};
    mark.validate = LXW_VALIDATION_TYPE_LIST;
    mark.value_list = marks;
    s.Keep(worksheet_data_validation_range(ws, kFirstRoleRow, kFirstLevelColumn, row - 1,
                                           note_col - 1, &mark));
    lxw_data_validation target{};
    target.validate = LXW_VALIDATION_TYPE_INTEGER;
    target.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
    target.minimum_number = v.lowest;
    target.maximum_number = v.highest;
    target.ignore_blank = LXW_VALIDATION_ON;
    s.Keep(worksheet_data_validation_range(ws, kFirstRoleRow, target_col, row - 1, target_col,
                                           &target));
  }
  worksheet_freeze_panes(ws, kFirstRoleRow, kFirstLevelColumn);
  s.Keep(worksheet_repeat_rows(ws, kGroupRow, kHeaderRow));
  // Columns A-D and the headers are locked; the answer cells are unlocked formats. No
  // password: the lock guards against slips, not people.
  lxw_protection protection{};
  protection.format_columns = 1;
  protection.format_rows = 1;
  worksheet_protect(ws, nullptr, &protection);
}

namespace {

// The ladders and the rules, for a person filling the sheet on paper or offline.
void HowToSheet(Sheet& s, const Formats& f, const ReportView& v) {
  const Words& w = *v.words;
  const auto& c = *v.catalogue;
  lxw_worksheet* ws = s.ws();
  worksheet_set_paper(ws, kPaperA4);
  worksheet_fit_to_pages(ws, 1, 0);
  const int dims = static_cast<int>(v.dimensions.size());
  s.Keep(worksheet_set_column(ws, 0, 0, 8, nullptr));
  s.Keep(worksheet_set_column(ws, 1, 1, 18, nullptr));
  s.Keep(worksheet_set_column(ws, 2, 1 + dims, 50, nullptr));
  s.Text(0, 0, w.sheet_how_to, f.title);
  s.Keep(worksheet_set_row(ws, 1, 80, nullptr));
  s.Keep(worksheet_merge_range(ws, 1, 0, 1, 1 + dims, "", f.wrap));
  s.Text(1, 0, w.sheet_rules, f.wrap);
  const std::string_view guidance = Pick(c.rating_guidance(), v.lang);
  int row = 3;
  if (!guidance.empty()) {
    s.Text(row, 0, w.rating_guidance, f.bold);
    s.Keep(worksheet_set_row(ws, row + 1, 48, nullptr));
    s.Keep(worksheet_merge_range(ws, row + 1, 0, row + 1, 1 + dims, "", f.wrap));
    s.Text(row + 1, 0, guidance, f.wrap);
    row += 3;
  }
  s.Text(row, 0, w.level_ladders, f.bold);
  ++row;
  s.Text(row, 0, w.level, f.header);
  s.Text(row, 1, w.scale, f.header);
  for (int d = 0; d < dims; ++d) s.Text(row, 2 + d, v.dimensions[d].name, f.header);
  for (int level = v.lowest; level <= v.highest; ++level) {
    ++row;
    s.Number(row, 0, level, f.level);
    std::string_view label;
    for (const auto& l : c.scale().levels()) {
      if (l.level() == level) label = Pick(l.label(), v.lang);
    }
    s.Text(row, 1, label, f.wrap);
    for (int d = 0; d < dims; ++d) {
      s.Text(row, 2 + d, LevelText(*v.dimensions[d].ladder, level, v.lang), f.wrap);
    }
  }
}

}  // namespace
}  // namespace internal

absl::StatusOr<std::string> RenderSheet(const ReportInput& input) {
  const internal::ReportView v = internal::BuildView(input);
  internal::TempFile file;
  if (file.path().empty()) return absl::InternalError("xlsx: cannot create a temporary file");
  lxw_workbook_options options{};
  lxw_workbook* wb = workbook_new_opt(file.path().c_str(), &options);
  if (wb == nullptr) return absl::InternalError("xlsx: cannot start a workbook");
  lxw_doc_properties properties{};
  properties.comments = const_cast<char*>(v.words->generated_by);
  workbook_set_properties(wb, &properties);

  const internal::Formats formats = internal::MakeFormats(wb);
  internal::Sheet input_sheet(workbook_add_worksheet(wb, v.words->sheet_input));
  internal::Sheet how_to(workbook_add_worksheet(wb, v.words->sheet_how_to));
  if (input_sheet.ws() == nullptr || how_to.ws() == nullptr) {
    workbook_close(wb);
    return absl::InternalError("xlsx: cannot add the worksheets");
  }
  internal::WriteSelfCheckSheet(input_sheet, formats, v);
  internal::HowToSheet(how_to, formats, v);
  return internal::FinishWorkbook(wb, file.path(), {&input_sheet, &how_to});
}

}  // namespace socm::reporting
