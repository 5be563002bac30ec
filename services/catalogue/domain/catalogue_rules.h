#pragma once
// The rules of a catalogue document, as pure functions on the catalogue
// message: validation with JSON field paths, language selection, version order.
// Example:
//   auto violations = ValidateCatalogue(doc);
//   // {"functions[2].roles[0].code", "must start with \"C-\""}, ...
//   Catalogue en = Localize(doc, Language::kEn);   // every text English only

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/status.h"
#include "soc/maturity/catalogue/v1/catalogue.pb.h"

namespace socm::catalogue {

using soc::maturity::catalogue::v1::Catalogue;
using soc::maturity::catalogue::v1::CatalogueSummary;

enum class Language { kBoth, kJa, kEn };

// "" -> kBoth, "ja", "en"; anything else is INVALID_ARGUMENT on field "lang".
absl::StatusOr<Language> ParseLanguage(const std::string& lang);

// Every problem of a catalogue document, each with its JSON path. Empty: valid. The first
// form (ISOG-J's two ladders) is read as NormalizeCatalogue reads it.
std::vector<FieldViolation> ValidateCatalogue(const Catalogue& catalogue);

// A copy whose texts keep only the language asked for (kBoth: unchanged).
Catalogue Localize(const Catalogue& catalogue, Language language);

// Orders dotted versions numerically: "2.10" > "2.9". <0, 0 or >0.
int CompareVersions(const std::string& a, const std::string& b);

// True for "2", "2.1", "10.0.3" (one to four numbers).
bool IsVersion(const std::string& version);

}  // namespace socm::catalogue
