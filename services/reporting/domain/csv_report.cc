#include <string>
#include <string_view>

#include "services/reporting/domain/report.h"
#include "services/reporting/domain/report_view.h"
#include "services/reporting/domain/text.h"

namespace socm::reporting {
namespace {

// Spreadsheets run a cell that starts with one of these as a formula, which
// turns a note such as "=HYPERLINK(...)" into an attack on whoever opens the
// file. A leading apostrophe makes the cell plain text again.
bool LooksLikeFormula(std::string_view text) {
  return !text.empty() && std::string_view("=+-@\t").find(text.front()) != std::string_view::npos;
}

void Field(std::string* out, std::string_view raw, bool first = false) {
  if (!first) out->push_back(',');
  std::string text = internal::CleanText(raw);
  if (LooksLikeFormula(text)) text.insert(0, "'");
  // RFC 4180: quote a field holding a comma, a quote or a line break, and
  // double the quotes inside. Line breaks inside a field stay LF, the record
  // separator is CRLF.
  if (text.find_first_of(",\"\n") == std::string::npos) {
    out->append(text);
    return;
  }
  out->push_back('"');
  for (char c : text) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace

std::string RenderCsv(const ReportInput& input) {
  const internal::ReportView v = internal::BuildView(input);
  const internal::Words& w = *v.words;
  std::string out = "\xEF\xBB\xBF";
  out.reserve(8 * 1024);
  Field(&out, w.function_code, /*first=*/true);
  Field(&out, w.function);
  Field(&out, w.role_code);
  Field(&out, w.role_name);
  // One column per dimension of the catalogue, named as the catalogue names it.
  for (const auto& d : v.dimensions) Field(&out, d.name);
  Field(&out, w.effective);
  Field(&out, w.target);
  Field(&out, w.note);
  out.append("\r\n");
  for (const internal::FunctionRow& f : v.functions) {
    for (const internal::RoleRow& r : f.roles) {
      Field(&out, f.code, /*first=*/true);
      Field(&out, f.name);
      Field(&out, r.code);
      Field(&out, r.name);
      for (const auto& level : r.levels) Field(&out, internal::FormatInt(level));
      Field(&out, internal::FormatInt(r.effective));
      Field(&out, internal::FormatInt(r.target));
      Field(&out, r.note);
      out.append("\r\n");
    }
  }
  return out;
}

}  // namespace socm::reporting
