#include "services/reporting/domain/report_view.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "services/catalogue/domain/model_shape.h"

namespace socm::reporting::internal {

namespace apb = soc::maturity::assessment::v1;
namespace cpb = soc::maturity::catalogue::v1;
namespace spb = soc::maturity::scoring::v1;

namespace {

template <typename T>
std::optional<T> Opt(bool has, T value) {
  return has ? std::optional<T>(value) : std::nullopt;
}

const spb::FunctionScore* FindFunctionScore(const spb::Score& score, std::string_view code) {
  for (const auto& f : score.functions()) {
    if (f.code() == code) return &f;
  }
  return nullptr;
}

const spb::RoleScore* FindRoleScore(const spb::FunctionScore* f, std::string_view code) {
  if (f == nullptr) return nullptr;
  for (const auto& r : f->roles()) {
    if (r.code() == code) return &r;
  }
  return nullptr;
}

using AnswerIndex = std::unordered_map<std::string_view, const apb::Answer*>;

RoleRow MakeRole(std::string_view code, const cpb::Role* role, const spb::RoleScore* score,
                 const AnswerIndex& answers, const ReportView& view) {
  const Lang lang = view.lang;
  RoleRow row;
  row.code = code;
  if (role != nullptr) {
    row.name = Pick(role->name(), lang);
    row.area = role->area();
  }
  const auto it = answers.find(code);
  const apb::Answer* answer = it == answers.end() ? nullptr : it->second;
  // The score is what was counted, so it wins; the answer fills in when the
  // caller's score carries no role entries.
  row.levels.resize(view.dimensions.size());
  if (score != nullptr) {
    for (size_t i = 0; i < view.dimensions.size(); ++i) {
      const std::string code(view.dimensions[i].code);
      if (auto it = score->levels().find(code); it != score->levels().end()) {
        row.levels[i] = it->second;
      } else if (code == catalogue::kInSource && score->has_in_source()) {
        row.levels[i] = score->in_source();
      } else if (code == catalogue::kOutSource && score->has_out_source()) {
        row.levels[i] = score->out_source();
      } else if (code == catalogue::kLevel && score->has_level()) {
        row.levels[i] = score->level();
      }
    }
    row.target = Opt(score->has_target(), score->target());
    row.effective = Opt(score->has_effective(), score->effective());
    row.counted = score->counted();
  }
  if (answer != nullptr) {
    for (size_t i = 0; i < view.dimensions.size(); ++i) {
      if (!row.levels[i])
        row.levels[i] = catalogue::LevelOf(*answer, std::string(view.dimensions[i].code));
    }
    if (!row.target && answer->has_target()) row.target = answer->target();
    row.note = answer->note();
    if (!row.effective) {
      if (auto e = catalogue::EffectiveLevel(*answer, *view.catalogue)) {
        row.effective = e->level;
        if (score == nullptr) row.counted = true;
      }
    }
  }
  return row;
}

void FillScore(FunctionRow* row, const spb::FunctionScore* f, int highest) {
  row->highest = highest;
  if (f == nullptr) return;
  if (f->has_sourcing()) {
    row->has_sourcing = true;
    row->out_sourced_roles = f->sourcing().out_sourced_roles_size();
    row->in_source_only =
        Opt(f->sourcing().has_in_source_only_score(), f->sourcing().in_source_only_score());
    row->dependency = Opt(f->sourcing().has_dependency(), f->sourcing().dependency());
  }
  row->score = Opt(f->has_score(), f->score());
  row->level = Opt(f->has_level(), f->level());
  row->target = Opt(f->has_target(), f->target());
  row->gap = Opt(f->has_gap(), f->gap());
  row->answered = f->answered();
  row->total = f->total();
}

void AddRoles(FunctionRow* row, const spb::FunctionScore* f, const AnswerIndex& answers,
              const ReportView& view) {
  if (row->function != nullptr) {
    for (const auto& role : row->function->roles()) {
      row->roles.push_back(
          MakeRole(role.code(), &role, FindRoleScore(f, role.code()), answers, view));
    }
  }
  if (f == nullptr) return;
  for (const auto& r : f->roles()) {
    const bool known = std::any_of(row->roles.begin(), row->roles.end(),
                                   [&](const RoleRow& x) { return x.code == r.code(); });
    if (!known) row->roles.push_back(MakeRole(r.code(), nullptr, &r, answers, view));
  }
}

std::vector<Highlight> Highlights(const google::protobuf::RepeatedPtrField<std::string>& codes,
                                  const ReportView& view, bool strength) {
  std::vector<Highlight> out;
  for (const auto& code : codes) {
    for (const FunctionRow& f : view.functions) {
      if (f.code != code) continue;
      Highlight h{&f, {}, {}};
      if (f.function != nullptr) {
        const auto& n = f.function->narrative();
        h.narrative = Pick(strength ? n.achieved() : n.missing(), view.lang);
      }
      if (f.level) h.advice = AdviceFor(*view.catalogue, *f.level, view.lang);
      out.push_back(h);
      break;
    }
  }
  return out;
}

}  // namespace

ReportView BuildView(const ReportInput& input, bool with_roles) {
  ReportView v;
  v.score = input.score != nullptr ? input.score : &spb::Score::default_instance();
  v.catalogue = input.catalogue != nullptr ? input.catalogue : &cpb::Catalogue::default_instance();
  if (v.catalogue->dimensions().empty()) {
    auto copy = std::make_shared<cpb::Catalogue>(*v.catalogue);
    catalogue::NormalizeCatalogue(*copy);
    v.normalized = copy;
    v.catalogue = copy.get();
  }
  const catalogue::Scale scale = catalogue::ScaleOf(*v.catalogue);
  v.lowest = scale.lowest;
  v.highest = scale.highest;
  for (const auto& d : v.catalogue->dimensions()) {
    v.dimensions.push_back({d.code(), Pick(d.name(), input.lang), &d.levels()});
  }
  v.assessment =
      input.assessment != nullptr ? input.assessment : &apb::Assessment::default_instance();
  v.organization = input.organization_name;
  v.lang = input.lang;
  v.words = &WordsFor(input.lang);

  AnswerIndex answers;
  if (with_roles) {
    answers.reserve(v.assessment->answers_size());
    for (const auto& a : v.assessment->answers()) answers.emplace(a.role_code(), &a);
  }

  v.functions.reserve(v.catalogue->functions_size());
  for (const auto& fn : v.catalogue->functions()) {
    FunctionRow row;
    row.code = fn.code();
    row.name = Pick(fn.name(), input.lang);
    row.function = &fn;
    row.total = fn.roles_size();
    const spb::FunctionScore* f = FindFunctionScore(*v.score, fn.code());
    FillScore(&row, f, v.highest);
    if (with_roles) AddRoles(&row, f, answers, v);
    v.functions.push_back(std::move(row));
  }
  for (const auto& f : v.score->functions()) {
    const bool known = std::any_of(v.functions.begin(), v.functions.end(),
                                   [&](const FunctionRow& x) { return x.code == f.code(); });
    if (known) continue;
    FunctionRow row;
    row.code = f.code();
    row.name = f.name();
    FillScore(&row, &f, v.highest);
    if (with_roles) AddRoles(&row, &f, answers, v);
    v.functions.push_back(std::move(row));
  }
  if (input.extras != nullptr) {
    // Evidence and comments go to their role's row; those of a role the view lacks are not shown.
    std::map<std::string_view, RoleRow*> by_code;
    for (FunctionRow& f : v.functions) {
      for (RoleRow& r : f.roles) by_code.emplace(r.code, &r);
    }
    for (const auto& e : input.extras->evidence) {
      if (auto it = by_code.find(e.role_code()); it != by_code.end()) {
        it->second->evidence.push_back(&e);
      }
    }
    for (const auto& c : input.extras->comments) {
      if (auto it = by_code.find(c.role_code()); it != by_code.end()) {
        it->second->comments.push_back(&c);
      }
    }
    if (input.extras->trend.size() >= 2) v.trend = &input.extras->trend;
  }
  for (const FunctionRow& f : v.functions) {
    v.any_target = v.any_target || f.target.has_value();
    v.sourcing = v.sourcing || f.has_sourcing;
    v.role_count += static_cast<int>(f.roles.size());
  }
  // Highlights point into v.functions, which no longer grows.
  v.strengths = Highlights(v.score->strengths(), v, /*strength=*/true);
  v.weaknesses = Highlights(v.score->weaknesses(), v, /*strength=*/false);
  return v;
}

std::string_view LevelText(const google::protobuf::RepeatedPtrField<cpb::LevelText>& ladder,
                           int level, Lang lang) {
  for (const auto& l : ladder) {
    if (l.level() == level) return Pick(l.text(), lang);
  }
  return {};
}

std::string_view AdviceFor(const cpb::Catalogue& catalogue, int level, Lang lang) {
  for (const auto& band : catalogue.level_advice()) {
    if (band.min_level() <= level && level <= band.max_level()) return Pick(band.advice(), lang);
  }
  return {};
}

}  // namespace socm::reporting::internal
