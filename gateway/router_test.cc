#include "gateway/router.h"

#include <gtest/gtest.h>

namespace socm::gateway {
namespace {

Router MakeRouter() {
  Router router;
  router.Add(http::verb::get, "/v1/catalogues", [](CallPtr, Respond) {});
  router.Add(http::verb::get, "/v1/catalogues/{catalogueId}", [](CallPtr, Respond) {});
  router.Add(http::verb::post, "/v1/catalogues", [](CallPtr, Respond) {});
  return router;
}

TEST(RouterTest, MatchesPatternsAndExtractsDecodedParams) {
  const Router router = MakeRouter();
  RouteMatch m = router.Match(http::verb::get, "/v1/catalogues/isogj%2Dsoc");
  ASSERT_EQ(m.outcome, RouteMatch::kFound);
  EXPECT_EQ(m.pattern, "/v1/catalogues/{catalogueId}");
  EXPECT_EQ(m.params.at("catalogueId"), "isogj-soc");
  EXPECT_EQ(router.Match(http::verb::post, "/v1/catalogues").outcome, RouteMatch::kFound);
}

TEST(RouterTest, ParamWithVerbSuffix) {
  Router router;
  router.Add(http::verb::post, "/v1/a/{id}:submit", [](CallPtr, Respond) {});
  router.Add(http::verb::post, "/v1/a/{id}:approve", [](CallPtr, Respond) {});
  router.Add(http::verb::delete_, "/v1/a/{id}", [](CallPtr, Respond) {});
  RouteMatch m = router.Match(http::verb::post, "/v1/a/as_1:approve");
  ASSERT_EQ(m.outcome, RouteMatch::kFound);
  EXPECT_EQ(m.pattern, "/v1/a/{id}:approve");
  EXPECT_EQ(m.params.at("id"), "as_1");
  EXPECT_NE(router.Match(http::verb::post, "/v1/a/:submit").outcome, RouteMatch::kFound);
  EXPECT_NE(router.Match(http::verb::post, "/v1/a/x:y:submit").outcome, RouteMatch::kFound);
  EXPECT_EQ(router.Match(http::verb::delete_, "/v1/a/as_1").params.at("id"), "as_1");
}

TEST(RouterTest, UnknownPathAndWrongMethod) {
  const Router router = MakeRouter();
  EXPECT_EQ(router.Match(http::verb::get, "/v1/nothing").outcome, RouteMatch::kNotFound);
  EXPECT_EQ(router.Match(http::verb::get, "/v1/catalogues/a/b").outcome, RouteMatch::kNotFound);
  const RouteMatch m = router.Match(http::verb::delete_, "/v1/catalogues");
  EXPECT_EQ(m.outcome, RouteMatch::kWrongMethod);
  EXPECT_EQ(m.allow, "GET, POST");
}

TEST(RouterTest, HostileParamsNeverMatch) {
  const Router router = MakeRouter();
  for (const char* path : {"/v1/catalogues/..", "/v1/catalogues/%2E%2E", "/v1/catalogues/a%2Fb",
                           "/v1/catalogues/a%00b", "/v1/catalogues/%zz", "/v1/catalogues/%4"}) {
    EXPECT_EQ(router.Match(http::verb::get, path).outcome, RouteMatch::kNotFound) << path;
  }
}

TEST(RouterTest, SplitTargetDecodesQuery) {
  std::string path;
  std::map<std::string, std::string> query;
  ASSERT_TRUE(SplitTarget("/v1/x?lang=en&name=a+b%21&flag", &path, &query));
  EXPECT_EQ(path, "/v1/x");
  EXPECT_EQ(query.at("lang"), "en");
  EXPECT_EQ(query.at("name"), "a b!");
  EXPECT_EQ(query.at("flag"), "");
  EXPECT_FALSE(SplitTarget("/v1/x?lang=en&lang=ja", &path, &query));
  EXPECT_FALSE(SplitTarget("/v1/x?lang=%G1", &path, &query));
}

}  // namespace
}  // namespace socm::gateway
