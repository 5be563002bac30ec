// Google Benchmark figures for the scoring arithmetic (see BENCHMARKS.md).
//   ./build/services/scoring/scoring_bench
#include <benchmark/benchmark.h>

#include "services/scoring/domain/scoring.h"
#include "services/scoring/domain/test_catalogue.h"

namespace socm::scoring {
namespace {

void BM_ScoreOne54RoleAssessment(benchmark::State& state) {
  const Catalogue catalogue = IsogjCatalogue();
  const Assessment a = Uniform(
      catalogue,
      {{"A", 4}, {"B", 3}, {"C", 2}, {"D", 4}, {"E", 2}, {"F", 3}, {"G", 3}, {"H", 3}, {"I", 2}});
  for (auto _ : state) benchmark::DoNotOptimize(ComputeScore(a, catalogue, "ja"));
}
BENCHMARK(BM_ScoreOne54RoleAssessment);

// The benchmark over N organisations' latest scores (the scores already computed).
void BM_BenchmarkOverOrganizations(benchmark::State& state) {
  const Catalogue catalogue = IsogjCatalogue();
  std::vector<Score> scores;
  for (int i = 0; i < state.range(0); ++i) {
    scores.push_back(ComputeScore(Uniform(catalogue, {{"A", i % 6},
                                                      {"B", (i / 6) % 6},
                                                      {"C", (i / 36) % 6},
                                                      {"D", 3},
                                                      {"E", 2},
                                                      {"F", i % 4},
                                                      {"G", 1},
                                                      {"H", 5},
                                                      {"I", 2}}),
                                  catalogue, "ja"));
  }
  for (auto _ : state) benchmark::DoNotOptimize(BuildBenchmark(catalogue, scores, ""));
}
BENCHMARK(BM_BenchmarkOverOrganizations)->Arg(10000)->Unit(benchmark::kMillisecond);

// Scoring 10,000 organisations from their answers, then the benchmark.
void BM_ScoreAndBenchmark10000(benchmark::State& state) {
  const Catalogue catalogue = IsogjCatalogue();
  std::vector<Assessment> assessments;
  for (int i = 0; i < 10000; ++i) {
    assessments.push_back(Uniform(catalogue, {{"A", i % 6},
                                              {"B", (i / 6) % 6},
                                              {"C", 3},
                                              {"D", 3},
                                              {"E", 2},
                                              {"F", i % 4},
                                              {"G", 1},
                                              {"H", 5},
                                              {"I", 2}}));
  }
  for (auto _ : state) {
    std::vector<Score> scores;
    scores.reserve(assessments.size());
    for (const auto& a : assessments) scores.push_back(ComputeScore(a, catalogue, "ja"));
    benchmark::DoNotOptimize(BuildBenchmark(catalogue, scores, ""));
  }
}
BENCHMARK(BM_ScoreAndBenchmark10000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace socm::scoring

BENCHMARK_MAIN();
