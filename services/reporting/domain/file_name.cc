#include <string>
#include <string_view>

#include "services/reporting/domain/report.h"

namespace socm::reporting {
namespace {

constexpr size_t kMaxFileName = 100;
constexpr size_t kMaxExtension = 10;
constexpr size_t kMaxDate = 20;

bool Safe(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

// Keeps the safe bytes and turns each run of others into one '_'. Removing
// CR/LF, quotes, slashes and backslashes here is what keeps the name from
// splitting a Content-Disposition header or escaping a download directory.
std::string Sanitize(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (Safe(c)) {
      out.push_back(c);
    } else if (out.empty() || out.back() != '_') {
      out.push_back('_');
    }
  }
  // A leading dot hides the file, a leading dash reads as a command option.
  const size_t start = out.find_first_not_of(".-_");
  out.erase(0, start == std::string::npos ? out.size() : start);
  while (!out.empty() && (out.back() == '_' || out.back() == '.')) out.pop_back();
  return out;
}

}  // namespace

std::string ReportFileName(const ReportInput& input, const std::string& extension) {
  std::string ext = Sanitize(extension);
  if (ext.size() > kMaxExtension) ext.resize(kMaxExtension);
  const std::string suffix = ext.empty() ? "report" : "report." + ext;

  std::string date =
      input.assessment != nullptr ? Sanitize(input.assessment->assessed_on()) : std::string();
  if (date.size() > kMaxDate) date.resize(kMaxDate);
  // The organisation gives way first, so that the date and the extension
  // survive a long name.
  std::string org = Sanitize(input.organization_name);
  const size_t budget = kMaxFileName - suffix.size() - 1 - (date.empty() ? 0 : date.size() + 1);
  if (org.size() > budget) {
    org.resize(budget);
    while (!org.empty() && (org.back() == '_' || org.back() == '.' || org.back() == '-')) {
      org.pop_back();
    }
  }
  std::string stem;
  for (const std::string* part : {&org, &date}) {
    if (!part->empty()) stem.append(*part).push_back('-');
  }
  return stem + suffix;
}

}  // namespace socm::reporting
