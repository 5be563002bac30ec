#include <string>
#include <string_view>

#include "services/reporting/domain/report.h"
#include "services/reporting/domain/report_view.h"
#include "services/reporting/domain/text.h"

namespace socm::reporting {
namespace {

void Field(std::string* out, std::string_view raw, bool first = false) {
  internal::AppendCsvField(out, raw, first);
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
