#include "services/catalogue/domain/model_shape.h"

#include <cmath>
#include <set>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"

namespace socm::catalogue {
namespace {

namespace pb = soc::maturity::catalogue::v1;

pb::LocalizedText Text(const std::string& ja, const std::string& en) {
  pb::LocalizedText text;
  text.set_ja(ja);
  text.set_en(en);
  return text;
}

const pb::Dimension* FindDimension(const Catalogue& catalogue, const std::string& code) {
  for (const auto& d : catalogue.dimensions()) {
    if (d.code() == code) return &d;
  }
  return nullptr;
}

void AddDimension(Catalogue& catalogue, const std::string& code, const pb::LocalizedText& name,
                  const google::protobuf::RepeatedPtrField<pb::LevelText>& ladder) {
  pb::Dimension* d = catalogue.add_dimensions();
  d->set_code(code);
  *d->mutable_name() = name;
  *d->mutable_levels() = ladder;
}

bool IsDimensionCode(const std::string& code) {
  if (code.empty() || code.size() > 32 || code[0] < 'a' || code[0] > 'z') return false;
  for (char c : code) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
      return false;
    }
  }
  return true;
}

bool SameLadder(const google::protobuf::RepeatedPtrField<pb::LevelText>& a,
                const google::protobuf::RepeatedPtrField<pb::LevelText>& b) {
  if (a.size() != b.size()) return false;
  for (int i = 0; i < a.size(); ++i) {
    if (!google::protobuf::util::MessageDifferencer::Equals(a[i], b[i])) return false;
  }
  return true;
}

constexpr size_t kMaxText = 4000;

void CheckText(const std::string& path, const pb::LocalizedText& text,
               std::vector<FieldViolation>& out) {
  for (const auto& [lang, value] : {std::pair{"ja", &text.ja()}, std::pair{"en", &text.en()}}) {
    if (value->empty()) {
      out.push_back(Violation(absl::StrCat(path, ".", lang), "required"));
    } else if (value->size() > kMaxText) {
      out.push_back(
          Violation(absl::StrCat(path, ".", lang), absl::StrCat("at most ", kMaxText, " bytes")));
    }
  }
}

// One text per level of the scale, each level once.
void CheckLadder(const std::string& path,
                 const google::protobuf::RepeatedPtrField<pb::LevelText>& ladder,
                 const Scale& scale, std::vector<FieldViolation>& out) {
  std::set<int> seen;
  for (int i = 0; i < ladder.size(); ++i) {
    const std::string p = absl::StrCat(path, "[", i, "]");
    const int level = ladder[i].level();
    if (!scale.Contains(level)) {
      out.push_back(Violation(p + ".level", absl::StrCat("must be ", scale.Range())));
    } else if (!seen.insert(level).second) {
      out.push_back(Violation(p + ".level", absl::StrCat("level ", level, " appears twice")));
    }
    CheckText(p + ".text", ladder[i].text(), out);
  }
  for (int level = scale.lowest; level <= scale.highest; ++level) {
    if (seen.count(level) == 0) {
      out.push_back(Violation(path, absl::StrCat("level ", level, " has no text")));
    }
  }
}

}  // namespace

std::string Scale::Range() const { return absl::StrCat(lowest, "..", highest); }

void NormalizeCatalogue(Catalogue& c) {
  // A catalogue without dimensions is in the first form, whatever else it lacks.
  const bool first_form = c.dimensions().empty();
  if (first_form) {
    if (!c.has_scale()) {
      pb::Scale* scale = c.mutable_scale();
      scale->set_lowest(0);
      scale->set_highest(5);
      for (int level = 0; level <= 5; ++level) {
        pb::ScaleLevel* l = scale->add_levels();
        l->set_level(level);
        *l->mutable_label() = Text(absl::StrCat(level), absl::StrCat(level));
      }
    }
    AddDimension(c, kInSource, Text("インソース", "In-source"), c.in_source_levels());
    AddDimension(c, kOutSource, Text("アウトソース", "Out-source"), c.out_source_levels());
  }
  if (c.combine() == pb::COMBINE_UNSPECIFIED) c.set_combine(pb::MAX);
  if (const pb::Dimension* d = FindDimension(c, kInSource); d && c.in_source_levels().empty()) {
    *c.mutable_in_source_levels() = d->levels();
  }
  if (const pb::Dimension* d = FindDimension(c, kOutSource); d && c.out_source_levels().empty()) {
    *c.mutable_out_source_levels() = d->levels();
  }
}

Scale ScaleOf(const Catalogue& catalogue) {
  if (!catalogue.has_scale()) return Scale{};
  return Scale{catalogue.scale().lowest(), catalogue.scale().highest()};
}

bool HasDimension(const Catalogue& catalogue, const std::string& code) {
  return FindDimension(catalogue, code) != nullptr;
}

bool HasSourcing(const Catalogue& catalogue) {
  return HasDimension(catalogue, kInSource) && HasDimension(catalogue, kOutSource);
}

std::optional<int> LevelOf(const Answer& answer, const std::string& code) {
  if (auto it = answer.levels().find(code); it != answer.levels().end()) return it->second;
  if (code == kInSource && answer.has_in_source()) return answer.in_source();
  if (code == kOutSource && answer.has_out_source()) return answer.out_source();
  if (code == kLevel && answer.has_level()) return answer.level();
  return std::nullopt;
}

bool HasAnyLevel(const Answer& answer) {
  return !answer.levels().empty() || answer.has_in_source() || answer.has_out_source() ||
         answer.has_level();
}

std::vector<FieldViolation> FoldShortForms(Answer& answer, const std::string& path) {
  std::vector<FieldViolation> out;
  auto fold = [&](bool present, int value, const char* code) {
    if (!present) return;
    auto [it, fresh] = answer.mutable_levels()->insert({code, value});
    if (!fresh && it->second != value) {
      out.push_back(Violation(absl::StrCat(path, ".", code),
                              absl::StrCat("disagrees with levels.", code, " (", it->second, ")")));
    }
  };
  fold(answer.has_in_source(), answer.in_source(), kInSource);
  fold(answer.has_out_source(), answer.out_source(), kOutSource);
  fold(answer.has_level(), answer.level(), kLevel);
  return out;
}

void FillShortForms(Answer& answer) {
  const auto& levels = answer.levels();
  auto in = levels.find(kInSource), out = levels.find(kOutSource), one = levels.find(kLevel);
  if (in != levels.end())
    answer.set_in_source(in->second);
  else
    answer.clear_in_source();
  if (out != levels.end())
    answer.set_out_source(out->second);
  else
    answer.clear_out_source();
  if (one != levels.end())
    answer.set_level(one->second);
  else
    answer.clear_level();
}

std::vector<FieldViolation> ValidateAnswerLevels(const Answer& answer, const Catalogue& catalogue,
                                                 const std::string& path) {
  std::vector<FieldViolation> out;
  const Scale scale = ScaleOf(catalogue);
  // Short forms are named by their own field, the rest by their key in levels.
  auto field = [&](const std::string& code) {
    const bool short_form = (code == kInSource && answer.has_in_source()) ||
                            (code == kOutSource && answer.has_out_source()) ||
                            (code == kLevel && answer.has_level());
    return short_form ? absl::StrCat(path, ".", code) : absl::StrCat(path, ".levels.", code);
  };
  std::set<std::string> codes;
  for (const auto& [code, level] : answer.levels()) codes.insert(code);
  for (const char* code : {kInSource, kOutSource, kLevel}) {
    if (LevelOf(answer, code)) codes.insert(code);
  }
  for (const std::string& code : codes) {
    const int level = *LevelOf(answer, code);
    if (!HasDimension(catalogue, code)) {
      out.push_back(Violation(
          field(code), absl::StrCat("catalogue ", catalogue.id(), " has no dimension ", code)));
    } else if (!scale.Contains(level)) {
      out.push_back(Violation(field(code), absl::StrCat("must be ", scale.Range())));
    }
  }
  if (answer.has_target() && !scale.Contains(answer.target())) {
    out.push_back(Violation(path + ".target", absl::StrCat("must be ", scale.Range())));
  }
  return out;
}

LevelReader::LevelReader(const Catalogue& catalogue) {
  for (const auto& d : catalogue.dimensions()) {
    Form form = Form::kMap;
    if (d.code() == kInSource) form = Form::kInSource;
    if (d.code() == kOutSource) form = Form::kOutSource;
    if (d.code() == kLevel) form = Form::kLevel;
    dimensions_.emplace_back(d.code(), form);
  }
}

void LevelReader::Read(const Answer& answer, DimensionLevels& out) const {
  out.assign(dimensions_.size(), std::nullopt);
  for (size_t i = 0; i < dimensions_.size(); ++i) {
    const auto& [code, form] = dimensions_[i];
    // Stored answers carry the short forms and levels alike; the short form is the cheap read.
    if (form == Form::kInSource && answer.has_in_source()) {
      out[i] = answer.in_source();
    } else if (form == Form::kOutSource && answer.has_out_source()) {
      out[i] = answer.out_source();
    } else if (form == Form::kLevel && answer.has_level()) {
      out[i] = answer.level();
    } else if (!answer.levels().empty()) {
      if (auto it = answer.levels().find(code); it != answer.levels().end()) out[i] = it->second;
    }
  }
}

int LevelReader::IndexOf(const std::string& code) const {
  for (size_t i = 0; i < dimensions_.size(); ++i) {
    if (dimensions_[i].first == code) return static_cast<int>(i);
  }
  return -1;
}

std::optional<Effective> Combine(const Catalogue& catalogue, const DimensionLevels& levels,
                                 int ignored) {
  const int n = static_cast<int>(levels.size());
  auto level_at = [&](int i) -> std::optional<int> {
    return i == ignored || i < 0 || i >= n ? std::nullopt : levels[i];
  };
  switch (catalogue.combine()) {
    case pb::DIMENSION: {
      for (int i = 0; i < catalogue.dimensions_size() && i < n; ++i) {
        if (catalogue.dimensions(i).code() != catalogue.combine_dimension()) continue;
        if (auto level = level_at(i)) return Effective{*level, i};
        return std::nullopt;
      }
      return std::nullopt;
    }
    case pb::MEAN: {
      int sum = 0, count = 0, only = -1;
      for (int i = 0; i < n; ++i) {
        if (auto level = level_at(i)) {
          sum += *level;
          ++count;
          only = i;
        }
      }
      if (count == 0) return std::nullopt;
      const int mean = static_cast<int>(std::floor(static_cast<double>(sum) / count + 0.5));
      return Effective{mean, count == 1 ? only : -1};
    }
    default: {
      std::optional<Effective> best;
      for (int i = 0; i < n; ++i) {
        auto level = level_at(i);
        if (level && (!best || *level > best->level)) best = Effective{*level, i};
      }
      return best;
    }
  }
}

std::optional<Effective> EffectiveLevel(const Answer& answer, const Catalogue& catalogue,
                                        const std::string& ignored) {
  const LevelReader reader(catalogue);
  DimensionLevels levels;
  reader.Read(answer, levels);
  return Combine(catalogue, levels, ignored.empty() ? -1 : reader.IndexOf(ignored));
}

void ValidateShape(const Catalogue& c, std::vector<FieldViolation>& out) {
  const Scale scale = ScaleOf(c);
  bool scale_ok = true;
  if (!c.has_scale()) {
    out.push_back(Violation("scale", "required (or the first form's inSourceLevels)"));
    scale_ok = false;
  } else {
    if (scale.lowest < 0 || scale.lowest >= kMaxScaleLevel) {
      out.push_back(Violation("scale.lowest", absl::StrCat("must be 0..", kMaxScaleLevel - 1)));
      scale_ok = false;
    }
    if (scale.highest <= scale.lowest || scale.highest > kMaxScaleLevel) {
      out.push_back(Violation("scale.highest", absl::StrCat("must be lowest+1..", kMaxScaleLevel)));
      scale_ok = false;
    }
  }
  if (scale_ok) {
    std::set<int> labelled;
    for (int i = 0; i < c.scale().levels_size(); ++i) {
      const auto& l = c.scale().levels(i);
      const std::string p = absl::StrCat("scale.levels[", i, "]");
      if (!scale.Contains(l.level())) {
        out.push_back(Violation(p + ".level", absl::StrCat("must be ", scale.Range())));
      } else if (!labelled.insert(l.level()).second) {
        out.push_back(Violation(p + ".level", absl::StrCat("level ", l.level(), " appears twice")));
      }
      CheckText(p + ".label", l.label(), out);
    }
    for (int level = scale.lowest; level <= scale.highest; ++level) {
      if (labelled.count(level) == 0) {
        out.push_back(Violation("scale.levels", absl::StrCat("level ", level, " has no label")));
      }
    }
  }

  if (c.dimensions().empty()) {
    out.push_back(Violation("dimensions", "at least one dimension is required"));
  } else if (c.dimensions_size() > kMaxDimensions) {
    out.push_back(Violation("dimensions", absl::StrCat("at most ", kMaxDimensions)));
  }
  std::set<std::string> codes;
  for (int i = 0; i < c.dimensions_size() && i < kMaxDimensions; ++i) {
    const auto& d = c.dimensions(i);
    const std::string p = absl::StrCat("dimensions[", i, "]");
    if (!IsDimensionCode(d.code())) {
      out.push_back(Violation(p + ".code", "must be 1..32 of a-z, A-Z, 0-9, starting with a-z"));
    } else if (!codes.insert(d.code()).second) {
      out.push_back(Violation(p + ".code", absl::StrCat(d.code(), " appears twice")));
    }
    CheckText(p + ".name", d.name(), out);
    if (scale_ok) CheckLadder(p + ".levels", d.levels(), scale, out);
  }
  if (c.combine() == pb::DIMENSION) {
    if (codes.count(c.combine_dimension()) == 0) {
      out.push_back(Violation("combineDimension", "must name one of the dimensions"));
    }
  } else if (!c.combine_dimension().empty()) {
    out.push_back(Violation("combineDimension", "only with combine DIMENSION"));
  } else if (!pb::Combine_IsValid(c.combine())) {
    out.push_back(Violation("combine", "must be MAX, MEAN or DIMENSION"));
  }

  // The first form is a view of the dimensions of the same code; it may not say otherwise.
  for (const auto& [field, code, ladder] :
       {std::tuple{"inSourceLevels", kInSource, &c.in_source_levels()},
        std::tuple{"outSourceLevels", kOutSource, &c.out_source_levels()}}) {
    if (ladder->empty()) continue;
    const pb::Dimension* d = FindDimension(c, code);
    if (d == nullptr) {
      out.push_back(Violation(field, absl::StrCat("only with a dimension ", code)));
    } else if (!SameLadder(*ladder, d->levels())) {
      out.push_back(Violation(field, absl::StrCat("differs from the dimension ", code)));
    }
  }

  if (!scale_ok) return;
  std::vector<int> advised(kMaxScaleLevel + 1, -1);
  for (int i = 0; i < c.level_advice_size(); ++i) {
    const auto& a = c.level_advice(i);
    const std::string path = absl::StrCat("levelAdvice[", i, "]");
    if (!scale.Contains(a.min_level())) {
      out.push_back(Violation(path + ".minLevel", absl::StrCat("must be ", scale.Range())));
    } else if (a.max_level() < a.min_level() || a.max_level() > scale.highest) {
      out.push_back(
          Violation(path + ".maxLevel", absl::StrCat("must be minLevel..", scale.highest)));
    } else {
      for (int level = a.min_level(); level <= a.max_level(); ++level) {
        if (advised[level] >= 0) {
          out.push_back(Violation(path, absl::StrCat("level ", level, " is also in levelAdvice[",
                                                     advised[level], "]")));
          break;
        }
        advised[level] = i;
      }
    }
    CheckText(path + ".advice", a.advice(), out);
  }
}

}  // namespace socm::catalogue
