#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "services/reporting/domain/report.h"
#include "services/reporting/domain/report_fixture.h"

namespace socm::reporting {
namespace {

using nlohmann::json;

TEST(JsonReportTest, CarriesOrganisationAssessmentScoreAndNarratives) {
  const fixture::Example ex = fixture::WorkedExample();
  const json doc = json::parse(RenderJson(fixture::InputFor(ex, Lang::kEn, "ACME \"Corp\"")));
  EXPECT_EQ(doc["language"], "en");
  EXPECT_EQ(doc["organization"]["displayName"], "ACME \"Corp\"");
  EXPECT_EQ(doc["assessment"]["title"], "FY2026 self-check");
  EXPECT_EQ(doc["assessment"]["assessedOn"], "2026-11-26");
  EXPECT_EQ(doc["assessment"]["status"], "APPROVED");
  EXPECT_EQ(doc["assessment"]["catalogueId"], "isogj-soc-csirt");
  EXPECT_EQ(doc["assessment"]["catalogueVersion"], "2.1");
  // The score in the protobuf JSON mapping: lowerCamelCase, enums by name.
  const json& score = doc["score"];
  EXPECT_EQ(score["policy"], "COUNT_DECIDED_NOT_TO_AS_ZERO");
  EXPECT_EQ(score["completeness"]["answered"], 54);
  ASSERT_EQ(score["functions"].size(), 9u);
  EXPECT_EQ(score["functions"][0]["code"], "A");
  // The fixture's score names functions in Japanese; the report speaks English.
  EXPECT_EQ(score["functions"][0]["name"], "SOC/CSIRT management");
  EXPECT_EQ(score["functions"][0]["level"], 4);
  EXPECT_EQ(score["functions"][0]["roles"][0]["inSource"], 4);
  EXPECT_FALSE(score["functions"][0]["roles"][0].contains("outSource"));
  EXPECT_EQ(score["strengths"], json::array({"A", "D"}));
  EXPECT_EQ(score["weaknesses"], json::array({"C", "E"}));

  const json& strengths = doc["narratives"]["strengths"];
  ASSERT_EQ(strengths.size(), 2u);
  EXPECT_EQ(strengths[0]["code"], "A");
  EXPECT_EQ(strengths[0]["name"], "SOC/CSIRT management");
  EXPECT_EQ(strengths[0]["narrative"], ex.catalogue.functions(0).narrative().achieved().en());
  EXPECT_FALSE(strengths[0]["advice"].get<std::string>().empty());
  const json& weaknesses = doc["narratives"]["weaknesses"];
  ASSERT_EQ(weaknesses.size(), 2u);
  EXPECT_EQ(weaknesses[0]["code"], "C");
  EXPECT_EQ(weaknesses[0]["narrative"], ex.catalogue.functions(2).narrative().missing().en());
}

TEST(JsonReportTest, JapaneseNarratives) {
  const fixture::Example ex = fixture::WorkedExample();
  const json doc = json::parse(RenderJson(fixture::InputFor(ex, Lang::kJa)));
  EXPECT_EQ(doc["narratives"]["weaknesses"][1]["name"], "セキュリティ対応状況の診断と評価");
  EXPECT_EQ(doc["narratives"]["weaknesses"][1]["narrative"],
            ex.catalogue.functions(4).narrative().missing().ja());
}

}  // namespace
}  // namespace socm::reporting
