#pragma once
// The maturity arithmetic of a self-check, as pure functions, on any catalogue's shape:
//   role effective level = its dimensions combined as the catalogue says (ISOG-J: the higher
//                          of in-source and out-source, where answered);
//   function score       = mean of its counted roles' effective levels;
//   level                = score rounded half up;
//   overall              = mean of the scored functions' scores;
//   target               = functionTargets[code], else the mean of its role targets;
//   gap                  = target - score;
//   strengths/weaknesses = the two highest / lowest functions, ties to the earlier code.
// An unanswered role is not a 0: it is left out and counted in completeness.
// Under EXCLUDE_DECIDED_NOT_TO a role at 0 ("considered, decided not to") is
// answered but not counted. For a catalogue with inSource and outSource each function also
// gets the sourcing view: the counted roles whose level comes from out-source, the score as if
// no out-source answer existed, and the difference. Example:
//   Score s = ComputeScore(assessment, catalogue, "en");
//   s.functions(0).score()  // 3.5

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "soc/maturity/assessment/v1/approved_scores.pb.h"
#include "soc/maturity/assessment/v1/assessment.pb.h"
#include "soc/maturity/catalogue/v1/catalogue.pb.h"
#include "soc/maturity/scoring/v1/scoring.pb.h"

namespace socm::scoring {

using soc::maturity::assessment::v1::Assessment;
using soc::maturity::catalogue::v1::Catalogue;
using soc::maturity::scoring::v1::Distribution;
using soc::maturity::scoring::v1::Score;
using soc::maturity::scoring::v1::TrendPoint;

// `lang` ("ja" or "en") picks the function names; `explain` adds each function's explanation
// (which roles counted, from which dimension, why others did not, sum and count).
Score ComputeScore(const Assessment& assessment, const Catalogue& catalogue,
                   const std::string& lang, bool explain = false);

// `score` rounded half up (3.5 -> 4, 3.49 -> 3).
int RoundHalfUp(double score);

// Points in the order given (oldest first), each with its deltas to the one
// before, for function codes both have scored.
std::vector<TrendPoint> BuildTrend(const std::vector<std::pair<Assessment, Score>>& history);

// count, min, p25, median, p75, max of `values` (linear interpolation between
// closest ranks). Empty input gives count 0.
Distribution Summarize(const std::string& code, std::vector<double> values);

// Function code to the scores of the organisations that have one: what a benchmark summarizes.
using ScoreColumns = std::map<std::string, std::vector<double>>;

// The peer benchmark from each organisation's latest approved score: per
// function of `catalogue`, the distribution of the organisations' scores.
// FAILED_PRECONDITION below kMinBenchmarkOrganizations, so that no single
// customer can be singled out.
inline constexpr int kMinBenchmarkOrganizations = 5;
absl::StatusOr<soc::maturity::scoring::v1::GetBenchmarkResponse> BuildBenchmark(
    const Catalogue& catalogue, const std::vector<Score>& scores, const std::string& industry);
// The same from the columns of `organizations` organisations' scores (codes not in `catalogue`
// are left out).
absl::StatusOr<soc::maturity::scoring::v1::GetBenchmarkResponse> BuildBenchmark(
    const Catalogue& catalogue, ScoreColumns columns, int organizations,
    const std::string& industry);

// What the system of record keeps of an approved assessment's score: each scored function's
// score, by code (organisation, assessment and revision are the caller's to fill in).
soc::maturity::assessment::v1::ApprovedScore ApprovedScoreOf(const Score& score);

// Adds one kept score to the columns.
void AddToColumns(const soc::maturity::assessment::v1::ApprovedScore& kept, ScoreColumns& columns);

// One line of the portfolio: the organisation and, when it has one, its latest assessment with
// that assessment's score (overall and per function, in catalogue order).
soc::maturity::scoring::v1::PortfolioOrganization PortfolioLine(
    const soc::maturity::assessment::v1::Organization& organization, const Assessment* latest,
    const Score* score);

}  // namespace socm::scoring
