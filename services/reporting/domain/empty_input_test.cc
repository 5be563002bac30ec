#include <gtest/gtest.h>

#include "services/reporting/domain/report.h"
#include "services/reporting/domain/report_fixture.h"

namespace socm::reporting {
namespace {

// A caller may pass nulls or a score with nothing counted yet (a fresh draft):
// every format must still render, not crash.
TEST(EmptyInputTest, EveryFormatRendersFromNothing) {
  for (Lang lang : {Lang::kJa, Lang::kEn}) {
    const ReportInput input{nullptr, nullptr, nullptr, "", lang};
    EXPECT_NE(RenderHtml(input).find("</html>"), std::string::npos);
    EXPECT_EQ(RenderCsv(input).size(), RenderCsv(input).find("\r\n") + 2);  // header only
    EXPECT_NE(RenderJson(input).find("\"score\""), std::string::npos);
    EXPECT_NE(RenderRadarSvg(input).find("</svg>"), std::string::npos);
    auto xlsx = RenderXlsx(input);
    ASSERT_TRUE(xlsx.ok()) << xlsx.status();
    EXPECT_EQ(xlsx->substr(0, 2), "PK");
    auto pdf = RenderPdf(input);
    ASSERT_TRUE(pdf.ok()) << pdf.status();
    EXPECT_EQ(pdf->substr(0, 4), "%PDF");
  }
}

TEST(EmptyInputTest, ADraftWithNoAnswers) {
  fixture::Example ex = fixture::WorkedExample();
  ex.assessment.clear_answers();
  ex.score = soc::maturity::scoring::v1::Score();
  const ReportInput input = fixture::InputFor(ex, Lang::kJa);
  const std::string csv = RenderCsv(input);
  EXPECT_NE(csv.find("A,セキュリティ対応組織運営,A-1,全体方針管理,,,,,\r\n"), std::string::npos);
  EXPECT_TRUE(RenderPdf(input).ok());
  EXPECT_TRUE(RenderXlsx(input).ok());
  EXPECT_NE(RenderHtml(input).find("-/5"), std::string::npos);
}

}  // namespace
}  // namespace socm::reporting
