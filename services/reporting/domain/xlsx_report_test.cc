#include <gtest/gtest.h>

#include "services/reporting/domain/report.h"
#include "services/reporting/domain/report_fixture.h"

namespace socm::reporting {
namespace {

std::string Unzip(const std::string& args, int* status) {
  return fixture::Run("unzip " + args + " 2>&1", status);
}

TEST(XlsxReportTest, IsAWorkbookWithTheTwoSheets) {
  fixture::Example ex = fixture::WorkedExample();
  fixture::FindAnswer(ex.assessment, "A-1")->set_note("=1+1 <b>&amp;</b>");
  for (Lang lang : {Lang::kJa, Lang::kEn}) {
    auto xlsx = RenderXlsx(fixture::InputFor(ex, lang, "ACME <Corp>"));
    ASSERT_TRUE(xlsx.ok()) << xlsx.status();
    ASSERT_GE(xlsx->size(), 4u);
    EXPECT_EQ(xlsx->substr(0, 2), "PK");

    const std::string path = ::testing::TempDir() + "/report.xlsx";
    fixture::WriteFile(path, *xlsx);
    int status = 0;
    const std::string listing = Unzip("-l '" + path + "'", &status);
    ASSERT_EQ(status, 0) << listing;
    EXPECT_NE(listing.find("xl/worksheets/sheet1.xml"), std::string::npos) << listing;
    EXPECT_NE(listing.find("xl/worksheets/sheet2.xml"), std::string::npos) << listing;
    EXPECT_NE(listing.find("xl/charts/chart1.xml"), std::string::npos) << listing;

    const std::string workbook = Unzip("-p '" + path + "' xl/workbook.xml", &status);
    ASSERT_EQ(status, 0);
    EXPECT_NE(workbook.find("name=\"self-check\""), std::string::npos) << workbook;
    EXPECT_NE(workbook.find("name=\"results\""), std::string::npos) << workbook;

    // Text lives in the shared strings, escaped; a note is never a formula.
    const std::string strings = Unzip("-p '" + path + "' xl/sharedStrings.xml", &status);
    EXPECT_NE(strings.find("=1+1 &lt;b&gt;&amp;amp;&lt;/b&gt;"), std::string::npos);
    EXPECT_NE(strings.find("ACME &lt;Corp&gt;"), std::string::npos);
    EXPECT_NE(strings.find(lang == Lang::kJa ? "全体方針管理" : "Overall policy management"),
              std::string::npos);
    const std::string sheet1 = Unzip("-p '" + path + "' xl/worksheets/sheet1.xml", &status);
    EXPECT_EQ(sheet1.find("<f>"), std::string::npos);
    // The level ladder legend and the 0..5 validation of the answer cells.
    EXPECT_NE(strings.find(lang == Lang::kJa ? ex.catalogue.in_source_levels(4).text().ja()
                                             : ex.catalogue.in_source_levels(4).text().en()),
              std::string::npos);
    EXPECT_NE(sheet1.find("<dataValidation type=\"whole\""), std::string::npos);

    int xmllint = 0;
    const std::string check = fixture::Run(
        "unzip -p '" + path + "' xl/worksheets/sheet2.xml | xmllint --noout - 2>&1", &xmllint);
    EXPECT_EQ(xmllint, 0) << check;
  }
}

TEST(XlsxReportTest, LeavesNoTemporaryFileBehind) {
  const fixture::Example ex = fixture::WorkedExample();
  int status = 0;
  const std::string count = "ls \"${TMPDIR:-/tmp}\" | grep -c '^socm-report-' || true";
  const std::string before = fixture::Run(count, &status);
  ASSERT_TRUE(RenderXlsx(fixture::InputFor(ex, Lang::kEn)).ok());
  EXPECT_EQ(fixture::Run(count, &status), before);
}

}  // namespace
}  // namespace socm::reporting
