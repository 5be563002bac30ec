#include "services/scoring/domain/scoring.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string_view>

#include "services/catalogue/domain/model_shape.h"

namespace socm::scoring {
namespace {

namespace apb = soc::maturity::assessment::v1;
namespace spb = soc::maturity::scoring::v1;

const std::string& Pick(const soc::maturity::catalogue::v1::LocalizedText& text,
                        const std::string& lang) {
  if (lang == "en" && !text.en().empty()) return text.en();
  return text.ja().empty() ? text.en() : text.ja();
}

// Picks up to two function indexes by score: highest first when `high`,
// lowest first otherwise; equal scores go to the earlier code.
std::vector<int> PickTwo(const Score& score, bool high, const std::vector<int>& excluded) {
  std::vector<int> candidates;
  for (int i = 0; i < score.functions_size(); ++i) {
    if (!score.functions(i).has_score()) continue;
    if (std::find(excluded.begin(), excluded.end(), i) != excluded.end()) continue;
    candidates.push_back(i);
  }
  std::stable_sort(candidates.begin(), candidates.end(), [&](int a, int b) {
    const double sa = score.functions(a).score();
    const double sb = score.functions(b).score();
    if (sa != sb) return high ? sa > sb : sa < sb;
    return score.functions(a).code() < score.functions(b).code();
  });
  if (candidates.size() > 2) candidates.resize(2);
  return candidates;
}

double Percentile(const std::vector<double>& sorted, double p) {
  const double rank = p * static_cast<double>(sorted.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(rank));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - static_cast<double>(lo));
}

}  // namespace

int RoundHalfUp(double score) {
  // The epsilon keeps means such as 3.4999999999 (from 10.5/3) on the side arithmetic intends.
  return static_cast<int>(std::floor(score + 0.5 + 1e-9));
}

Score ComputeScore(const Assessment& assessment, const Catalogue& catalogue,
                   const std::string& lang, bool explain) {
  if (catalogue.dimensions().empty()) {
    // A catalogue in ISOG-J's first form, as tests and older peers hold it.
    Catalogue normalized = catalogue;
    catalogue::NormalizeCatalogue(normalized);
    return ComputeScore(assessment, normalized, lang, explain);
  }
  Score out;
  out.set_assessment_id(assessment.id());
  out.set_revision(assessment.revision());
  out.set_catalogue_id(catalogue.id());
  out.set_catalogue_version(catalogue.version());
  const apb::ScoringPolicy policy = assessment.scoring_policy() == apb::SCORING_POLICY_UNSPECIFIED
                                        ? apb::COUNT_DECIDED_NOT_TO_AS_ZERO
                                        : assessment.scoring_policy();
  out.set_policy(policy);

  // A sorted index of the answers: cheaper than a map for 54 entries.
  std::vector<std::pair<std::string_view, const apb::Answer*>> answers;
  answers.reserve(assessment.answers_size());
  for (const apb::Answer& a : assessment.answers()) answers.emplace_back(a.role_code(), &a);
  std::sort(answers.begin(), answers.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
  auto find_answer = [&answers](const std::string& code) -> const apb::Answer* {
    auto it =
        std::lower_bound(answers.begin(), answers.end(), std::string_view(code),
                         [](const auto& entry, std::string_view key) { return entry.first < key; });
    return it != answers.end() && it->first == code ? it->second : nullptr;
  };
  out.mutable_functions()->Reserve(catalogue.functions_size());

  const catalogue::Scale scale = catalogue::ScaleOf(catalogue);
  out.set_scale_lowest(scale.lowest);
  out.set_scale_highest(scale.highest);
  const bool sourcing = catalogue::HasSourcing(catalogue);
  const catalogue::LevelReader reader(catalogue);
  const int out_source = reader.IndexOf(catalogue::kOutSource);
  // Dimensions whose level a role score carries in `levels`: those without a short form.
  std::vector<bool> in_map;
  for (const auto& d : catalogue.dimensions()) {
    in_map.push_back(d.code() != catalogue::kInSource && d.code() != catalogue::kOutSource &&
                     d.code() != catalogue::kLevel);
  }
  catalogue::DimensionLevels levels;
  // Under EXCLUDE_DECIDED_NOT_TO a role at 0 ("considered, decided not to") is not counted.
  auto excluded = [policy](int effective) {
    return policy == apb::EXCLUDE_DECIDED_NOT_TO && effective == 0;
  };

  int answered_total = 0, roles_total = 0, scored_functions = 0;
  double overall_sum = 0;
  for (const auto& function : catalogue.functions()) {
    spb::FunctionScore* f = out.add_functions();
    f->set_code(function.code());
    f->set_name(Pick(function.name(), lang));
    f->mutable_roles()->Reserve(function.roles_size());
    spb::Explanation* why = explain ? f->mutable_explanation() : nullptr;
    int counted = 0, answered = 0, sum = 0, target_count = 0;
    int in_only_counted = 0, in_only_sum = 0;
    double target_sum = 0;
    for (const auto& role : function.roles()) {
      spb::RoleScore* r = f->add_roles();
      r->set_code(role.code());
      spb::RoleExplanation* role_why = why ? why->add_roles() : nullptr;
      if (role_why) role_why->set_code(role.code());
      const apb::Answer* found = find_answer(role.code());
      std::optional<catalogue::Effective> effective;
      if (found) {
        const apb::Answer& a = *found;
        reader.Read(a, levels);
        for (size_t i = 0; i < levels.size(); ++i) {
          if (!levels[i]) continue;
          const std::string& code = catalogue.dimensions(static_cast<int>(i)).code();
          if (in_map[i]) {
            (*r->mutable_levels())[code] = *levels[i];
          } else if (code == catalogue::kInSource) {
            r->set_in_source(*levels[i]);
          } else if (code == catalogue::kOutSource) {
            r->set_out_source(*levels[i]);
          } else {
            r->set_level(*levels[i]);
          }
        }
        if (a.has_target()) {
          r->set_target(a.target());
          target_sum += a.target();
          ++target_count;
        }
        effective = catalogue::Combine(catalogue, levels);
        if (sourcing) {
          auto in_only = catalogue::Combine(catalogue, levels, out_source);
          if (in_only && !excluded(in_only->level)) {
            in_only_sum += in_only->level;
            ++in_only_counted;
          }
        }
      }
      if (!effective) {
        if (role_why) role_why->set_reason("unanswered");
        continue;
      }
      r->set_effective(effective->level);
      ++answered;
      if (role_why) {
        role_why->set_level(effective->level);
        if (effective->dimension >= 0) {
          role_why->set_dimension(catalogue.dimensions(effective->dimension).code());
        }
      }
      if (excluded(effective->level)) {
        if (role_why) role_why->set_reason("level 0 left out by EXCLUDE_DECIDED_NOT_TO");
        continue;
      }
      r->set_counted(true);
      if (role_why) role_why->set_counted(true);
      sum += effective->level;
      ++counted;
      if (sourcing && effective->dimension == out_source) {
        f->mutable_sourcing()->add_out_sourced_roles(role.code());
      }
    }
    f->set_answered(answered);
    f->set_total(function.roles_size());
    answered_total += answered;
    roles_total += function.roles_size();
    if (why) {
      why->set_sum(sum);
      why->set_count(counted);
    }
    if (counted > 0) {
      const double score = static_cast<double>(sum) / counted;
      f->set_score(score);
      // Integer arithmetic: round half up of sum/counted without float error.
      f->set_level((2 * sum + counted) / (2 * counted));
      overall_sum += score;
      ++scored_functions;
    }
    if (sourcing) {
      spb::Sourcing* view = f->mutable_sourcing();
      if (in_only_counted > 0) {
        view->set_in_source_only_score(static_cast<double>(in_only_sum) / in_only_counted);
        if (f->has_score()) view->set_dependency(f->score() - view->in_source_only_score());
      }
    }
    auto target = assessment.function_targets().find(function.code());
    if (target != assessment.function_targets().end()) {
      f->set_target(target->second);
      if (why) why->set_target_source("functionTargets");
    } else if (target_count > 0) {
      f->set_target(target_sum / target_count);
      if (why) why->set_target_source("role targets");
    }
    if (f->has_target() && f->has_score()) f->set_gap(f->target() - f->score());
  }
  out.mutable_completeness()->set_answered(answered_total);
  out.mutable_completeness()->set_total(roles_total);
  if (scored_functions > 0) {
    const double overall = overall_sum / scored_functions;
    out.mutable_overall()->set_score(overall);
    out.mutable_overall()->set_level(RoundHalfUp(overall));
  }
  const std::vector<int> strengths = PickTwo(out, true, {});
  const std::vector<int> weaknesses = PickTwo(out, false, strengths);
  for (int i : strengths) out.add_strengths(out.functions(i).code());
  for (int i : weaknesses) out.add_weaknesses(out.functions(i).code());
  return out;
}

std::vector<TrendPoint> BuildTrend(const std::vector<std::pair<Assessment, Score>>& history) {
  std::vector<TrendPoint> points;
  for (const auto& [assessment, score] : history) {
    TrendPoint p;
    p.set_assessment_id(assessment.id());
    p.set_title(assessment.title());
    p.set_assessed_on(assessment.assessed_on());
    p.set_catalogue_version(assessment.catalogue_version());
    *p.mutable_overall() = score.overall();
    for (const auto& f : score.functions()) {
      if (f.has_score()) (*p.mutable_function_scores())[f.code()] = f.score();
    }
    if (!points.empty()) {
      const auto& previous = points.back().function_scores();
      for (const auto& [code, value] : p.function_scores()) {
        auto it = previous.find(code);
        if (it != previous.end()) (*p.mutable_function_deltas())[code] = value - it->second;
      }
    }
    points.push_back(std::move(p));
  }
  return points;
}

Distribution Summarize(const std::string& code, std::vector<double> values) {
  Distribution d;
  d.set_code(code);
  d.set_count(static_cast<int>(values.size()));
  if (values.empty()) return d;
  std::sort(values.begin(), values.end());
  d.set_min(values.front());
  d.set_p25(Percentile(values, 0.25));
  d.set_median(Percentile(values, 0.5));
  d.set_p75(Percentile(values, 0.75));
  d.set_max(values.back());
  return d;
}

absl::StatusOr<spb::GetBenchmarkResponse> BuildBenchmark(const Catalogue& catalogue,
                                                         const std::vector<Score>& scores,
                                                         const std::string& industry) {
  ScoreColumns columns;
  for (const Score& s : scores) {
    for (const auto& f : s.functions()) {
      if (f.has_score()) columns[f.code()].push_back(f.score());
    }
  }
  return BuildBenchmark(catalogue, std::move(columns), static_cast<int>(scores.size()), industry);
}

absl::StatusOr<spb::GetBenchmarkResponse> BuildBenchmark(const Catalogue& catalogue,
                                                         ScoreColumns columns, int organizations,
                                                         const std::string& industry) {
  if (organizations < kMinBenchmarkOrganizations) {
    return absl::FailedPreconditionError(
        "a benchmark needs at least " + std::to_string(kMinBenchmarkOrganizations) +
        " organisations with an approved assessment; there are " + std::to_string(organizations));
  }
  spb::GetBenchmarkResponse out;
  out.set_catalogue_id(catalogue.id());
  out.set_catalogue_version(catalogue.version());
  out.set_industry(industry);
  out.set_organization_count(organizations);
  for (const auto& function : catalogue.functions()) {
    auto it = columns.find(function.code());
    *out.add_functions() = Summarize(
        function.code(), it == columns.end() ? std::vector<double>{} : std::move(it->second));
  }
  return out;
}

soc::maturity::assessment::v1::ApprovedScore ApprovedScoreOf(const Score& score) {
  soc::maturity::assessment::v1::ApprovedScore out;
  for (const auto& f : score.functions()) {
    if (f.has_score()) (*out.mutable_function_scores())[f.code()] = f.score();
  }
  return out;
}

void AddToColumns(const soc::maturity::assessment::v1::ApprovedScore& kept, ScoreColumns& columns) {
  for (const auto& [code, score] : kept.function_scores()) columns[code].push_back(score);
}

soc::maturity::scoring::v1::PortfolioOrganization PortfolioLine(
    const soc::maturity::assessment::v1::Organization& organization, const Assessment* latest,
    const Score* score) {
  soc::maturity::scoring::v1::PortfolioOrganization line;
  line.set_organization_id(organization.id());
  line.set_display_name(organization.display_name());
  line.set_industry(organization.industry());
  *line.mutable_labels() = organization.labels();
  if (latest == nullptr) return line;
  auto* a = line.mutable_latest_assessment();
  a->set_id(latest->id());
  a->set_title(latest->title());
  a->set_assessed_on(latest->assessed_on());
  a->set_status(latest->status());
  a->set_catalogue_version(latest->catalogue_version());
  if (score == nullptr) return line;
  *a->mutable_overall() = score->overall();
  *a->mutable_completeness() = score->completeness();
  for (const auto& f : score->functions()) {
    auto* out = a->add_functions();
    out->set_code(f.code());
    if (f.has_score()) out->set_score(f.score());
    if (f.has_level()) out->set_level(f.level());
  }
  return line;
}

}  // namespace socm::scoring
