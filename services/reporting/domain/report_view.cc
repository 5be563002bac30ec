#include "services/reporting/domain/report_view.h"

#include <algorithm>
#include <unordered_map>

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
                 const AnswerIndex& answers, Lang lang) {
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
  if (score != nullptr) {
    row.in_source = Opt(score->has_in_source(), score->in_source());
    row.out_source = Opt(score->has_out_source(), score->out_source());
    row.target = Opt(score->has_target(), score->target());
    row.effective = Opt(score->has_effective(), score->effective());
    row.counted = score->counted();
  }
  if (answer != nullptr) {
    if (!row.in_source && answer->has_in_source()) row.in_source = answer->in_source();
    if (!row.out_source && answer->has_out_source()) row.out_source = answer->out_source();
    if (!row.target && answer->has_target()) row.target = answer->target();
    row.note = answer->note();
  }
  if (!row.effective && (row.in_source || row.out_source)) {
    row.effective = std::max(row.in_source.value_or(0), row.out_source.value_or(0));
    if (score == nullptr) row.counted = true;
  }
  return row;
}

void FillScore(FunctionRow* row, const spb::FunctionScore* f) {
  if (f == nullptr) return;
  row->score = Opt(f->has_score(), f->score());
  row->level = Opt(f->has_level(), f->level());
  row->target = Opt(f->has_target(), f->target());
  row->gap = Opt(f->has_gap(), f->gap());
  row->answered = f->answered();
  row->total = f->total();
}

void AddRoles(FunctionRow* row, const spb::FunctionScore* f, const AnswerIndex& answers,
              Lang lang) {
  if (row->function != nullptr) {
    for (const auto& role : row->function->roles()) {
      row->roles.push_back(
          MakeRole(role.code(), &role, FindRoleScore(f, role.code()), answers, lang));
    }
  }
  if (f == nullptr) return;
  for (const auto& r : f->roles()) {
    const bool known = std::any_of(row->roles.begin(), row->roles.end(),
                                   [&](const RoleRow& x) { return x.code == r.code(); });
    if (!known) row->roles.push_back(MakeRole(r.code(), nullptr, &r, answers, lang));
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
    FillScore(&row, f);
    if (with_roles) AddRoles(&row, f, answers, input.lang);
    v.functions.push_back(std::move(row));
  }
  for (const auto& f : v.score->functions()) {
    const bool known = std::any_of(v.functions.begin(), v.functions.end(),
                                   [&](const FunctionRow& x) { return x.code == f.code(); });
    if (known) continue;
    FunctionRow row;
    row.code = f.code();
    row.name = f.name();
    FillScore(&row, &f);
    if (with_roles) AddRoles(&row, &f, answers, input.lang);
    v.functions.push_back(std::move(row));
  }
  for (const FunctionRow& f : v.functions) {
    v.any_target = v.any_target || f.target.has_value();
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
