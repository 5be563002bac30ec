#include <gtest/gtest.h>

#include "services/reporting/domain/report.h"
#include "services/reporting/domain/report_fixture.h"

namespace socm::reporting {
namespace {

using fixture::Count;

const fixture::Example& Ex() {
  static const fixture::Example ex = fixture::WorkedExample();
  return ex;
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(HtmlReportTest, NamesEveryFunctionInTheChosenLanguage) {
  for (Lang lang : {Lang::kJa, Lang::kEn}) {
    const std::string html = RenderHtml(fixture::InputFor(Ex(), lang));
    EXPECT_TRUE(Has(html, lang == Lang::kJa ? "<html lang=\"ja\">" : "<html lang=\"en\">"));
    for (const auto& f : Ex().catalogue.functions()) {
      const std::string& name = lang == Lang::kJa ? f.name().ja() : f.name().en();
      // Names can hold "&" or "(", so look for their escaped form.
      std::string escaped;
      for (char c : name) {
        if (c == '&') {
          escaped += "&amp;";
        } else {
          escaped += c;
        }
      }
      EXPECT_TRUE(Has(html, escaped)) << f.code() << " " << name;
    }
    // Every role has a row.
    for (const auto& f : Ex().catalogue.functions()) {
      for (const auto& r : f.roles()) {
        EXPECT_TRUE(Has(html, "<td class=\"code\">" + r.code() + "</td>")) << r.code();
      }
    }
  }
  const std::string en = RenderHtml(fixture::InputFor(Ex(), Lang::kEn));
  EXPECT_FALSE(Has(en, "セキュリティ対応組織運営"));
}

TEST(HtmlReportTest, ShowsScoresNarrativesAdviceAndProvenance) {
  const std::string html = RenderHtml(fixture::InputFor(Ex(), Lang::kEn));
  // Function table: score with one decimal, level, target, gap.
  EXPECT_TRUE(Has(html,
                  "<td class=\"num\">4.0</td><td class=\"num\">4/5</td>"
                  "<td class=\"num\">5.0</td><td class=\"num\">1.0</td>"));
  const auto& c = Ex().catalogue;
  const auto narrative = [&](const std::string& code, bool achieved) {
    for (const auto& f : c.functions()) {
      if (f.code() == code)
        return achieved ? f.narrative().achieved().en() : f.narrative().missing().en();
    }
    return std::string();
  };
  EXPECT_TRUE(Has(html, narrative("A", true)));
  EXPECT_TRUE(Has(html, narrative("D", true)));
  EXPECT_TRUE(Has(html, narrative("C", false)));
  EXPECT_TRUE(Has(html, narrative("E", false)));
  EXPECT_FALSE(Has(html, narrative("A", false)));
  for (const auto& band : c.level_advice()) {
    // Levels 4 (A, D) and 2 (C, E) are the ones shown.
    const bool shown = band.min_level() <= 4 && 4 <= band.max_level();
    const bool shown2 = band.min_level() <= 2 && 2 <= band.max_level();
    EXPECT_EQ(Has(html, band.advice().en()), shown || shown2) << band.min_level();
  }
  EXPECT_TRUE(Has(html, "reconstructed (not yet checked)"));
  EXPECT_TRUE(Has(html, "confirmed"));
  EXPECT_TRUE(Has(html, c.rating_guidance().en()));
  EXPECT_TRUE(Has(html, "54 <small>/ 54"));
  // Both ladders' texts for an answered level: A-2 is in 5 / out 3.
  EXPECT_TRUE(Has(html, c.in_source_levels(5).text().en()));
  EXPECT_TRUE(Has(html, c.out_source_levels(3).text().en()));
  EXPECT_TRUE(Has(html, "documented, approved by the CISO"));
  EXPECT_TRUE(Has(html, "@page{size:A4"));
}

TEST(HtmlReportTest, IsSelfContained) {
  const std::string html = RenderHtml(fixture::InputFor(Ex(), Lang::kJa));
  EXPECT_EQ(Count(html, "<svg"), 1u);
  EXPECT_FALSE(Has(html, "<script"));
  EXPECT_FALSE(Has(html, "<link"));
  EXPECT_FALSE(Has(html, "src="));
  EXPECT_FALSE(Has(html, "url("));
  EXPECT_FALSE(Has(html, "@import"));
  EXPECT_FALSE(Has(html, "http://") && !Has(html, "xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_FALSE(Has(html, "https://"));
}

TEST(HtmlReportTest, EscapesUserInput) {
  fixture::Example ex = Ex();
  fixture::FindAnswer(ex.assessment, "A-1")->set_note("<script>alert('note')</script> & more");
  ex.assessment.set_title("<img src=x onerror=alert(1)>");
  const std::string html =
      RenderHtml(fixture::InputFor(ex, Lang::kEn, "\"><script>alert('org')</script>"));
  EXPECT_FALSE(Has(html, "<script"));
  EXPECT_FALSE(Has(html, "<img"));
  EXPECT_TRUE(Has(html, "&lt;script&gt;alert(&#39;note&#39;)&lt;/script&gt; &amp; more"));
  EXPECT_TRUE(Has(html, "&quot;&gt;&lt;script&gt;alert(&#39;org&#39;)&lt;/script&gt;"));
  EXPECT_TRUE(Has(html, "&lt;img src=x onerror=alert(1)&gt;"));
}

TEST(HtmlReportTest, ShowsUnansweredRolesAndMissingScores) {
  fixture::Example ex = Ex();
  ex.assessment.clear_answers();
  for (auto& f : *ex.score.mutable_functions()) {
    f.clear_score();
    f.clear_level();
    f.clear_roles();
    f.clear_gap();
    f.set_answered(0);
  }
  ex.score.clear_overall();
  ex.score.mutable_completeness()->set_answered(0);
  const std::string html = RenderHtml(fixture::InputFor(ex, Lang::kEn));
  EXPECT_EQ(Count(html, "<tr class=\"unanswered\">"), 54u);
  EXPECT_TRUE(Has(html, "not scored"));
  EXPECT_TRUE(Has(html, "-/5"));
}

}  // namespace
}  // namespace socm::reporting
