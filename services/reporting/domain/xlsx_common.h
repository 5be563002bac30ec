#pragma once
// What the two workbooks (the report's and the fillable self-check sheet) share: a private temp
// file for libxlsxwriter, a writer that keeps the first error, the formats, and the
// self-check layout of ../shared/spec/isogj-sheet.md that the importer reads back.

#include <unistd.h>
#include <xlsxwriter.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/reporting/domain/report_view.h"
#include "services/reporting/domain/text.h"

namespace socm::reporting::internal {

inline constexpr uint8_t kPaperA4 = 9;
// Excel refuses a cell longer than this.
inline constexpr size_t kMaxCell = 32000;

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
    std::string clean = CleanText(text);
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
    const std::string clean = CleanText(text);
    Keep(worksheet_merge_range(ws_, first_row, col, last_row, col, clean.c_str(), format));
  }
  void MergeAcross(int row, int first_col, int last_col, std::string_view text,
                   lxw_format* format) {
    if (first_col == last_col) return Text(row, first_col, text, format);
    const std::string clean = CleanText(text);
    Keep(worksheet_merge_range(ws_, row, first_col, row, last_col, clean.c_str(), format));
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
  // The self-check sheet: the answer cells a person fills (unlocked), the ladder texts.
  lxw_format* note;
  lxw_format* ladder;
};

lxw_format* NewFormat(lxw_workbook* wb, bool border);
Formats MakeFormats(lxw_workbook* wb);

// Writes the self-check sheet into `s`: 記入日/Date, the dimension groups with their level
// texts, a header row of level numbers, one row per role with ● on the chosen level and ○
// on the others, note and target; header rows frozen, columns A-D locked, the answer cells
// unlocked with list and number validation. Blank when the view has no answers.
void WriteSelfCheckSheet(Sheet& s, const Formats& f, const ReportView& v);

// The workbook at `path` as bytes; the errors of the sheets first.
absl::StatusOr<std::string> FinishWorkbook(lxw_workbook* wb, const std::string& path,
                                           std::initializer_list<const Sheet*> sheets);

}  // namespace socm::reporting::internal
