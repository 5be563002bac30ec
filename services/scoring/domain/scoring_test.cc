#include "services/scoring/domain/scoring.h"

#include <gtest/gtest.h>

#include "services/scoring/domain/test_catalogue.h"

namespace socm::scoring {
namespace {

namespace apb = soc::maturity::assessment::v1;

const Catalogue& Isogj() {
  static const Catalogue c = IsogjCatalogue();
  return c;
}

const soc::maturity::scoring::v1::FunctionScore& F(const Score& s, const std::string& code) {
  for (const auto& f : s.functions()) {
    if (f.code() == code) return f;
  }
  static const soc::maturity::scoring::v1::FunctionScore none;
  ADD_FAILURE() << "no function " << code;
  return none;
}

void Answer(Assessment& a, const std::string& code, std::optional<int> in, std::optional<int> out,
            std::optional<int> target = std::nullopt) {
  auto* x = a.add_answers();
  x->set_role_code(code);
  if (in) x->set_in_source(*in);
  if (out) x->set_out_source(*out);
  if (target) x->set_target(*target);
}

TEST(ScoringTest, TheSeedsWorkedExample) {
  const Score s = ComputeScore(Uniform(Isogj(), {{"A", 4},
                                                 {"B", 3},
                                                 {"C", 2},
                                                 {"D", 4},
                                                 {"E", 2},
                                                 {"F", 3},
                                                 {"G", 3},
                                                 {"H", 3},
                                                 {"I", 2}}),
                               Isogj(), "ja");
  const int expected[] = {4, 3, 2, 4, 2, 3, 3, 3, 2};
  ASSERT_EQ(s.functions_size(), 9);
  for (int i = 0; i < 9; ++i) {
    EXPECT_EQ(s.functions(i).level(), expected[i]) << s.functions(i).code();
    EXPECT_DOUBLE_EQ(s.functions(i).score(), expected[i]);
  }
  EXPECT_EQ(std::vector<std::string>(s.strengths().begin(), s.strengths().end()),
            (std::vector<std::string>{"A", "D"}));
  EXPECT_EQ(std::vector<std::string>(s.weaknesses().begin(), s.weaknesses().end()),
            (std::vector<std::string>{"C", "E"}));
  EXPECT_EQ(s.completeness().answered(), 54);
  EXPECT_EQ(s.completeness().total(), 54);
  EXPECT_NEAR(s.overall().score(), 26.0 / 9, 1e-12);
  EXPECT_EQ(s.overall().level(), 3);
  EXPECT_EQ(F(s, "A").name(), "セキュリティ対応組織運営");
  EXPECT_EQ(s.policy(), apb::COUNT_DECIDED_NOT_TO_AS_ZERO);
}

TEST(ScoringTest, EffectiveIsTheHigherLadderAndLevelsRoundHalfUp) {
  Assessment a;
  Answer(a, "A-1", 2, 4);
  Answer(a, "A-2", 3, std::nullopt);
  Answer(a, "B-1", 3, std::nullopt);
  Answer(a, "B-2", 2, std::nullopt);
  Answer(a, "B-3", 3, std::nullopt);
  const Score s = ComputeScore(a, Isogj(), "en");
  EXPECT_EQ(F(s, "A").roles(0).effective(), 4);
  EXPECT_DOUBLE_EQ(F(s, "A").score(), 3.5);
  EXPECT_EQ(F(s, "A").level(), 4);  // 3.5 rounds up
  EXPECT_NEAR(F(s, "B").score(), 8.0 / 3, 1e-12);
  EXPECT_EQ(F(s, "B").level(), 3);
  EXPECT_EQ(F(s, "A").name(), "SOC/CSIRT management");
  EXPECT_EQ(RoundHalfUp(2.5), 3);
  EXPECT_EQ(RoundHalfUp(2.4999), 2);
  EXPECT_EQ(RoundHalfUp(10.5 / 3), 4);  // 3.5 computed in floating point
}

TEST(ScoringTest, UnansweredIsLeftOutNotZero) {
  Assessment a;
  Answer(a, "C-1", 4, std::nullopt);
  Answer(a, "C-2", std::nullopt, std::nullopt, 5);  // a target alone is no answer
  const Score s = ComputeScore(a, Isogj(), "ja");
  EXPECT_DOUBLE_EQ(F(s, "C").score(), 4);
  EXPECT_EQ(F(s, "C").answered(), 1);
  EXPECT_EQ(F(s, "C").total(), 5);
  EXPECT_FALSE(F(s, "C").roles(1).has_effective());
  EXPECT_FALSE(F(s, "C").roles(1).counted());
  EXPECT_FALSE(F(s, "D").has_score());
  EXPECT_FALSE(F(s, "D").has_level());
  EXPECT_EQ(s.completeness().answered(), 1);
  // Only scored functions count in the overall score.
  EXPECT_DOUBLE_EQ(s.overall().score(), 4);
  EXPECT_EQ(s.strengths_size(), 1);
  EXPECT_EQ(s.weaknesses_size(), 0);  // a function is never in both
}

TEST(ScoringTest, BothPoliciesForDecidedNotToDoIt) {
  Assessment a;
  Answer(a, "H-1", 0, std::nullopt);
  Answer(a, "H-2", 4, std::nullopt);
  Answer(a, "H-3", 2, 0);
  Score s = ComputeScore(a, Isogj(), "ja");
  EXPECT_DOUBLE_EQ(F(s, "H").score(), 2);
  a.set_scoring_policy(apb::EXCLUDE_DECIDED_NOT_TO);
  s = ComputeScore(a, Isogj(), "ja");
  EXPECT_DOUBLE_EQ(F(s, "H").score(), 3);  // (4 + 2) / 2
  EXPECT_EQ(F(s, "H").answered(), 3);      // H-1 is answered, just not counted
  EXPECT_FALSE(F(s, "H").roles(0).counted());
  EXPECT_EQ(s.policy(), apb::EXCLUDE_DECIDED_NOT_TO);
  // A function whose every answer is 0 has no score under exclusion.
  Assessment zero;
  Answer(zero, "H-1", 0, 0);
  zero.set_scoring_policy(apb::EXCLUDE_DECIDED_NOT_TO);
  EXPECT_FALSE(F(ComputeScore(zero, Isogj(), "ja"), "H").has_score());
}

TEST(ScoringTest, TargetsAndGaps) {
  Assessment a = Uniform(Isogj(), {{"A", 3}, {"B", 2}});
  (*a.mutable_function_targets())["A"] = 4.5;
  a.mutable_answers(6)->set_target(4);  // B-1
  a.mutable_answers(7)->set_target(3);  // B-2
  const Score s = ComputeScore(a, Isogj(), "ja");
  EXPECT_DOUBLE_EQ(F(s, "A").target(), 4.5);
  EXPECT_DOUBLE_EQ(F(s, "A").gap(), 1.5);
  EXPECT_DOUBLE_EQ(F(s, "B").target(), 3.5);  // mean of the role targets
  EXPECT_DOUBLE_EQ(F(s, "B").gap(), 1.5);
  EXPECT_FALSE(F(s, "C").has_target());
}

TEST(ScoringTest, TheSourcingViewSaysWhatAFunctionOwesItsProviders) {
  Assessment a;
  // B (5 roles): B-1 in 2 out 4, B-2 in 3 only, B-3 out 5 only, B-4 in 3 out 3 (a tie is
  // in-source), B-5 unanswered.
  Answer(a, "B-1", 2, 4);
  Answer(a, "B-2", 3, std::nullopt);
  Answer(a, "B-3", std::nullopt, 5);
  Answer(a, "B-4", 3, 3);
  const Score s = ComputeScore(a, Isogj(), "en");
  const auto& b = F(s, "B");
  EXPECT_DOUBLE_EQ(b.score(), (4 + 3 + 5 + 3) / 4.0);
  ASSERT_TRUE(b.has_sourcing());
  EXPECT_EQ(std::vector<std::string>(b.sourcing().out_sourced_roles().begin(),
                                     b.sourcing().out_sourced_roles().end()),
            (std::vector<std::string>{"B-1", "B-3"}));
  // As if no out-source answer existed: B-1 2, B-2 3, B-4 3; B-3 is then unanswered.
  EXPECT_DOUBLE_EQ(b.sourcing().in_source_only_score(), (2 + 3 + 3) / 3.0);
  EXPECT_DOUBLE_EQ(b.sourcing().dependency(), b.score() - (2 + 3 + 3) / 3.0);
  // A function answered only by out-source has no in-source-only score.
  Assessment out_only;
  Answer(out_only, "C-1", std::nullopt, 4);
  const Score out_score = ComputeScore(out_only, Isogj(), "en");
  const auto& c = F(out_score, "C");
  EXPECT_FALSE(c.sourcing().has_in_source_only_score());
  EXPECT_FALSE(c.sourcing().has_dependency());
  EXPECT_EQ(c.sourcing().out_sourced_roles_size(), 1);
}

TEST(ScoringTest, ExplainSaysWhatCountedFromWhereAndWhy) {
  Assessment a;
  a.set_scoring_policy(apb::EXCLUDE_DECIDED_NOT_TO);
  Answer(a, "A-1", 2, 4, 5);
  Answer(a, "A-2", 0, std::nullopt);
  Answer(a, "A-3", 3, std::nullopt);
  EXPECT_FALSE(F(ComputeScore(a, Isogj(), "en"), "A").has_explanation()) << "only when asked";
  const Score explained = ComputeScore(a, Isogj(), "en", /*explain=*/true);
  const auto& f = F(explained, "A");
  ASSERT_TRUE(f.has_explanation());
  const auto& why = f.explanation();
  EXPECT_EQ(why.sum(), 4 + 3);
  EXPECT_EQ(why.count(), 2);
  EXPECT_EQ(why.target_source(), "role targets");
  ASSERT_EQ(why.roles_size(), 6);
  EXPECT_TRUE(why.roles(0).counted());
  EXPECT_EQ(why.roles(0).level(), 4);
  EXPECT_EQ(why.roles(0).dimension(), "outSource");
  EXPECT_FALSE(why.roles(1).counted());
  EXPECT_EQ(why.roles(1).level(), 0);
  EXPECT_EQ(why.roles(1).reason(), "level 0 left out by EXCLUDE_DECIDED_NOT_TO");
  EXPECT_EQ(why.roles(2).dimension(), "inSource");
  EXPECT_EQ(why.roles(3).reason(), "unanswered");
  EXPECT_FALSE(why.roles(3).has_level());
}

TEST(ScoringTest, AModelOfOneDimensionOnOneToThree) {
  Catalogue c;
  c.set_id("three-level");
  for (const char* code : {"X", "Y"}) {
    auto* f = c.add_functions();
    f->set_code(code);
    for (int i = 1; i <= 2; ++i)
      f->add_roles()->set_code(std::string(code) + "-" + std::to_string(i));
  }
  c.mutable_scale()->set_lowest(1);
  c.mutable_scale()->set_highest(3);
  c.add_dimensions()->set_code("level");
  Assessment a;
  for (const auto& [code, level] :
       std::vector<std::pair<std::string, int>>{{"X-1", 3}, {"X-2", 2}, {"Y-1", 1}}) {
    auto* x = a.add_answers();
    x->set_role_code(code);
    (*x->mutable_levels())["level"] = level;
  }
  const Score s = ComputeScore(a, c, "en");
  EXPECT_EQ(s.scale_lowest(), 1);
  EXPECT_EQ(s.scale_highest(), 3);
  EXPECT_DOUBLE_EQ(F(s, "X").score(), 2.5);
  EXPECT_EQ(F(s, "X").level(), 3);
  EXPECT_EQ(F(s, "X").roles(0).level(), 3);
  EXPECT_TRUE(F(s, "X").roles(0).levels().empty()) << "a short form is not repeated in levels";
  EXPECT_FALSE(F(s, "X").has_sourcing()) << "no sourcing view without inSource and outSource";
  EXPECT_DOUBLE_EQ(s.overall().score(), (2.5 + 1) / 2);
  EXPECT_EQ(s.completeness().answered(), 3);
  EXPECT_EQ(s.completeness().total(), 4);
}

TEST(ScoringTest, DimensionsOfTheirOwnNameCombineByMeanAndTravelInLevels) {
  Catalogue c;
  c.set_id("two-views");
  auto* f = c.add_functions();
  f->set_code("P");
  f->add_roles()->set_code("P-1");
  f->add_roles()->set_code("P-2");
  c.mutable_scale()->set_highest(4);
  c.add_dimensions()->set_code("people");
  c.add_dimensions()->set_code("process");
  c.set_combine(soc::maturity::catalogue::v1::MEAN);
  Assessment a;
  auto* one = a.add_answers();
  one->set_role_code("P-1");
  (*one->mutable_levels())["people"] = 1;
  (*one->mutable_levels())["process"] = 4;  // mean 2.5 -> 3
  auto* two = a.add_answers();
  two->set_role_code("P-2");
  (*two->mutable_levels())["process"] = 2;
  const Score s = ComputeScore(a, c, "en", /*explain=*/true);
  EXPECT_EQ(F(s, "P").roles(0).effective(), 3);
  EXPECT_EQ(F(s, "P").roles(0).levels().at("people"), 1);
  EXPECT_EQ(F(s, "P").roles(0).levels().at("process"), 4);
  EXPECT_EQ(F(s, "P").roles(1).effective(), 2);
  EXPECT_DOUBLE_EQ(F(s, "P").score(), 2.5);
  EXPECT_EQ(F(s, "P").explanation().roles(0).dimension(), "") << "a mean of two";
  EXPECT_EQ(F(s, "P").explanation().roles(1).dimension(), "process") << "the one answered";
}

TEST(ScoringTest, TiesGoToTheEarlierCode) {
  const Score s = ComputeScore(Uniform(Isogj(), {{"B", 3}, {"C", 3}, {"D", 3}, {"E", 3}, {"F", 3}}),
                               Isogj(), "ja");
  EXPECT_EQ(std::vector<std::string>(s.strengths().begin(), s.strengths().end()),
            (std::vector<std::string>{"B", "C"}));
  EXPECT_EQ(std::vector<std::string>(s.weaknesses().begin(), s.weaknesses().end()),
            (std::vector<std::string>{"D", "E"}));
}

TEST(ScoringTest, TrendAcrossThreeAssessments) {
  std::vector<std::pair<Assessment, Score>> history;
  const std::map<std::string, int> years[] = {
      {{"A", 2}, {"B", 2}}, {{"A", 3}, {"B", 2}}, {{"A", 4}, {"C", 1}}};
  int n = 0;
  for (const auto& levels : years) {
    Assessment a = Uniform(Isogj(), levels);
    a.set_id("as_" + std::to_string(++n));
    a.set_assessed_on("202" + std::to_string(3 + n) + "-04-01");
    history.emplace_back(a, ComputeScore(a, Isogj(), "ja"));
  }
  const auto points = BuildTrend(history);
  ASSERT_EQ(points.size(), 3u);
  EXPECT_TRUE(points[0].function_deltas().empty());
  EXPECT_DOUBLE_EQ(points[1].function_deltas().at("A"), 1);
  EXPECT_DOUBLE_EQ(points[1].function_deltas().at("B"), 0);
  EXPECT_DOUBLE_EQ(points[2].function_deltas().at("A"), 1);
  EXPECT_EQ(points[2].function_deltas().count("B"), 0u);  // not scored in the last one
  EXPECT_EQ(points[2].function_deltas().count("C"), 0u);  // not scored in the one before
  EXPECT_EQ(points[2].assessed_on(), "2026-04-01");
}

TEST(ScoringTest, SummarizeInterpolates) {
  const Distribution d = Summarize("A", {5, 1, 3, 2, 4});
  EXPECT_EQ(d.count(), 5);
  EXPECT_DOUBLE_EQ(d.min(), 1);
  EXPECT_DOUBLE_EQ(d.p25(), 2);
  EXPECT_DOUBLE_EQ(d.median(), 3);
  EXPECT_DOUBLE_EQ(d.p75(), 4);
  EXPECT_DOUBLE_EQ(d.max(), 5);
  const Distribution even = Summarize("A", {1, 2, 3, 4});
  EXPECT_DOUBLE_EQ(even.median(), 2.5);
  EXPECT_DOUBLE_EQ(even.p25(), 1.75);
  EXPECT_EQ(Summarize("A", {}).count(), 0);
}

TEST(ScoringTest, BenchmarkNeedsFiveOrganizations) {
  std::vector<Score> scores;
  for (int level = 1; level <= 4; ++level) {
    scores.push_back(
        ComputeScore(Uniform(Isogj(), {{"A", level}, {"B", 5 - level}}), Isogj(), "ja"));
  }
  EXPECT_EQ(BuildBenchmark(Isogj(), scores, "").status().code(),
            absl::StatusCode::kFailedPrecondition);
  scores.push_back(ComputeScore(Uniform(Isogj(), {{"A", 5}}), Isogj(), "ja"));
  auto b = BuildBenchmark(Isogj(), scores, "finance");
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->organization_count(), 5);
  EXPECT_EQ(b->industry(), "finance");
  ASSERT_EQ(b->functions_size(), 9);
  EXPECT_EQ(b->functions(0).count(), 5);
  EXPECT_DOUBLE_EQ(b->functions(0).median(), 3);
  EXPECT_EQ(b->functions(1).count(), 4);  // the fifth has no B
  EXPECT_EQ(b->functions(2).count(), 0);
}

TEST(ScoringTest, KeptScoresGiveTheSameBenchmarkAsTheScoresTheyCameFrom) {
  std::vector<Score> computed;
  ScoreColumns kept;
  for (int level = 0; level <= 5; ++level) {
    Assessment a = Uniform(Isogj(), {{"A", level}, {"B", 5 - level}, {"C", (level * 3) % 6}});
    Answer(a, "D-1", 1, 4);  // one role of D at 4, the rest unanswered
    Answer(a, "D-2", level, std::nullopt);
    computed.push_back(ComputeScore(a, Isogj(), "en"));
    apb::ApprovedScore approved = ApprovedScoreOf(computed.back());
    // Unscored functions are not kept: absent, not 0.
    EXPECT_EQ(approved.function_scores().count("E"), 0u);
    EXPECT_DOUBLE_EQ(approved.function_scores().at("A"), level);
    AddToColumns(approved, kept);
  }
  EXPECT_EQ(kept["A"].size(), 6u);
  EXPECT_EQ(kept.count("E"), 0u);
  kept["Z"] = {1, 2, 3};  // a function the latest version no longer has: left out
  auto from_computed = BuildBenchmark(Isogj(), computed, "");
  auto from_kept = BuildBenchmark(Isogj(), kept, 6, "");
  ASSERT_TRUE(from_computed.ok() && from_kept.ok());
  EXPECT_EQ(from_computed->SerializeAsString(), from_kept->SerializeAsString());
  EXPECT_EQ(from_kept->functions(3).count(), 6);
}

}  // namespace
}  // namespace socm::scoring
