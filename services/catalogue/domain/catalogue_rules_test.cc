#include "services/catalogue/domain/catalogue_rules.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "services/catalogue/store/builtin_store.h"

namespace socm::catalogue {
namespace {

// The shipped 2.1 document as a client would post it: the first form, as written.
Catalogue Shipped() {
  std::ifstream in(std::string(SOCM_CATALOGUE_DATA_DIR) + "/isogj-soc-csirt/2.1.json");
  std::stringstream text;
  text << in.rdbuf();
  Catalogue c;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(text.str(), &c).ok());
  return c;
}

std::vector<std::string> Fields(const std::vector<FieldViolation>& violations) {
  std::vector<std::string> out;
  for (const auto& v : violations) out.push_back(v.field());
  return out;
}

bool Has(const std::vector<FieldViolation>& violations, const std::string& field) {
  for (const auto& v : violations) {
    if (v.field() == field) return true;
  }
  return false;
}

TEST(CatalogueRulesTest, ShippedCatalogueIsValid) {
  EXPECT_TRUE(ValidateCatalogue(Shipped()).empty());
}

TEST(CatalogueRulesTest, EmptyDocumentNamesEveryMissingPart) {
  const auto v = ValidateCatalogue(Catalogue());
  EXPECT_TRUE(Has(v, "id"));
  EXPECT_TRUE(Has(v, "version"));
  EXPECT_TRUE(Has(v, "name.ja"));
  EXPECT_TRUE(Has(v, "name.en"));
  EXPECT_TRUE(Has(v, "functions"));
  EXPECT_TRUE(Has(v, "inSourceLevels"));
  EXPECT_TRUE(Has(v, "outSourceLevels"));
}

TEST(CatalogueRulesTest, DuplicateRoleCodeIsReportedWithBothPaths) {
  Catalogue c = Shipped();
  c.mutable_functions(0)->mutable_roles(1)->set_code("A-1");
  const auto v = ValidateCatalogue(c);
  ASSERT_EQ(v.size(), 1u) << ::testing::PrintToString(Fields(v));
  EXPECT_EQ(v[0].field(), "functions[0].roles[1].code");
  EXPECT_EQ(v[0].description(), "duplicate of functions[0].roles[0].code");
}

TEST(CatalogueRulesTest, RoleMustBelongToItsFunction) {
  Catalogue c = Shipped();
  c.mutable_functions(2)->mutable_roles(0)->set_code("A-9");
  EXPECT_EQ(Fields(ValidateCatalogue(c)), std::vector<std::string>{"functions[2].roles[0].code"});
}

TEST(CatalogueRulesTest, DuplicateFunctionCode) {
  Catalogue c = Shipped();
  c.mutable_functions(1)->set_code("A");
  EXPECT_TRUE(Has(ValidateCatalogue(c), "functions[1].code"));
}

TEST(CatalogueRulesTest, FunctionWithoutRoles) {
  Catalogue c = Shipped();
  c.mutable_functions(8)->clear_roles();
  EXPECT_EQ(Fields(ValidateCatalogue(c)), std::vector<std::string>{"functions[8].roles"});
}

TEST(CatalogueRulesTest, LadderNeedsEveryLevelOnce) {
  Catalogue c = Shipped();
  c.mutable_in_source_levels(3)->set_level(2);
  const auto v = ValidateCatalogue(c);
  EXPECT_TRUE(Has(v, "inSourceLevels[3].level"));
  EXPECT_TRUE(Has(v, "inSourceLevels"));  // level 3 missing
  c = Shipped();
  c.mutable_out_source_levels(5)->set_level(6);
  EXPECT_TRUE(Has(ValidateCatalogue(c), "outSourceLevels[5].level"));
}

TEST(CatalogueRulesTest, BothLanguagesRequired) {
  Catalogue c = Shipped();
  c.mutable_functions(3)->mutable_roles(2)->mutable_name()->clear_en();
  c.mutable_in_source_levels(0)->mutable_text()->clear_ja();
  c.mutable_functions(4)->mutable_narrative()->mutable_missing()->clear_ja();
  const auto v = ValidateCatalogue(c);
  EXPECT_TRUE(Has(v, "functions[3].roles[2].name.en"));
  EXPECT_TRUE(Has(v, "inSourceLevels[0].text.ja"));
  EXPECT_TRUE(Has(v, "functions[4].narrative.missing.ja"));
  EXPECT_EQ(v.size(), 3u);
}

TEST(CatalogueRulesTest, OverlappingAdviceBands) {
  Catalogue c = Shipped();
  auto* band = c.add_level_advice();
  band->set_min_level(2);
  band->set_max_level(3);
  band->mutable_advice()->set_ja("x");
  band->mutable_advice()->set_en("x");
  EXPECT_TRUE(
      Has(ValidateCatalogue(c), absl::StrCat("levelAdvice[", c.level_advice_size() - 1, "]")));
}

TEST(CatalogueRulesTest, BadIdVersionDateArea) {
  Catalogue c = Shipped();
  c.set_id("Bad Id");
  c.set_version("2.x");
  c.set_published_on("2018-3-30");
  c.mutable_functions(0)->mutable_roles(0)->set_area("V");
  const auto v = ValidateCatalogue(c);
  EXPECT_TRUE(Has(v, "id"));
  EXPECT_TRUE(Has(v, "version"));
  EXPECT_TRUE(Has(v, "publishedOn"));
  EXPECT_TRUE(Has(v, "functions[0].roles[0].area"));
}

TEST(CatalogueRulesTest, OverlongNameRefused) {
  Catalogue c = Shipped();
  c.mutable_name()->set_en(std::string(201, 'x'));
  EXPECT_EQ(Fields(ValidateCatalogue(c)), std::vector<std::string>{"name.en"});
}

TEST(CatalogueRulesTest, LocalizeKeepsOneLanguageEverywhere) {
  const Catalogue c = Shipped();
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(Localize(c, Language::kEn), &json).ok());
  EXPECT_EQ(json.find("\"ja\""), std::string::npos);
  EXPECT_NE(json.find("\"en\""), std::string::npos);
  EXPECT_NE(json.find("\"language\":\"en\""), std::string::npos);
  std::string ja_json;
  ASSERT_TRUE(
      google::protobuf::util::MessageToJsonString(Localize(c, Language::kJa), &ja_json).ok());
  EXPECT_EQ(ja_json.find("\"en\""), std::string::npos);
  EXPECT_NE(ja_json.find("\"ja\""), std::string::npos);
  const Catalogue both = Localize(c, Language::kBoth);
  EXPECT_FALSE(both.functions(0).roles(0).name().ja().empty());
  EXPECT_FALSE(both.functions(0).roles(0).name().en().empty());
}

TEST(CatalogueRulesTest, ParseLanguage) {
  EXPECT_EQ(*ParseLanguage(""), Language::kBoth);
  EXPECT_EQ(*ParseLanguage("ja"), Language::kJa);
  EXPECT_EQ(*ParseLanguage("en"), Language::kEn);
  EXPECT_EQ(ParseLanguage("fr").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ViolationsOf(ParseLanguage("EN").status())[0].field(), "lang");
}

TEST(CatalogueRulesTest, VersionsOrderNumerically) {
  EXPECT_LT(CompareVersions("2.9", "2.10"), 0);
  EXPECT_GT(CompareVersions("3", "2.10"), 0);
  EXPECT_EQ(CompareVersions("2.1", "2.1"), 0);
  EXPECT_TRUE(IsVersion("2.1"));
  EXPECT_TRUE(IsVersion("10"));
  EXPECT_FALSE(IsVersion("2..1"));
  EXPECT_FALSE(IsVersion("v2"));
  EXPECT_FALSE(IsVersion("1.2.3.4.5"));
}

}  // namespace
}  // namespace socm::catalogue
