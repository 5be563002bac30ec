// The whole suite as it runs in production: Redis, the four services and the
// gateway as real processes on loopback ports they chose themselves, called
// over real HTTP and gRPC.
#include "tests/integration/suite.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "absl/strings/str_cat.h"
#include "services/common/caller_metadata.h"
#include "services/common/health_client.h"
#include "services/common/metadata.h"
#include "services/common/principal_token.h"
#include "soc/maturity/assessment/v1/assessment.grpc.pb.h"
#include "soc/maturity/assessment/v1/identity.grpc.pb.h"
#include "soc/maturity/catalogue/v1/catalogue.grpc.pb.h"
#include "soc/maturity/reporting/v1/reporting.grpc.pb.h"
#include "soc/maturity/scoring/v1/scoring.grpc.pb.h"
#include "tests/integration/process.h"

namespace socm::testing {
namespace {

using nlohmann::json;

class SuiteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = std::make_unique<Suite>();
    SuiteOptions options;
    // Every catalogue lookup goes to Redis, so the tests see the Redis path work and fail.
    options.catalogue_memory_cache = false;
    ASSERT_TRUE(suite_->Start(options));
    http_port_ = suite_->http_port();
    // A tenant and a viewer key to read catalogues with.
    const HttpResult tenant =
        HttpRequest(http_port_, "POST", "/v1/tenants", R"({"displayName":"Suite"})",
                    {{"Authorization", std::string("Bearer ") + kOperatorToken}});
    ASSERT_EQ(tenant.status, 201) << tenant.body;
    const std::string tenant_id = json::parse(tenant.body)["id"];
    const HttpResult key = HttpRequest(
        http_port_, "POST", "/v1/tenants/" + tenant_id + "/apiKeys", R"({"role":"viewer"})",
        {{"Authorization", std::string("Bearer ") + kOperatorToken}});
    ASSERT_EQ(key.status, 201) << key.body;
    auth_ = {{"Authorization", "Bearer " + json::parse(key.body)["key"].get<std::string>()}};
  }

  static void TearDownTestSuite() { suite_.reset(); }

  static HttpResult Get(const std::string& target) {
    return HttpRequest(http_port_, "GET", target, "", auth_);
  }
  static std::string Metrics(int port) { return HttpRequest(port, "GET", "/metrics").body; }

  static inline std::unique_ptr<Suite> suite_;

  static Caller Viewer(const std::string& tenant) {
    Caller caller;
    caller.tenant = TenantId(tenant);
    caller.principal = "key_test";
    caller.role = Role::kViewer;
    return caller;
  }
  // Signs `caller` into the call with the suite's own key, as the gateway would.
  static void SignAs(grpc::ClientContext& context, Caller caller) {
    auto signer = PrincipalSigner::FromPemFile(suite_->principal_key_file());
    ASSERT_TRUE(signer.ok()) << signer.status();
    caller.token = (*signer)->TokenFor(caller);
    AddCallerMetadata(caller, context);
  }
  static inline int http_port_ = 0;
  static inline std::map<std::string, std::string> auth_;
};

TEST_F(SuiteTest, FullCatalogueInEnglishThroughEveryHop) {
  const HttpResult r = Get("/v1/catalogues/isogj-soc-csirt?lang=en");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers.at("content-type"), "application/json; charset=utf-8");
  const json c = json::parse(r.body);
  EXPECT_EQ(c["id"], "isogj-soc-csirt");
  EXPECT_EQ(c["version"], "2.1.1");
  EXPECT_EQ(c["language"], "en");
  ASSERT_EQ(c["functions"].size(), 9u);
  size_t roles = 0;
  for (const auto& f : c["functions"]) roles += f["roles"].size();
  EXPECT_EQ(roles, 54u);
  EXPECT_EQ(c["functions"][3]["roles"][0]["name"]["en"], "Incident intake");
  EXPECT_FALSE(c["functions"][3]["roles"][0]["name"].contains("ja"));
  EXPECT_EQ(c["inSourceLevels"].size(), 6u);
  EXPECT_EQ(c["dimensions"].size(), 2u);
  EXPECT_EQ(c["scale"]["highest"], 5);
}

TEST_F(SuiteTest, JapaneseAndListing) {
  HttpResult r = Get("/v1/catalogues/isogj-soc-csirt?lang=ja&version=2.1");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(json::parse(r.body)["functions"][2]["name"]["ja"], "ディープアナリシス(深掘分析)");
  r = Get("/v1/catalogues");
  ASSERT_EQ(r.status, 200);
  const json list = json::parse(r.body);
  ASSERT_EQ(list["catalogues"].size(), 2u);
  EXPECT_EQ(list["catalogues"][0]["latestVersion"], "2.1.1");
  EXPECT_EQ(list["catalogues"][0]["versions"], json::array({"2.1", "2.1.1"}));
  EXPECT_EQ(list["catalogues"][0]["roleCount"], 54);
  EXPECT_EQ(list["catalogues"][1]["id"], "sim3");
  EXPECT_EQ(list["catalogues"][1]["roleCount"], 44);
}

TEST_F(SuiteTest, BadInputGetsTheErrorShapeAndTheGatewayKeepsServing) {
  HttpResult r = Get("/v1/catalogues/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(json::parse(r.body)["error"]["code"], "NOT_FOUND");

  r = Get("/v1/catalogues/isogj-soc-csirt?lang=fr");
  EXPECT_EQ(r.status, 400);
  json e = json::parse(r.body)["error"];
  EXPECT_EQ(e["code"], "INVALID_ARGUMENT");
  EXPECT_EQ(e["details"][0]["field"], "lang");

  r = Get("/v1/catalogues?colour=blue");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json::parse(r.body)["error"]["details"][0]["field"], "colour");

  r = Get("/v1/catalogues?pageSize=-3");
  EXPECT_EQ(r.status, 400);

  r = HttpRequest(http_port_, "GET", "/v1/no/such/route");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(json::parse(r.body)["error"]["code"], "NOT_FOUND");

  r = HttpRequest(http_port_, "DELETE", "/v1/catalogues");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers["allow"], "GET, POST");

  r = HttpRequest(http_port_, "POST", "/v1/catalogues", std::string(10 << 20, 'x'));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(json::parse(r.body)["error"]["code"], "INVALID_ARGUMENT");

  std::string raw = RawExchange(http_port_, "GARBAGE\r\n\r\n", std::chrono::seconds(5));
  EXPECT_EQ(raw.rfind("HTTP/1.1 400", 0), 0u) << raw;
  raw =
      RawExchange(http_port_, "GET / HTTP/1.1\r\nX-Big: " + std::string(64 << 10, 'a') + "\r\n\r\n",
                  std::chrono::seconds(5));
  EXPECT_EQ(raw.rfind("HTTP/1.1 431", 0), 0u) << raw.substr(0, 100);

  EXPECT_EQ(HttpRequest(http_port_, "GET", "/healthz").status, 200);
  EXPECT_EQ(Get("/v1/catalogues/isogj-soc-csirt?lang=en").status, 200);
}

TEST_F(SuiteTest, KeepAliveServesManyRequestsOnOneConnection) {
  const std::string one = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string raw = RawExchange(
      http_port_, one + one + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      std::chrono::seconds(5));
  size_t count = 0;
  for (size_t at = raw.find("HTTP/1.1 200"); at != std::string::npos;
       at = raw.find("HTTP/1.1 200", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 3u) << raw;
}

TEST_F(SuiteTest, RequestIdIsEchoedOrMade) {
  HttpResult r = HttpRequest(http_port_, "GET", "/healthz", "", {{"X-Request-Id", "abc-123"}});
  EXPECT_EQ(r.headers["x-request-id"], "abc-123");
  r = HttpRequest(http_port_, "GET", "/healthz", "", {{"X-Request-Id", "bad id"}});
  EXPECT_EQ(r.headers["x-request-id"].size(), 16u);
}

TEST_F(SuiteTest, RedisCachesTheCatalogue) {
  const std::map<std::string, std::string> hits = {{"cache", "catalogue_redis"}, {"result", "hit"}};
  ASSERT_EQ(Get("/v1/catalogues/isogj-soc-csirt?lang=ja").status, 200);
  const double before =
      Metric(Metrics(suite_->metrics_port("catalogue")), "cache_requests_total", hits);
  ASSERT_EQ(Get("/v1/catalogues/isogj-soc-csirt?lang=ja").status, 200);
  EXPECT_EQ(Metric(Metrics(suite_->metrics_port("catalogue")), "cache_requests_total", hits),
            before + 1);
}

// What someone with access to Redis but not the suite's key could do to a cached catalogue:
// edit it in place. The edited entry is refused and counted; the answer is the true one.
TEST_F(SuiteTest, ACatalogueEditedInRedisIsNeverServed) {
  const HttpResult first = Get("/v1/catalogues/isogj-soc-csirt?lang=en");
  ASSERT_EQ(first.status, 200);
  const std::string name = json::parse(first.body)["name"]["en"];
  ASSERT_FALSE(name.empty());
  redisContext* c = redisConnect("127.0.0.1", suite_->redis_port());
  ASSERT_TRUE(c != nullptr && c->err == 0);
  freeReplyObject(redisCommand(c, "AUTH %s", kRedisPassword));
  auto* keys = static_cast<redisReply*>(redisCommand(c, "KEYS *catalogue2:isogj-soc-csirt:*"));
  ASSERT_TRUE(keys != nullptr && keys->type == REDIS_REPLY_ARRAY);
  int edited = 0;
  for (size_t i = 0; i < keys->elements; ++i) {
    const std::string key(keys->element[i]->str, keys->element[i]->len);
    auto* value = static_cast<redisReply*>(redisCommand(c, "GET %b", key.data(), key.size()));
    std::string bytes(value->str, value->len);
    freeReplyObject(value);
    const size_t at = bytes.find(name);
    if (at == std::string::npos) continue;
    bytes.replace(at, 3, "EVL");
    freeReplyObject(
        redisCommand(c, "SET %b %b", key.data(), key.size(), bytes.data(), bytes.size()));
    ++edited;
  }
  freeReplyObject(keys);
  redisFree(c);
  ASSERT_GT(edited, 0) << "the English catalogue was cached in Redis";
  const double forged_before = Metric(Metrics(suite_->metrics_port("catalogue")),
                                      "cache_forged_entries_total", {{"cache", "catalogue_redis"}});
  const HttpResult again = Get("/v1/catalogues/isogj-soc-csirt?lang=en");
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(json::parse(again.body)["name"]["en"], name);
  EXPECT_EQ(again.body.find("EVL"), std::string::npos);
  EXPECT_GT(Metric(Metrics(suite_->metrics_port("catalogue")), "cache_forged_entries_total",
                   {{"cache", "catalogue_redis"}}),
            forged_before);
}

// A Redis that refuses the credentials stops the start with a message that says why; a
// silent cache-off would hide a misconfigured Secret until the load arrives.
TEST_F(SuiteTest, AProcessGivenTheWrongRedisPasswordDoesNotStart) {
  const std::string wrong = suite_->dir() + "/wrong-redis-password";
  std::ofstream(wrong) << "not-the-password\n";
  for (const bool with_password : {true, false}) {
    Process p;
    std::vector<std::string> argv = {
        ServiceBinary("reporting"), "--grpc-port=0", "--metrics-port=0",
        "--principal-public-key-file=" + suite_->dir() + "/keys/principal.pub",
        absl::StrCat("--redis-addr=127.0.0.1:", suite_->redis_port())};
    for (auto& a : suite_->TlsArgs("reporting")) argv.push_back(a);
    if (with_password) argv.push_back("--redis-password-file=" + wrong);
    p.Start(argv, suite_->dir() + (with_password ? "/wrong-password.log" : "/no-password.log"));
    const std::string line = p.WaitForLine("cannot start", std::chrono::seconds(10));
    EXPECT_NE(line.find(with_password ? "WRONGPASS" : "no password is configured"),
              std::string::npos)
        << line;
    EXPECT_EQ(p.Stop(SIGTERM, std::chrono::seconds(10)), 2);
  }
}

TEST_F(SuiteTest, MetricsMoveWithRequests) {
  const std::map<std::string, std::string> http_labels = {{"route", "/v1/catalogues/{catalogueId}"},
                                                          {"code", "200"}};
  const std::map<std::string, std::string> grpc_labels = {{"grpc_method", "GetCatalogue"},
                                                          {"grpc_code", "OK"}};
  const double http_before =
      Metric(Metrics(suite_->metrics_port("gateway")), "http_requests_total", http_labels);
  const double grpc_before =
      Metric(Metrics(suite_->metrics_port("catalogue")), "grpc_server_handled_total", grpc_labels);
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(Get("/v1/catalogues/isogj-soc-csirt").status, 200);
  }
  EXPECT_EQ(Metric(Metrics(suite_->metrics_port("gateway")), "http_requests_total", http_labels),
            http_before + 3);
  EXPECT_EQ(
      Metric(Metrics(suite_->metrics_port("catalogue")), "grpc_server_handled_total", grpc_labels),
      grpc_before + 3);
  const std::string gateway_metrics = Metrics(suite_->metrics_port("gateway"));
  EXPECT_NE(gateway_metrics.find("http_request_duration_seconds_bucket"), std::string::npos);
  // Requests refused before routing are counted too.
  const std::map<std::string, std::string> refused = {{"route", "unmatched"}, {"code", "400"}};
  const double refused_before = Metric(gateway_metrics, "http_requests_total", refused);
  RawExchange(http_port_, "NOT HTTP\r\n\r\n", std::chrono::seconds(5));
  EXPECT_EQ(Metric(Metrics(suite_->metrics_port("gateway")), "http_requests_total", refused),
            refused_before + 1);
}

// The public port, which the Ingress routes, never serves metrics; the metrics port serves
// nothing else.
TEST_F(SuiteTest, TheGatewaysMetricsAreOnTheirOwnPortOnly) {
  EXPECT_EQ(HttpRequest(http_port_, "GET", "/metrics").status, 404);
  const HttpResult metrics = HttpRequest(suite_->metrics_port("gateway"), "GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("http_requests_total"), std::string::npos);
  EXPECT_EQ(HttpRequest(suite_->metrics_port("gateway"), "GET", "/v1/catalogues").status, 404);
  EXPECT_EQ(HttpRequest(suite_->metrics_port("gateway"), "GET", "/healthz").status, 404);
}

TEST_F(SuiteTest, EveryServiceIsServingAndExposesMetrics) {
  for (const std::string name : {"catalogue", "assessment", "scoring", "reporting"}) {
    EXPECT_TRUE(CheckHealth(suite_->Channel(name), "", std::chrono::seconds(2)).ok()) << name;
    const std::string metrics = Metrics(suite_->metrics_port(name));
    EXPECT_GT(Metric(metrics, "grpc_server_handled_total", {{"grpc_method", "Check"}}), 0) << name;
  }
  const HttpResult ready = HttpRequest(http_port_, "GET", "/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(json::parse(ready.body)["backends"]["scoring"], "SERVING");
}

// Mutual TLS on every service port: a client without a certificate of the suite's CA does not
// get through the handshake, in plaintext or in TLS; kubelet's plaintext probe port answers
// the health service and nothing else.
TEST_F(SuiteTest, AServicePortTakesOnlyClientsWithTheSuitesCertificate) {
  for (const std::string name : {"catalogue", "assessment", "scoring", "reporting"}) {
    const std::string address = absl::StrCat("127.0.0.1:", suite_->grpc_port(name));
    const auto plaintext = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
    EXPECT_FALSE(CheckHealth(plaintext, "", std::chrono::seconds(2)).ok()) << name;
    const auto no_certificate =
        grpc::CreateChannel(address, suite_->Credentials("gateway", /*with_certificate=*/false));
    EXPECT_FALSE(CheckHealth(no_certificate, "", std::chrono::seconds(2)).ok()) << name;
    EXPECT_TRUE(CheckHealth(suite_->Channel(name), "", std::chrono::seconds(2)).ok()) << name;

    const auto probe = grpc::CreateChannel(absl::StrCat("127.0.0.1:", suite_->health_port(name)),
                                           grpc::InsecureChannelCredentials());
    EXPECT_TRUE(CheckHealth(probe, "", std::chrono::seconds(2)).ok()) << name;
  }
  // The probe port serves no RPC of the suite.
  auto probe_stub = soc::maturity::assessment::v1::AssessmentService::NewStub(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", suite_->health_port("assessment")),
                          grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  soc::maturity::assessment::v1::CreateApiKeyRequest request;
  request.set_tenant_id("tn_x");
  soc::maturity::assessment::v1::ApiKey key;
  EXPECT_EQ(probe_stub->CreateApiKey(&context, request, &key).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
  // A certificate from another CA (trusting ours) is refused as well.
  const std::string other = suite_->dir() + "/other-keys";
  ASSERT_TRUE(MakeSuiteKeys(other));
  auto stranger = CredentialsFrom(other, "gateway", true, suite_->dir() + "/keys/ca.crt");
  EXPECT_FALSE(
      CheckHealth(grpc::CreateChannel(absl::StrCat("127.0.0.1:", suite_->grpc_port("assessment")),
                                      stranger),
                  "", std::chrono::seconds(2))
          .ok());
}

TEST_F(SuiteTest, BackendRpcsWithoutATenantAreRefused) {
  auto channel = suite_->Channel("scoring");
  auto stub = soc::maturity::scoring::v1::ScoringService::NewStub(channel);
  grpc::ClientContext context;
  soc::maturity::scoring::v1::GetScoreRequest request;
  request.set_organization_id("org_x");
  request.set_assessment_id("as_x");
  soc::maturity::scoring::v1::Score score;
  EXPECT_EQ(stub->GetScore(&context, request, &score).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

// What a process that reaches a backend's port without the gateway gets: no principal token,
// a token signed with another key, an unsigned ("alg": "none") or expired one are all
// UNAUTHENTICATED; a good token for a viewer cannot mint a key (PERMISSION_DENIED), nor can
// the gateway's own principal. Before principal tokens, the first call below minted an admin
// key for any tenant.
TEST_F(SuiteTest, ABackendBelievesOnlyASignedPrincipalWithTheRoleItsRpcNeeds) {
  const std::map<std::string, std::string> op = {
      {"Authorization", std::string("Bearer ") + kOperatorToken}};
  const std::string tenant = json::parse(
      HttpRequest(http_port_, "POST", "/v1/tenants", R"({"displayName":"Direct"})", op).body)["id"];
  namespace apb = soc::maturity::assessment::v1;
  auto assessments = apb::AssessmentService::NewStub(suite_->Channel("assessment"));
  apb::CreateApiKeyRequest request;
  request.set_tenant_id(tenant);
  request.set_role(apb::KEY_ROLE_ADMIN);
  auto create_key = [&](const std::function<void(grpc::ClientContext&)>& prepare) {
    grpc::ClientContext context;
    prepare(context);
    apb::ApiKey key;
    return assessments->CreateApiKey(&context, request, &key);
  };
  Caller admin = Viewer(tenant);
  admin.role = Role::kAdmin;

  EXPECT_EQ(create_key([](grpc::ClientContext&) {}).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // The old bare headers mean nothing now.
  EXPECT_EQ(create_key([&](grpc::ClientContext& c) {
              c.AddMetadata("x-socm-tenant", tenant);
              c.AddMetadata("x-socm-role", "admin");
            }).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  auto other_keys = GeneratePrincipalKeyPair();
  ASSERT_TRUE(other_keys.ok());
  auto other_signer = PrincipalSigner::FromPem(other_keys->private_pem);
  ASSERT_TRUE(other_signer.ok());
  EXPECT_EQ(create_key([&](grpc::ClientContext& c) {
              c.AddMetadata(kPrincipalTokenMetadata, (*other_signer)->TokenFor(admin));
            }).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  auto signer = PrincipalSigner::FromPemFile(suite_->principal_key_file());
  ASSERT_TRUE(signer.ok());
  // A good token with its algorithm set to none and a made-up signature.
  const std::string good = (*signer)->TokenFor(admin);
  const std::string payload = good.substr(good.find('.') + 1, good.rfind('.') - good.find('.') - 1);
  // {"alg":"none","typ":"socm-principal+jwt"}
  const std::string unsigned_token =
      "eyJhbGciOiJub25lIiwidHlwIjoic29jbS1wcmluY2lwYWwrand0In0." + payload + ".c2lnbmF0dXJl";
  EXPECT_EQ(create_key([&](grpc::ClientContext& c) {
              c.AddMetadata(kPrincipalTokenMetadata, unsigned_token);
            }).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  const auto long_ago = std::chrono::system_clock::now() - std::chrono::hours(1);
  EXPECT_EQ(create_key([&](grpc::ClientContext& c) {
              c.AddMetadata(kPrincipalTokenMetadata,
                            (*signer)->SignAt(admin, long_ago, long_ago + std::chrono::minutes(2)));
            }).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(create_key([&](grpc::ClientContext& c) { SignAs(c, Viewer(tenant)); }).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(create_key([&](grpc::ClientContext& c) {
              SignAs(c, ServiceCaller(kGatewayServicePrincipal));
            }).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // The same key signs a tenant admin's call, which goes through: the refusals above were the
  // credentials', not the request's.
  EXPECT_EQ(create_key([&](grpc::ClientContext& c) { SignAs(c, admin); }).error_code(),
            grpc::StatusCode::OK);
  const json keys = json::parse(
      HttpRequest(http_port_, "GET", "/v1/tenants/" + tenant + "/apiKeys", "", op).body);
  EXPECT_EQ(keys["apiKeys"].size(), 1u) << keys.dump();

  // Every backend refuses a call with no token.
  {
    auto catalogue =
        soc::maturity::catalogue::v1::CatalogueService::NewStub(suite_->Channel("catalogue"));
    grpc::ClientContext context;
    soc::maturity::catalogue::v1::GetCatalogueRequest get;
    get.set_catalogue_id("isogj-soc-csirt");
    soc::maturity::catalogue::v1::Catalogue out;
    EXPECT_EQ(catalogue->GetCatalogue(&context, get, &out).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  {
    auto reporting =
        soc::maturity::reporting::v1::ReportingService::NewStub(suite_->Channel("reporting"));
    grpc::ClientContext context;
    soc::maturity::reporting::v1::RenderBlankSheetRequest sheet;
    sheet.set_catalogue_id("isogj-soc-csirt");
    soc::maturity::reporting::v1::RenderReportResponse out;
    EXPECT_EQ(reporting->RenderBlankSheet(&context, sheet, &out).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
}

// The sign-in steps over real gRPC: they answer the gateway's own principal alone (no token,
// a person's admin token, another component's: refused); a tenant admin sets the provider; a
// login flow is taken once; a sign-in must come from the tenant's own issuer; the session
// names the person, and an admin's change of their access ends it; another tenant's admin
// sees neither the provider nor the person.
TEST_F(SuiteTest, TheSignInStepsAnswerTheGatewayAloneAndStayInTheirTenant) {
  namespace apb = soc::maturity::assessment::v1;
  const std::map<std::string, std::string> op = {
      {"Authorization", std::string("Bearer ") + kOperatorToken}};
  const json tenant_json = json::parse(
      HttpRequest(http_port_, "POST", "/v1/tenants", R"({"displayName":"Sign In Co"})", op).body);
  const std::string tenant = tenant_json["id"];
  EXPECT_EQ(tenant_json["slug"], "sign-in-co");
  const std::string other = json::parse(
      HttpRequest(http_port_, "POST", "/v1/tenants", R"({"displayName":"Other Co"})", op)
          .body)["id"];
  auto identity = apb::IdentityService::NewStub(suite_->Channel("assessment"));
  Caller admin = Viewer(tenant);
  admin.role = Role::kAdmin;
  Caller other_admin = Viewer(other);
  other_admin.role = Role::kAdmin;
  const Caller gateway = ServiceCaller(kGatewayServicePrincipal);

  apb::FindSignInRequest by_slug;
  by_slug.set_tenant_slug("sign-in-co");
  auto find = [&](const std::function<void(grpc::ClientContext&)>& prepare,
                  apb::SignInSettings* out) {
    grpc::ClientContext context;
    prepare(context);
    return identity->FindSignIn(&context, by_slug, out);
  };
  apb::SignInSettings settings;
  EXPECT_EQ(find([](grpc::ClientContext&) {}, &settings).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(find([&](grpc::ClientContext& c) { SignAs(c, admin); }, &settings).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(
      find([&](grpc::ClientContext& c) { SignAs(c, ServiceCaller(kAssessmentServicePrincipal)); },
           &settings)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(find([&](grpc::ClientContext& c) { SignAs(c, gateway); }, &settings).error_code(),
            grpc::StatusCode::NOT_FOUND)
      << "no provider yet";

  apb::UpdateIdentityProviderRequest update;
  update.mutable_provider()->set_issuer("https://login.signin.test/realms/soc");
  update.mutable_provider()->set_client_id("soc-maturity");
  update.mutable_provider()->mutable_claim_mapping()->set_role_claim("groups");
  (*update.mutable_provider()->mutable_claim_mapping()->mutable_roles())["soc-admins"] =
      apb::KEY_ROLE_ADMIN;
  {
    grpc::ClientContext context;
    SignAs(context, Viewer(tenant));
    apb::IdentityProvider out;
    EXPECT_EQ(identity->UpdateIdentityProvider(&context, update, &out).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    grpc::ClientContext context;
    SignAs(context, admin);
    apb::IdentityProvider out;
    ASSERT_TRUE(identity->UpdateIdentityProvider(&context, update, &out).ok());
    EXPECT_FALSE(out.client_secret_set());
  }
  ASSERT_TRUE(find([&](grpc::ClientContext& c) { SignAs(c, gateway); }, &settings).ok());
  EXPECT_EQ(settings.tenant_id(), tenant);

  // A login flow is taken once.
  apb::SaveLoginFlowRequest save;
  save.set_state("state-0123456789abcdef-0123456789abcdef");
  save.mutable_flow()->set_tenant_id(tenant);
  save.mutable_flow()->set_nonce("nonce-0123456789abcdef");
  save.mutable_flow()->set_code_verifier(std::string(43, 'v'));
  save.mutable_flow()->set_return_to("//evil.example/");
  const auto soon = std::chrono::system_clock::now() + std::chrono::minutes(10);
  save.mutable_flow()->mutable_expire_time()->set_seconds(
      std::chrono::duration_cast<std::chrono::seconds>(soon.time_since_epoch()).count());
  {
    grpc::ClientContext context;
    SignAs(context, gateway);
    apb::SaveLoginFlowResponse out;
    EXPECT_EQ(identity->SaveLoginFlow(&context, save, &out).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT)
        << "a return path that leaves the site";
  }
  save.mutable_flow()->set_return_to("/\t/evil.example/");
  {
    grpc::ClientContext context;
    SignAs(context, gateway);
    apb::SaveLoginFlowResponse out;
    EXPECT_EQ(identity->SaveLoginFlow(&context, save, &out).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT)
        << "a tab a browser drops would leave the site";
  }
  save.mutable_flow()->set_return_to("/ui/#portfolio");
  {
    grpc::ClientContext context;
    SignAs(context, gateway);
    apb::SaveLoginFlowResponse out;
    const grpc::Status saved = identity->SaveLoginFlow(&context, save, &out);
    ASSERT_TRUE(saved.ok()) << saved.error_message();
  }
  apb::TakeLoginFlowRequest take;
  take.set_state(save.state());
  for (const grpc::StatusCode expected : {grpc::StatusCode::OK, grpc::StatusCode::NOT_FOUND}) {
    grpc::ClientContext context;
    SignAs(context, gateway);
    apb::LoginFlow flow;
    EXPECT_EQ(identity->TakeLoginFlow(&context, take, &flow).error_code(), expected);
    if (expected == grpc::StatusCode::OK) {
      EXPECT_EQ(flow.return_to(), "/ui/#portfolio");
    }
  }

  // A sign-in from another issuer than the tenant's is refused; from its own, a session.
  apb::CompleteSignInRequest complete;
  complete.set_tenant_id(tenant);
  complete.mutable_person()->set_issuer("https://login.elsewhere.test");
  complete.mutable_person()->set_subject("alice-sub");
  complete.mutable_person()->set_email("alice@signin.test");
  complete.mutable_person()->set_role(apb::KEY_ROLE_ADMIN);
  apb::SignedIn signed_in;
  {
    grpc::ClientContext context;
    SignAs(context, gateway);
    EXPECT_EQ(identity->CompleteSignIn(&context, complete, &signed_in).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  complete.mutable_person()->set_issuer("https://login.signin.test/realms/soc");
  {
    grpc::ClientContext context;
    SignAs(context, gateway);
    ASSERT_TRUE(identity->CompleteSignIn(&context, complete, &signed_in).ok());
  }
  EXPECT_FALSE(signed_in.session_token().empty());
  EXPECT_FALSE(signed_in.csrf_token().empty());
  apb::TouchSessionRequest touch;
  touch.set_session_token(signed_in.session_token());
  auto touch_session = [&](apb::Session* out) {
    grpc::ClientContext context;
    SignAs(context, gateway);
    return identity->TouchSession(&context, touch, out).error_code();
  };
  apb::Session session;
  ASSERT_EQ(touch_session(&session), grpc::StatusCode::OK);
  EXPECT_EQ(session.tenant_id(), tenant);
  EXPECT_EQ(session.person().email(), "alice@signin.test");
  EXPECT_EQ(session.person().role(), apb::KEY_ROLE_ADMIN);

  // The admin sees the person; the other tenant's admin sees no one and no provider.
  auto people_of = [&](const Caller& who) {
    grpc::ClientContext context;
    SignAs(context, who);
    apb::ListPeopleResponse out;
    EXPECT_TRUE(identity->ListPeople(&context, apb::ListPeopleRequest(), &out).ok());
    return out;
  };
  ASSERT_EQ(people_of(admin).people_size(), 1);
  EXPECT_EQ(people_of(other_admin).people_size(), 0);
  {
    grpc::ClientContext context;
    SignAs(context, other_admin);
    apb::IdentityProvider out;
    EXPECT_EQ(identity->GetIdentityProvider(&context, apb::GetIdentityProviderRequest(), &out)
                  .error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  apb::UpdatePersonRequest demote;
  demote.set_person_id(signed_in.person().id());
  demote.set_role(apb::KEY_ROLE_VIEWER);
  {
    grpc::ClientContext context;
    SignAs(context, other_admin);
    apb::Person out;
    EXPECT_EQ(identity->UpdatePerson(&context, demote, &out).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  ASSERT_EQ(touch_session(&session), grpc::StatusCode::OK) << "the other admin changed nothing";
  {
    grpc::ClientContext context;
    SignAs(context, admin);
    apb::Person out;
    ASSERT_TRUE(identity->UpdatePerson(&context, demote, &out).ok());
    EXPECT_EQ(out.role(), apb::KEY_ROLE_VIEWER);
    EXPECT_TRUE(out.set_by_admin());
  }
  EXPECT_EQ(touch_session(&session), grpc::StatusCode::NOT_FOUND)
      << "a change of access ends the person's sessions";

  // Signed in again, until the tenant moves to another provider: the session ends with it.
  {
    grpc::ClientContext context;
    SignAs(context, gateway);
    ASSERT_TRUE(identity->CompleteSignIn(&context, complete, &signed_in).ok());
  }
  touch.set_session_token(signed_in.session_token());
  ASSERT_EQ(touch_session(&session), grpc::StatusCode::OK);
  EXPECT_EQ(session.person().role(), apb::KEY_ROLE_VIEWER) << "what the admin set stays";
  update.mutable_provider()->set_issuer("https://login.next.test");
  {
    grpc::ClientContext context;
    SignAs(context, admin);
    apb::IdentityProvider out;
    ASSERT_TRUE(identity->UpdateIdentityProvider(&context, update, &out).ok());
  }
  EXPECT_EQ(touch_session(&session), grpc::StatusCode::NOT_FOUND);
}

// known_version: a caller holding the catalogue's current version gets its id and version alone,
// one holding another version the whole document; what the caller may see is checked either way.
TEST_F(SuiteTest, KnownVersionGetsTheCatalogueHeaderOnlyWhileItIsTheOneAsked) {
  namespace cpb = soc::maturity::catalogue::v1;
  auto catalogues = cpb::CatalogueService::NewStub(suite_->Channel("catalogue"));
  auto get = [&](const std::string& id, const std::string& version, const std::string& known,
                 cpb::Catalogue* out) {
    grpc::ClientContext context;
    SignAs(context, Viewer("t-known-version"));
    cpb::GetCatalogueRequest request;
    request.set_catalogue_id(id);
    request.set_version(version);
    request.set_lang("en");
    request.set_known_version(known);
    return catalogues->GetCatalogue(&context, request, out).error_code();
  };
  cpb::Catalogue whole;
  ASSERT_EQ(get("isogj-soc-csirt", "", "", &whole), grpc::StatusCode::OK);
  ASSERT_GT(whole.functions_size(), 0);
  cpb::Catalogue header;
  ASSERT_EQ(get("isogj-soc-csirt", "", whole.version(), &header), grpc::StatusCode::OK);
  EXPECT_EQ(header.id(), "isogj-soc-csirt");
  EXPECT_EQ(header.version(), whole.version());
  EXPECT_EQ(header.functions_size(), 0);
  cpb::Catalogue again;
  ASSERT_EQ(get("isogj-soc-csirt", "", "1.0", &again), grpc::StatusCode::OK);
  EXPECT_EQ(again.SerializeAsString(), whole.SerializeAsString()) << "another version: whole";
  cpb::Catalogue none;
  EXPECT_EQ(get("acme-nowhere", "", "1.0", &none), grpc::StatusCode::NOT_FOUND);
}

// known_revision: a caller holding the current revision gets the header alone, one holding
// an older one the whole message; the tenant and organisation are checked either way.
TEST_F(SuiteTest, KnownRevisionGetsTheHeaderOnlyWhileItIsCurrent) {
  const std::map<std::string, std::string> op = {
      {"Authorization", std::string("Bearer ") + kOperatorToken}};
  const std::string tenant = json::parse(
      HttpRequest(http_port_, "POST", "/v1/tenants", R"({"displayName":"Revisions"})", op)
          .body)["id"];
  const std::string key =
      json::parse(HttpRequest(http_port_, "POST", "/v1/tenants/" + tenant + "/apiKeys",
                              R"({"role":"admin"})", op)
                      .body)["key"];
  const std::map<std::string, std::string> admin = {{"Authorization", "Bearer " + key}};
  const std::string org = json::parse(
      HttpRequest(http_port_, "POST", "/v1/organizations", R"({"displayName":"O"})", admin)
          .body)["id"];
  const std::string path = "/v1/organizations/" + org + "/assessments";
  const std::string id = json::parse(HttpRequest(http_port_, "POST", path,
                                                 R"({"catalogueId":"isogj-soc-csirt","title":"T",)"
                                                 R"("assessedOn":"2026-11-01"})",
                                                 admin)
                                         .body)["id"];
  ASSERT_EQ(
      HttpRequest(http_port_, "PUT", path + "/" + id + "/answers/A-1", R"({"inSource":3})", admin)
          .status,
      200);  // revision 2

  namespace apb = soc::maturity::assessment::v1;
  namespace spb = soc::maturity::scoring::v1;
  auto assessments = apb::AssessmentService::NewStub(suite_->Channel("assessment"));
  auto scoring = spb::ScoringService::NewStub(suite_->Channel("scoring"));
  auto get_assessment = [&](const std::string& as_tenant, const std::string& in_org, int64_t known,
                            apb::Assessment* out) {
    grpc::ClientContext context;
    SignAs(context, Viewer(as_tenant));
    apb::GetAssessmentRequest request;
    request.set_organization_id(in_org);
    request.set_assessment_id(id);
    request.set_known_revision(known);
    return assessments->GetAssessment(&context, request, out).error_code();
  };
  auto get_score = [&](const std::string& as_tenant, int64_t known, spb::Score* out) {
    grpc::ClientContext context;
    SignAs(context, Viewer(as_tenant));
    spb::GetScoreRequest request;
    request.set_organization_id(org);
    request.set_assessment_id(id);
    request.set_lang("en");
    request.set_known_revision(known);
    return scoring->GetScore(&context, request, out).error_code();
  };

  apb::Assessment header;
  ASSERT_EQ(get_assessment(tenant, org, 2, &header), grpc::StatusCode::OK);
  EXPECT_EQ(header.revision(), 2);
  EXPECT_EQ(header.id(), id);
  EXPECT_FALSE(header.etag().empty());
  EXPECT_TRUE(header.catalogue_id().empty());
  EXPECT_EQ(header.answers_size(), 0);
  EXPECT_TRUE(header.unchanged());
  apb::Assessment whole;
  ASSERT_EQ(get_assessment(tenant, org, 1, &whole), grpc::StatusCode::OK);
  EXPECT_EQ(whole.revision(), 2);
  EXPECT_EQ(whole.catalogue_id(), "isogj-soc-csirt");
  EXPECT_EQ(whole.answers_size(), 1);
  EXPECT_EQ(whole.etag(), header.etag());
  EXPECT_FALSE(whole.unchanged());
  EXPECT_EQ(get_assessment("tenant_other", org, 2, &header), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(get_assessment(tenant, "org_other", 2, &header), grpc::StatusCode::NOT_FOUND);

  spb::Score score;
  ASSERT_EQ(get_score(tenant, 0, &score), grpc::StatusCode::OK);
  EXPECT_EQ(score.revision(), 2);
  ASSERT_EQ(score.functions_size(), 9);
  spb::Score short_score;
  ASSERT_EQ(get_score(tenant, 2, &short_score), grpc::StatusCode::OK);
  EXPECT_EQ(short_score.revision(), 2);
  EXPECT_EQ(short_score.assessment_id(), id);
  EXPECT_EQ(short_score.functions_size(), 0);
  EXPECT_TRUE(short_score.unchanged());
  spb::Score again;
  ASSERT_EQ(get_score(tenant, 1, &again), grpc::StatusCode::OK);
  EXPECT_EQ(again.functions_size(), 9);
  EXPECT_FALSE(again.unchanged());
  EXPECT_EQ(get_score("tenant_other", 2, &again), grpc::StatusCode::NOT_FOUND);
}

// A tenant (its admin key), an organisation and an assessment with one answer, through the
// gateway: the score's path, and the admin's headers.
struct Scored {
  std::map<std::string, std::string> admin;
  std::string assessment_path;
};
Scored MakeScoredAssessment(int http_port) {
  const std::map<std::string, std::string> op = {
      {"Authorization", std::string("Bearer ") + kOperatorToken}};
  const std::string tenant = json::parse(
      HttpRequest(http_port, "POST", "/v1/tenants", R"({"displayName":"Board"})", op).body)["id"];
  const std::string key =
      json::parse(HttpRequest(http_port, "POST", "/v1/tenants/" + tenant + "/apiKeys",
                              R"({"role":"admin"})", op)
                      .body)["key"];
  Scored out;
  out.admin = {{"Authorization", "Bearer " + key}};
  const std::string org = json::parse(
      HttpRequest(http_port, "POST", "/v1/organizations", R"({"displayName":"O"})", out.admin)
          .body)["id"];
  const std::string path = "/v1/organizations/" + org + "/assessments";
  const std::string id = json::parse(HttpRequest(http_port, "POST", path,
                                                 R"({"catalogueId":"isogj-soc-csirt","title":"T",)"
                                                 R"("assessedOn":"2026-11-01"})",
                                                 out.admin)
                                         .body)["id"];
  out.assessment_path = path + "/" + id;
  return out;
}

// The revision board (Redis) lets the gateway send a warm score with no backend call, and a
// write is seen by the very next read.
TEST_F(SuiteTest, AWarmScoreNeedsNoBackendCallUntilTheNextWrite) {
  const Scored s = MakeScoredAssessment(http_port_);
  const std::map<std::string, std::string> get_score = {
      {"grpc_service", "soc.maturity.scoring.v1.ScoringService"}, {"grpc_method", "GetScore"}};
  auto scoring_calls = [&] {
    return Metric(Metrics(suite_->metrics_port("scoring")), "grpc_server_handled_total", get_score);
  };
  for (int round = 2; round <= 4; ++round) {
    const HttpResult put = HttpRequest(http_port_, "PUT", s.assessment_path + "/answers/A-1",
                                       absl::StrCat(R"({"inSource":)", round, "}"), s.admin);
    ASSERT_EQ(put.status, 200) << put.body;
    const HttpResult first =
        HttpRequest(http_port_, "GET", s.assessment_path + "/score", "", s.admin);
    ASSERT_EQ(first.status, 200);
    EXPECT_EQ(json::parse(first.body)["revision"], round) << "a read right after a write";
    const double before = scoring_calls();
    ASSERT_GT(before, 0) << "the metric the check reads";
    for (int i = 0; i < 5; ++i) {
      const HttpResult again =
          HttpRequest(http_port_, "GET", s.assessment_path + "/score", "", s.admin);
      ASSERT_EQ(again.status, 200);
      EXPECT_EQ(again.body, first.body);
    }
    EXPECT_EQ(scoring_calls(), before) << "the warm reads went to scoring";
  }
}

// Runs after the others (gtest keeps declaration order): it stops Redis.
TEST_F(SuiteTest, WithRedisDownScoresAreServedAndAWriteIsRefusedWholeUntilItIsBack) {
  const Scored s = MakeScoredAssessment(http_port_);
  ASSERT_EQ(HttpRequest(http_port_, "PUT", s.assessment_path + "/answers/A-1", R"({"inSource":2})",
                        s.admin)
                .status,
            200);
  ASSERT_EQ(HttpRequest(http_port_, "GET", s.assessment_path + "/score", "", s.admin).status, 200);
  suite_->KillRedis();
  // Nothing vouches for the warm score now: it comes the long way, and is still right.
  const HttpResult score =
      HttpRequest(http_port_, "GET", s.assessment_path + "/score", "", s.admin);
  ASSERT_EQ(score.status, 200);
  EXPECT_EQ(json::parse(score.body)["revision"], 2);
  // A write the other replicas could not hear of is not made at all.
  const HttpResult refused = HttpRequest(http_port_, "PUT", s.assessment_path + "/answers/A-1",
                                         R"({"inSource":4})", s.admin);
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(json::parse(refused.body)["error"]["code"], "UNAVAILABLE");
  const HttpResult unchanged = HttpRequest(http_port_, "GET", s.assessment_path, "", s.admin);
  EXPECT_EQ(json::parse(unchanged.body)["revision"], 2);
  ASSERT_TRUE(suite_->StartRedis());
  // Each process leaves Redis alone for a second after a failure.
  HttpResult accepted;
  for (int i = 0; i < 40; ++i) {
    accepted = HttpRequest(http_port_, "PUT", s.assessment_path + "/answers/A-1",
                           R"({"inSource":4})", s.admin);
    if (accepted.status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  const HttpResult after =
      HttpRequest(http_port_, "GET", s.assessment_path + "/score", "", s.admin);
  EXPECT_EQ(json::parse(after.body)["revision"], 3);
}

TEST_F(SuiteTest, WithRedisDownTheCatalogueStillAnswersAndCountsTheMiss) {
  const std::map<std::string, std::string> errors = {{"cache", "catalogue_redis"},
                                                     {"result", "error"}};
  ASSERT_EQ(Get("/v1/catalogues/isogj-soc-csirt?lang=en").status, 200);
  const double before =
      Metric(Metrics(suite_->metrics_port("catalogue")), "cache_requests_total", errors);
  suite_->KillRedis();
  const HttpResult r = Get("/v1/catalogues/isogj-soc-csirt");
  EXPECT_EQ(r.status, 200);
  EXPECT_GT(Metric(Metrics(suite_->metrics_port("catalogue")), "cache_requests_total", errors),
            before);
  EXPECT_TRUE(suite_->StartRedis());
}

// Runs last: a backend going away degrades the routes that need it (503), not the gateway:
// it stays ready, so Kubernetes keeps sending it the requests the other backends can answer.
TEST_F(SuiteTest, ZLastABackendDownDegradesItsRoutesOnly) {
  EXPECT_EQ(HttpRequest(http_port_, "GET", "/readyz?all=true").status, 200);
  EXPECT_EQ(suite_->service("catalogue").Stop(SIGKILL, std::chrono::seconds(5)), 128 + SIGKILL);
  const HttpResult ready = HttpRequest(http_port_, "GET", "/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(json::parse(ready.body)["status"], "degraded");
  EXPECT_NE(json::parse(ready.body)["backends"]["catalogue"], "SERVING");
  EXPECT_EQ(json::parse(ready.body)["backends"]["assessment"], "SERVING");
  EXPECT_EQ(HttpRequest(http_port_, "GET", "/readyz?all=true").status, 503);
  const HttpResult r = Get("/v1/catalogues/isogj-soc-csirt");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(json::parse(r.body)["error"]["code"], "UNAVAILABLE");
  // What does not need the catalogue still works: the assessment service's routes, the UI.
  EXPECT_EQ(Get("/v1/organizations").status, 200);
  EXPECT_EQ(HttpRequest(http_port_, "GET", "/").status, 200);
  EXPECT_EQ(HttpRequest(http_port_, "GET", "/healthz").status, 200);
}

}  // namespace
}  // namespace socm::testing
