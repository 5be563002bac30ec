// Webhooks end to end on the engine SOCM_E2E_ENGINE names, with a real receiver on loopback
// (Node, verifying signatures on its own): submitted and approved assessments arrive signed;
// a receiver that fails gets the same event (same webhook-id) again until it accepts; redirects
// are not followed; the log shows each delivery; webhooks are a tenant admin's and another
// tenant sees none of them. Without the allow-private switch, private destinations are refused
// at registration and, for a name that resolves to one, at delivery.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "tests/e2e/webhook_receiver.h"
#include "tests/integration/suite.h"

namespace socm::testing {
namespace {

using nlohmann::json;

std::string Engine() {
  const char* e = std::getenv("SOCM_E2E_ENGINE");
  return e == nullptr ? "sqlite" : e;
}

bool NoPostgres() {
  return Engine() == "postgres" && std::getenv("SOCM_TEST_POSTGRES_URL") == nullptr;
}

struct Keys {
  std::string admin, second_admin, assessor, viewer, pinned, other_admin, org;
};

// A tenant with an organisation and keys of each kind, and another tenant's admin.
Keys MakeKeys(Suite& suite) {
  auto created = [&](const std::string& target, const std::string& token, const json& body) {
    const HttpResult r = AuthedRequest(suite.http_port(), "POST", target, token, body.dump());
    EXPECT_EQ(r.status, 201) << target << ": " << r.body;
    return json::parse(r.body, nullptr, false);
  };
  Keys k;
  const std::string tenant =
      created("/v1/tenants", kOperatorToken, {{"displayName", "Hooks"}})["id"];
  const std::string keys = "/v1/tenants/" + tenant + "/apiKeys";
  k.admin = created(keys, kOperatorToken, {{"role", "admin"}})["key"];
  k.second_admin = created(keys, k.admin, {{"role", "admin"}})["key"];
  k.assessor = created(keys, k.admin, {{"role", "assessor"}})["key"];
  k.viewer = created(keys, k.admin, {{"role", "viewer"}})["key"];
  k.org = created("/v1/organizations", k.admin, {{"displayName", "Aozora Bank"}})["id"];
  k.pinned = created(keys, k.admin, {{"role", "admin"}, {"organizationId", k.org}})["key"];
  const std::string other =
      created("/v1/tenants", kOperatorToken, {{"displayName", "Other"}})["id"];
  k.other_admin =
      created("/v1/tenants/" + other + "/apiKeys", kOperatorToken, {{"role", "admin"}})["key"];
  return k;
}

class WebhookTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (NoPostgres()) return;
    suite_ = std::make_unique<Suite>();
    SuiteOptions options;
    options.engine = Engine();
    // Loopback receivers, and retries a fifth of a second apart (the first; then doubling).
    options.assessment_args = {"--webhook-allow-private-networks=true",
                               "--webhook-retry-base-ms=200"};
    ASSERT_TRUE(suite_->Start(options));
    receiver_ = std::make_unique<WebhookReceiver>();
    ASSERT_TRUE(receiver_->Start(suite_->dir()));
    keys_ = MakeKeys(*suite_);
  }
  static void TearDownTestSuite() {
    receiver_.reset();
    suite_.reset();
  }
  void SetUp() override {
    if (!suite_) GTEST_SKIP() << "SOCM_TEST_POSTGRES_URL not set (tests/run.sh starts PostgreSQL)";
  }

  static HttpResult Do(const std::string& method, const std::string& target,
                       const std::string& token, const std::string& body = "") {
    return AuthedRequest(suite_->http_port(), method, target, token, body);
  }
  static json Body(const HttpResult& r) { return json::parse(r.body, nullptr, false); }
  // A webhook to `path` on the receiver, which verifies with its secret.
  static json Hook(const std::string& path, const std::vector<std::string>& events,
                   const std::vector<int>& statuses = {}, const std::string& location = "") {
    const HttpResult r = Do("POST", "/v1/webhooks", keys_.admin,
                            json{{"url", receiver_->Url(path)}, {"events", events}}.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    const json hook = Body(r);
    receiver_->Answer(path, hook.value("secret", ""), statuses, location);
    return hook;
  }
  // The webhook's deliveries once none is PENDING (or after 20 s). Every one, not only the
  // newest: two workers deliver side by side, and the receiver may have answered one whose
  // outcome is not recorded yet.
  static json SettledDeliveries(const std::string& hook) {
    json deliveries;
    for (int i = 0; i < 400; ++i) {
      deliveries = Body(Do("GET", "/v1/webhooks/" + hook + "/deliveries", keys_.admin));
      const json& list = deliveries["deliveries"];
      const bool settled = list.is_array() && !list.empty() &&
                           std::none_of(list.begin(), list.end(),
                                        [](const json& d) { return d["status"] == "PENDING"; });
      if (settled) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return deliveries.value("deliveries", json::array());
  }

  static std::unique_ptr<Suite> suite_;
  static std::unique_ptr<WebhookReceiver> receiver_;
  static Keys keys_;
};

std::unique_ptr<Suite> WebhookTest::suite_;
std::unique_ptr<WebhookReceiver> WebhookTest::receiver_;
Keys WebhookTest::keys_;

TEST_F(WebhookTest, SubmittedAndApprovedAssessmentsArriveSignedOnce) {
  const json hook = Hook("/reviews", {"assessment.submitted", "assessment.approved"});
  EXPECT_EQ(hook["secret"].get<std::string>().rfind("whsec_", 0), 0u);
  const std::string assessments = "/v1/organizations/" + keys_.org + "/assessments";
  const json a = Body(Do("POST", assessments, keys_.assessor,
                         R"({"catalogueId":"isogj-soc-csirt","title":"FY2026",)"
                         R"("assessedOn":"2026-04-01"})"));
  const std::string as = assessments + "/" + a["id"].get<std::string>();
  ASSERT_EQ(Do("POST", as + ":submit", keys_.assessor).status, 200);
  ASSERT_EQ(Do("POST", as + ":approve", keys_.second_admin).status, 200);

  const json got = receiver_->WaitFor("/reviews", 2);
  ASSERT_EQ(got.size(), 2u) << got.dump();
  std::set<std::string> types;
  for (const json& r : got) {
    EXPECT_EQ(r["verified"], "ok") << r.dump();
    EXPECT_EQ(r["method"], "POST");
    EXPECT_EQ(r["headers"]["content-type"], "application/json");
    const json body = json::parse(r["body"].get<std::string>());
    EXPECT_EQ(body["id"], r["headers"]["webhook-id"]);
    EXPECT_EQ(body["id"].get<std::string>().rfind("evt_", 0), 0u);
    EXPECT_EQ(body["data"]["assessmentId"], a["id"]);
    EXPECT_EQ(body["data"]["organizationId"], keys_.org);
    EXPECT_TRUE(body["timestamp"].is_string());
    types.insert(body["type"].get<std::string>());
  }
  EXPECT_EQ(types, (std::set<std::string>{"assessment.submitted", "assessment.approved"}));

  // The log shows both delivered at the first attempt; nothing else was sent.
  const json log = SettledDeliveries(hook["id"]);
  ASSERT_EQ(log.size(), 2u) << log.dump();
  for (const json& d : log) {
    EXPECT_EQ(d["status"], "DELIVERED") << d.dump();
    EXPECT_EQ(d["attempts"], 1);
    EXPECT_EQ(d["lastResponseCode"], 200);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(receiver_->Received("/reviews").size(), 2u);
}

TEST_F(WebhookTest, AFailingReceiverGetsTheSameEventAgainUntilItAccepts) {
  const json hook = Hook("/flaky", {"campaign.created"}, {500, 500});
  const HttpResult test =
      Do("POST", "/v1/webhooks/" + hook["id"].get<std::string>() + ":test", keys_.admin);
  ASSERT_EQ(test.status, 202) << test.body;
  EXPECT_EQ(Body(test)["type"], "webhook.test");
  EXPECT_EQ(Body(test)["status"], "PENDING");

  const json got = receiver_->WaitFor("/flaky", 3);
  ASSERT_EQ(got.size(), 3u) << got.dump();
  const std::string id = got[0]["headers"]["webhook-id"];
  for (const json& r : got) {
    EXPECT_EQ(r["headers"]["webhook-id"], id) << "the same event on every attempt";
    EXPECT_EQ(r["body"], got[0]["body"]);
    EXPECT_EQ(r["verified"], "ok");
  }
  EXPECT_EQ(Body(test)["eventId"], id);
  // Backed off: the second retry waited longer than the first's lower bound.
  EXPECT_GE(got[1]["receivedAtMs"].get<int64_t>() - got[0]["receivedAtMs"].get<int64_t>(), 100);
  const json log = SettledDeliveries(hook["id"]);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0]["status"], "DELIVERED");
  EXPECT_EQ(log[0]["attempts"], 3);
  EXPECT_EQ(log[0]["lastResponseCode"], 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  EXPECT_EQ(receiver_->Received("/flaky").size(), 3u) << "delivered once more, not again";
}

TEST_F(WebhookTest, ARedirectIsNotFollowed) {
  const json hook =
      Hook("/moved", {"campaign.created"}, {302, 302, 302, 302, 302}, receiver_->Url("/elsewhere"));
  ASSERT_EQ(
      Do("POST", "/v1/webhooks/" + hook["id"].get<std::string>() + ":test", keys_.admin).status,
      202);
  ASSERT_GE(receiver_->WaitFor("/moved", 2).size(), 2u);
  const json log = Body(Do("GET", "/v1/webhooks/" + hook["id"].get<std::string>() + "/deliveries",
                           keys_.admin))["deliveries"];
  EXPECT_EQ(log[0]["status"], "PENDING") << "tried again later, never at the Location";
  EXPECT_EQ(log[0]["lastResponseCode"], 302);
  EXPECT_NE(log[0]["lastError"].get<std::string>().find("redirects are not followed"),
            std::string::npos);
  EXPECT_TRUE(receiver_->Received("/elsewhere").empty());
}

TEST_F(WebhookTest, WebhooksAreATenantAdminsAndInvisibleToOtherTenants) {
  const json hook = Hook("/private", {"assessment.created"});
  const std::string one = "/v1/webhooks/" + hook["id"].get<std::string>();
  const json listed = Body(Do("GET", "/v1/webhooks", keys_.admin));
  bool found = false;
  for (const json& h : listed["webhooks"]) {
    EXPECT_FALSE(h.contains("secret")) << "a secret is shown once";
    found = found || h["id"] == hook["id"];
  }
  EXPECT_TRUE(found);
  for (const std::string& key : {keys_.viewer, keys_.assessor, keys_.pinned}) {
    EXPECT_EQ(Do("GET", "/v1/webhooks", key).status, 403);
    EXPECT_EQ(Do("POST", "/v1/webhooks", key,
                 R"({"url":"https://x.example.com/","events":["assessment.created"]})")
                  .status,
              403);
    EXPECT_EQ(Do("DELETE", one, key).status, 403);
  }
  EXPECT_FALSE(Body(Do("GET", "/v1/webhooks", keys_.other_admin)).contains("webhooks"));
  EXPECT_EQ(Do("GET", one + "/deliveries", keys_.other_admin).status, 404);
  EXPECT_EQ(Do("POST", one + ":test", keys_.other_admin).status, 404);
  EXPECT_EQ(Do("DELETE", one, keys_.other_admin).status, 404);
  // Another tenant's events never reach this tenant's webhook.
  const std::string other_org = Body(
      Do("POST", "/v1/organizations", keys_.other_admin, R"({"displayName":"Elsewhere"})"))["id"];
  ASSERT_EQ(Do("POST", "/v1/organizations/" + other_org + "/assessments", keys_.other_admin,
               R"({"catalogueId":"isogj-soc-csirt","title":"X","assessedOn":"2026-04-01"})")
                .status,
            201);
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  EXPECT_TRUE(receiver_->Received("/private").empty());

  // Validation names the field; deletion stops deliveries and is in the audit log.
  const HttpResult bad = Do("POST", "/v1/webhooks", keys_.admin,
                            R"({"url":"ftp://x.example.com/","events":["assessment.made"]})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("events[0]"), std::string::npos) << bad.body;
  EXPECT_EQ(Do("DELETE", one, keys_.admin).status, 204);
  EXPECT_EQ(Do("GET", one + "/deliveries", keys_.admin).status, 404);
  const std::string audit = Do("GET", "/v1/auditLog", keys_.admin).body;
  EXPECT_NE(audit.find("webhook.create"), std::string::npos);
  EXPECT_NE(audit.find("webhook.delete"), std::string::npos);
  EXPECT_EQ(audit.find(hook["secret"].get<std::string>().substr(6)), std::string::npos);
}

// Without SOCM_WEBHOOK_ALLOW_PRIVATE_NETWORKS: what the spec forbids is refused.
TEST(WebhookSsrfTest, PrivateDestinationsAreRefusedWithoutTheSwitch) {
  if (NoPostgres()) GTEST_SKIP() << "SOCM_TEST_POSTGRES_URL not set";
  Suite suite;
  SuiteOptions options;
  options.engine = Engine();
  ASSERT_TRUE(suite.Start(options));
  WebhookReceiver receiver;
  ASSERT_TRUE(receiver.Start(suite.dir()));
  const Keys keys = MakeKeys(suite);
  auto post = [&](const std::string& url) {
    return AuthedRequest(suite.http_port(), "POST", "/v1/webhooks", keys.admin,
                         json{{"url", url}, {"events", {"assessment.created"}}}.dump());
  };
  for (const std::string& url :
       {receiver.Url("/direct"), std::string("http://169.254.169.254/latest/meta-data/"),
        std::string("http://10.0.0.1/"), std::string("http://[::1]/")}) {
    const HttpResult r = post(url);
    EXPECT_EQ(r.status, 400) << url << ": " << r.body;
    EXPECT_NE(r.body.find("\"url\""), std::string::npos) << r.body;
  }
  // A name is checked when it is resolved: localhost is accepted, then refused at delivery
  // by the loopback address it gives, and given up at once.
  const HttpResult named = post(absl::StrCat("http://localhost:", receiver.port(), "/named"));
  ASSERT_EQ(named.status, 201) << named.body;
  const std::string id = json::parse(named.body)["id"];
  ASSERT_EQ(
      AuthedRequest(suite.http_port(), "POST", "/v1/webhooks/" + id + ":test", keys.admin).status,
      202);
  json log;
  for (int i = 0; i < 200; ++i) {
    log = json::parse(
        AuthedRequest(suite.http_port(), "GET", "/v1/webhooks/" + id + "/deliveries", keys.admin)
            .body)["deliveries"];
    if (log[0]["status"] != "PENDING") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(log[0]["status"], "FAILED") << log.dump();
  EXPECT_EQ(log[0]["attempts"], 1);
  EXPECT_NE(log[0]["lastError"].get<std::string>().find("loopback"), std::string::npos);
  EXPECT_TRUE(receiver.Received("/named").empty());
  EXPECT_TRUE(receiver.Received("/direct").empty());
}

}  // namespace
}  // namespace socm::testing
