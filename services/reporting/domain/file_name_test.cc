#include <gtest/gtest.h>

#include "services/reporting/domain/report.h"
#include "services/reporting/domain/report_fixture.h"

namespace socm::reporting {
namespace {

std::string Name(const std::string& org, const std::string& date, const std::string& ext) {
  soc::maturity::assessment::v1::Assessment a;
  a.set_assessed_on(date);
  return ReportFileName(ReportInput{nullptr, nullptr, &a, org, Lang::kJa}, ext);
}

bool OnlySafe(const std::string& name) {
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

TEST(ReportFileNameTest, OrganisationDateAndExtension) {
  EXPECT_EQ(Name("acme", "2026-11-01", "pdf"), "acme-2026-11-01-report.pdf");
  EXPECT_EQ(Name("ACME Corp.", "2026-11-01", "xlsx"), "ACME_Corp-2026-11-01-report.xlsx");
}

TEST(ReportFileNameTest, SanitisesHeaderAndPathTricks) {
  const std::string name = Name("../evil\r\nX: y", "2026-11-01", "html");
  EXPECT_EQ(name, "evil_X_y-2026-11-01-report.html");
  EXPECT_TRUE(OnlySafe(name));
  EXPECT_TRUE(OnlySafe(Name("a\"b;c\\d/e%00", "../../etc", "p/d\rf")));
  EXPECT_EQ(Name("..", "..", ".."), "report");
  EXPECT_EQ(Name("-rf", "", "csv"), "rf-report.csv");
}

TEST(ReportFileNameTest, NonAsciiNamesAndNeverEmpty) {
  EXPECT_EQ(Name("株式会社ACME", "2026-11-01", "pdf"), "ACME-2026-11-01-report.pdf");
  EXPECT_EQ(Name("株式会社", "", "pdf"), "report.pdf");
  EXPECT_EQ(ReportFileName(ReportInput{nullptr, nullptr, nullptr, "", Lang::kEn}, ""), "report");
}

TEST(ReportFileNameTest, AtMostOneHundredCharactersKeepingDateAndExtension) {
  const std::string name = Name(std::string(300, 'a'), "2026-11-01", "xlsx");
  EXPECT_EQ(name.size(), 100u);
  EXPECT_EQ(name.substr(name.size() - 23), "-2026-11-01-report.xlsx");
  EXPECT_LE(Name(std::string(300, 'a'), std::string(300, '1'), std::string(300, 'x')).size(), 100u);
}

}  // namespace
}  // namespace socm::reporting
