// Every format on models of other shapes: SIM3 (0..4, one dimension), a tenant's three-level
// model (1..3, one dimension) and ISOG-J's sourcing view.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "services/reporting/domain/report.h"
#include "services/reporting/domain/report_fixture.h"
#include "services/reporting/domain/shape_fixture.h"

namespace socm::reporting {
namespace {

using fixture::Count;

TEST(ShapeReportTest, TheThreeLevelModelDrawsThreeRingsAndPrintsOutOfThree) {
  const fixture::ShapeExample ex = fixture::ThreeLevelExample();
  const std::string svg = RenderRadarSvg(ex.Input(Lang::kEn));
  EXPECT_EQ(Count(svg, "class=\"ring\""), 3u) << svg;
  EXPECT_EQ(Count(svg, "class=\"ring-label\""), 3u);
  EXPECT_EQ(Count(svg, "class=\"axis\""), 3u);
  EXPECT_NE(svg.find("/3"), std::string::npos);
  EXPECT_EQ(svg.find("/5"), std::string::npos);
  EXPECT_EQ(svg.find("in-source-only"), std::string::npos) << "one dimension: no sourcing view";

  const std::string html = RenderHtml(ex.Input(Lang::kEn));
  // The ladder legend: levels 1..3 with their labels, one column for the one dimension.
  EXPECT_NE(html.find("the managed stage"), std::string::npos);
  EXPECT_NE(html.find("<td>managed</td>"), std::string::npos);
  EXPECT_EQ(html.find("In-source"), std::string::npos);
  EXPECT_EQ(html.find("<section class=\"sourcing\">"), std::string::npos);

  const std::string csv = RenderCsv(ex.Input(Lang::kEn));
  const std::string header = csv.substr(0, csv.find("\r\n"));
  EXPECT_NE(header.find(",Level,Effective,"), std::string::npos) << header;
  EXPECT_EQ(header.find("In-source"), std::string::npos) << header;
}

TEST(ShapeReportTest, TheThreeLevelWorkbookValidatesOneToThree) {
  const fixture::ShapeExample ex = fixture::ThreeLevelExample();
  auto xlsx = RenderXlsx(ex.Input(Lang::kEn));
  ASSERT_TRUE(xlsx.ok()) << xlsx.status();
  const std::string path = ::testing::TempDir() + "/three.xlsx";
  fixture::WriteFile(path, *xlsx);
  int status = 0;
  const std::string sheet1 =
      fixture::Run("unzip -p '" + path + "' xl/worksheets/sheet1.xml", &status);
  ASSERT_EQ(status, 0);
  EXPECT_NE(sheet1.find("<formula1>1</formula1><formula2>3</formula2>"), std::string::npos)
      << sheet1.substr(sheet1.find("<dataValidation"), 300);
}

TEST(ShapeReportTest, Sim3HasFourAxesFourRingsAndEveryFormat) {
  const fixture::ShapeExample ex = fixture::Sim3Example();
  ASSERT_EQ(ex.score.functions_size(), 4);
  for (Lang lang : {Lang::kJa, Lang::kEn}) {
    const std::string svg = RenderRadarSvg(ex.Input(lang));
    EXPECT_EQ(Count(svg, "class=\"axis\""), 4u);
    EXPECT_EQ(Count(svg, "class=\"ring\""), 4u);
    EXPECT_NE(svg.find("/4"), std::string::npos);
    const std::string html = RenderHtml(ex.Input(lang));
    EXPECT_NE(html.find(lang == Lang::kEn ? "Mandate" : "任務"), std::string::npos);
    EXPECT_FALSE(RenderJson(ex.Input(lang)).empty());
    auto pdf = RenderPdf(ex.Input(lang));
    ASSERT_TRUE(pdf.ok()) << pdf.status();
    auto xlsx = RenderXlsx(ex.Input(lang));
    ASSERT_TRUE(xlsx.ok()) << xlsx.status();
  }
}

TEST(ShapeReportTest, IsogjShowsTheSourcingViewInTheRadarTheHtmlAndThePdf) {
  const fixture::ShapeExample ex = fixture::SourcingExample();
  const std::string svg = RenderRadarSvg(ex.Input(Lang::kEn));
  EXPECT_EQ(Count(svg, "class=\"in-source-only\""), 1u);
  EXPECT_NE(svg.find(">In-source only</text>"), std::string::npos) << "the legend names it";
  EXPECT_EQ(Count(svg, "class=\"ring\""), 5u);

  const std::string html = RenderHtml(ex.Input(Lang::kEn));
  ASSERT_NE(html.find("<section class=\"sourcing\">"), std::string::npos);
  // B: every role out-sourced at 4 over in-source 1 -> in-source only 1.0, dependency 3.0.
  const std::string b_row = "<td class=\"code\">B</td>";
  const size_t sourcing = html.find("<section class=\"sourcing\">");
  const size_t row = html.find(b_row, sourcing);
  ASSERT_NE(row, std::string::npos);
  const std::string cells = html.substr(row, html.find("</tr>", row) - row);
  EXPECT_NE(cells.find(">5</td>"), std::string::npos) << cells;  // five out-sourced roles
  EXPECT_NE(cells.find(">1.0</td>"), std::string::npos) << cells;
  EXPECT_NE(cells.find(">3.0</td>"), std::string::npos) << cells;

  auto pdf = RenderPdf(ex.Input(Lang::kEn));
  ASSERT_TRUE(pdf.ok()) << pdf.status();
  const std::string path = ::testing::TempDir() + "/sourcing.pdf";
  fixture::WriteFile(path, *pdf);
  int status = 0;
  const std::string text = fixture::Run("pdftotext '" + path + "' - 2>&1", &status);
  ASSERT_EQ(status, 0) << text;
  EXPECT_NE(text.find("Sourcing"), std::string::npos);
  EXPECT_NE(text.find("Dependency"), std::string::npos);
}

// Not a check: writes the shapes' reports for a person to look at.
TEST(ShapeReportSamples, DISABLED_WriteShapeSamples) {
  const char* env = std::getenv("SOCM_REPORT_SAMPLES");
  const std::string dir = env != nullptr ? env : "/tmp/socm-report";
  std::filesystem::create_directories(dir);
  for (const auto& [name, ex] : {std::pair{"sim3", fixture::Sim3Example()},
                                 std::pair{"three-level", fixture::ThreeLevelExample()},
                                 std::pair{"sourcing", fixture::SourcingExample()}}) {
    for (Lang lang : {Lang::kJa, Lang::kEn}) {
      const std::string stem = dir + "/" + name + "-" + (lang == Lang::kJa ? "ja" : "en");
      fixture::WriteFile(stem + ".svg", RenderRadarSvg(ex.Input(lang)));
      fixture::WriteFile(stem + ".html", RenderHtml(ex.Input(lang)));
      auto pdf = RenderPdf(ex.Input(lang));
      ASSERT_TRUE(pdf.ok()) << pdf.status();
      fixture::WriteFile(stem + ".pdf", *pdf);
      auto xlsx = RenderXlsx(ex.Input(lang));
      ASSERT_TRUE(xlsx.ok()) << xlsx.status();
      fixture::WriteFile(stem + ".xlsx", *xlsx);
    }
  }
}

}  // namespace
}  // namespace socm::reporting
