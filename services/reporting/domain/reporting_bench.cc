// Google Benchmark figures for the report renderers on the 54-role example;
// each runs five times and reports the mean, median and spread.
//   ./build/services/reporting/reporting_bench
#include <benchmark/benchmark.h>

#include "services/reporting/domain/report.h"
#include "services/reporting/domain/report_fixture.h"

namespace socm::reporting {
namespace {

const fixture::Example& Ex() {
  static const fixture::Example ex = fixture::WorkedExample();
  return ex;
}

void BM_RenderRadarSvg(benchmark::State& state) {
  const ReportInput input = fixture::InputFor(Ex(), Lang::kJa);
  for (auto _ : state) benchmark::DoNotOptimize(RenderRadarSvg(input));
}
BENCHMARK(BM_RenderRadarSvg)
    ->Unit(benchmark::kMicrosecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

void BM_RenderHtml(benchmark::State& state) {
  const ReportInput input = fixture::InputFor(Ex(), Lang::kJa);
  for (auto _ : state) benchmark::DoNotOptimize(RenderHtml(input));
}
BENCHMARK(BM_RenderHtml)->Unit(benchmark::kMicrosecond)->Repetitions(5)->ReportAggregatesOnly(true);

void BM_RenderPdf(benchmark::State& state) {
  const ReportInput input = fixture::InputFor(Ex(), Lang::kJa);
  for (auto _ : state) benchmark::DoNotOptimize(RenderPdf(input));
}
BENCHMARK(BM_RenderPdf)->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);

}  // namespace
}  // namespace socm::reporting

BENCHMARK_MAIN();
