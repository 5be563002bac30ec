#pragma once
// Text helpers every report format shares: picking a language, making user
// text safe (valid UTF-8, escaped for XML/HTML), numbers as the reports print
// them, and the fixed words of the reports in Japanese and English.

#include <optional>
#include <string>
#include <string_view>

#include "services/reporting/domain/report.h"
#include "soc/maturity/catalogue/v1/catalogue.pb.h"

namespace socm::reporting::internal {

// The text in `lang`, or the other language when that one is empty, so that a
// tenant catalogue written in one language still fills every report.
std::string_view Pick(const soc::maturity::catalogue::v1::LocalizedText& text, Lang lang);

// "ja" or "en".
const char* LangCode(Lang lang);

// Decodes one code point at `*pos` and advances it; invalid bytes decode as
// U+FFFD one byte at a time. Requires *pos < text.size().
char32_t NextCodePoint(std::string_view text, size_t* pos);

// `text` as valid UTF-8 without the control characters XML 1.0 forbids (tab
// and line feed stay; carriage returns go, so CRLF becomes LF).
std::string CleanText(std::string_view text);

// At most `max_bytes` of `text`, cut at a character boundary, with "…"
// appended when something was cut.
std::string Shorten(std::string_view text, size_t max_bytes);

// Appends CleanText(text) with & < > " ' escaped, valid in XML text, XML
// attributes and HTML alike.
void AppendEscaped(std::string* out, std::string_view text);
std::string Escaped(std::string_view text);

// One decimal, rounded half away from zero, never "-0.0": 3.45 -> "3.5".
std::string FormatTenths(double value);
// FormatTenths, or "" when absent.
std::string FormatTenths(std::optional<double> value);
// The integer, or "" when absent.
std::string FormatInt(std::optional<int> value);

// Appends one RFC 4180 CSV field (after a comma unless `first`), cleaned, quoted when it must
// be, and prefixed with an apostrophe when a spreadsheet would run it as a formula.
void AppendCsvField(std::string* out, std::string_view raw, bool first);

// The fixed words of the reports.
struct Words {
  const char* report_title;
  const char* organization;
  const char* assessment_title;
  const char* assessed_on;
  const char* status;
  const char* catalogue;
  const char* revision;
  const char* overall;
  const char* completeness;
  const char* roles_answered;  // "{answered} / {total} ..." suffix
  const char* policy;
  const char* policy_count_zero;
  const char* policy_exclude;
  const char* radar;
  const char* current;
  const char* target;
  const char* function;
  const char* code;
  const char* function_code;
  const char* role_code;
  const char* score;
  const char* level;
  const char* gap;
  const char* answered;
  const char* summary;
  const char* functions;
  const char* strengths;
  const char* weaknesses;
  const char* strengths_and_weaknesses;
  const char* achieved;
  const char* missing;
  const char* advice;
  const char* none;
  const char* roles_title;
  const char* role;
  const char* role_name;
  const char* area;
  const char* in_source;
  const char* out_source;
  const char* effective;
  const char* note;
  const char* unanswered;
  const char* not_counted;
  const char* not_scored;
  const char* level_ladders;
  const char* rating_guidance;
  const char* provenance;
  const char* sources;
  const char* confirmed;
  const char* reconstructed;
  const char* unspecified;
  const char* draft;
  const char* submitted;
  const char* approved;
  const char* generated_by;
  // The sourcing view.
  const char* sourcing;
  const char* in_source_only;
  const char* dependency;
  const char* out_sourced_roles;
  const char* sourcing_note;
  const char* scale;
  // The fillable self-check sheet.
  const char* sheet_input;
  const char* sheet_how_to;
  const char* sheet_date;
  const char* sheet_target;
  const char* sheet_rules;
};
const Words& WordsFor(Lang lang);

// The localized word for an assessment status or a scoring policy.
const char* StatusWord(int status, Lang lang);
const char* PolicyWord(int policy, Lang lang);
// The localized word for a provenance status.
const char* ProvenanceWord(int status, Lang lang);

}  // namespace socm::reporting::internal
