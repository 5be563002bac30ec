// The same scenarios, end to end through the gateway, on three models of different shapes:
// ISOG-J (two dimensions, 0..5), SIM3 (one dimension, 0..4) and a model a tenant uploads
// (three functions, one dimension, 1..3). Nothing in the suite knows the third one.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "tests/integration/suite.h"

namespace socm::testing {
namespace {

using nlohmann::json;

struct Model {
  std::string name;
  std::string catalogue_id;
  int lowest;
  int highest;
  // The dimension codes, and the short form a request uses for the first.
  std::vector<std::string> dimensions;
  bool upload = false;
};

std::ostream& operator<<(std::ostream& out, const Model& m) { return out << m.name; }

// The tenant's own model, in the catalogue's second form.
json ThreeLevelDocument() {
  auto both = [](const std::string& ja, const std::string& en) {
    return json{{"ja", ja}, {"en", en}};
  };
  json functions = json::array();
  for (const auto& [code, ja, en] :
       {std::tuple{"X", "計画", "Plan"}, std::tuple{"Y", "実行", "Run"},
        std::tuple{"Z", "改善", "Improve"}}) {
    json roles = json::array();
    for (int i = 1; i <= 2; ++i) {
      roles.push_back({{"code", absl::StrCat(code, "-", i)},
                       {"name", both(absl::StrCat("役割", i), absl::StrCat("Role ", i))}});
    }
    functions.push_back({{"code", code}, {"name", both(ja, en)}, {"roles", roles}});
  }
  json scale_levels = json::array(), texts = json::array();
  const char* labels[][2] = {{"初期", "initial"}, {"定義済み", "defined"}, {"管理", "managed"}};
  for (int level = 1; level <= 3; ++level) {
    scale_levels.push_back(
        {{"level", level}, {"label", both(labels[level - 1][0], labels[level - 1][1])}});
    texts.push_back({{"level", level},
                     {"text", both(absl::StrCat(labels[level - 1][0], "の段階"),
                                   absl::StrCat("the ", labels[level - 1][1], " stage"))}});
  }
  return {
      {"id", "three-level"},
      {"version", "1"},
      {"name", both("三段階モデル", "Three-level model")},
      {"functions", functions},
      {"scale", {{"lowest", 1}, {"highest", 3}, {"levels", scale_levels}}},
      {"dimensions",
       json::array({{{"code", "level"}, {"name", both("レベル", "Level")}, {"levels", texts}}})},
      {"combine", "MAX"}};
}

class ShapesTest : public ::testing::TestWithParam<Model> {
 protected:
  static void SetUpTestSuite() {
    suite_ = std::make_unique<Suite>();
    ASSERT_TRUE(suite_->Start(SuiteOptions{}));
    const json tenant =
        Body(Do("POST", "/v1/tenants", kOperatorToken, R"({"displayName":"Shapes MSSP"})"));
    admin_ =
        Body(Do("POST", absl::StrCat("/v1/tenants/", tenant["id"].get<std::string>(), "/apiKeys"),
                kOperatorToken, R"({"role":"admin"})"))["key"];
    ASSERT_FALSE(admin_.empty());
    // Whoever submits cannot approve: a second admin does.
    approver_ =
        Body(Do("POST", absl::StrCat("/v1/tenants/", tenant["id"].get<std::string>(), "/apiKeys"),
                kOperatorToken, R"({"role":"admin"})"))["key"];
    ASSERT_FALSE(approver_.empty());
  }
  static void TearDownTestSuite() { suite_.reset(); }

  static HttpResult Do(const std::string& method, const std::string& target,
                       const std::string& token, const std::string& body = "",
                       std::map<std::string, std::string> headers = {}) {
    return AuthedRequest(suite_->http_port(), method, target, token, body, std::move(headers));
  }
  static json Body(const HttpResult& r) { return json::parse(r.body, nullptr, false); }

  // The first dimension's field in a request: its short form when it has one.
  static std::string Field(const std::string& code) { return code; }

  // A new organisation with a draft assessment on the model; its path.
  static std::string NewAssessment(const Model& m, const std::string& name) {
    const std::string org =
        Body(Do("POST", "/v1/organizations", admin_,
                json{{"displayName", name}, {"industry", "shapes"}}.dump()))["id"];
    const HttpResult made =
        Do("POST", absl::StrCat("/v1/organizations/", org, "/assessments"), admin_,
           json{{"catalogueId", m.catalogue_id}, {"title", "FY2026"}, {"assessedOn", "2026-12-01"}}
               .dump());
    EXPECT_EQ(made.status, 201) << made.body;
    return absl::StrCat("/v1/organizations/", org, "/assessments/",
                        Body(made)["id"].get<std::string>());
  }

  // Every role answered: level = lowest + (i mod the scale's size), on every dimension.
  static json AllAnswers(const Model& m, const json& catalogue, int shift) {
    json answers = json::array();
    int i = shift;
    for (const auto& f : catalogue["functions"]) {
      for (const auto& r : f["roles"]) {
        json levels;
        for (const auto& d : m.dimensions) levels[d] = m.lowest + (i % (m.highest - m.lowest + 1));
        answers.push_back({{"roleCode", r["code"]}, {"levels", levels}});
        ++i;
      }
    }
    return {{"answers", answers}};
  }

  static inline std::unique_ptr<Suite> suite_;
  static inline std::string admin_;
  static inline std::string approver_;
};

TEST_P(ShapesTest, ScoresReportsTrendAndBenchmarkFollowTheModelsShape) {
  const Model& m = GetParam();
  if (m.upload) {
    const HttpResult up = Do("POST", "/v1/catalogues", admin_, ThreeLevelDocument().dump());
    ASSERT_EQ(up.status, 201) << up.body;
  }
  const HttpResult list = Do("GET", "/v1/catalogues", admin_);
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find(absl::StrCat("\"", m.catalogue_id, "\"")), std::string::npos);
  const json catalogue = Body(Do("GET", "/v1/catalogues/" + m.catalogue_id, admin_));
  EXPECT_EQ(catalogue["scale"].value("lowest", 0), m.lowest);
  EXPECT_EQ(catalogue["scale"]["highest"], m.highest);
  ASSERT_EQ(catalogue["dimensions"].size(), m.dimensions.size());
  EXPECT_EQ(catalogue.contains("inSourceLevels"), m.dimensions.size() == 2)
      << "the first form's ladders only for ISOG-J's shape";

  // One answer at the top of the scale, in the short form; the reply carries both forms.
  const std::string path = NewAssessment(m, m.name + " 1");
  json a = Body(Do("GET", path, admin_));
  const std::string first_role = catalogue["functions"][0]["roles"][0]["code"];
  const std::string dim = m.dimensions[0];
  HttpResult put = Do("PUT", path + "/answers/" + first_role, admin_, json{{dim, m.highest}}.dump(),
                      {{"If-Match", a["etag"]}});
  ASSERT_EQ(put.status, 200) << put.body;
  a = Body(put);
  EXPECT_EQ(a["answers"][0]["levels"][dim], m.highest);
  EXPECT_EQ(a["answers"][0][dim], m.highest);

  // Above the scale, below it, and a dimension the model does not have: 400, field named.
  // The single-answer route names fields inside the answer it takes.
  auto refused = [&](const json& body, const std::string& field, const std::string& says) {
    const HttpResult r =
        Do("PUT", path + "/answers/" + first_role, admin_, body.dump(), {{"If-Match", a["etag"]}});
    EXPECT_EQ(r.status, 400) << body << " " << r.body;
    EXPECT_EQ(Body(r)["error"]["details"][0]["field"], field) << r.body;
    EXPECT_NE(r.body.find(says), std::string::npos) << r.body;
  };
  const std::string range = absl::StrCat("must be ", m.lowest, "..", m.highest);
  refused(json{{dim, m.highest + 1}}, dim, range);
  if (m.lowest > 0) refused(json{{dim, m.lowest - 1}}, dim, range);
  refused(json{{"levels", {{"colour", m.lowest}}}}, "levels.colour", "has no dimension colour");
  if (m.dimensions.size() == 1) refused(json{{"outSource", m.lowest}}, "outSource", "no dimension");
  refused(json{{dim, m.lowest}, {"target", m.highest + 1}}, "target", range);
  EXPECT_EQ(Body(Do("GET", path, admin_))["revision"], a["revision"]) << "nothing was written";

  // The batch route names them by their place in the list.
  const HttpResult bad_batch =
      Do("POST", path + "/answers:batchUpdate", admin_,
         json{{"answers", {{{"roleCode", first_role}, {dim, m.highest + 1}}}}}.dump(),
         {{"If-Match", a["etag"]}});
  EXPECT_EQ(bad_batch.status, 400);
  EXPECT_EQ(Body(bad_batch)["error"]["details"][0]["field"], "answers[0]." + dim);

  // Every role, then the score in full and explained.
  const HttpResult batch = Do("POST", path + "/answers:batchUpdate", admin_,
                              AllAnswers(m, catalogue, 0).dump(), {{"If-Match", a["etag"]}});
  ASSERT_EQ(batch.status, 200) << batch.body;
  const json score = Body(Do("GET", path + "/score?lang=en", admin_));
  EXPECT_EQ(score["scaleHighest"], m.highest);
  EXPECT_EQ(score["functions"].size(), catalogue["functions"].size());
  EXPECT_EQ(score["completeness"]["answered"], score["completeness"]["total"]);
  EXPECT_EQ(score["functions"][0].contains("sourcing"), m.dimensions.size() == 2);
  EXPECT_FALSE(score["functions"][0].contains("explanation"));
  const json explained = Body(Do("GET", path + "/score?lang=en&explain=true", admin_));
  const json& why = explained["functions"][0]["explanation"];
  ASSERT_TRUE(why.is_object()) << explained.dump();
  EXPECT_EQ(why["count"], catalogue["functions"][0]["roles"].size());
  EXPECT_DOUBLE_EQ(why["sum"].get<double>() / why["count"].get<double>(),
                   explained["functions"][0]["score"].get<double>());
  EXPECT_EQ(why["roles"][0]["dimension"], dim);
  // The plain score again: the explained one did not replace it in any cache.
  EXPECT_FALSE(
      Body(Do("GET", path + "/score?lang=en", admin_))["functions"][0].contains("explanation"));

  // The radar: one axis per function, one ring per level above 0.
  const HttpResult radar = Do("GET", path + "/radar.svg?lang=en", admin_);
  ASSERT_EQ(radar.status, 200);
  auto count = [](const std::string& hay, const std::string& needle) {
    size_t n = 0;
    for (size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count(radar.body, "class=\"axis\""), catalogue["functions"].size());
  EXPECT_EQ(count(radar.body, "class=\"ring\""),
            static_cast<size_t>(m.highest - std::max(1, m.lowest) + 1));
  EXPECT_EQ(count(radar.body, "class=\"in-source-only\""), m.dimensions.size() == 2 ? 1u : 0u);
  for (const char* format : {"html", "json", "csv", "xlsx", "pdf"}) {
    const HttpResult report =
        Do("GET", absl::StrCat(path, "/report?format=", format, "&lang=ja"), admin_);
    EXPECT_EQ(report.status, 200) << format << " " << report.body.substr(0, 300);
  }

  // Approved, with four more organisations approved: trend and benchmark.
  std::vector<std::string> paths{path};
  for (int i = 2; i <= 5; ++i) {
    const std::string p = NewAssessment(m, absl::StrCat(m.name, " ", i));
    const json fresh = Body(Do("GET", p, admin_));
    ASSERT_EQ(Do("POST", p + "/answers:batchUpdate", admin_, AllAnswers(m, catalogue, i).dump(),
                 {{"If-Match", fresh["etag"]}})
                  .status,
              200);
    paths.push_back(p);
  }
  for (const std::string& p : paths) {
    ASSERT_EQ(Do("POST", p + ":submit", admin_, "{}").status, 200) << p;
    ASSERT_EQ(Do("POST", p + ":approve", approver_, "{}").status, 200) << p;
  }
  const std::string org = path.substr(0, path.find("/assessments"));
  const json trend = Body(Do("GET", org + "/trend?catalogueId=" + m.catalogue_id, admin_));
  ASSERT_EQ(trend["points"].size(), 1u) << trend.dump();
  EXPECT_EQ(trend["points"][0]["functionScores"].size(), catalogue["functions"].size());
  const HttpResult bench =
      Do("GET", "/v1/benchmark?catalogueId=" + m.catalogue_id + "&industry=shapes", admin_);
  ASSERT_EQ(bench.status, 200) << bench.body;
  const json distribution = Body(bench);
  EXPECT_EQ(distribution["organizationCount"], 5);
  for (const auto& f : distribution["functions"]) {
    EXPECT_GE(f.value("min", 0.0), m.lowest);
    EXPECT_LE(f["max"].get<double>(), m.highest);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Models, ShapesTest,
    ::testing::Values(Model{"isogj", "isogj-soc-csirt", 0, 5, {"inSource", "outSource"}},
                      Model{"sim3", "sim3", 0, 4, {"level"}},
                      Model{"uploaded", "three-level", 1, 3, {"level"}, /*upload=*/true}),
    [](const ::testing::TestParamInfo<Model>& info) { return info.param.name; });

}  // namespace
}  // namespace socm::testing
