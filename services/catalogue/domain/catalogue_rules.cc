#include "services/catalogue/domain/catalogue_rules.h"

#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/catalogue/domain/model_shape.h"

namespace socm::catalogue {
namespace {

using soc::maturity::catalogue::v1::LocalizedText;

constexpr size_t kMaxName = 200;
constexpr size_t kMaxText = 4000;
constexpr int kMaxFunctions = 50;
constexpr int kMaxRolesPerFunction = 100;

class Checker {
 public:
  void Add(std::string field, std::string description) {
    out_.push_back(Violation(std::move(field), std::move(description)));
  }

  // Both languages present and within `max` bytes.
  void Text(const std::string& field, const LocalizedText& text, size_t max, bool required) {
    if (!required && text.ja().empty() && text.en().empty()) return;
    for (const auto& [lang, value] : {std::pair{"ja", &text.ja()}, std::pair{"en", &text.en()}}) {
      const std::string path = absl::StrCat(field, ".", lang);
      if (value->empty()) {
        Add(path, "required");
      } else if (value->size() > max) {
        Add(path, absl::StrCat("at most ", max, " bytes"));
      }
    }
  }

  std::vector<FieldViolation> Take() { return std::move(out_); }

 private:
  std::vector<FieldViolation> out_;
};

bool IsCatalogueId(const std::string& id) {
  if (id.size() < 2 || id.size() > 63) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0);
    if (!ok) return false;
  }
  return true;
}

bool IsFunctionCode(const std::string& code) {
  if (code.empty() || code.size() > 4 || code[0] < 'A' || code[0] > 'Z') return false;
  for (char c : code) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

bool IsDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  int y, m, d;
  if (!absl::SimpleAtoi(s.substr(0, 4), &y) || !absl::SimpleAtoi(s.substr(5, 2), &m) ||
      !absl::SimpleAtoi(s.substr(8, 2), &d)) {
    return false;
  }
  return y >= 1900 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

void ClearOtherLanguage(google::protobuf::Message* message, Language keep) {
  if (message->GetDescriptor() == LocalizedText::descriptor()) {
    auto* text = static_cast<LocalizedText*>(message);
    if (keep == Language::kJa) text->clear_en();
    if (keep == Language::kEn) text->clear_ja();
    return;
  }
  const auto* reflection = message->GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection->ListFields(*message, &fields);
  for (const auto* field : fields) {
    if (field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(*message, field); ++i) {
        ClearOtherLanguage(reflection->MutableRepeatedMessage(message, field, i), keep);
      }
    } else {
      ClearOtherLanguage(reflection->MutableMessage(message, field), keep);
    }
  }
}

}  // namespace

absl::StatusOr<Language> ParseLanguage(const std::string& lang) {
  if (lang.empty()) return Language::kBoth;
  if (lang == "ja") return Language::kJa;
  if (lang == "en") return Language::kEn;
  return InvalidFields({Violation("lang", "must be ja or en")});
}

bool IsVersion(const std::string& version) {
  const std::vector<std::string> parts = absl::StrSplit(version, '.');
  if (version.empty() || parts.size() > 4) return false;
  for (const std::string& part : parts) {
    uint32_t n;
    if (part.empty() || part.size() > 6 || !absl::SimpleAtoi(part, &n)) return false;
    for (char c : part) {
      if (c < '0' || c > '9') return false;
    }
  }
  return true;
}

int CompareVersions(const std::string& a, const std::string& b) {
  const std::vector<std::string> pa = absl::StrSplit(a, '.');
  const std::vector<std::string> pb = absl::StrSplit(b, '.');
  for (size_t i = 0; i < std::max(pa.size(), pb.size()); ++i) {
    uint64_t na = 0, nb = 0;
    if (i < pa.size() && !absl::SimpleAtoi(pa[i], &na)) na = 0;
    if (i < pb.size() && !absl::SimpleAtoi(pb[i], &nb)) nb = 0;
    if (na != nb) return na < nb ? -1 : 1;
  }
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

std::vector<FieldViolation> ValidateCatalogue(const Catalogue& document) {
  Catalogue c = document;
  NormalizeCatalogue(c);
  Checker check;
  if (c.id().empty()) {
    check.Add("id", "required");
  } else if (!IsCatalogueId(c.id())) {
    check.Add("id", "must be 2..63 of a-z, 0-9 and '-', starting with a letter or digit");
  }
  if (c.version().empty()) {
    check.Add("version", "required");
  } else if (!IsVersion(c.version())) {
    check.Add("version", "must be dotted numbers such as 2.1");
  }
  if (!c.published_on().empty() && !IsDate(c.published_on())) {
    check.Add("publishedOn", "must be a date YYYY-MM-DD");
  }
  check.Text("name", c.name(), kMaxName, true);
  check.Text("description", c.description(), kMaxText, false);
  check.Text("ratingGuidance", c.rating_guidance(), kMaxText, false);

  if (c.functions().empty()) check.Add("functions", "at least one function is required");
  if (c.functions_size() > kMaxFunctions) {
    check.Add("functions", absl::StrCat("at most ", kMaxFunctions, " functions"));
  }
  std::map<std::string, std::string> function_paths;
  std::map<std::string, std::string> role_paths;
  for (int i = 0; i < c.functions_size() && i < kMaxFunctions; ++i) {
    const auto& f = c.functions(i);
    const std::string path = absl::StrCat("functions[", i, "]");
    if (f.code().empty()) {
      check.Add(path + ".code", "required");
    } else if (!IsFunctionCode(f.code())) {
      check.Add(path + ".code", "must be 1..4 of A-Z and 0-9, starting with a letter");
    } else if (auto [it, fresh] = function_paths.emplace(f.code(), path); !fresh) {
      check.Add(path + ".code", absl::StrCat("duplicate of ", it->second, ".code"));
    }
    check.Text(path + ".name", f.name(), kMaxName, true);
    check.Text(path + ".description", f.description(), kMaxText, false);
    check.Text(path + ".narrative.achieved", f.narrative().achieved(), kMaxText, false);
    check.Text(path + ".narrative.missing", f.narrative().missing(), kMaxText, false);
    if (f.roles().empty()) check.Add(path + ".roles", "a function needs at least one role");
    if (f.roles_size() > kMaxRolesPerFunction) {
      check.Add(path + ".roles", absl::StrCat("at most ", kMaxRolesPerFunction, " roles"));
    }
    for (int j = 0; j < f.roles_size() && j < kMaxRolesPerFunction; ++j) {
      const auto& r = f.roles(j);
      const std::string rpath = absl::StrCat(path, ".roles[", j, "]");
      const std::string prefix = f.code() + "-";
      if (r.code().empty()) {
        check.Add(rpath + ".code", "required");
      } else if (!absl::StartsWith(r.code(), prefix) || r.code().size() == prefix.size() ||
                 r.code().size() > 16) {
        check.Add(rpath + ".code", absl::StrCat("must be \"", prefix, "\" followed by a number"));
      } else if (auto [it, fresh] = role_paths.emplace(r.code(), rpath); !fresh) {
        check.Add(rpath + ".code", absl::StrCat("duplicate of ", it->second, ".code"));
      }
      check.Text(rpath + ".name", r.name(), kMaxName, true);
      check.Text(rpath + ".description", r.description(), kMaxText, false);
      static const std::set<std::string> kAreas = {"", "I", "II", "III", "IV"};
      if (kAreas.count(r.area()) == 0) check.Add(rpath + ".area", "must be I, II, III or IV");
    }
  }

  for (int i = 0; i < c.provenance().parts_size(); ++i) {
    const auto& part = c.provenance().parts(i);
    const std::string path = absl::StrCat("provenance.parts[", i, "]");
    if (part.scope().empty()) check.Add(path + ".scope", "required");
    if (part.status() == soc::maturity::catalogue::v1::PROVENANCE_STATUS_UNSPECIFIED) {
      check.Add(path + ".status", "required");
    }
    check.Text(path + ".note", part.note(), kMaxText, false);
  }
  std::vector<FieldViolation> out = check.Take();
  std::vector<FieldViolation> shape;
  ValidateShape(c, shape);
  // A document in the first form hears about its ladders by their own names.
  const bool first_form = document.dimensions().empty();
  for (FieldViolation& v : shape) {
    if (first_form) {
      for (const auto& [from, to] : {std::pair{"dimensions[0].levels", "inSourceLevels"},
                                     std::pair{"dimensions[1].levels", "outSourceLevels"}}) {
        if (absl::StartsWith(v.field(), from)) {
          v.set_field(std::string(to) + v.field().substr(std::string(from).size()));
        }
      }
    }
    out.push_back(std::move(v));
  }
  return out;
}

Catalogue Localize(const Catalogue& catalogue, Language language) {
  Catalogue out = catalogue;
  if (language != Language::kBoth) ClearOtherLanguage(&out, language);
  out.set_language(language == Language::kJa ? "ja" : language == Language::kEn ? "en" : "");
  return out;
}

}  // namespace socm::catalogue
