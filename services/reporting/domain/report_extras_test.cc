// Evidence, comments and the trend in the HTML, PDF and JSON reports: shown by the role they
// belong to, escaped, and the trend table with its changes.
#include "services/reporting/domain/report_extras.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "services/reporting/domain/report.h"
#include "services/reporting/domain/report_fixture.h"

namespace socm::reporting {
namespace {

ReportExtras Extras() {
  ReportExtras x;
  auto& e = x.evidence.emplace_back();
  e.set_id("ev_1");
  e.set_role_code("B-1");
  e.set_filename("escalation <policy>.pdf");
  e.set_size(123456);
  e.set_sha256(std::string(64, 'a'));
  auto& c = x.comments.emplace_back();
  c.set_id("cm_1");
  c.set_role_code("B-1");
  c.set_author("key_abc");
  c.mutable_create_time()->set_seconds(1793000000);
  c.set_body("<script>alert(1)</script> see page 4");
  for (int i = 0; i < 3; ++i) {
    auto& p = x.trend.emplace_back();
    p.set_assessed_on(absl::StrCat(2024 + i, "-04-01"));
    p.mutable_overall()->set_score(2.0 + i);
    (*p.mutable_function_scores())["A"] = 1.0 + i;
    if (i > 0) (*p.mutable_function_deltas())["A"] = 1.0;
  }
  return x;
}

TEST(ReportExtrasTest, HtmlListsEvidenceAndCommentsEscapedAndTheTrend) {
  fixture::Example ex = fixture::WorkedExample();
  const ReportExtras extras = Extras();
  ReportInput input = fixture::InputFor(ex, Lang::kEn);
  input.extras = &extras;
  const std::string html = RenderHtml(input);
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt; see page 4"), std::string::npos);
  EXPECT_NE(html.find("escalation &lt;policy&gt;.pdf (123,456 bytes, SHA-256 aaaaaaaaaaaa"),
            std::string::npos);
  EXPECT_NE(html.find("key_abc \u00b7 2026-10-26 07:33 UTC"), std::string::npos)
      << "author and time";
  EXPECT_NE(html.find("Trend since earlier assessments"), std::string::npos);
  EXPECT_NE(html.find("2024-04-01"), std::string::npos);
  EXPECT_NE(html.find("+1.0"), std::string::npos);
  // Without extras, none of it.
  const std::string plain = RenderHtml(fixture::InputFor(ex, Lang::kEn));
  EXPECT_EQ(plain.find("Trend since"), std::string::npos);
  EXPECT_EQ(plain.find("tr class=\"extras\""), std::string::npos);
}

TEST(ReportExtrasTest, PdfPrintsThemAndJsonCarriesTheWholeHash) {
  fixture::Example ex = fixture::WorkedExample();
  const ReportExtras extras = Extras();
  ReportInput input = fixture::InputFor(ex, Lang::kEn);
  input.extras = &extras;
  auto pdf = RenderPdf(input);
  ASSERT_TRUE(pdf.ok()) << pdf.status();
  const std::string path = ::testing::TempDir() + "/extras.pdf";
  fixture::WriteFile(path, *pdf);
  int status = 0;
  const std::string text = fixture::Run("pdftotext '" + path + "' - 2>&1", &status);
  ASSERT_EQ(status, 0) << text;
  EXPECT_NE(text.find("Trend since earlier assessments"), std::string::npos);
  EXPECT_NE(text.find("escalation <policy>.pdf"), std::string::npos);
  EXPECT_NE(text.find("<script>alert(1)</script> see page 4"), std::string::npos);

  const auto doc = nlohmann::json::parse(RenderJson(input));
  ASSERT_EQ(doc["evidence"].size(), 1u);
  EXPECT_EQ(doc["evidence"][0]["sha256"], std::string(64, 'a'));
  EXPECT_EQ(doc["evidence"][0]["roleCode"], "B-1");
  EXPECT_EQ(doc["comments"][0]["body"], "<script>alert(1)</script> see page 4");
}

}  // namespace
}  // namespace socm::reporting
