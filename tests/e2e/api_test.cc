// The public REST API end to end, through the gateway, against the real
// services, on the store engine SOCM_E2E_ENGINE names (sqlite or postgres).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <nlohmann/json.hpp>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gateway/route_table.h"
#include "services/common/db/db.h"
#include "services/common/status.h"
#include "tests/integration/suite.h"

namespace socm::testing {
namespace {

using nlohmann::json;

std::string Engine() {
  const char* e = std::getenv("SOCM_E2E_ENGINE");
  return e == nullptr ? "sqlite" : e;
}

class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (Engine() == "postgres" && std::getenv("SOCM_TEST_POSTGRES_URL") == nullptr) return;
    suite_ = std::make_unique<Suite>();
    SuiteOptions options;
    options.engine = Engine();
    ASSERT_TRUE(suite_->Start(options));
    op_ = kOperatorToken;
    tenant_a_ = Created(Do("POST", "/v1/tenants", op_, R"({"displayName":"MSSP A"})"))["id"];
    tenant_b_ = Created(Do("POST", "/v1/tenants", op_, R"({"displayName":"MSSP B"})"))["id"];
    admin_a_ = NewKey(op_, tenant_a_, R"({"role":"admin","description":"A's admin"})");
    admin_b_ = NewKey(op_, tenant_b_, R"({"role":"admin"})");
    org_a1_ = Created(Do("POST", "/v1/organizations", admin_a_,
                         R"({"displayName":"Customer 1","industry":"finance"})"))["id"];
    org_a2_ =
        Created(Do("POST", "/v1/organizations", admin_a_, R"({"displayName":"Customer 2"})"))["id"];
    assessor_a_ = NewKey(admin_a_, tenant_a_, R"({"role":"assessor"})");
    viewer_a_ = NewKey(admin_a_, tenant_a_, R"({"role":"viewer"})");
    pinned_a1_ = NewKey(admin_a_, tenant_a_,
                        absl::StrCat(R"({"role":"assessor","organizationId":")", org_a1_, "\"}"));
    const json a = Created(
        Do("POST", Assessments(org_a1_), assessor_a_,
           R"({"catalogueId":"isogj-soc-csirt","title":"FY2026","assessedOn":"2026-11-01"})"));
    assessment_a_ = a["id"];
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

  static std::string NewKey(const std::string& token, const std::string& tenant,
                            const std::string& body) {
    const json key = Created(Do("POST", "/v1/tenants/" + tenant + "/apiKeys", token, body));
    return key.value("key", "");
  }

  static std::string Assessments(const std::string& org) {
    return "/v1/organizations/" + org + "/assessments";
  }
  static std::string Assessment(const std::string& org, const std::string& id) {
    return Assessments(org) + "/" + id;
  }

  static json Body(const HttpResult& r) { return json::parse(r.body, nullptr, false); }

  static inline std::unique_ptr<Suite> suite_;
  static inline std::string op_, tenant_a_, tenant_b_, admin_a_, admin_b_, assessor_a_, viewer_a_,
      pinned_a1_;
  static inline std::string org_a1_, org_a2_, assessment_a_;
};

TEST_F(ApiTest, MeSaysWhoTheKeyIs) {
  const json viewer = Body(Do("GET", "/v1/me", viewer_a_));
  EXPECT_EQ(viewer["tenantId"], tenant_a_);
  EXPECT_EQ(viewer["role"], "viewer");
  EXPECT_EQ(viewer["kind"], "key");
  EXPECT_FALSE(viewer.contains("organizationId"));
  EXPECT_EQ(viewer.dump().find("socm_"), std::string::npos) << "never the key's secret";
  const json pinned = Body(Do("GET", "/v1/me", pinned_a1_));
  EXPECT_EQ(pinned["role"], "assessor");
  EXPECT_EQ(pinned["organizationId"], org_a1_);
  EXPECT_EQ(Body(Do("GET", "/v1/me", admin_b_))["tenantId"], tenant_b_);
  EXPECT_EQ(Do("GET", "/v1/me", "").status, 401);
  // The operator is told so, and belongs to no tenant.
  const json op = Body(Do("GET", "/v1/me", op_));
  EXPECT_EQ(op["kind"], "operator");
  EXPECT_FALSE(op.contains("tenantId")) << op;
  EXPECT_FALSE(op.contains("role")) << op;
}

TEST_F(ApiTest, TheWholeFlowFromTenantToApproval) {
  // The operator makes a tenant and its first admin key; the key is shown once.
  const json tenant = Created(Do("POST", "/v1/tenants", op_, R"({"displayName":"ACME Security"})"));
  const json key = Created(Do("POST", "/v1/tenants/" + tenant["id"].get<std::string>() + "/apiKeys",
                              op_, R"({"role":"admin"})"));
  EXPECT_EQ(key["role"], "admin");
  const std::string admin = key["key"];
  ASSERT_EQ(admin.rfind("socm_", 0), 0u);
  const HttpResult keys =
      Do("GET", "/v1/tenants/" + tenant["id"].get<std::string>() + "/apiKeys", admin);
  ASSERT_EQ(keys.status, 200) << keys.body;
  EXPECT_EQ(keys.body.find(admin), std::string::npos);  // never shown again
  EXPECT_EQ(Body(keys)["apiKeys"][0]["role"], "admin");

  // The admin makes an organisation and an assessor key; the assessor an assessment.
  const std::string org =
      Created(Do("POST", "/v1/organizations", admin, R"({"displayName":"本社 SOC"})"))["id"];
  const std::string assessor = NewKey(admin, tenant["id"], R"({"role":"assessor"})");
  const HttpResult made =
      Do("POST", Assessments(org), assessor,
         R"({"catalogueId":"isogj-soc-csirt","title":"2026","assessedOn":"2026-10-01",
                                 "functionTargets":{"A":4}})");
  const json a = Created(made);
  EXPECT_EQ(a["catalogueVersion"], "2.1.1");  // the latest, pinned
  EXPECT_EQ(a["status"], "DRAFT");
  EXPECT_EQ(a["scoringPolicy"], "COUNT_DECIDED_NOT_TO_AS_ZERO");
  EXPECT_EQ(made.headers.at("etag"), a["etag"]);
  const std::string id = a["id"];

  // One answer, then all 54 in one batch.
  HttpResult put = Do("PUT", Assessment(org, id) + "/answers/A-1", assessor,
                      R"({"inSource":4,"note":"documented"})", {{"If-Match", a["etag"]}});
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(Body(put)["revision"], 2);
  const json catalogue = Body(Do("GET", "/v1/catalogues/isogj-soc-csirt", assessor));
  json batch = {{"answers", json::array()}};
  for (const auto& f : catalogue["functions"]) {
    for (const auto& r : f["roles"])
      batch["answers"].push_back({{"roleCode", r["code"]}, {"inSource", 3}, {"outSource", 2}});
  }
  ASSERT_EQ(batch["answers"].size(), 54u);
  HttpResult updated =
      Do("POST", Assessment(org, id) + "/answers:batchUpdate", assessor, batch.dump());
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(Body(updated)["answers"].size(), 54u);

  // Reading it back: answers kept, and the notes gone where the batch replaced them.
  const HttpResult read =
      Do("GET", Assessment(org, id),
         Created(Do("POST", "/v1/tenants/" + tenant["id"].get<std::string>() + "/apiKeys", admin,
                    R"({"role":"viewer"})"))["key"]);
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(Body(read)["revision"], 3);
  EXPECT_EQ(Body(read)["answers"][0]["roleCode"], "A-1");
  EXPECT_EQ(Body(read)["answers"][0]["inSource"], 3);

  // Submit, approve (admin), then read-only until reopened.
  ASSERT_EQ(Do("POST", Assessment(org, id) + ":submit", assessor).status, 200);
  EXPECT_EQ(Do("POST", Assessment(org, id) + ":approve", assessor).status, 403);
  const HttpResult approved = Do("POST", Assessment(org, id) + ":approve", admin);
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(Body(approved)["status"], "APPROVED");
  const HttpResult locked =
      Do("PUT", Assessment(org, id) + "/answers/A-2", assessor, R"({"inSource":1})");
  EXPECT_EQ(locked.status, 412);
  EXPECT_EQ(Body(locked)["error"]["code"], "FAILED_PRECONDITION");
  EXPECT_FALSE(Body(approved)["submittedBy"].get<std::string>().empty());
  // Only an admin reopens an approved assessment.
  const HttpResult assessor_reopen = Do("POST", Assessment(org, id) + ":reopen", assessor);
  EXPECT_EQ(assessor_reopen.status, 403);
  EXPECT_NE(Body(assessor_reopen)["error"]["message"].get<std::string>().find("only an admin"),
            std::string::npos);
  ASSERT_EQ(Do("POST", Assessment(org, id) + ":reopen", admin).status, 200);
  // Separation of duties: the key that submitted cannot approve; a submitted assessment goes
  // back to draft by any assessor.
  ASSERT_EQ(Do("POST", Assessment(org, id) + ":submit", admin).status, 200);
  const HttpResult own = Do("POST", Assessment(org, id) + ":approve", admin);
  EXPECT_EQ(own.status, 403);
  EXPECT_NE(Body(own)["error"]["message"].get<std::string>().find("you submitted"),
            std::string::npos);
  EXPECT_EQ(Body(Do("GET", Assessment(org, id), admin))["status"], "SUBMITTED");
  ASSERT_EQ(Do("POST", Assessment(org, id) + ":reopen", assessor).status, 200);
  EXPECT_EQ(Do("PUT", Assessment(org, id) + "/answers/A-2", assessor, R"({"inSource":1})").status,
            200);

  // The audit log names who did what.
  const HttpResult log = Do("GET", "/v1/organizations/" + org + "/auditLog", admin);
  ASSERT_EQ(log.status, 200) << log.body;
  const json entries = Body(log)["entries"];
  ASSERT_GE(entries.size(), 7u);
  EXPECT_EQ(entries[0]["action"], "assessment.answer.set");
  EXPECT_EQ(entries[0]["clientAddress"], "127.0.0.1") << "where the write came from";
  // It stores what changed (the one answer), not the assessment twice.
  EXPECT_FALSE(entries[0].contains("beforeJson"));
  ASSERT_EQ(entries[0]["changes"].size(), 1u) << entries[0].dump();
  EXPECT_EQ(entries[0]["changes"][0]["field"], "answers.A-2");
  EXPECT_NE(entries[0]["changes"][0]["afterJson"].get<std::string>().find("\"roleCode\":\"A-2\""),
            std::string::npos);
  EXPECT_EQ(entries.back()["action"], "organization.create");
  EXPECT_EQ(Do("GET", "/v1/organizations/" + org + "/auditLog", assessor).status, 403);

  // Listing, newest first; deleting needs an admin.
  EXPECT_EQ(Body(Do("GET", Assessments(org), assessor))["assessments"].size(), 1u);
  EXPECT_EQ(Do("DELETE", Assessment(org, id), assessor).status, 403);
  // An organisation with assessments is deleted only with force=true.
  const HttpResult kept = Do("DELETE", "/v1/organizations/" + org, admin);
  EXPECT_EQ(kept.status, 412) << kept.body;
  EXPECT_EQ(Body(kept)["error"]["code"], "FAILED_PRECONDITION");
  EXPECT_EQ(Do("GET", Assessment(org, id), admin).status, 200);
  EXPECT_EQ(Do("DELETE", Assessment(org, id), admin).status, 204);
  EXPECT_EQ(Do("GET", Assessment(org, id), admin).status, 404);
  EXPECT_EQ(Do("DELETE", "/v1/organizations/" + org, admin).status, 204);
}

TEST_F(ApiTest, AnotherTenantGets404OnEveryRouteAndChangesNothing) {
  const std::string as = Assessment(org_a1_, assessment_a_);
  const HttpResult before = Do("GET", as, admin_a_);
  ASSERT_EQ(before.status, 200);
  const std::string key_a =
      Body(Do("GET", "/v1/tenants/" + tenant_a_ + "/apiKeys", admin_a_))["apiKeys"][0]["id"];
  const std::vector<std::tuple<std::string, std::string, std::string>> routes = {
      {"GET", "/v1/organizations/" + org_a1_, ""},
      {"PATCH", "/v1/organizations/" + org_a1_, R"({"displayName":"stolen"})"},
      {"DELETE", "/v1/organizations/" + org_a1_, ""},
      {"GET", "/v1/organizations/" + org_a1_ + "/auditLog", ""},
      {"GET", Assessments(org_a1_), ""},
      {"POST", Assessments(org_a1_),
       R"({"catalogueId":"isogj-soc-csirt","title":"x","assessedOn":"2026-01-01"})"},
      {"GET", as, ""},
      {"PUT", as + "/answers/A-1", R"({"inSource":0})"},
      {"POST", as + "/answers:batchUpdate", R"({"answers":[{"roleCode":"A-1","inSource":0}]})"},
      {"POST", as + ":submit", ""},
      {"POST", as + ":approve", ""},
      {"POST", as + ":reopen", ""},
      {"DELETE", as, ""},
      {"GET", "/v1/tenants/" + tenant_a_ + "/apiKeys", ""},
      {"POST", "/v1/tenants/" + tenant_a_ + "/apiKeys", R"({"role":"admin"})"},
      {"DELETE", "/v1/tenants/" + tenant_a_ + "/apiKeys/" + key_a, ""},
  };
  for (const auto& [method, target, body] : routes) {
    const HttpResult r = Do(method, target, admin_b_, body);
    EXPECT_EQ(r.status, 404) << method << " " << target << ": " << r.body;
    EXPECT_EQ(Body(r)["error"]["code"], "NOT_FOUND") << method << " " << target;
  }
  const json orgs = Body(Do("GET", "/v1/organizations", admin_b_));
  EXPECT_FALSE(orgs.contains("organizations"));
  // Nothing of A's changed.
  const HttpResult after = Do("GET", as, admin_a_);
  EXPECT_EQ(Body(after)["revision"], Body(before)["revision"]);
  EXPECT_EQ(Do("GET", "/v1/organizations/" + org_a1_, admin_a_).status, 200);
  EXPECT_EQ(Do("GET", "/v1/catalogues", admin_a_).status, 200);
}

// Every route of the table that names an organisation or a campaign, walked from
// PublicRoutes() so that a new route cannot be left out: to another tenant's admin and to a key
// pinned to another organisation of the same tenant, A's objects answer exactly as objects that
// do not exist (404, or the same validation or role refusal that comes before any lookup), and
// nothing changes.
TEST_F(ApiTest, EveryRouteOfTheTableIs404OutsideTheTenantOrScope) {
  const std::string as = Assessment(org_a1_, assessment_a_);
  const json ev = Created(Do("POST", as + "/roles/A-1/evidence?filename=proof.txt", assessor_a_,
                             "proof", {{"Content-Type", "text/plain"}}));
  const json campaign = Created(Do("POST", "/v1/campaigns", admin_a_,
                                   json{{"title", "Isolation"},
                                        {"catalogueId", "isogj-soc-csirt"},
                                        {"assessedOn", "2026-12-01"},
                                        {"organizationIds", {org_a1_}}}
                                       .dump()));
  const json link = Created(Do("POST", as + "/shareLinks", admin_a_, R"({"ttlSeconds":600})"));
  // .invalid never resolves: its deliveries go nowhere.
  const json hook =
      Created(Do("POST", "/v1/webhooks", admin_a_,
                 R"({"url":"https://portal.invalid/hook","events":["campaign.created"]})"));
  const std::string pinned_a2 =
      NewKey(admin_a_, tenant_a_, json{{"role", "admin"}, {"organizationId", org_a2_}}.dump());
  const json before = Body(Do("GET", as, admin_a_));
  const std::map<std::string, std::string> values = {
      {"orgId", org_a1_},       {"assessmentId", assessment_a_}, {"roleCode", "A-1"},
      {"evidenceId", ev["id"]}, {"campaignId", campaign["id"]},  {"shareLinkId", link["id"]},
      {"webhookId", hook["id"]}};
  const std::map<std::string, std::string> missing = {{"orgId", "org_0000000000000000"},
                                                      {"assessmentId", "as_0000000000000000"},
                                                      {"roleCode", "A-1"},
                                                      {"evidenceId", "ev_0000000000000000"},
                                                      {"campaignId", "cmp_0000000000000000"},
                                                      {"shareLinkId", "shl_0000000000000000"},
                                                      {"webhookId", "wh_0000000000000000"}};
  auto fill = [](std::string target, const std::map<std::string, std::string>& with) {
    for (const auto& [name, value] : with) {
      const std::string slot = "{" + name + "}";
      for (size_t at = target.find(slot); at != std::string::npos; at = target.find(slot)) {
        target.replace(at, slot.size(), value);
      }
    }
    return target;
  };
  int checked = 0, not_found = 0;
  for (const gateway::RouteSpec& route : gateway::PublicRoutes()) {
    const bool scoped = route.path.find("{orgId}") != std::string::npos ||
                        route.path.find("{campaignId}") != std::string::npos ||
                        route.path.find("{webhookId}") != std::string::npos;
    if (!scoped) continue;
    std::string target = fill(route.path, values), ghost = fill(route.path, missing);
    ASSERT_EQ(target.find('{'), std::string::npos) << "no value for a parameter of " << route.path;
    const std::string method(gateway::http::to_string(route.method));
    std::map<std::string, std::string> headers;
    std::string body = method == "GET" || method == "DELETE" ? "" : "{}";
    if (!route.file_body_type.empty()) {
      headers["Content-Type"] = route.file_body_type;
      body = "x";
      if (route.file_body_field == "content") {
        target += "?filename=x.txt";
        ghost += "?filename=x.txt";
      }
    }
    for (const std::string& key : {admin_b_, pinned_a2}) {
      const HttpResult r = Do(method, target, key, body, headers);
      const HttpResult g = Do(method, ghost, key, body, headers);
      const std::string where = method + " " + target + ": " + r.body.substr(0, 200);
      EXPECT_GE(r.status, 400) << where;
      EXPECT_EQ(r.status, g.status) << where;
      // The same words too, once the ids asked for are swapped: nothing tells them apart.
      std::string said = r.body;
      for (const auto& [name, value] : values) {
        for (size_t at = said.find(value); at != std::string::npos && value != missing.at(name);
             at = said.find(value)) {
          said.replace(at, value.size(), missing.at(name));
        }
      }
      EXPECT_EQ(said, g.body) << where;
      not_found += r.status == 404;
    }
    ++checked;
  }
  EXPECT_GE(not_found, 2 * checked - 8) << "most refusals are the lookup's own 404";
  EXPECT_GE(checked, 25);
  const json after = Body(Do("GET", as, admin_a_));
  EXPECT_EQ(after["revision"], before["revision"]);
  EXPECT_EQ(Do("GET", as + "/roles/A-1/evidence/" + ev["id"].get<std::string>(), viewer_a_).status,
            200);
  EXPECT_EQ(Do("GET", "/v1/organizations/" + org_a1_, admin_a_).status, 200);
  EXPECT_EQ(Do("GET", link["radarUrl"], "").status, 200) << "the share link was not revoked";
}

TEST_F(ApiTest, AnOrgPinnedKeySeesOnlyItsOrganization) {
  const json orgs = Body(Do("GET", "/v1/organizations", pinned_a1_));
  ASSERT_EQ(orgs["organizations"].size(), 1u);
  EXPECT_EQ(orgs["organizations"][0]["id"], org_a1_);
  EXPECT_EQ(Do("GET", "/v1/organizations/" + org_a1_, pinned_a1_).status, 200);
  EXPECT_EQ(Do("GET", Assessment(org_a1_, assessment_a_), pinned_a1_).status, 200);
  EXPECT_EQ(Do("GET", "/v1/organizations/" + org_a2_, pinned_a1_).status, 404);
  EXPECT_EQ(Do("GET", Assessments(org_a2_), pinned_a1_).status, 404);
  EXPECT_EQ(Do("POST", Assessments(org_a2_), pinned_a1_,
               R"({"catalogueId":"isogj-soc-csirt","title":"x","assessedOn":"2026-01-01"})")
                .status,
            404);
  EXPECT_EQ(Do("POST", "/v1/organizations", pinned_a1_, R"({"displayName":"x"})").status, 403);
}

TEST_F(ApiTest, AViewerCannotWrite) {
  const std::string as = Assessment(org_a1_, assessment_a_);
  const std::vector<std::tuple<std::string, std::string, std::string>> writes = {
      {"POST", "/v1/organizations", R"({"displayName":"x"})"},
      {"PATCH", "/v1/organizations/" + org_a1_, R"({"displayName":"x"})"},
      {"DELETE", "/v1/organizations/" + org_a1_, ""},
      {"POST", Assessments(org_a1_),
       R"({"catalogueId":"isogj-soc-csirt","title":"x","assessedOn":"2026-01-01"})"},
      {"PUT", as + "/answers/A-1", R"({"inSource":1})"},
      {"POST", as + "/answers:batchUpdate", R"({"answers":[{"roleCode":"A-1","inSource":1}]})"},
      {"POST", as + ":submit", ""},
      {"POST", as + ":approve", ""},
      {"POST", as + ":reopen", ""},
      {"DELETE", as, ""},
      {"POST", "/v1/tenants/" + tenant_a_ + "/apiKeys", R"({"role":"admin"})"},
      {"GET", "/v1/tenants", ""},
      {"POST", "/v1/tenants", R"({"displayName":"x"})"},
  };
  for (const auto& [method, target, body] : writes) {
    const HttpResult r = Do(method, target, viewer_a_, body);
    EXPECT_EQ(r.status, 403) << method << " " << target << ": " << r.body;
    EXPECT_EQ(Body(r)["error"]["code"], "PERMISSION_DENIED");
  }
  EXPECT_EQ(Do("GET", as, viewer_a_).status, 200);
}

TEST_F(ApiTest, AuthFailuresAre401AndRevokedKeysStopWorking) {
  HttpResult r = Do("GET", "/v1/organizations", "");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.headers["www-authenticate"], "Bearer");
  EXPECT_EQ(Do("GET", "/v1/organizations", "socm_not_a_key").status, 401);
  EXPECT_EQ(HttpRequest(suite_->http_port(), "GET", "/v1/organizations", "",
                        {{"Authorization", "Basic eDp5"}})
                .status,
            401);
  const json key = Created(
      Do("POST", "/v1/tenants/" + tenant_a_ + "/apiKeys", admin_a_, R"({"role":"viewer"})"));
  const std::string secret = key["key"];
  EXPECT_EQ(Do("GET", "/v1/organizations", secret).status, 200);
  ASSERT_EQ(Do("DELETE", "/v1/tenants/" + tenant_a_ + "/apiKeys/" + key["id"].get<std::string>(),
               admin_a_)
                .status,
            204);
  // The gateway remembers a verified key for --key-cache-ms (200 ms here).
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(Do("GET", "/v1/organizations", secret).status, 401);
  // Tenant routes are the operator's; the operator has no tenant routes.
  EXPECT_EQ(Do("GET", "/v1/tenants", admin_a_).status, 403);
  EXPECT_EQ(Do("GET", "/v1/organizations", op_).status, 403);
}

TEST_F(ApiTest, StaleEtagIs409AndChangesNothing) {
  const std::string as = Assessment(org_a1_, assessment_a_);
  const HttpResult current = Do("GET", as, assessor_a_);
  const std::string etag = current.headers.at("etag");
  ASSERT_EQ(
      Do("PUT", as + "/answers/B-1", assessor_a_, R"({"inSource":2})", {{"If-Match", etag}}).status,
      200);
  const HttpResult stale =
      Do("PUT", as + "/answers/B-1", assessor_a_, R"({"inSource":5})", {{"If-Match", etag}});
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(Body(stale)["error"]["code"], "ABORTED");
  const json now = Body(Do("GET", as, assessor_a_));
  for (const auto& a : now["answers"]) {
    if (a["roleCode"] == "B-1") {
      EXPECT_EQ(a["inSource"], 2);
    }
  }
  EXPECT_EQ(Do("POST", as + ":submit", assessor_a_, "", {{"If-Match", etag}}).status, 409);
}

// api.md: If-Match takes the ETag header's value, the etag field as it is, or that value in
// one more pair of quotes (the `If-Match: "<etag>"` form), and the weak W/ forms alike.
TEST_F(ApiTest, IfMatchTakesTheEtagInEveryFormTheContractNames) {
  const std::string as = Assessment(org_a1_, assessment_a_);
  const std::vector<std::function<std::string(const std::string&)>> forms = {
      [](const std::string& e) { return e; }, [](const std::string& e) { return "\"" + e + "\""; },
      [](const std::string& e) { return "W/" + e; },
      [](const std::string& e) { return "W/\"" + e + "\""; }};
  int level = 0;
  for (const auto& form : forms) {
    const HttpResult current = Do("GET", as, assessor_a_);
    const std::string field = Body(current)["etag"];
    EXPECT_EQ(current.headers.at("etag"), field);
    const std::string body = json{{"inSource", ++level}}.dump();
    const HttpResult put =
        Do("PUT", as + "/answers/C-1", assessor_a_, body, {{"If-Match", form(field)}});
    EXPECT_EQ(put.status, 200) << form(field) << " " << put.body;
    // The same etag again is stale in that form too, and changes nothing.
    const HttpResult stale = Do("PUT", as + "/answers/C-1", assessor_a_, R"({"inSource":0})",
                                {{"If-Match", form(field)}});
    EXPECT_EQ(stale.status, 409) << form(field);
  }
  const json now = Body(Do("GET", as, assessor_a_));
  for (const auto& a : now["answers"]) {
    if (a["roleCode"] == "C-1") {
      EXPECT_EQ(a["inSource"], level);
    }
  }
}

// The gateway and scoring keep the last score they sent and ask whether its revision is
// still current: a read right after a write must see the write, and a cached score must
// never reach another tenant, organisation or pinned key.
TEST_F(ApiTest, ACachedScoreFollowsEveryWriteAndStaysWithItsOwner) {
  const std::string as =
      Assessment(org_a1_, Created(Do("POST", Assessments(org_a1_), assessor_a_,
                                     R"({"catalogueId":"isogj-soc-csirt","title":"cache",)"
                                     R"("assessedOn":"2026-10-01"})"))["id"]);
  const std::string score_path = as + "/score?lang=en";
  auto hits = [] {
    return Metric(HttpRequest(suite_->metrics_port("gateway"), "GET", "/metrics").body,
                  "cache_requests_total", {{"cache", "score_json"}, {"result", "hit"}});
  };
  auto function_a = [&](const std::string& key) {
    const HttpResult r = Do("GET", score_path, key);
    EXPECT_EQ(r.status, 200) << r.body;
    const json s = Body(r);
    return std::make_pair(s["revision"].get<int>(), s["functions"][0].value("score", 0.0));
  };
  const double hits_before = hits();
  int last_revision = 0;
  for (int level = 0; level <= 5; ++level) {
    ASSERT_EQ(
        Do("PUT", as + "/answers/A-1", assessor_a_, absl::StrCat(R"({"inSource":)", level, "}"))
            .status,
        200);
    // Twice: the second answer comes from the caches, and both must show the write.
    for (int read = 0; read < 2; ++read) {
      const auto [revision, score] = function_a(assessor_a_);
      EXPECT_EQ(score, level) << "read " << read << " after writing " << level;
      EXPECT_GT(revision, last_revision);
      if (read == 1) last_revision = revision;
    }
  }
  EXPECT_GE(hits() - hits_before, 6);
  // Japanese is its own entry.
  const json ja = Body(Do("GET", as + "/score?lang=ja", assessor_a_));
  EXPECT_EQ(ja["functions"][0]["name"], "セキュリティ対応組織運営");
  EXPECT_EQ(function_a(pinned_a1_).second, 5);
  // The same assessment under another path, tenant or pinned key: nothing.
  const std::string elsewhere =
      Assessment(org_a2_, as.substr(as.rfind('/') + 1)) + "/score?lang=en";
  EXPECT_EQ(Do("GET", elsewhere, assessor_a_).status, 404);
  EXPECT_EQ(Do("GET", elsewhere, pinned_a1_).status, 404);
  EXPECT_EQ(Do("GET", score_path, admin_b_).status, 404);
  // Deleted: the cached score goes with it.
  ASSERT_EQ(Do("DELETE", as, admin_a_).status, 204);
  EXPECT_EQ(Do("GET", score_path, assessor_a_).status, 404);
}

// Reports are cached per assessment revision, and the reporting service asks for the
// document only when the revision it last saw is no longer current. A report must follow
// every write, and the organisation's name, which a rename changes without a new revision.
TEST_F(ApiTest, AReportFollowsEveryWriteAndARenameOfItsOrganization) {
  const std::string org =
      Created(Do("POST", "/v1/organizations", admin_a_, R"({"displayName":"Old Name Ltd"})"))["id"];
  const std::string as =
      Assessment(org, Created(Do("POST", Assessments(org), admin_a_,
                                 R"({"catalogueId":"isogj-soc-csirt","title":"names",)"
                                 R"("assessedOn":"2026-10-01"})"))["id"]);
  const std::string report = as + "/report?format=html&lang=en";
  for (int i = 0; i < 2; ++i) {  // the second one comes from the cache
    const HttpResult r = Do("GET", report, admin_a_);
    ASSERT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("Old Name Ltd"), std::string::npos);
  }
  ASSERT_EQ(
      Do("PATCH", "/v1/organizations/" + org, admin_a_, R"({"displayName":"New Name Ltd"})").status,
      200);
  const HttpResult renamed = Do("GET", report, admin_a_);
  ASSERT_EQ(renamed.status, 200);
  EXPECT_NE(renamed.body.find("New Name Ltd"), std::string::npos);
  EXPECT_EQ(renamed.body.find("Old Name Ltd"), std::string::npos);
  for (int i = 0; i < 3; ++i) {
    const std::string note = absl::StrCat("note-marker-", i);
    ASSERT_EQ(Do("PUT", as + "/answers/B-2", admin_a_,
                 absl::StrCat(R"({"inSource":2,"note":")", note, "\"}"))
                  .status,
              200);
    for (int read = 0; read < 2; ++read) {
      const HttpResult r = Do("GET", report, admin_a_);
      ASSERT_EQ(r.status, 200);
      EXPECT_NE(r.body.find(note), std::string::npos) << "read " << read << " after " << note;
    }
  }
}

TEST_F(ApiTest, IdempotencyKeyReplaysTheFirstCreate) {
  const std::map<std::string, std::string> key = {{"Idempotency-Key", "create-org-42"}};
  const HttpResult first =
      Do("POST", "/v1/organizations", admin_a_, R"({"displayName":"Once"})", key);
  const HttpResult again =
      Do("POST", "/v1/organizations", admin_a_, R"({"displayName":"Once"})", key);
  ASSERT_EQ(first.status, 201);
  ASSERT_EQ(again.status, 201);
  EXPECT_EQ(Body(first)["id"], Body(again)["id"]);
  const HttpResult other =
      Do("POST", "/v1/organizations", admin_a_, R"({"displayName":"Twice"})", key);
  EXPECT_EQ(other.status, 409);
  EXPECT_EQ(Body(other)["error"]["code"], "ALREADY_EXISTS");
}

TEST_F(ApiTest, AnApiKeyIsNeverReplayedBecauseItsSecretIsNotKept) {
  const std::map<std::string, std::string> once = {{"Idempotency-Key", "key-once"}};
  const std::string path = "/v1/tenants/" + tenant_a_ + "/apiKeys";
  const HttpResult first = Do("POST", path, admin_a_, R"({"role":"viewer"})", once);
  ASSERT_EQ(first.status, 201);
  EXPECT_EQ(Do("GET", "/v1/organizations", Body(first)["key"]).status, 200);
  const size_t keys = Body(Do("GET", path + "?pageSize=500", admin_a_))["apiKeys"].size();
  const HttpResult again = Do("POST", path, admin_a_, R"({"role":"viewer"})", once);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(Body(again)["error"]["code"], "ALREADY_EXISTS");
  EXPECT_FALSE(Body(again).contains("key")) << "no secret that was never stored";
  EXPECT_EQ(Body(Do("GET", path + "?pageSize=500", admin_a_))["apiKeys"].size(), keys);
}

TEST_F(ApiTest, BadInputNamesTheFieldAndLosesNothing) {
  const std::string as = Assessment(org_a1_, assessment_a_);
  const int64_t revision = Body(Do("GET", as, assessor_a_))["revision"];
  HttpResult r = Do("POST", as + "/answers:batchUpdate", assessor_a_,
                    R"({"answers":[{"roleCode":"A-1","inSource":1},{"roleCode":"A-2","inSource":2},
                                   {"roleCode":"A-3","inSource":3},{"roleCode":"A-4","inSource":9}]})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Body(r)["error"]["message"], "answers[3].inSource: must be 0..5");
  EXPECT_EQ(Body(r)["error"]["details"][0]["field"], "answers[3].inSource");
  EXPECT_EQ(Body(Do("GET", as, assessor_a_))["revision"], revision);  // all or nothing

  r = Do("PUT", as + "/answers/Z-1", assessor_a_, R"({"inSource":1})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Body(r)["error"]["details"][0]["field"], "roleCode");
  r = Do("PUT", as + "/answers/A-1", assessor_a_, R"({"inSource":-1})");
  EXPECT_EQ(Body(r)["error"]["details"][0]["field"], "inSource");
  r = Do("PUT", as + "/answers/A-1", assessor_a_, R"({"inSource":1,"colour":"red"})");
  EXPECT_EQ(r.status, 400);
  r = Do("PUT", as + "/answers/A-1", assessor_a_, json{{"note", std::string(4001, 'n')}}.dump());
  EXPECT_EQ(Body(r)["error"]["details"][0]["field"], "note");
  r = Do("PUT", as + "/answers/A-1", assessor_a_, R"({"inSource":99999999999})");
  EXPECT_EQ(r.status, 400);
  r = Do("POST", "/v1/organizations", admin_a_,
         json{{"displayName", std::string(201, 'x')}}.dump());
  EXPECT_EQ(Body(r)["error"]["details"][0]["field"], "displayName");
  r = Do("POST", Assessments(org_a1_), assessor_a_,
         R"({"catalogueId":"nope","title":"x","assessedOn":"2026-13-01"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Body(r)["error"]["details"][0]["field"], "assessedOn");
  r = Do("POST", Assessments(org_a1_), assessor_a_,
         R"({"catalogueId":"nope","title":"x","assessedOn":"2026-12-01"})");
  EXPECT_EQ(Body(r)["error"]["details"][0]["field"], "catalogueId");
  r = Do(
      "POST", Assessments(org_a1_), assessor_a_,
      R"({"catalogueId":"isogj-soc-csirt","title":"x","assessedOn":"2026-12-01","functionTargets":{"Q":3}})");
  EXPECT_EQ(Body(r)["error"]["details"][0]["field"], "functionTargets.Q");
  r = Do("POST", "/v1/tenants/" + tenant_a_ + "/apiKeys", admin_a_, R"({"role":"superuser"})");
  EXPECT_EQ(Body(r)["error"]["details"][0]["field"], "role");
  r = Do("POST", "/v1/organizations", admin_a_, "{not json");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Body(Do("GET", as, assessor_a_))["revision"], revision);
}

TEST_F(ApiTest, PatchChangesOnlyTheNamedFields) {
  const std::string org =
      Created(Do("POST", "/v1/organizations", admin_a_,
                 R"({"displayName":"Before","industry":"energy","employeeCount":10})"))["id"];
  const HttpResult r =
      Do("PATCH", "/v1/organizations/" + org, admin_a_, R"({"displayName":"After"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r)["displayName"], "After");
  EXPECT_EQ(Body(r)["industry"], "energy");
  EXPECT_EQ(Body(r)["employeeCount"], 10);
  EXPECT_EQ(Do("PATCH", "/v1/organizations/" + org, admin_a_, R"({"id":"x"})").status, 400);
  EXPECT_EQ(Do("DELETE", "/v1/organizations/" + org, admin_a_).status, 204);
  EXPECT_EQ(Do("GET", "/v1/organizations/" + org, admin_a_).status, 404);
}

TEST_F(ApiTest, ATenantPublishesItsOwnCatalogueOnlyItSees) {
  json doc = Body(Do("GET", "/v1/catalogues/isogj-soc-csirt", admin_a_));
  doc.erase("builtin");
  doc.erase("language");
  doc["id"] = "acme-soc";
  doc["version"] = "1.0";
  doc["functions"][0]["roles"].push_back(
      {{"code", "A-7"}, {"name", {{"ja", "追加の役割"}, {"en", "An extra role"}}}});
  const HttpResult published = Do("POST", "/v1/catalogues", admin_a_, doc.dump());
  ASSERT_EQ(published.status, 201) << published.body;
  EXPECT_FALSE(Body(published).value("builtin", false));
  // Immutable once published; a built-in id cannot be taken.
  EXPECT_EQ(Do("POST", "/v1/catalogues", admin_a_, doc.dump()).status, 409);
  json builtin_id = doc;
  builtin_id["id"] = "isogj-soc-csirt";
  EXPECT_EQ(Do("POST", "/v1/catalogues", admin_a_, builtin_id.dump()).status, 409);
  // Invalid documents name the field.
  json broken = doc;
  broken["version"] = "1.1";
  broken["functions"][1]["roles"][0]["code"] = "A-1";
  const HttpResult invalid = Do("POST", "/v1/catalogues", admin_a_, broken.dump());
  EXPECT_EQ(invalid.status, 400);
  EXPECT_EQ(Body(invalid)["error"]["details"][0]["field"], "functions[1].roles[0].code");
  EXPECT_EQ(Do("POST", "/v1/catalogues", assessor_a_, doc.dump()).status, 403);

  // Tenant A sees it and can assess against it; tenant B cannot see it at all.
  const json list = Body(Do("GET", "/v1/catalogues", viewer_a_));
  ASSERT_EQ(list["catalogues"].size(), 3u);  // ISOG-J, SIM3 and its own
  EXPECT_EQ(Do("GET", "/v1/catalogues/acme-soc?lang=en", viewer_a_).status, 200);
  EXPECT_EQ(Do("GET", "/v1/catalogues/acme-soc", admin_b_).status, 404);
  EXPECT_EQ(Body(Do("GET", "/v1/catalogues", admin_b_))["catalogues"].size(), 2u);
  const json a =
      Created(Do("POST", Assessments(org_a1_), assessor_a_,
                 R"({"catalogueId":"acme-soc","title":"custom","assessedOn":"2026-11-02"})"));
  EXPECT_EQ(a["catalogueVersion"], "1.0");
  EXPECT_EQ(
      Do("PUT", Assessment(org_a1_, a["id"]) + "/answers/A-7", assessor_a_, R"({"inSource":2})")
          .status,
      200);
  EXPECT_EQ(Do("PUT", Assessment(org_a1_, assessment_a_) + "/answers/A-7", assessor_a_,
               R"({"inSource":2})")
                .status,
            400);

  // The publication reaches tenant A's audit log (the catalogue service keeps the record until
  // the assessment service has it), once, naming the key and the client; the refused attempts
  // leave nothing; tenant B's log never shows it; the chain takes it in.
  std::string admin_key_id;
  const json keys =
      Body(Do("GET", "/v1/tenants/" + tenant_a_ + "/apiKeys?pageSize=500", op_))["apiKeys"];
  for (const auto& k : keys)
    if (k.value("description", "") == "A's admin") admin_key_id = k.value("id", "");
  ASSERT_FALSE(admin_key_id.empty());
  std::vector<json> published_entries;
  for (int tries = 0; tries < 100 && published_entries.empty(); ++tries) {
    if (tries > 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const json log = Body(Do("GET", "/v1/auditLog?pageSize=500", admin_a_));
    for (const auto& e : log["entries"])
      if (e["action"] == "catalogue.publish") published_entries.push_back(e);
  }
  ASSERT_EQ(published_entries.size(), 1u) << "one publication, three refused";
  const json& entry = published_entries[0];
  EXPECT_EQ(entry["target"], "catalogues/acme-soc/versions/1.0");
  EXPECT_EQ(entry["actor"], admin_key_id);
  EXPECT_FALSE(entry.value("clientAddress", "").empty());
  EXPECT_EQ(entry.value("organizationId", ""), "");
  const json what = json::parse(entry["afterJson"].get<std::string>());
  EXPECT_EQ(what["id"], "acme-soc");
  EXPECT_EQ(what["documentSha256"].get<std::string>().size(), 64u);
  const json theirs = Body(Do("GET", "/v1/auditLog?pageSize=500", admin_b_));
  for (const auto& e : theirs["entries"]) EXPECT_NE(e["action"], "catalogue.publish");
  const json verdict = Body(Do("GET", "/v1/auditLog:verify", admin_a_));
  EXPECT_EQ(verdict["intact"], true) << verdict.dump();
  bool sealed = false;
  const std::vector<std::string> lines = absl::StrSplit(
      Do("GET", "/v1/auditLog?format=jsonl&pageSize=1000", admin_a_).body, '\n', absl::SkipEmpty());
  for (const std::string& line : lines) {
    const json e = json::parse(line);
    sealed = sealed || (e["action"] == "catalogue.publish" && e.contains("chainLink"));
  }
  EXPECT_TRUE(sealed) << "the publication is in the chain";

  // The gateway keeps each version's JSON it sent; the latest is the catalogue service's to say
  // on every request: a new version shows at once, to the tenant alone, and older versions
  // still answer as they were.
  const HttpResult first = Do("GET", "/v1/catalogues/acme-soc?lang=en", viewer_a_);
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(Do("GET", "/v1/catalogues/acme-soc?lang=en", viewer_a_).body, first.body);
  EXPECT_EQ(Body(first)["version"], "1.0");
  json next = doc;
  next["version"] = "1.1";
  next["functions"][0]["roles"].push_back(
      {{"code", "A-8"}, {"name", {{"ja", "もう一つ"}, {"en", "One more role"}}}});
  ASSERT_EQ(Do("POST", "/v1/catalogues", admin_a_, next.dump()).status, 201);
  const json latest = Body(Do("GET", "/v1/catalogues/acme-soc?lang=en", viewer_a_));
  EXPECT_EQ(latest["version"], "1.1");
  EXPECT_EQ(latest["functions"][0]["roles"].size(),
            Body(first)["functions"][0]["roles"].size() + 1);
  EXPECT_EQ(Do("GET", "/v1/catalogues/acme-soc?lang=en&version=1.0", viewer_a_).body, first.body);
  EXPECT_EQ(Do("GET", "/v1/catalogues/acme-soc?lang=en", admin_b_).status, 404);
}

TEST_F(ApiTest, ScoreReportsTrendAndBenchmark) {
  // A tenant of its own, so that the benchmark counts only these organisations.
  const std::string tenant =
      Created(Do("POST", "/v1/tenants", op_, R"({"displayName":"Results"})"))["id"];
  const std::string admin = NewKey(op_, tenant, R"({"role":"admin"})");
  const json catalogue = Body(Do("GET", "/v1/catalogues/isogj-soc-csirt", admin));
  const std::map<std::string, int> seed = {{"A", 4}, {"B", 3}, {"C", 2}, {"D", 4}, {"E", 2},
                                           {"F", 3}, {"G", 3}, {"H", 3}, {"I", 2}};
  auto answer_all = [&](const std::string& org, const std::string& id, int shift) {
    json batch = {{"answers", json::array()}};
    for (const auto& f : catalogue["functions"]) {
      for (const auto& r : f["roles"]) {
        const int level = std::min(5, seed.at(f["code"].get<std::string>()) + shift);
        batch["answers"].push_back({{"roleCode", r["code"]}, {"inSource", level}});
      }
    }
    const HttpResult r =
        Do("POST", Assessment(org, id) + "/answers:batchUpdate", admin, batch.dump());
    EXPECT_EQ(r.status, 200) << r.body;
  };
  auto new_assessment = [&](const std::string& org, const std::string& date) -> std::string {
    return Created(Do("POST", Assessments(org), admin,
                      json{{"catalogueId", "isogj-soc-csirt"},
                           {"title", "FY " + date},
                           {"assessedOn", date},
                           {"functionTargets", {{"C", 4}}}}
                          .dump()))["id"];
  };
  const std::string org =
      Created(Do("POST", "/v1/organizations", admin,
                 R"({"displayName":"Customer <Results> & Co","industry":"finance"})"))["id"];
  const std::string id = new_assessment(org, "2026-04-01");
  answer_all(org, id, 0);

  // The seed's worked example.
  const HttpResult score = Do("GET", Assessment(org, id) + "/score?lang=en", admin);
  ASSERT_EQ(score.status, 200) << score.body;
  const json s = Body(score);
  EXPECT_EQ(s["strengths"], json::array({"A", "D"}));
  EXPECT_EQ(s["weaknesses"], json::array({"C", "E"}));
  EXPECT_EQ(s["functions"][2]["level"], 2);
  EXPECT_EQ(s["functions"][2]["target"], 4.0);
  EXPECT_EQ(s["functions"][2]["gap"], 2.0);
  EXPECT_EQ(s["functions"][0]["name"], "SOC/CSIRT management");
  EXPECT_EQ(s["completeness"]["answered"], 54);
  EXPECT_EQ(s["policy"], "COUNT_DECIDED_NOT_TO_AS_ZERO");
  EXPECT_EQ(Do("GET", Assessment(org, id) + "/score?lang=de", admin).status, 400);

  // Every report format, with its type and a safe download name.
  const std::map<std::string, std::pair<std::string, std::string>> formats = {
      {"html", {"text/html; charset=utf-8", "<"}},
      {"pdf", {"application/pdf", "%PDF"}},
      {"json", {"application/json; charset=utf-8", "{"}},
      {"csv", {"text/csv; charset=utf-8", "\xEF\xBB\xBF"}},
      {"xlsx", {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK"}}};
  for (const auto& [format, expected] : formats) {
    HttpResult r = Do("GET", Assessment(org, id) + "/report?format=" + format + "&lang=en", admin);
    ASSERT_EQ(r.status, 200) << format << ": " << r.body.substr(0, 300);
    EXPECT_EQ(r.headers["content-type"], expected.first) << format;
    EXPECT_EQ(r.body.rfind(expected.second, 0), 0u) << format;
    const std::string disposition = r.headers["content-disposition"];
    EXPECT_EQ(disposition.rfind("attachment; filename=\"", 0), 0u) << disposition;
    EXPECT_NE(disposition.find("." + format + "\""), std::string::npos) << disposition;
    EXPECT_EQ(disposition.find_first_of("<>&\r\n/"), std::string::npos) << disposition;
  }
  const HttpResult html = Do("GET", Assessment(org, id) + "/report?format=html&lang=en", admin);
  EXPECT_NE(html.body.find("Deep analysis"), std::string::npos);
  EXPECT_EQ(html.body.find("<Results>"), std::string::npos);  // escaped
  const HttpResult csv = Do("GET", Assessment(org, id) + "/report?format=csv", admin);
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 55);
  EXPECT_EQ(Do("GET", Assessment(org, id) + "/report?format=doc", admin).status, 400);
  HttpResult radar = Do("GET", Assessment(org, id) + "/radar.svg?lang=ja", admin);
  ASSERT_EQ(radar.status, 200);
  EXPECT_EQ(radar.headers["content-type"], "image/svg+xml; charset=utf-8");
  EXPECT_EQ(radar.headers.count("content-disposition"), 0u);
  EXPECT_NE(radar.body.find("<svg"), std::string::npos);
  // Another tenant gets nothing.
  EXPECT_EQ(Do("GET", Assessment(org, id) + "/score", admin_b_).status, 404);
  EXPECT_EQ(Do("GET", Assessment(org, id) + "/report?format=pdf", admin_b_).status, 404);
  EXPECT_EQ(Do("GET", Assessment(org, id) + "/radar.svg", admin_b_).status, 404);
  EXPECT_EQ(Do("GET", "/v1/organizations/" + org + "/trend", admin_b_).status, 404);

  // A trend over three assessments, oldest first, with deltas.
  const std::string second = new_assessment(org, "2027-04-01");
  answer_all(org, second, 1);
  const std::string third = new_assessment(org, "2028-04-01");
  answer_all(org, third, 2);
  const HttpResult trend =
      Do("GET", "/v1/organizations/" + org + "/trend?catalogueId=isogj-soc-csirt", admin);
  ASSERT_EQ(trend.status, 200) << trend.body;
  const json points = Body(trend)["points"];
  ASSERT_EQ(points.size(), 3u);
  EXPECT_EQ(points[0]["assessedOn"], "2026-04-01");
  EXPECT_EQ(points[1]["functionDeltas"]["C"], 1.0);
  EXPECT_EQ(points[2]["functionDeltas"]["C"], 1.0);
  EXPECT_EQ(points[2]["functionDeltas"]["A"], 0.0);  // 5 already: the ladder tops out
  // The peer benchmark: refused below five organisations with an approved assessment.
  const std::string approver = NewKey(op_, tenant, R"({"role":"admin"})");
  auto approve = [&](const std::string& o, const std::string& a) {
    ASSERT_EQ(Do("POST", Assessment(o, a) + ":submit", admin).status, 200);
    ASSERT_EQ(Do("POST", Assessment(o, a) + ":approve", approver).status, 200);
  };
  approve(org, id);
  for (int i = 0; i < 3; ++i) {
    const std::string o = Created(Do(
        "POST", "/v1/organizations", admin,
        json{{"displayName", "Peer " + std::to_string(i)}, {"industry", "finance"}}.dump()))["id"];
    const std::string a = new_assessment(o, "2026-05-01");
    answer_all(o, a, i - 1);
    approve(o, a);
  }
  HttpResult bench = Do("GET", "/v1/benchmark?catalogueId=isogj-soc-csirt", admin);
  EXPECT_EQ(bench.status, 412) << bench.body;
  EXPECT_EQ(Body(bench)["error"]["code"], "FAILED_PRECONDITION");
  const std::string o5 = Created(Do("POST", "/v1/organizations", admin,
                                    R"({"displayName":"Peer 5","industry":"energy"})"))["id"];
  const std::string a5 = new_assessment(o5, "2026-06-01");
  answer_all(o5, a5, 0);
  approve(o5, a5);
  bench = Do("GET", "/v1/benchmark?catalogueId=isogj-soc-csirt", admin);
  ASSERT_EQ(bench.status, 200) << bench.body;
  EXPECT_EQ(Body(bench)["organizationCount"], 5);
  EXPECT_EQ(Body(bench)["functions"][0]["code"], "A");
  EXPECT_EQ(Body(bench)["functions"][0]["count"], 5);
  EXPECT_EQ(Body(bench)["functions"][0]["median"], 4.0);
  // Each approval kept its function scores; the benchmark read those. Rows approved before
  // scores were kept (emptied here) give the same benchmark, and are kept by that read. (Such
  // rows come from an upgrade, after which no process holds a benchmark: moving the approved
  // generation here is that.)
  auto database = db::Database::Open(suite_->database_url(), {});
  ASSERT_TRUE(database.ok()) << database.status();
  auto kept = [&]() {
    int64_t n = -1;
    EXPECT_TRUE((*database)
                    ->Run([&](db::Connection& c) -> absl::Status {
                      auto rows = c.Query(
                          "SELECT COUNT(*) FROM assessments a JOIN approved_scores k ON "
                          "k.tenant_id=a.tenant_id AND k.assessment_id=a.id AND "
                          "k.revision=a.revision WHERE a.tenant_id=$1 AND a.status='APPROVED'",
                          {tenant});
                      if (!rows.ok()) return rows.status();
                      n = rows->front().Int(0);
                      return absl::OkStatus();
                    })
                    .ok());
    return n;
  };
  EXPECT_EQ(kept(), 5);
  ASSERT_TRUE(
      (*database)
          ->Run([&](db::Connection& c) -> absl::Status {
            SOCM_STATUS_RETURN(
                c.Exec("DELETE FROM approved_scores WHERE tenant_id=$1", {tenant}).status());
            return c
                .Exec("UPDATE approved_generations SET generation=generation+1 WHERE tenant_id=$1",
                      {tenant})
                .status();
          })
          .ok());
  EXPECT_EQ(kept(), 0);
  const HttpResult again = Do("GET", "/v1/benchmark?catalogueId=isogj-soc-csirt", admin);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Body(again), Body(bench));
  EXPECT_EQ(kept(), 5);
  EXPECT_EQ(Do("GET", "/v1/benchmark?catalogueId=isogj-soc-csirt&industry=finance", admin).status,
            412);
  const std::string pinned =
      NewKey(admin, tenant, json{{"role", "viewer"}, {"organizationId", org}}.dump());
  // A pinned key's benchmark is over its scope: one organisation, below the minimum.
  const HttpResult one = Do("GET", "/v1/benchmark?catalogueId=isogj-soc-csirt", pinned);
  EXPECT_EQ(one.status, 412) << one.body;
  EXPECT_NE(one.body.find("there are 1"), std::string::npos) << one.body;
}

TEST(RateLimitTest, AKeyOverItsRateGets429WithRetryAfter) {
  if (Engine() != "sqlite") GTEST_SKIP() << "the limiter lives in Redis; one engine is enough";
  Suite suite;
  SuiteOptions options;
  options.rate_limit_per_second = 2;
  ASSERT_TRUE(suite.Start(options));
  const std::map<std::string, std::string> op = {
      {"Authorization", std::string("Bearer ") + kOperatorToken}};
  const int port = suite.http_port();
  const json tenant =
      json::parse(HttpRequest(port, "POST", "/v1/tenants", R"({"displayName":"R"})", op).body);
  const json key = json::parse(
      HttpRequest(port, "POST", "/v1/tenants/" + tenant["id"].get<std::string>() + "/apiKeys",
                  R"({"role":"viewer"})", op)
          .body);
  const std::map<std::string, std::string> auth = {
      {"Authorization", "Bearer " + key["key"].get<std::string>()}};
  int limited = 0;
  std::string retry_after;
  for (int i = 0; i < 6; ++i) {
    const HttpResult r = HttpRequest(port, "GET", "/v1/organizations", "", auth);
    if (r.status == 429) {
      ++limited;
      retry_after = r.headers.count("retry-after") ? r.headers.at("retry-after") : "";
      EXPECT_EQ(json::parse(r.body)["error"]["code"], "RESOURCE_EXHAUSTED");
    }
  }
  EXPECT_GE(limited, 3);
  EXPECT_EQ(retry_after, "1");
  // The operator is not rate limited.
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(HttpRequest(port, "GET", "/v1/tenants", "", op).status, 200);
}

// The tenant's whole audit log: tenant-level events (a key made, a campaign) beside each
// organisation's, and an organisation's trail after the organisation is gone. Only a
// tenant-wide admin reads it; another tenant sees none of it.
TEST_F(ApiTest, TheTenantsAuditLogKeepsTenantEventsAndDeletedOrganisationsTrails) {
  const std::string org = Created(
      Do("POST", "/v1/organizations", admin_a_, R"({"displayName":"Leaving customer"})"))["id"];
  ASSERT_EQ(Do("POST", Assessments(org), admin_a_,
               R"({"catalogueId":"isogj-soc-csirt","title":"t","assessedOn":"2026-02-01"})")
                .status,
            201);
  ASSERT_EQ(Do("DELETE", "/v1/organizations/" + org + "?force=true", admin_a_).status, 204);
  EXPECT_EQ(Do("GET", "/v1/organizations/" + org + "/auditLog", admin_a_).status, 404);

  const json trail = Body(Do("GET", "/v1/auditLog?organizationId=" + org, admin_a_));
  std::vector<std::string> actions;
  for (const auto& e : trail["entries"]) actions.push_back(e["action"]);
  EXPECT_EQ(actions, (std::vector<std::string>{"organization.delete", "assessment.create",
                                               "organization.create"}))
      << trail.dump();

  bool key_event = false;
  std::string next;
  int pages = 0;
  do {
    const json page = Body(Do(
        "GET", "/v1/auditLog?pageSize=50" + (next.empty() ? "" : "&pageToken=" + next), admin_a_));
    for (const auto& e : page["entries"]) {
      key_event =
          key_event || (e["action"] == "apiKey.create" && e.value("organizationId", "") == "");
    }
    next = page.value("nextPageToken", "");
  } while (!next.empty() && ++pages < 20);
  EXPECT_TRUE(key_event) << "tenant-level events are listed";

  EXPECT_EQ(Do("GET", "/v1/auditLog", pinned_a1_).status, 403);
  EXPECT_EQ(Do("GET", "/v1/auditLog", assessor_a_).status, 403);
  const json other = Body(Do("GET", "/v1/auditLog?organizationId=" + org, admin_b_));
  EXPECT_EQ(other.value("entries", json::array()).size(), 0u) << "another tenant sees nothing";
}

// The audit chain through the API, on a tenant of its own: verified intact with signed seals,
// exported as JSON Lines part by part following the Link header, only to a tenant-wide admin;
// then a row edited directly in the database is named by the check.
TEST_F(ApiTest, TheAuditChainVerifiesExportsAndNamesARowEditedInTheDatabase) {
  const std::string tenant =
      Created(Do("POST", "/v1/tenants", op_, R"({"displayName":"Chained MSSP"})"))["id"];
  const std::string admin = NewKey(op_, tenant, R"({"role":"admin"})");
  const std::string org = Created(
      Do("POST", "/v1/organizations", admin, R"({"displayName":"Chained customer"})"))["id"];
  const json created = Created(Do("POST", Assessments(org), admin,
                                  R"({"catalogueId":"isogj-soc-csirt","title":"FY2026",)"
                                  R"("assessedOn":"2026-11-01"})"));
  ASSERT_EQ(Do("PUT", Assessment(org, created["id"].get<std::string>()) + "/answers/A-1", admin,
               R"({"inSource":3,"outSource":0})")
                .status,
            200);

  HttpResult r = Do("GET", "/v1/auditLog:verify", admin);
  ASSERT_EQ(r.status, 200) << r.body;
  json verdict = Body(r);
  EXPECT_EQ(verdict["intact"], true) << r.body;
  EXPECT_TRUE(verdict["sealsSigned"]);
  EXPECT_EQ(verdict["head"]["keyId"].get<std::string>().size(), 16u);
  const int entries = std::stoi(verdict["entriesChecked"].get<std::string>());
  EXPECT_GE(entries, 4);
  EXPECT_EQ(verdict["head"]["sequence"], std::to_string(entries));
  EXPECT_FALSE(verdict.contains("firstBreak"));

  // The export, two lines at a time.
  std::vector<json> lines;
  std::string target = "/v1/auditLog?format=jsonl&pageSize=2";
  for (int parts = 0; !target.empty() && parts < 20; ++parts) {
    r = Do("GET", target, admin);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.headers["content-type"], "application/x-ndjson");
    EXPECT_EQ(r.headers["cache-control"], "no-store");
    size_t start = 0;
    for (size_t end; (end = r.body.find('\n', start)) != std::string::npos; start = end + 1) {
      lines.push_back(json::parse(r.body.substr(start, end - start)));
    }
    EXPECT_EQ(r.headers["audit-last-sequence"], std::to_string(lines.size()));
    target.clear();
    const std::string link = r.headers.count("link") ? r.headers["link"] : "";
    if (!link.empty()) {
      EXPECT_NE(link.find("rel=\"next\""), std::string::npos) << link;
      target = link.substr(1, link.find('>') - 1);
    }
  }
  ASSERT_EQ(static_cast<int>(lines.size()), entries);
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i]["sequence"], std::to_string(i + 1));
    EXPECT_EQ(lines[i]["chainLink"].get<std::string>().size(), 64u);
  }
  EXPECT_EQ(lines.back()["chainLink"], verdict["head"]["link"]);

  // Clear refusals; only a tenant-wide admin; another tenant's chain is its own.
  EXPECT_EQ(Do("GET", "/v1/auditLog?format=jsonl&organizationId=" + org, admin).status, 400);
  EXPECT_EQ(Do("GET", "/v1/auditLog?afterSequence=2", admin).status, 400);
  EXPECT_EQ(Do("GET", "/v1/auditLog?format=xml", admin).status, 400);
  EXPECT_EQ(Do("GET", "/v1/auditLog?format=jsonl&afterSequence=-1", admin).status, 400);
  for (const std::string& key : {pinned_a1_, assessor_a_, viewer_a_}) {
    EXPECT_EQ(Do("GET", "/v1/auditLog:verify", key).status, 403);
    EXPECT_EQ(Do("GET", "/v1/auditLog?format=jsonl", key).status, 403);
  }
  EXPECT_EQ(Do("GET", "/v1/auditLog:verify", "").status, 401);
  r = Do("GET", "/v1/auditLog?format=jsonl", admin_b_);
  EXPECT_EQ(r.body.find("Chained customer"), std::string::npos);

  // Someone with the database changes who saved the answer.
  auto database = db::Database::Open(suite_->database_url(), {});
  ASSERT_TRUE(database.ok()) << database.status();
  const std::string edited = lines[entries - 1]["id"];
  const absl::Status s = (*database)->Run([&](db::Connection& c) -> absl::Status {
    return c
        .Exec(
            "UPDATE audit_log SET doc = REPLACE(doc, '\"actor\":\"', '\"actor\":\"someone-') "
            "WHERE tenant_id=$1 AND id=$2",
            {tenant, edited})
        .status();
  });
  ASSERT_TRUE(s.ok()) << s;
  r = Do("GET", "/v1/auditLog:verify", admin);
  ASSERT_EQ(r.status, 200) << r.body;
  verdict = Body(r);
  EXPECT_EQ(verdict.value("intact", false), false) << r.body;
  EXPECT_EQ(verdict["firstBreak"]["sequence"], std::to_string(entries));
  EXPECT_EQ(verdict["firstBreak"]["entryId"], edited);
  // Tenant A's chain is untouched.
  EXPECT_EQ(Body(Do("GET", "/v1/auditLog:verify", admin_a_))["intact"], true);
}

// The tenant's identity provider over REST: the client secret goes in sealed and never comes
// back, roles travel as short names inside the claim mapping, and only an unpinned admin of
// the tenant reads or changes it; another tenant sees none.
TEST_F(ApiTest, TheIdentityProviderIsTheTenantAdminsAndItsSecretNeverComesBack) {
  EXPECT_EQ(Do("GET", "/v1/identityProvider", admin_a_).status, 404);
  const json settings = {{"issuer", "https://login.example.com/tenant-a"},
                         {"clientId", "soc-maturity"},
                         {"clientSecret", "s3cret-value-of-the-client"},
                         {"scopes", {"email", "profile", "groups"}},
                         {"claimMapping",
                          {{"roleClaim", "groups"},
                           {"roles", {{"soc-admins", "admin"}, {"soc-analysts", "assessor"}}},
                           {"defaultRole", "viewer"},
                           {"organizationClaim", "soc_customers"}}}};
  for (const std::string& key : {viewer_a_, assessor_a_, pinned_a1_}) {
    EXPECT_EQ(Do("PUT", "/v1/identityProvider", key, settings.dump()).status, 403);
  }
  HttpResult r = Do("PUT", "/v1/identityProvider", admin_a_, settings.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.find("s3cret"), std::string::npos) << r.body;
  json got = Body(r);
  EXPECT_EQ(got["clientSecretSet"], true);
  EXPECT_EQ(got.count("clientSecret"), 0u);
  EXPECT_EQ(got["claimMapping"]["roles"]["soc-admins"], "admin");
  EXPECT_EQ(got["claimMapping"]["defaultRole"], "viewer");
  r = Do("GET", "/v1/identityProvider", admin_a_);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body.find("s3cret"), std::string::npos);
  EXPECT_EQ(Body(r)["issuer"], "https://login.example.com/tenant-a");
  EXPECT_EQ(Do("GET", "/v1/identityProvider", viewer_a_).status, 403);
  EXPECT_EQ(Do("GET", "/v1/identityProvider", admin_b_).status, 404) << "another tenant's";

  // Without a new secret the stored one stays; bad fields are named by their path.
  json again = settings;
  again.erase("clientSecret");
  again["scopes"] = {"email"};
  r = Do("PUT", "/v1/identityProvider", admin_a_, again.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r)["clientSecretSet"], true);
  json bad = settings;
  bad["issuer"] = "http://login.example.com";
  bad["claimMapping"]["roles"]["x"] = "superuser";
  r = Do("PUT", "/v1/identityProvider", admin_a_, bad.dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("claimMapping.roles.x"), std::string::npos) << r.body;
  bad["claimMapping"]["roles"].erase("x");
  r = Do("PUT", "/v1/identityProvider", admin_a_, bad.dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("issuer"), std::string::npos) << r.body;
  bad = settings;
  bad["clientSecret"] = std::string(2000, 'x');
  r = Do("PUT", "/v1/identityProvider", admin_a_, bad.dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("clientSecret"), std::string::npos) << r.body;
  // Tenant B may not take A's issuer and client: a bearer token must name one tenant.
  r = Do("PUT", "/v1/identityProvider", admin_b_, settings.dump());
  EXPECT_GE(r.status, 400) << r.body;
  EXPECT_EQ(Do("GET", "/v1/identityProvider", admin_b_).status, 404);

  // People: none has signed in yet; a person of nowhere is 404 to the admin, 403 below.
  r = Do("GET", "/v1/people", admin_a_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Body(r).value("people", json::array()).empty());
  EXPECT_EQ(Do("GET", "/v1/people", viewer_a_).status, 403);
  EXPECT_EQ(
      Do("PATCH", "/v1/people/person_0000000000000000", admin_a_, R"({"role":"viewer"})").status,
      404);
  EXPECT_EQ(
      Do("PATCH", "/v1/people/person_0000000000000000", assessor_a_, R"({"role":"viewer"})").status,
      403);

  EXPECT_EQ(Do("DELETE", "/v1/identityProvider", admin_b_).status, 404);
  EXPECT_EQ(Do("DELETE", "/v1/identityProvider", admin_a_).status, 204);
  EXPECT_EQ(Do("GET", "/v1/identityProvider", admin_a_).status, 404);
}

}  // namespace
}  // namespace socm::testing
