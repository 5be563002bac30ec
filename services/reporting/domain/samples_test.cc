// Not a check: writes the example's reports for a person to look at.
// Into $SOCM_REPORT_SAMPLES, or /tmp/socm-report:
//   build/services/reporting/reporting_test --gtest_also_run_disabled_tests
//       --gtest_filter='*WriteSamples*'
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "services/reporting/domain/report.h"
#include "services/reporting/domain/report_fixture.h"

namespace socm::reporting {
namespace {

TEST(ReportSamples, DISABLED_WriteSamples) {
  const char* env = std::getenv("SOCM_REPORT_SAMPLES");
  const std::string dir = env != nullptr ? env : "/tmp/socm-report";
  std::filesystem::create_directories(dir);
  const fixture::Example ex = fixture::WorkedExample();
  for (Lang lang : {Lang::kJa, Lang::kEn}) {
    const ReportInput input = fixture::InputFor(ex, lang, "株式会社サンプル / Example Corp");
    const std::string stem = dir + "/report-" + (lang == Lang::kJa ? "ja" : "en");
    fixture::WriteFile(stem + ".html", RenderHtml(input));
    fixture::WriteFile(stem + ".svg", RenderRadarSvg(input));
    fixture::WriteFile(stem + ".csv", RenderCsv(input));
    fixture::WriteFile(stem + ".json", RenderJson(input));
    auto pdf = RenderPdf(input);
    ASSERT_TRUE(pdf.ok()) << pdf.status();
    fixture::WriteFile(stem + ".pdf", *pdf);
    auto xlsx = RenderXlsx(input);
    ASSERT_TRUE(xlsx.ok()) << xlsx.status();
    fixture::WriteFile(stem + ".xlsx", *xlsx);
  }
}

}  // namespace
}  // namespace socm::reporting
