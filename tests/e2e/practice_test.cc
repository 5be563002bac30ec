// The practice across customers end to end, on the engine SOCM_E2E_ENGINE names: the portfolio
// (content, filters, paging, CSV and XLSX), a campaign over three of five organisations by
// label with its progress moving and its Idempotency-Key replay, comments and evidence per role
// (exact bytes, hash, 10 MiB + 1 refused, hostile file names), and every new route's answer to
// another tenant and to a key pinned to another organisation.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "services/common/crypto.h"
#include "tests/integration/suite.h"

namespace socm::testing {
namespace {

using nlohmann::json;

std::string Engine() {
  const char* e = std::getenv("SOCM_E2E_ENGINE");
  return e == nullptr ? "sqlite" : e;
}

std::string UrlEncode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', hex[c >> 4], hex[c & 15]};
    }
  }
  return out;
}

class PracticeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (Engine() == "postgres" && std::getenv("SOCM_TEST_POSTGRES_URL") == nullptr) return;
    suite_ = std::make_unique<Suite>();
    SuiteOptions options;
    options.engine = Engine();
    ASSERT_TRUE(suite_->Start(options));
    tenant_ =
        Created(Do("POST", "/v1/tenants", kOperatorToken, R"({"displayName":"Practice"})"))["id"];
    admin_ = NewKey(kOperatorToken, R"({"role":"admin"})");
    assessor_ = NewKey(admin_, R"({"role":"assessor"})");
    viewer_ = NewKey(admin_, R"({"role":"viewer"})");
    const std::vector<std::tuple<std::string, std::string, std::string>> orgs = {
        {"Aozora Bank", "finance", "gold"},
        {"Kita Power", "energy", "gold"},
        {"Minato Securities", "finance", "gold"},
        {"Sakura Retail", "retail", "silver"},
        {"Tokai Gas", "energy", "silver"}};
    for (const auto& [name, industry, tier] : orgs) {
      orgs_.push_back(Created(
          Do("POST", "/v1/organizations", admin_,
             json{{"displayName", name}, {"industry", industry}, {"labels", {{"tier", tier}}}}
                 .dump()))["id"]);
    }
    const std::string other_tenant =
        Created(Do("POST", "/v1/tenants", kOperatorToken, R"({"displayName":"Other"})"))["id"];
    other_admin_ = Created(Do("POST", "/v1/tenants/" + other_tenant + "/apiKeys", kOperatorToken,
                              R"({"role":"admin"})"))["key"];
    pinned_other_ = NewKey(admin_, json{{"role", "assessor"}, {"organizationId", orgs_[4]}}.dump());
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
  static std::string NewKey(const std::string& token, const std::string& body) {
    return Created(Do("POST", "/v1/tenants/" + tenant_ + "/apiKeys", token, body)).value("key", "");
  }
  static std::string AssessmentPath(const std::string& org, const std::string& id) {
    return "/v1/organizations/" + org + "/assessments/" + id;
  }
  // A fresh draft on ISOG-J for `org`.
  static std::string NewAssessment(const std::string& org, const std::string& date) {
    return Created(
        Do("POST", "/v1/organizations/" + org + "/assessments", assessor_,
           json{{"catalogueId", "isogj-soc-csirt"}, {"title", "FY " + date}, {"assessedOn", date}}
               .dump()))["id"];
  }
  static void AnswerAll(const std::string& org, const std::string& id, int level) {
    const json catalogue = Body(Do("GET", "/v1/catalogues/isogj-soc-csirt", viewer_));
    json answers = json::array();
    for (const auto& f : catalogue["functions"]) {
      for (const auto& r : f["roles"]) {
        answers.push_back({{"roleCode", r["code"]}, {"inSource", level}});
      }
    }
    const HttpResult r = Do("POST", AssessmentPath(org, id) + "/answers:batchUpdate", assessor_,
                            json{{"answers", answers}}.dump());
    ASSERT_EQ(r.status, 200) << r.body;
  }

  static inline std::unique_ptr<Suite> suite_;
  static inline std::string tenant_, admin_, assessor_, viewer_, other_admin_, pinned_other_;
  static inline std::vector<std::string> orgs_;
};

TEST_F(PracticeTest, ACampaignByLabelStartsOnceAndItsProgressMoves) {
  const json request = {{"title", "FY2027 self-check"},
                        {"catalogueId", "isogj-soc-csirt"},
                        {"assessedOn", "2027-04-01"},
                        {"dueOn", "2027-06-30"},
                        {"label", "tier=gold"}};
  const std::map<std::string, std::string> once = {{"Idempotency-Key", "fy2027-round"}};
  const json campaign = Created(Do("POST", "/v1/campaigns", assessor_, request.dump(), once));
  ASSERT_EQ(campaign["assessments"].size(), 3u) << campaign.dump();
  EXPECT_EQ(campaign["dueOn"], "2027-06-30");
  EXPECT_EQ(campaign["catalogueId"], "isogj-soc-csirt");
  for (const auto& a : campaign["assessments"]) {
    EXPECT_NE(a["organizationId"], orgs_[3]);
    EXPECT_NE(a["organizationId"], orgs_[4]);
  }
  // The same key again: the first campaign, nothing created.
  const HttpResult replay = Do("POST", "/v1/campaigns", assessor_, request.dump(), once);
  ASSERT_EQ(replay.status, 201) << replay.body;
  EXPECT_EQ(Body(replay)["id"], campaign["id"]);
  const json first_org = Body(Do("GET", "/v1/organizations/" + orgs_[0] + "/assessments", viewer_));
  EXPECT_EQ(first_org["assessments"].size(), 1u);

  // Progress: one organisation answers everything and submits.
  const std::string id = campaign["id"];
  const std::string org = campaign["assessments"][0]["organizationId"];
  const std::string as = campaign["assessments"][0]["assessmentId"];
  json now = Body(Do("GET", "/v1/campaigns/" + id, viewer_));
  EXPECT_EQ(now["counts"]["DRAFT"], 3);
  EXPECT_EQ(now["assessments"][0]["total"], 54);
  AnswerAll(org, as, 3);
  ASSERT_EQ(Do("POST", AssessmentPath(org, as) + ":submit", assessor_).status, 200);
  now = Body(Do("GET", "/v1/campaigns/" + id, viewer_));
  EXPECT_EQ(now["counts"]["DRAFT"], 2);
  EXPECT_EQ(now["counts"]["SUBMITTED"], 1);
  EXPECT_EQ(now["counts"]["APPROVED"], 0);
  EXPECT_EQ(now["assessments"][0]["answered"], 54);
  EXPECT_EQ(now["assessments"][0]["status"], "SUBMITTED");
  const json list = Body(Do("GET", "/v1/campaigns", viewer_));
  ASSERT_GE(list["campaigns"].size(), 1u);
  EXPECT_EQ(list["campaigns"][0]["id"], id);

  // Filters combine; a named organisation must exist; a viewer cannot start one.
  const json both = Created(Do("POST", "/v1/campaigns", assessor_,
                               json{{"title", "Energy gold"},
                                    {"catalogueId", "isogj-soc-csirt"},
                                    {"assessedOn", "2027-05-01"},
                                    {"industry", "energy"},
                                    {"label", "tier=gold"}}
                                   .dump()));
  ASSERT_EQ(both["assessments"].size(), 1u);
  EXPECT_EQ(both["assessments"][0]["organizationId"], orgs_[1]);
  const HttpResult unknown = Do("POST", "/v1/campaigns", assessor_,
                                json{{"title", "x"},
                                     {"catalogueId", "isogj-soc-csirt"},
                                     {"assessedOn", "2027-05-01"},
                                     {"organizationIds", {"org_nope"}}}
                                    .dump());
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(Body(unknown)["error"]["details"][0]["field"], "organizationIds[0]");
  EXPECT_EQ(Do("POST", "/v1/campaigns", viewer_, request.dump()).status, 403);
  const HttpResult bad = Do("POST", "/v1/campaigns", assessor_,
                            json{{"catalogueId", "isogj-soc-csirt"}, {"dueOn", "someday"}}.dump());
  EXPECT_EQ(bad.status, 400);

  // Outside the tenant, or pinned to an organisation outside the campaign: 404.
  EXPECT_EQ(Do("GET", "/v1/campaigns/" + id, other_admin_).status, 404);
  EXPECT_EQ(Do("GET", "/v1/campaigns/" + id, pinned_other_).status, 404);
  EXPECT_TRUE(Body(Do("GET", "/v1/campaigns", other_admin_))["campaigns"].empty());
}

TEST_F(PracticeTest, ThePortfolioShowsEachLatestAssessmentFilteredAndPaged) {
  // Two years for an organisation no campaign touches: the newer one is the latest.
  const std::string old_one = NewAssessment(orgs_[3], "2025-04-01");
  AnswerAll(orgs_[3], old_one, 1);
  const std::string latest = NewAssessment(orgs_[3], "2026-04-01");
  AnswerAll(orgs_[3], latest, 4);

  const HttpResult r = Do("GET", "/v1/portfolio?catalogueId=isogj-soc-csirt&pageSize=500", viewer_);
  ASSERT_EQ(r.status, 200) << r.body;
  const json lines = Body(r)["organizations"];
  ASSERT_EQ(lines.size(), 5u);
  std::map<std::string, json> by_org;
  for (const auto& line : lines) by_org[line["organizationId"]] = line;
  const json a = by_org[orgs_[3]]["latestAssessment"];
  EXPECT_EQ(a["id"], latest);
  EXPECT_EQ(a["assessedOn"], "2026-04-01");
  EXPECT_EQ(a["status"], "DRAFT");
  EXPECT_EQ(a["overall"]["score"], 4.0);
  EXPECT_EQ(a["overall"]["level"], 4);
  EXPECT_EQ(a["completeness"]["answered"], 54);
  ASSERT_EQ(a["functions"].size(), 9u);
  EXPECT_EQ(a["functions"][0]["code"], "A");
  EXPECT_EQ(a["functions"][0]["level"], 4);
  EXPECT_EQ(by_org[orgs_[3]]["displayName"], "Sakura Retail");
  EXPECT_EQ(by_org[orgs_[3]]["labels"]["tier"], "silver");
  EXPECT_FALSE(by_org[orgs_[4]].contains("latestAssessment"));
  // The latest one's report shows the trend since the earlier one.
  const HttpResult trend =
      Do("GET", AssessmentPath(orgs_[3], latest) + "/report?format=html&lang=en", viewer_);
  ASSERT_EQ(trend.status, 200);
  EXPECT_NE(trend.body.find("Trend since earlier assessments"), std::string::npos);
  EXPECT_NE(trend.body.find("+3.0"), std::string::npos);

  // Filters and pages.
  const json finance =
      Body(Do("GET", "/v1/portfolio?catalogueId=isogj-soc-csirt&industry=finance", viewer_));
  EXPECT_EQ(finance["organizations"].size(), 2u);
  const json silver =
      Body(Do("GET", "/v1/portfolio?catalogueId=isogj-soc-csirt&label=tier%3Dsilver", viewer_));
  EXPECT_EQ(silver["organizations"].size(), 2u);
  const json page1 =
      Body(Do("GET", "/v1/portfolio?catalogueId=isogj-soc-csirt&pageSize=2", viewer_));
  ASSERT_EQ(page1["organizations"].size(), 2u);
  ASSERT_FALSE(page1["nextPageToken"].get<std::string>().empty());
  const json page2 = Body(Do("GET",
                             "/v1/portfolio?catalogueId=isogj-soc-csirt&pageSize=2&pageToken=" +
                                 page1["nextPageToken"].get<std::string>(),
                             viewer_));
  ASSERT_EQ(page2["organizations"].size(), 2u);
  EXPECT_NE(page2["organizations"][0]["organizationId"],
            page1["organizations"][0]["organizationId"]);
  EXPECT_EQ(Do("GET", "/v1/portfolio?catalogueId=isogj-soc-csirt&label=tier", viewer_).status, 400);
  EXPECT_EQ(Do("GET", "/v1/portfolio", viewer_).status, 400);
  EXPECT_EQ(Do("GET", "/v1/portfolio?catalogueId=isogj-soc-csirt&format=pdf", viewer_).status, 400);

  // CSV and XLSX hold everyone.
  const HttpResult csv =
      Do("GET", "/v1/portfolio?catalogueId=isogj-soc-csirt&format=csv&lang=en", viewer_);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.headers.at("content-type"), "text/csv; charset=utf-8");
  EXPECT_NE(csv.headers.at("content-disposition").find("attachment"), std::string::npos);
  size_t rows = 0;
  for (char c : csv.body) rows += c == '\n';
  EXPECT_EQ(rows, 6u) << csv.body;
  EXPECT_NE(csv.body.find("Organization,Industry"), std::string::npos);
  EXPECT_NE(csv.body.find("Sakura Retail,retail,tier=silver"), std::string::npos) << csv.body;
  const HttpResult xlsx =
      Do("GET", "/v1/portfolio?catalogueId=isogj-soc-csirt&format=xlsx", viewer_);
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.body.rfind("PK", 0), 0u);

  // A key pinned to one organisation sees that one only; another tenant sees none of these.
  const json pinned = Body(Do("GET", "/v1/portfolio?catalogueId=isogj-soc-csirt", pinned_other_));
  ASSERT_EQ(pinned["organizations"].size(), 1u);
  EXPECT_EQ(pinned["organizations"][0]["organizationId"], orgs_[4]);
  EXPECT_TRUE(Body(Do("GET", "/v1/portfolio?catalogueId=isogj-soc-csirt", other_admin_))
                  .value("organizations", json::array())
                  .empty());
}

TEST_F(PracticeTest, CommentsAndEvidenceArePerRoleExactAndSafe) {
  const std::string as = NewAssessment(orgs_[2], "2026-06-01");
  const std::string role = AssessmentPath(orgs_[2], as) + "/roles/B-1";
  const std::string hostile_body = "<script>alert('x')</script> & \"quotes\"";
  const json first = Created(Do("POST", role + "/comments", assessor_,
                                json{{"body", "Show the escalation policy, please."}}.dump()));
  EXPECT_EQ(first["roleCode"], "B-1");
  EXPECT_FALSE(first["author"].get<std::string>().empty());
  Created(Do("POST", role + "/comments", admin_, json{{"body", hostile_body}}.dump()));
  const json comments = Body(Do("GET", role + "/comments", viewer_));
  ASSERT_EQ(comments["comments"].size(), 2u);
  EXPECT_EQ(comments["comments"][0]["body"], "Show the escalation policy, please.");
  EXPECT_EQ(comments["comments"][1]["body"], hostile_body);
  EXPECT_EQ(Do("POST", role + "/comments", viewer_, R"({"body":"x"})").status, 403);
  EXPECT_EQ(Do("POST", role + "/comments", assessor_, R"({"body":"  "})").status, 400);
  EXPECT_EQ(
      Do("POST", AssessmentPath(orgs_[2], as) + "/roles/Z-9/comments", assessor_, R"({"body":"x"})")
          .status,
      404);

  // Evidence: exact bytes back, its hash, always an attachment with nosniff.
  std::string bytes = "%PDF-1.7\n";
  for (int i = 0; i < 70000; ++i) bytes.push_back(static_cast<char>((i * 31) & 0xff));
  const json ev =
      Created(Do("POST", role + "/evidence?filename=" + UrlEncode("escalation policy.pdf"),
                 assessor_, bytes, {{"Content-Type", "application/pdf"}}));
  EXPECT_EQ(ev["sha256"], Sha256Hex(bytes));
  EXPECT_EQ(ev["size"], std::to_string(bytes.size()));  // int64 travels as a string
  EXPECT_EQ(ev["contentType"], "application/pdf");
  const HttpResult got = Do("GET", role + "/evidence/" + ev["id"].get<std::string>(), viewer_);
  ASSERT_EQ(got.status, 200);
  EXPECT_TRUE(got.body == bytes);
  EXPECT_EQ(got.headers.at("x-content-type-options"), "nosniff");
  EXPECT_EQ(got.headers.at("content-disposition"),
            "attachment; filename=\"escalation_policy.pdf\"");

  // Hostile names are kept as given and never reach a header as they are.
  for (const std::string name : {"../../etc/passwd", "a\r\nSet-Cookie: x=1.txt", "say \"hi\".txt",
                                 "invoice\xE2\x80\xAE"
                                 "fdp.exe"}) {
    const json e = Created(Do("POST", role + "/evidence?filename=" + UrlEncode(name), assessor_,
                              "text", {{"Content-Type", "text/html"}}));
    EXPECT_EQ(e["filename"], name);
    const HttpResult d = Do("GET", role + "/evidence/" + e["id"].get<std::string>(), viewer_);
    ASSERT_EQ(d.status, 200);
    const std::string disposition = d.headers.at("content-disposition");
    EXPECT_EQ(disposition.find_first_of("\r\n/\\"), std::string::npos) << disposition;
    EXPECT_EQ(disposition.find("\xE2\x80\xAE"), std::string::npos);
    EXPECT_EQ(d.headers.count("set-cookie"), 0u);
    EXPECT_EQ(d.headers.at("content-type"), "text/html");
    EXPECT_EQ(d.headers.at("x-content-type-options"), "nosniff");
  }
  const json listed = Body(Do("GET", role + "/evidence", viewer_));
  EXPECT_EQ(listed["evidence"].size(), 5u);

  // 10 MiB is taken; one byte more is 413 and stores nothing.
  const HttpResult at_limit =
      Do("POST", role + "/evidence?filename=big.bin", assessor_, std::string(10u << 20, 'x'),
         {{"Content-Type", "application/octet-stream"}});
  EXPECT_EQ(at_limit.status, 201) << at_limit.body.substr(0, 300);
  const HttpResult over =
      Do("POST", role + "/evidence?filename=big.bin", assessor_, std::string((10u << 20) + 1, 'x'),
         {{"Content-Type", "application/octet-stream"}});
  EXPECT_EQ(over.status, 413);
  EXPECT_EQ(Body(Do("GET", role + "/evidence", viewer_))["evidence"].size(), 6u);
  EXPECT_EQ(Do("POST", role + "/evidence", assessor_, "x", {{"Content-Type", "text/plain"}}).status,
            400);

  // Another tenant and a key pinned to another organisation: 404 on every route.
  const std::string file = role + "/evidence/" + ev["id"].get<std::string>();
  for (const std::string& key : {other_admin_, pinned_other_}) {
    EXPECT_EQ(Do("GET", role + "/comments", key).status, 404);
    EXPECT_EQ(Do("POST", role + "/comments", key, R"({"body":"x"})").status, 404);
    EXPECT_EQ(Do("GET", role + "/evidence", key).status, 404);
    EXPECT_EQ(Do("GET", file, key).status, 404);
    EXPECT_EQ(Do("DELETE", file, key).status, 404);
    EXPECT_EQ(
        Do("POST", role + "/evidence?filename=x.txt", key, "x", {{"Content-Type", "text/plain"}})
            .status,
        404);
  }
  EXPECT_EQ(Body(Do("GET", role + "/comments", viewer_))["comments"].size(), 2u);

  // The reports: evidence always (HTML, JSON), comments on request, escaped, never stale.
  const std::string report = AssessmentPath(orgs_[2], as) + "/report?lang=en";
  const HttpResult html = Do("GET", report + "&format=html&comments=true", viewer_);
  ASSERT_EQ(html.status, 200);
  EXPECT_NE(html.body.find("escalation policy.pdf"), std::string::npos);
  EXPECT_NE(html.body.find("Show the escalation policy, please."), std::string::npos);
  EXPECT_EQ(html.body.find("<script>alert"), std::string::npos);
  EXPECT_NE(html.body.find("&lt;script&gt;alert"), std::string::npos);
  const HttpResult without = Do("GET", report + "&format=html", viewer_);
  EXPECT_EQ(without.body.find("Show the escalation policy"), std::string::npos);
  EXPECT_NE(without.body.find("escalation policy.pdf"), std::string::npos);
  const json exported = Body(Do("GET", report + "&format=json", viewer_));
  bool hash_found = false;
  for (const auto& e : exported["evidence"]) hash_found |= e["sha256"] == Sha256Hex(bytes);
  EXPECT_TRUE(hash_found);
  Created(Do("POST", role + "/comments", assessor_, R"({"body":"Received, thank you."})"));
  EXPECT_NE(
      Do("GET", report + "&format=html&comments=true", viewer_).body.find("Received, thank you."),
      std::string::npos)
      << "a new comment is in the next report, whatever was cached";

  // Removed from a draft only; deleting the assessment takes the rest with it.
  EXPECT_EQ(Do("DELETE", file, viewer_).status, 403);
  EXPECT_EQ(Do("DELETE", file, assessor_).status, 204);
  EXPECT_EQ(Do("GET", file, viewer_).status, 404);
  ASSERT_EQ(Do("DELETE", AssessmentPath(orgs_[2], as), admin_).status, 204);
  EXPECT_EQ(Do("GET", role + "/evidence", viewer_).status, 404);
  EXPECT_EQ(Do("GET", role + "/comments", viewer_).status, 404);
}

// Per-tenant quotas on a suite of its own with small ones: going over answers 429 with the
// quota named and writes nothing (a campaign that would pass it creates none of its
// assessments); another tenant's share is its own.
TEST(QuotaTest, OverAQuotaIs429AndWritesNothing) {
  if (Engine() == "postgres" && std::getenv("SOCM_TEST_POSTGRES_URL") == nullptr) {
    GTEST_SKIP() << "SOCM_TEST_POSTGRES_URL not set (tests/run.sh starts PostgreSQL)";
  }
  Suite suite;
  SuiteOptions options;
  options.engine = Engine();
  options.assessment_args = {"--max-organizations-per-tenant=3", "--max-assessments-per-tenant=4",
                             "--max-evidence-bytes-per-tenant=1000"};
  ASSERT_TRUE(suite.Start(options));
  auto call = [&](const std::string& method, const std::string& target, const std::string& token,
                  const std::string& body = "", std::map<std::string, std::string> headers = {}) {
    headers["Authorization"] = "Bearer " + token;
    return HttpRequest(suite.http_port(), method, target, body, headers);
  };
  auto key_of = [&](const std::string& name) {
    const HttpResult t =
        call("POST", "/v1/tenants", kOperatorToken, json{{"displayName", name}}.dump());
    EXPECT_EQ(t.status, 201) << t.body;
    const HttpResult k =
        call("POST", "/v1/tenants/" + json::parse(t.body)["id"].get<std::string>() + "/apiKeys",
             kOperatorToken, R"({"role":"admin"})");
    EXPECT_EQ(k.status, 201) << k.body;
    return json::parse(k.body)["key"].get<std::string>();
  };
  const std::string admin = key_of("Small MSSP");
  auto expect_quota = [](const HttpResult& r, const std::string& says) {
    EXPECT_EQ(r.status, 429) << r.body;
    const json error = json::parse(r.body)["error"];
    EXPECT_EQ(error["code"], "RESOURCE_EXHAUSTED");
    EXPECT_NE(error["message"].get<std::string>().find(says), std::string::npos) << r.body;
  };

  std::vector<std::string> orgs;
  for (int i = 0; i < 3; ++i) {
    const HttpResult r = call("POST", "/v1/organizations", admin,
                              json{{"displayName", absl::StrCat("Customer ", i)}}.dump());
    ASSERT_EQ(r.status, 201) << r.body;
    orgs.push_back(json::parse(r.body)["id"]);
  }
  expect_quota(call("POST", "/v1/organizations", admin, R"({"displayName":"One too many"})"),
               "this tenant has 3 organisations; 1 more would pass its quota of 3");
  EXPECT_EQ(json::parse(call("GET", "/v1/organizations", admin).body)["organizations"].size(), 3u);

  const std::string draft =
      R"({"catalogueId":"isogj-soc-csirt","title":"t","assessedOn":"2026-04-01"})";
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(call("POST", "/v1/organizations/" + orgs[0] + "/assessments", admin, draft).status,
              201);
  }
  // Three more would make five: the campaign is refused whole.
  expect_quota(call("POST", "/v1/campaigns", admin,
                    R"({"title":"FY","catalogueId":"isogj-soc-csirt","assessedOn":"2026-05-01"})"),
               "this tenant has 2 assessments; 3 more would pass its quota of 4");
  EXPECT_EQ(json::parse(call("GET", "/v1/campaigns", admin).body)
                .value("campaigns", json::array())
                .size(),
            0u);
  for (const auto& org : {orgs[1], orgs[2]}) {
    EXPECT_EQ(json::parse(call("GET", "/v1/organizations/" + org + "/assessments", admin).body)
                  .value("assessments", json::array())
                  .size(),
              0u)
        << "nothing of the refused campaign was written";
  }
  const HttpResult two = call("POST", "/v1/campaigns", admin,
                              json{{"title", "FY"},
                                   {"catalogueId", "isogj-soc-csirt"},
                                   {"assessedOn", "2026-05-01"},
                                   {"organizationIds", {orgs[1], orgs[2]}}}
                                  .dump());
  ASSERT_EQ(two.status, 201) << two.body;
  expect_quota(call("POST", "/v1/organizations/" + orgs[0] + "/assessments", admin, draft),
               "quota of 4");

  const std::string role =
      absl::StrCat("/v1/organizations/", orgs[1], "/assessments/",
                   json::parse(two.body)["assessments"][0]["assessmentId"].get<std::string>(),
                   "/roles/A-1/evidence?filename=e.txt");
  const std::map<std::string, std::string> text = {{"Content-Type", "text/plain"}};
  ASSERT_EQ(call("POST", role, admin, std::string(600, 'a'), text).status, 201);
  expect_quota(call("POST", role, admin, std::string(600, 'b'), text),
               "this tenant has 600 bytes of evidence; 600 more would pass its quota of 1000");
  EXPECT_EQ(json::parse(call("GET", role.substr(0, role.find('?')), admin).body)["evidence"].size(),
            1u);
  EXPECT_EQ(call("POST", role, admin, std::string(400, 'c'), text).status, 201);

  // Another tenant has a share of its own.
  const std::string other = key_of("Other MSSP");
  EXPECT_EQ(call("POST", "/v1/organizations", other, R"({"displayName":"Theirs"})").status, 201);
}

}  // namespace
}  // namespace socm::testing
