// What a portal relies on, end to end on the engine SOCM_E2E_ENGINE names: share links show one
// assessment's chosen views without a key, revalidate with an ETag, stop at once when revoked or
// expired, stay within their tenant and scope, and guessing tokens is refused per address;
// tenant settings list the origins that may call the API from a browser (CORS: preflights and
// the requests after them, tenant by tenant) and frame the share views.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>

#include "absl/strings/str_cat.h"
#include "services/common/db/db.h"
#include "tests/integration/suite.h"

namespace socm::testing {
namespace {

using nlohmann::json;

std::string Engine() {
  const char* e = std::getenv("SOCM_E2E_ENGINE");
  return e == nullptr ? "sqlite" : e;
}

class PortalTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (Engine() == "postgres" && std::getenv("SOCM_TEST_POSTGRES_URL") == nullptr) return;
    suite_ = std::make_unique<Suite>();
    SuiteOptions options;
    options.engine = Engine();
    ASSERT_TRUE(suite_->Start(options));
    const std::string tenant =
        Created(Do("POST", "/v1/tenants", kOperatorToken, R"({"displayName":"Portal"})"))["id"];
    admin_ = Created(Do("POST", "/v1/tenants/" + tenant + "/apiKeys", kOperatorToken,
                        R"({"role":"admin"})"))["key"];
    viewer_ = Created(
        Do("POST", "/v1/tenants/" + tenant + "/apiKeys", admin_, R"({"role":"viewer"})"))["key"];
    org_ =
        Created(Do("POST", "/v1/organizations", admin_, R"({"displayName":"Aozora Bank"})"))["id"];
    second_org_ =
        Created(Do("POST", "/v1/organizations", admin_, R"({"displayName":"Kita Power"})"))["id"];
    pinned_second_ =
        Created(Do("POST", "/v1/tenants/" + tenant + "/apiKeys", admin_,
                   json{{"role", "admin"}, {"organizationId", second_org_}}.dump()))["key"];
    for (std::string* id : {&assessment_, &other_assessment_}) {
      *id = Created(Do(
          "POST", Assessments(org_), admin_,
          R"({"catalogueId":"isogj-soc-csirt","title":"FY2026","assessedOn":"2026-04-01"})"))["id"];
      EXPECT_EQ(
          Do("POST", Assessments(org_) + "/" + *id + "/answers:batchUpdate", admin_,
             R"({"answers":[{"roleCode":"A-1","inSource":4},{"roleCode":"B-1","inSource":2}]})")
              .status,
          200);
    }
    const std::string other =
        Created(Do("POST", "/v1/tenants", kOperatorToken, R"({"displayName":"Other"})"))["id"];
    other_admin_ = Created(Do("POST", "/v1/tenants/" + other + "/apiKeys", kOperatorToken,
                              R"({"role":"admin"})"))["key"];
  }
  static void TearDownTestSuite() { suite_.reset(); }
  void SetUp() override {
    if (!suite_) GTEST_SKIP() << "SOCM_TEST_POSTGRES_URL not set (tests/run.sh starts PostgreSQL)";
  }

  static HttpResult Do(const std::string& method, const std::string& target,
                       const std::string& token, const std::string& body = "",
                       std::map<std::string, std::string> headers = {}) {
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    return HttpRequest(suite_->http_port(), method, target, body, headers);
  }
  static json Created(const HttpResult& r) {
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body, nullptr, false);
  }
  static json Body(const HttpResult& r) { return json::parse(r.body, nullptr, false); }
  static std::string Assessments(const std::string& org) {
    return "/v1/organizations/" + org + "/assessments";
  }
  static std::string Links(const std::string& assessment) {
    return Assessments(org_) + "/" + assessment + "/shareLinks";
  }
  static void Sql(const std::string& sql, const std::vector<db::Value>& params) {
    auto database = db::Database::Open(suite_->database_url(), {});
    ASSERT_TRUE(database.ok()) << database.status();
    const absl::Status s = (*database)->Run(
        [&](db::Connection& c) -> absl::Status { return c.Exec(sql, params).status(); });
    ASSERT_TRUE(s.ok()) << s;
  }

  static inline std::unique_ptr<Suite> suite_;
  static inline std::string admin_, viewer_, pinned_second_, other_admin_;
  static inline std::string org_, second_org_, assessment_, other_assessment_;
};

TEST_F(PortalTest, AShareLinkShowsItsViewsWithoutAKeyUntilRevokedOrExpired) {
  // A viewer makes it; the token is in this reply only.
  const json radar_only =
      Created(Do("POST", Links(assessment_), viewer_, R"({"ttlSeconds":3600,"views":["radar"]})"));
  const std::string token = radar_only["token"];
  ASSERT_EQ(token.rfind("shr_", 0), 0u) << radar_only.dump();
  EXPECT_EQ(radar_only["radarUrl"], "/share/" + token + "/radar.svg");

  HttpResult r = Do("GET", radar_only["radarUrl"], "");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["content-type"].rfind("image/svg+xml", 0), 0u);
  EXPECT_EQ(r.headers["cache-control"], "no-cache");
  EXPECT_EQ(r.headers["x-content-type-options"], "nosniff");
  EXPECT_NE(r.headers["content-security-policy"].find("frame-ancestors 'none'"), std::string::npos)
      << "no origin allowed yet";
  const std::string etag = r.headers["etag"];
  ASSERT_FALSE(etag.empty());
  // The same chart as the keyed route.
  EXPECT_EQ(r.body, Do("GET", Assessments(org_) + "/" + assessment_ + "/radar.svg", viewer_).body);
  // Revalidation: 304 while nothing changed, a new ETag once an answer does.
  r = Do("GET", radar_only["radarUrl"], "", "", {{"If-None-Match", etag}});
  EXPECT_EQ(r.status, 304);
  EXPECT_TRUE(r.body.empty());
  ASSERT_EQ(
      Do("PUT", Assessments(org_) + "/" + assessment_ + "/answers/C-1", admin_, R"({"inSource":5})")
          .status,
      200);
  r = Do("GET", radar_only["radarUrl"], "", "", {{"If-None-Match", etag}});
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.headers["etag"], etag);
  // Only the views it was made for.
  EXPECT_EQ(Do("GET", "/share/" + token + "/report", "").status, 404);

  // Both views; the report shows this assessment and no other, whatever the query says.
  const json both = Created(Do("POST", Links(assessment_), viewer_, R"({"ttlSeconds":600})"));
  r = Do("GET",
         both["reportUrl"].get<std::string>() + "?format=json&assessmentId=" + other_assessment_ +
             "&organizationId=" + second_org_,
         "");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["content-type"].rfind("application/json", 0), 0u);
  EXPECT_NE(r.body.find(assessment_), std::string::npos);
  EXPECT_EQ(r.body.find(other_assessment_), std::string::npos);
  r = Do("GET", both["reportUrl"], "");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"].rfind("text/html", 0), 0u);
  EXPECT_EQ(r.headers["content-disposition"].rfind("inline", 0), 0u);
  EXPECT_EQ(Do("GET", both["reportUrl"].get<std::string>() + "?format=xlsx", "").status, 400);

  // Listed newest first, never with a token.
  const json listed = Body(Do("GET", Links(assessment_), viewer_));
  ASSERT_EQ(listed["shareLinks"].size(), 2u) << listed.dump();
  EXPECT_EQ(listed["shareLinks"][0]["id"], both["id"]);
  for (const auto& l : listed["shareLinks"]) EXPECT_FALSE(l.contains("token"));
  EXPECT_EQ(
      Body(Do("GET", Links(other_assessment_), viewer_)).value("shareLinks", json::array()).size(),
      0u);

  // Revoked: 404 at the next request.
  EXPECT_EQ(
      Do("DELETE", Links(assessment_) + "/" + radar_only["id"].get<std::string>(), viewer_).status,
      204);
  EXPECT_EQ(Do("GET", radar_only["radarUrl"], "").status, 404);
  // Expired: 404 likewise (the expiry moved into the past in the database).
  Sql("UPDATE share_links SET expire_time = 1 WHERE id = $1", {both["id"].get<std::string>()});
  EXPECT_EQ(Do("GET", both["radarUrl"], "").status, 404);

  // The audit log names who made and revoked them.
  const json log = Body(Do("GET", "/v1/organizations/" + org_ + "/auditLog?pageSize=100", admin_));
  int made = 0, revoked = 0;
  for (const auto& e : log["entries"]) {
    made += e["action"] == "assessment.shareLink.create" ? 1 : 0;
    revoked += e["action"] == "assessment.shareLink.delete" ? 1 : 0;
  }
  EXPECT_EQ(made, 2);
  EXPECT_EQ(revoked, 1);
}

TEST_F(PortalTest, ShareLinksStayInTheirTenantAndScope) {
  const json link = Created(Do("POST", Links(assessment_), admin_, R"({"ttlSeconds":600})"));
  const std::string one = Links(assessment_) + "/" + link["id"].get<std::string>();
  for (const std::string& key : {other_admin_, pinned_second_}) {
    EXPECT_EQ(Do("POST", Links(assessment_), key, R"({"ttlSeconds":600})").status, 404);
    EXPECT_EQ(Do("GET", Links(assessment_), key).status, 404);
    EXPECT_EQ(Do("DELETE", one, key).status, 404);
  }
  EXPECT_EQ(Do("GET", link["radarUrl"], "").status, 200) << "still there";
  EXPECT_EQ(Do("POST", Links(assessment_), "", R"({"ttlSeconds":600})").status, 401);
  const HttpResult bad =
      Do("POST", Links(assessment_), admin_, R"({"ttlSeconds":31536000,"views":["sheet"]})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Body(bad)["error"]["details"][0]["field"], "ttlSeconds") << bad.body;
  EXPECT_EQ(Body(bad)["error"]["details"][1]["field"], "views[0]") << bad.body;
}

TEST_F(PortalTest, AllowedOriginsDriveCorsTenantByTenantAndFramingOfShareViews) {
  const std::string origin = "https://portal.aozora.example";
  EXPECT_EQ(
      Body(Do("GET", "/v1/tenantSettings", admin_)).value("allowedOrigins", json::array()).size(),
      0u);
  EXPECT_EQ(Do("GET", "/v1/tenantSettings", viewer_).status, 403);
  EXPECT_EQ(Do("PUT", "/v1/tenantSettings", pinned_second_, R"({"allowedOrigins":[]})").status,
            403);
  const HttpResult bad =
      Do("PUT", "/v1/tenantSettings", admin_, R"({"allowedOrigins":["https://ok.example/path"]})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Body(bad)["error"]["details"][0]["field"], "allowedOrigins[0]") << bad.body;

  // Nothing allowed yet: a preflight is refused.
  const std::map<std::string, std::string> preflight = {
      {"Origin", origin},
      {"Access-Control-Request-Method", "GET"},
      {"Access-Control-Request-Headers", "authorization"}};
  EXPECT_EQ(Do("OPTIONS", "/v1/organizations", "", "", preflight).status, 403);

  const HttpResult set =
      Do("PUT", "/v1/tenantSettings", admin_, json{{"allowedOrigins", {origin}}}.dump());
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(Body(Do("GET", "/v1/tenantSettings", admin_))["allowedOrigins"][0], origin);
  // A refusal is remembered for a second, an acceptance for ten.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  HttpResult r = Do("OPTIONS", "/v1/organizations", "", "", preflight);
  ASSERT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(r.headers["access-control-allow-origin"], origin);
  EXPECT_NE(r.headers["access-control-allow-headers"].find("authorization"), std::string::npos);
  EXPECT_NE(r.headers["access-control-allow-methods"].find("PUT"), std::string::npos);
  EXPECT_EQ(r.headers["vary"], "Origin");
  auto other_origin = preflight;
  other_origin["Origin"] = "https://evil.example";
  EXPECT_EQ(Do("OPTIONS", "/v1/organizations", "", "", other_origin).status, 403);

  // The request itself: allowed for this tenant's keys, not for another tenant's.
  r = Do("GET", "/v1/organizations", viewer_, "", {{"Origin", origin}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["access-control-allow-origin"], origin);
  EXPECT_NE(r.headers["access-control-expose-headers"].find("etag"), std::string::npos);
  r = Do("GET", "/v1/organizations", other_admin_, "", {{"Origin", origin}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.count("access-control-allow-origin"), 0u)
      << "another tenant's data is not readable from this tenant's portal";
  r = Do("GET", "/v1/organizations", viewer_, "", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(r.headers.count("access-control-allow-origin"), 0u);
  r = Do("GET", "/v1/organizations", viewer_);
  EXPECT_EQ(r.headers.count("access-control-allow-origin"), 0u) << "no Origin, no CORS";
  // Refusals are readable by the page too: a bad key (before any tenant is known, as for a
  // preflight) and a role that may not (by the caller's tenant); never for an origin nobody
  // allows.
  r = Do("GET", "/v1/organizations", "socm_not_a_key", "", {{"Origin", origin}});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.headers["access-control-allow-origin"], origin);
  r = Do("GET", "/v1/organizations", "socm_not_a_key", "", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.headers.count("access-control-allow-origin"), 0u);
  r = Do("PUT", "/v1/tenantSettings", viewer_, R"({"allowedOrigins":[]})", {{"Origin", origin}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.headers["access-control-allow-origin"], origin);
  r = Do("PUT", "/v1/tenantSettings", viewer_, R"({"allowedOrigins":[]})",
         {{"Origin", "https://evil.example"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.headers.count("access-control-allow-origin"), 0u);

  // The share views may be framed by the tenant's origins; the UI still by none.
  const json link = Created(Do("POST", Links(assessment_), admin_, R"({"ttlSeconds":600})"));
  r = Do("GET", link["reportUrl"], "");
  EXPECT_NE(r.headers["content-security-policy"].find("frame-ancestors " + origin),
            std::string::npos)
      << r.headers["content-security-policy"];
  EXPECT_NE(Do("GET", "/", "").headers["content-security-policy"].find("frame-ancestors 'none'"),
            std::string::npos);
}

// Last: it leaves 127.0.0.1 refused for a minute.
TEST_F(PortalTest, ZLastGuessingTokensIsRefusedPerAddress) {
  const json link = Created(Do("POST", Links(assessment_), admin_, R"({"ttlSeconds":600})"));
  EXPECT_EQ(Do("GET", link["radarUrl"], "").status, 200);
  // Twenty unknown tokens a minute from one address (the tests before counted a few), then 429.
  int guesses = 0;
  HttpResult r;
  for (; guesses < 25; ++guesses) {
    r = Do("GET", absl::StrCat("/share/shr_", std::string(60, 'a'), 1000 + guesses, "/radar.svg"),
           "");
    if (r.status != 404) break;
  }
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_GE(guesses, 15);
  EXPECT_LE(guesses, 20);
  EXPECT_FALSE(r.headers["retry-after"].empty());
  // Refused before any lookup, the good token too, from this address.
  EXPECT_EQ(Do("GET", link["radarUrl"], "").status, 429);
  // Keyed routes are not affected.
  EXPECT_EQ(Do("GET", Links(assessment_), admin_).status, 200);
}

}  // namespace
}  // namespace socm::testing
