#include "services/reporting/domain/xlsx_common.h"

#include <fstream>
#include <sstream>

namespace socm::reporting::internal {

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
  format_set_unlocked(f.input);
  f.note = NewFormat(wb, true);
  format_set_text_wrap(f.note);
  format_set_unlocked(f.note);
  format_set_bg_color(f.note, 0xFFF8DC);
  f.ladder = NewFormat(wb, true);
  format_set_font_size(f.ladder, 7);
  format_set_text_wrap(f.ladder);
  format_set_bg_color(f.ladder, 0xF4F6F9);
  return f;
}

absl::StatusOr<std::string> FinishWorkbook(lxw_workbook* wb, const std::string& path,
                                           std::initializer_list<const Sheet*> sheets) {
  const lxw_error closed = workbook_close(wb);
  for (const Sheet* s : sheets) {
    if (s->error() != LXW_NO_ERROR) {
      return absl::InternalError(std::string("xlsx: ") + lxw_strerror(s->error()));
    }
  }
  if (closed != LXW_NO_ERROR)
    return absl::InternalError(std::string("xlsx: ") + lxw_strerror(closed));
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  if (in.is_open()) bytes << in.rdbuf();
  std::string content = bytes.str();
  if (content.empty()) return absl::InternalError("xlsx: cannot read the workbook back");
  return content;
}

}  // namespace socm::reporting::internal
