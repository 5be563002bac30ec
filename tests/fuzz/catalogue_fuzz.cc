// libFuzzer target: the catalogue document rules
// (services/catalogue/domain/catalogue_rules.cc) on a Catalogue parsed from
// JSON the way a tenant's POST /v1/catalogues arrives. Checks: validation is
// deterministic and every violation names a field; Localize keeps the
// structure and drops only the other language's texts; version helpers agree
// with each other.
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "services/catalogue/domain/catalogue_rules.h"
#include "services/catalogue/domain/model_shape.h"

namespace {

using soc::maturity::catalogue::v1::Catalogue;
using socm::catalogue::Language;

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "property violated: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  Catalogue catalogue;
  if (!google::protobuf::util::JsonStringToMessage(text, &catalogue, options).ok()) return 0;

  const auto violations = socm::catalogue::ValidateCatalogue(catalogue);
  for (const auto& v : violations) {
    Check(!v.field().empty(), "a violation without a field");
    Check(!v.description().empty(), "a violation without a description");
  }
  Check(socm::catalogue::ValidateCatalogue(catalogue).size() == violations.size(),
        "validation is not deterministic");

  // The shape: normalizing is idempotent, keeps the validation's verdict, and every answer
  // level it accepts lies on the scale.
  Catalogue normalized = catalogue;
  socm::catalogue::NormalizeCatalogue(normalized);
  Catalogue twice = normalized;
  socm::catalogue::NormalizeCatalogue(twice);
  Check(google::protobuf::util::MessageDifferencer::Equals(normalized, twice),
        "NormalizeCatalogue is not idempotent");
  Check(socm::catalogue::ValidateCatalogue(normalized).empty() == violations.empty(),
        "normalizing changed whether the catalogue is valid");
  if (violations.empty()) {
    const socm::catalogue::Scale scale = socm::catalogue::ScaleOf(normalized);
    for (const auto& d : normalized.dimensions()) {
      for (int level = scale.lowest - 1; level <= scale.highest + 1; ++level) {
        soc::maturity::assessment::v1::Answer answer;
        (*answer.mutable_levels())[d.code()] = level;
        const bool accepted =
            socm::catalogue::ValidateAnswerLevels(answer, normalized, "a").empty();
        Check(accepted == scale.Contains(level), "an answer level off the scale was accepted");
        auto effective = socm::catalogue::EffectiveLevel(answer, normalized);
        Check(!accepted || normalized.combine() == soc::maturity::catalogue::v1::DIMENSION ||
                  (effective && scale.Contains(effective->level)),
              "an effective level off the scale");
      }
    }
  }

  const Catalogue both = socm::catalogue::Localize(catalogue, Language::kBoth);
  const Catalogue ja = socm::catalogue::Localize(catalogue, Language::kJa);
  const Catalogue en = socm::catalogue::Localize(catalogue, Language::kEn);
  Check(ja.language() == "ja" && en.language() == "en" && both.language().empty(),
        "Localize set the wrong language");
  Check(ja.functions_size() == catalogue.functions_size() &&
            en.functions_size() == catalogue.functions_size(),
        "Localize changed the structure");
  Check(ja.name().en().empty() && en.name().ja().empty(), "Localize kept the other language");
  Check(ja.name().ja() == catalogue.name().ja() && en.name().en() == catalogue.name().en(),
        "Localize changed the language it keeps");
  Catalogue plain = both;
  plain.set_language(catalogue.language());
  Check(google::protobuf::util::MessageDifferencer::Equals(plain, catalogue),
        "Localize(kBoth) changed the catalogue");
  for (int i = 0; i < catalogue.functions_size(); ++i) {
    Check(ja.functions(i).roles_size() == catalogue.functions(i).roles_size(),
          "Localize changed the roles");
    Check(ja.functions(i).code() == catalogue.functions(i).code(), "Localize changed a code");
  }

  const std::string& version = catalogue.version();
  Check(socm::catalogue::CompareVersions(version, version) == 0, "a version unequal to itself");
  const std::string other = catalogue.published_on();
  const int forward = socm::catalogue::CompareVersions(version, other);
  const int backward = socm::catalogue::CompareVersions(other, version);
  Check((forward > 0) == (backward < 0) && (forward == 0) == (backward == 0),
        "CompareVersions is not antisymmetric");
  (void)socm::catalogue::IsVersion(version);
  (void)socm::catalogue::ParseLanguage(catalogue.language());
  return 0;
}
