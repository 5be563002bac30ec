#include <gtest/gtest.h>

#include <regex>

#include "services/reporting/domain/report.h"
#include "services/reporting/domain/report_fixture.h"

namespace socm::reporting {
namespace {

using fixture::Count;

const fixture::Example& Ex() {
  static const fixture::Example ex = fixture::WorkedExample();
  return ex;
}

// xmllint is the referee for well-formedness: a hand check would share the
// renderer's blind spots.
void ExpectWellFormed(const std::string& xml, const std::string& name) {
  const std::string path = ::testing::TempDir() + "/" + name;
  fixture::WriteFile(path, xml);
  int status = 0;
  const std::string out = fixture::Run("xmllint --noout '" + path + "' 2>&1", &status);
  EXPECT_EQ(status, 0) << out;
}

TEST(RadarSvgTest, IsWellFormedWithNineAxesAndLabels) {
  for (Lang lang : {Lang::kJa, Lang::kEn}) {
    const std::string svg = RenderRadarSvg(fixture::InputFor(Ex(), lang));
    ExpectWellFormed(svg, "radar.svg");
    EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
    EXPECT_EQ(Count(svg, "<line class=\"axis\""), 9u);
    EXPECT_EQ(Count(svg, "<text class=\"axis-label\""), 9u);
    EXPECT_EQ(Count(svg, "<polygon class=\"ring\""), 5u);
    EXPECT_EQ(Count(svg, "class=\"current\""), 1u);
    EXPECT_EQ(Count(svg, "class=\"target\""), 1u);
  }
}

TEST(RadarSvgTest, LabelsCarryTheLanguageAndTheLevel) {
  const std::string ja = RenderRadarSvg(fixture::InputFor(Ex(), Lang::kJa));
  const std::string en = RenderRadarSvg(fixture::InputFor(Ex(), Lang::kEn));
  // The label is "A<nbsp>name 4/5", wrapped over tspans; strip the markup to
  // read it as a person would.
  const auto text_of = [](const std::string& svg) {
    std::string labels;
    const std::regex label("<text class=\"axis-label\"[^>]*>(.*?)</text>");
    for (std::sregex_iterator it(svg.begin(), svg.end(), label), end; it != end; ++it) {
      labels += std::regex_replace((*it)[1].str(), std::regex("<[^>]+>"), " ") + "\n";
    }
    return labels;
  };
  const std::string ja_labels = text_of(ja);
  const std::string en_labels = text_of(en);
  EXPECT_NE(ja_labels.find("セキュリティ対応組織運営"), std::string::npos) << ja_labels;
  EXPECT_NE(ja_labels.find("4/5"), std::string::npos);
  EXPECT_NE(en_labels.find("SOC/CSIRT"), std::string::npos) << en_labels;
  EXPECT_EQ(Count(en_labels, "/5"), 9u);
  EXPECT_EQ(Count(en_labels, "2/5"), 3u);  // C, E and I
  EXPECT_EQ(ja_labels.find("SOC/CSIRT management"), std::string::npos);
}

TEST(RadarSvgTest, NoTargetPolygonWithoutTargets) {
  fixture::Example ex = Ex();
  for (auto& f : *ex.score.mutable_functions()) f.clear_target();
  const std::string svg = RenderRadarSvg(fixture::InputFor(ex, Lang::kEn));
  EXPECT_EQ(Count(svg, "class=\"target\""), 0u);
  ExpectWellFormed(svg, "radar-no-target.svg");
}

TEST(RadarSvgTest, EscapesHostileTextAndStaysWellFormed) {
  fixture::Example ex = Ex();
  ex.catalogue.mutable_functions(0)->mutable_name()->set_en("A & <b>\"bold\"</b>\x01\xff");
  const std::string svg = RenderRadarSvg(fixture::InputFor(ex, Lang::kEn, "<script>x</script>"));
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;"), std::string::npos);
  ExpectWellFormed(svg, "radar-hostile.svg");
}

TEST(RadarSvgTest, SurvivesAnEmptyInput) {
  const std::string svg = RenderRadarSvg(ReportInput{nullptr, nullptr, nullptr, "", Lang::kJa});
  ExpectWellFormed(svg, "radar-empty.svg");
  EXPECT_EQ(Count(svg, "class=\"axis\""), 0u);
}

}  // namespace
}  // namespace socm::reporting
