#include <gtest/gtest.h>

#include "services/reporting/domain/report.h"
#include "services/reporting/domain/report_fixture.h"

namespace socm::reporting {
namespace {

namespace spb = soc::maturity::scoring::v1;

std::vector<spb::PortfolioOrganization> Lines() {
  std::vector<spb::PortfolioOrganization> lines(2);
  lines[0].set_display_name("=HYPERLINK(\"http://evil\")");
  lines[0].set_industry("finance");
  (*lines[0].mutable_labels())["tier"] = "gold";
  (*lines[0].mutable_labels())["region"] = "kanto";
  auto* a = lines[0].mutable_latest_assessment();
  a->set_title("FY2026, first");
  a->set_assessed_on("2026-04-01");
  a->set_status(soc::maturity::assessment::v1::SUBMITTED);
  a->mutable_overall()->set_score(3.25);
  a->mutable_overall()->set_level(3);
  a->mutable_completeness()->set_answered(50);
  a->mutable_completeness()->set_total(54);
  auto* f = a->add_functions();
  f->set_code("B");
  f->set_score(2.5);
  f->set_level(3);
  lines[1].set_display_name("No assessment yet");
  return lines;
}

TEST(PortfolioReportTest, CsvHasEveryLineWithScoresPerFunctionAndTheFormulaGuard) {
  const auto catalogue = fixture::LoadIsogj();
  const auto lines = Lines();
  const std::string csv = RenderPortfolioCsv({&catalogue, &lines, Lang::kEn});
  ASSERT_EQ(csv.rfind("\xEF\xBB\xBF", 0), 0u);
  EXPECT_EQ(fixture::Count(csv, "\r\n"), 3u);
  // 9 fixed columns and two per function: 27 fields, 26 separators, and F's name holds a
  // comma of its own (quoted).
  const std::string header = csv.substr(3, csv.find("\r\n") - 3);
  EXPECT_EQ(fixture::Count(header, ","), 27u) << header;
  EXPECT_NE(header.find(",\"F Threat intelligence collection, analysis and evaluation\","),
            std::string::npos);
  EXPECT_NE(header.find("A SOC/CSIRT management"), std::string::npos) << header;
  EXPECT_NE(csv.find("\"'=HYPERLINK(\"\"http://evil\"\")\",finance,region=kanto; tier=gold,"
                     "\"FY2026, first\",2026-04-01,"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find(",50/54,3.3,3,,,2.5,3,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("No assessment yet,,,,,,,,"), std::string::npos);
  const std::string ja = RenderPortfolioCsv({&catalogue, &lines, Lang::kJa});
  EXPECT_NE(ja.find("組織,業種"), std::string::npos);
}

TEST(PortfolioReportTest, XlsxIsOneSheetWithTheLevelsShaded) {
  const auto catalogue = fixture::LoadIsogj();
  const auto lines = Lines();
  auto xlsx = RenderPortfolioXlsx({&catalogue, &lines, Lang::kEn});
  ASSERT_TRUE(xlsx.ok()) << xlsx.status();
  const std::string path = ::testing::TempDir() + "/portfolio.xlsx";
  fixture::WriteFile(path, *xlsx);
  int status = 0;
  const std::string sheet =
      fixture::Run("unzip -p '" + path + "' xl/worksheets/sheet1.xml 2>&1", &status);
  ASSERT_EQ(status, 0) << sheet;
  EXPECT_EQ(fixture::Count(sheet, "<colorScale>"), 10u) << "overall and nine functions";
  EXPECT_NE(sheet.find("<pane"), std::string::npos);
  const std::string strings =
      fixture::Run("unzip -p '" + path + "' xl/sharedStrings.xml 2>&1", &status);
  EXPECT_NE(strings.find("No assessment yet"), std::string::npos);
}

}  // namespace
}  // namespace socm::reporting
