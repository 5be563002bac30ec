// Signing in to the suite through a real OpenID provider (oidc-provider from npm, started here
// from tests/oidc/provider.mjs): the gateway's /auth/login, the provider's own screens, the
// gateway's /auth/callback, then the API with the session cookie: the person's role and
// organisation scope hold on every route, writes need the CSRF token, logout ends the
// session, and an admin's change of access takes effect at once. The browser here is libcurl
// at the provider and explicit cookies at the gateway (the gateway's public URL is
// http://localhost:8080, which the test maps to the suite's real port).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gateway/route_table.h"
#include "tests/integration/process.h"
#include "tests/integration/suite.h"
#include "tests/oidc/provider_browser.h"

namespace socm::testing {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr char kPublicUrl[] = "http://localhost:8080";
constexpr char kCallback[] = "http://localhost:8080/auth/callback";

// The cookies a browser keeps for the gateway: name -> value, from Set-Cookie lines.
using Jar = std::map<std::string, std::string>;

void Keep(Jar& jar, const HttpResult& r) {
  auto it = r.headers.find("set-cookie");
  if (it == r.headers.end()) return;
  for (absl::string_view line : absl::StrSplit(it->second, '\n')) {
    const std::string cookie(line.substr(0, line.find(';')));
    const size_t eq = cookie.find('=');
    if (eq == std::string::npos) continue;
    const std::string name = cookie.substr(0, eq), value = cookie.substr(eq + 1);
    if (absl::StrContains(line, "Max-Age=0")) {
      jar.erase(name);
    } else {
      jar[name] = value;
    }
  }
}

std::string CookieHeader(const Jar& jar) {
  std::string out;
  for (const auto& [name, value] : jar)
    absl::StrAppend(&out, out.empty() ? "" : "; ", name, "=", value);
  return out;
}

json Sorted(json list) {
  std::sort(list.begin(), list.end());
  return list;
}

// What follows the host in a URL ("/auth/callback?code=..").
std::string PathOf(const std::string& url) {
  const size_t scheme = url.find("://");
  const size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return slash == std::string::npos ? "/" : url.substr(slash);
}

class SignInTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = new Suite();
    SuiteOptions options;
    options.gateway_args = {std::string("--public-url=") + kPublicUrl,
                            "--allow-private-issuers=true", "--key-cache-ms=200",
                            "--operator-link-file=" + OperatorLinkFile()};
    options.assessment_args = {"--allow-private-issuers=true"};
    ASSERT_TRUE(suite_->Start(options));
    const int port = suite_->http_port();
    auto created = [](const HttpResult& r) {
      EXPECT_EQ(r.status, 201) << r.body;
      return json::parse(r.body, nullptr, false);
    };
    const json tenant = created(AuthedRequest(port, "POST", "/v1/tenants", kOperatorToken,
                                              R"({"displayName":"Acme SOC","slug":"acme"})"));
    tenant_ = new std::string(tenant["id"].get<std::string>());
    admin_ =
        new std::string(created(AuthedRequest(port, "POST", "/v1/tenants/" + *tenant_ + "/apiKeys",
                                              kOperatorToken, R"({"role":"admin"})"))["key"]
                            .get<std::string>());
    orgs_ = new std::vector<std::string>();
    for (const char* name : {"Customer One", "Customer Two", "Customer Three"}) {
      orgs_->push_back(created(AuthedRequest(port, "POST", "/v1/organizations", *admin_,
                                             json{{"displayName", name}}.dump()))["id"]);
    }
    // Bob, an analyst, serves the first two customers; the provider says so.
    provider_ = new Process();
    provider_->Start(
        {"/usr/bin/env", "node", std::string(SOCM_SOURCE_DIR) + "/tests/oidc/provider.mjs",
         "--port", "0", "--redirect", kCallback, "--customers",
         "bob=" + (*orgs_)[0] + "," + (*orgs_)[1]},
        ::testing::TempDir() + "/sign-in-provider.log");
    const std::string line = provider_->WaitForLine("\"issuer\"", 20s);
    ASSERT_FALSE(line.empty()) << "the provider did not start; see " << provider_->log_path();
    issuer_ = new std::string(json::parse(line).at("issuer").get<std::string>());
    const json settings = {{"issuer", *issuer_},
                           {"clientId", "soc-maturity"},
                           {"clientSecret", "soc-maturity-test-secret"},
                           {"scopes", {"email", "profile", "soc"}},
                           {"claimMapping",
                            {{"roleClaim", "groups"},
                             {"roles", {{"soc-admins", "admin"}, {"soc-analysts", "assessor"}}},
                             {"organizationClaim", "soc_customers"}}}};
    const HttpResult put =
        AuthedRequest(port, "PUT", "/v1/identityProvider", *admin_, settings.dump());
    ASSERT_EQ(put.status, 200) << put.body;
  }

  static void TearDownTestSuite() {
    if (provider_ != nullptr) provider_->Stop(SIGTERM, 5s);
    delete provider_;
    delete suite_;
    delete tenant_;
    delete admin_;
    delete orgs_;
    delete issuer_;
  }

  static std::string OperatorLinkFile() { return ::testing::TempDir() + "/operator-link"; }

  static HttpResult Get(const std::string& target, const Jar& jar) {
    return HttpRequest(suite_->http_port(), "GET", target, "", {{"Cookie", CookieHeader(jar)}});
  }

  // Starts a sign-in at the gateway and walks the provider's screens as `person`: the jar
  // holds the login cookie, and the callback URL the provider sent the browser to is returned.
  static std::string StartAndWalk(const std::string& person, Jar& jar,
                                  const std::string& return_to = "/") {
    const HttpResult login = Get("/auth/login?tenant=acme&returnTo=" + return_to, jar);
    EXPECT_EQ(login.status, 302) << login.body;
    Keep(jar, login);
    EXPECT_EQ(jar.count("__Host-socm_login"), 1u);
    const std::string location =
        login.headers.count("location") ? login.headers.at("location") : "";
    EXPECT_TRUE(absl::StartsWith(location, *issuer_)) << location;
    int interactions = 0;
    return oidc::WalkProvider(*issuer_, location, kCallback, person, &interactions);
  }

  // A whole sign-in: the jar then holds the session and CSRF cookies.
  static Jar SignIn(const std::string& person) {
    Jar jar;
    const std::string callback = StartAndWalk(person, jar);
    const HttpResult back = Get(PathOf(callback), jar);
    EXPECT_EQ(back.status, 302) << back.body;
    Keep(jar, back);
    return jar;
  }

  static Suite* suite_;
  static Process* provider_;
  static std::string* tenant_;
  static std::string* admin_;
  static std::vector<std::string>* orgs_;
  static std::string* issuer_;
};

Suite* SignInTest::suite_ = nullptr;
Process* SignInTest::provider_ = nullptr;
std::string* SignInTest::tenant_ = nullptr;
std::string* SignInTest::admin_ = nullptr;
std::vector<std::string>* SignInTest::orgs_ = nullptr;
std::string* SignInTest::issuer_ = nullptr;

TEST_F(SignInTest, APersonSignsInSeesOnlyTheirCustomersWritesWithCsrfAndSignsOut) {
  Jar jar;
  const std::string callback = StartAndWalk("bob", jar, "/%23/portfolio");
  ASSERT_FALSE(callback.empty());
  const HttpResult back = Get(PathOf(callback), jar);
  ASSERT_EQ(back.status, 302) << back.body;
  EXPECT_EQ(back.headers.at("location"), "/#/portfolio");
  const std::string cookies = back.headers.at("set-cookie");
  EXPECT_TRUE(absl::StrContains(cookies, "__Host-socm_session=")) << cookies;
  for (absl::string_view line : absl::StrSplit(cookies, '\n')) {
    EXPECT_TRUE(absl::StrContains(line, "; Secure")) << line;
    EXPECT_TRUE(absl::StrContains(line, "SameSite=Lax")) << line;
    EXPECT_TRUE(absl::StrContains(line, "Path=/")) << line;
    if (absl::StartsWith(line, "__Host-socm_session=")) {
      EXPECT_TRUE(absl::StrContains(line, "HttpOnly")) << line;
    }
  }
  Keep(jar, back);
  ASSERT_EQ(jar.count("__Host-socm_session"), 1u);
  ASSERT_EQ(jar.count("__Host-socm_csrf"), 1u);
  EXPECT_EQ(jar.count("__Host-socm_login"), 0u) << "the login cookie is cleared";

  // Who the cookie says: Bob, an assessor, limited to the first two customers.
  HttpResult me = Get("/v1/me", jar);
  ASSERT_EQ(me.status, 200) << me.body;
  const json who = json::parse(me.body);
  EXPECT_EQ(who["kind"], "person");
  EXPECT_EQ(who["role"], "assessor");
  EXPECT_EQ(who["tenantId"], *tenant_);
  EXPECT_EQ(Sorted(who["organizationIds"]), Sorted(json{(*orgs_)[0], (*orgs_)[1]}));
  const std::string person = who["personId"];
  EXPECT_TRUE(absl::StartsWith(person, "person_")) << person;

  const json listed = json::parse(Get("/v1/organizations", jar).body);
  ASSERT_EQ(listed["organizations"].size(), 2u) << listed;
  EXPECT_EQ(Get("/v1/organizations/" + (*orgs_)[0], jar).status, 200);
  EXPECT_EQ(Get("/v1/organizations/" + (*orgs_)[2], jar).status, 404);
  EXPECT_EQ(Get("/v1/organizations/" + (*orgs_)[2] + "/assessments", jar).status, 404);
  EXPECT_EQ(Get("/v1/tenants/" + *tenant_ + "/apiKeys", jar).status, 403);

  // A write without the CSRF token is refused; with it, it goes through and names Bob.
  const std::string body =
      R"({"catalogueId":"isogj-soc-csirt","title":"FY2026","assessedOn":"2026-12-01"})";
  const std::string assessments = "/v1/organizations/" + (*orgs_)[0] + "/assessments";
  HttpResult write =
      HttpRequest(suite_->http_port(), "POST", assessments, body, {{"Cookie", CookieHeader(jar)}});
  EXPECT_EQ(write.status, 403) << write.body;
  EXPECT_TRUE(absl::StrContains(write.body, "X-CSRF-Token")) << write.body;
  write = HttpRequest(suite_->http_port(), "POST", assessments, body,
                      {{"Cookie", CookieHeader(jar)}, {"X-CSRF-Token", "not-the-token"}});
  EXPECT_EQ(write.status, 403) << write.body;
  write = HttpRequest(suite_->http_port(), "POST", assessments, body,
                      {{"Cookie", CookieHeader(jar)}, {"X-CSRF-Token", jar["__Host-socm_csrf"]}});
  ASSERT_EQ(write.status, 201) << write.body;
  // Outside the scope, the same write is a 404, token or not.
  write =
      HttpRequest(suite_->http_port(), "POST", "/v1/organizations/" + (*orgs_)[2] + "/assessments",
                  body, {{"Cookie", CookieHeader(jar)}, {"X-CSRF-Token", jar["__Host-socm_csrf"]}});
  EXPECT_EQ(write.status, 404) << write.body;

  // The admin sees Bob among the people, with his scope and last sign-in.
  const json people =
      json::parse(AuthedRequest(suite_->http_port(), "GET", "/v1/people", *admin_).body);
  ASSERT_EQ(people["people"].size(), 1u) << people;
  EXPECT_EQ(people["people"][0]["id"], person);
  EXPECT_EQ(people["people"][0]["email"], "bob@acme.test");
  EXPECT_EQ(people["people"][0]["role"], "assessor");
  EXPECT_TRUE(people["people"][0].contains("lastSignInTime"));
  // And the audit log names him.
  const HttpResult audit =
      AuthedRequest(suite_->http_port(), "GET", "/v1/auditLog?pageSize=50", *admin_);
  EXPECT_TRUE(absl::StrContains(audit.body, "person.sign_in")) << audit.body.substr(0, 500);
  EXPECT_TRUE(absl::StrContains(audit.body, person)) << audit.body.substr(0, 500);

  // Logout needs the CSRF token too, then the cookie is worth nothing.
  HttpResult out =
      HttpRequest(suite_->http_port(), "POST", "/auth/logout", "", {{"Cookie", CookieHeader(jar)}});
  EXPECT_EQ(out.status, 403);
  out = HttpRequest(suite_->http_port(), "POST", "/auth/logout", "",
                    {{"Cookie", CookieHeader(jar)}, {"X-CSRF-Token", jar["__Host-socm_csrf"]}});
  EXPECT_EQ(out.status, 204) << out.body;
  const Jar stale = jar;
  Keep(jar, out);
  EXPECT_EQ(jar.count("__Host-socm_session"), 0u);
  EXPECT_EQ(Get("/v1/me", stale).status, 401);
}

// The gateway wrote a one-time link at start; redeemed, it is an operator session (cookies and
// CSRF as a person's) that manages tenants and nothing of a tenant's, once only, until logout.
TEST_F(SignInTest, TheOperatorsOneTimeLinkStartsAnOperatorSessionOnce) {
  std::ifstream in(OperatorLinkFile());
  std::string link;
  std::getline(in, link);
  const std::string prefix = std::string(kPublicUrl) + "/#operator=";
  ASSERT_TRUE(absl::StartsWith(link, prefix)) << link;
  const std::string code = link.substr(prefix.size());
  struct stat info {};
  ASSERT_EQ(::stat(OperatorLinkFile().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);

  const int port = suite_->http_port();
  auto redeem = [port](const std::string& body, const std::string& type = "application/json") {
    return HttpRequest(port, "POST", "/auth/operator", body, {{"Content-Type", type}});
  };
  EXPECT_EQ(redeem(json{{"code", code}}.dump(), "text/plain").status, 400);
  EXPECT_EQ(redeem("{\"code\": 7}").status, 400);
  EXPECT_EQ(redeem(json{{"code", "opc_" + std::string(64, 'a')}}.dump()).status, 401);
  const HttpResult redeemed = redeem(json{{"code", code}}.dump());
  ASSERT_EQ(redeemed.status, 204) << redeemed.body;
  Jar jar;
  Keep(jar, redeemed);
  ASSERT_EQ(jar.count("__Host-socm_session"), 1u);
  ASSERT_EQ(jar.count("__Host-socm_csrf"), 1u);
  EXPECT_TRUE(absl::StrContains(redeemed.headers.at("set-cookie"), "HttpOnly"));
  // Spent.
  EXPECT_EQ(redeem(json{{"code", code}}.dump()).status, 401);

  const HttpResult me = Get("/v1/me", jar);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(json::parse(me.body)["kind"], "operator");
  EXPECT_EQ(Get("/v1/tenants", jar).status, 200);
  EXPECT_EQ(Get("/v1/tenants/" + *tenant_ + "/apiKeys", jar).status, 200);
  // The operator is no tenant's member.
  EXPECT_EQ(Get("/v1/organizations", jar).status, 403);
  const std::string tenant = R"({"displayName":"Linked MSSP"})";
  HttpResult created = HttpRequest(port, "POST", "/v1/tenants", tenant,
                                   {{"Cookie", CookieHeader(jar)}, {"Idempotency-Key", "k1"}});
  EXPECT_EQ(created.status, 403) << created.body;
  created = HttpRequest(port, "POST", "/v1/tenants", tenant,
                        {{"Cookie", CookieHeader(jar)},
                         {"X-CSRF-Token", jar["__Host-socm_csrf"]},
                         {"Idempotency-Key", "k2"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string tenant_id = json::parse(created.body)["id"];
  const HttpResult key =
      HttpRequest(port, "POST", "/v1/tenants/" + tenant_id + "/apiKeys", R"({"role":"admin"})",
                  {{"Cookie", CookieHeader(jar)}, {"X-CSRF-Token", jar["__Host-socm_csrf"]}});
  ASSERT_EQ(key.status, 201) << key.body;
  EXPECT_EQ(AuthedRequest(port, "GET", "/v1/me", json::parse(key.body)["key"]).status, 200);

  const HttpResult out =
      HttpRequest(port, "POST", "/auth/logout", "",
                  {{"Cookie", CookieHeader(jar)}, {"X-CSRF-Token", jar["__Host-socm_csrf"]}});
  EXPECT_EQ(out.status, 204) << out.body;
  EXPECT_EQ(Get("/v1/me", jar).status, 401);
  EXPECT_EQ(Get("/v1/tenants", jar).status, 401);
}

TEST_F(SignInTest, AReplayedOrForeignCallbackAndAPersonWithoutARoleAreRefused) {
  Jar jar;
  const std::string callback = StartAndWalk("bob", jar);
  ASSERT_FALSE(callback.empty());
  // The callback in a browser that did not start the flow (login CSRF): refused, and the
  // flow stays for its own browser.
  Jar other;
  other["__Host-socm_login"] = "someone-elses-state";
  EXPECT_EQ(Get(PathOf(callback), other).status, 400);
  EXPECT_EQ(Get(PathOf(callback), Jar{}).status, 400);
  const HttpResult first = Get(PathOf(callback), jar);
  EXPECT_EQ(first.status, 302) << first.body;
  // The same state again: the flow was taken once.
  const HttpResult replay = Get(PathOf(callback), jar);
  EXPECT_EQ(replay.status, 400) << replay.body;
  EXPECT_TRUE(absl::StrContains(replay.body, "expired or was already used")) << replay.body;

  // Carol's groups map to no role and the tenant has no default: no session.
  Jar carol;
  const std::string carol_back = StartAndWalk("carol", carol);
  ASSERT_FALSE(carol_back.empty());
  const HttpResult refused = Get(PathOf(carol_back), carol);
  EXPECT_EQ(refused.status, 403) << refused.body;
  Keep(carol, refused);
  EXPECT_EQ(carol.count("__Host-socm_session"), 0u);
  // The tenant's audit log has the refusal, with whom and why.
  const json log = json::parse(
      AuthedRequest(suite_->http_port(), "GET", "/v1/auditLog?pageSize=100", *admin_).body);
  bool found = false;
  for (const json& entry : log.value("entries", json::array())) {
    if (entry.value("action", "") != "person.sign_in_refused") continue;
    found = true;
    EXPECT_EQ(entry.value("target", ""), "carol") << entry;
    EXPECT_EQ(entry.value("actor", ""), "gateway") << entry;
    EXPECT_TRUE(absl::StrContains(entry.value("afterJson", ""), "role")) << entry;
  }
  EXPECT_TRUE(found) << log.dump().substr(0, 800);

  // An unknown tenant, and a return path that would leave the site.
  EXPECT_EQ(Get("/auth/login?tenant=nobody-here", Jar{}).status, 404);
  EXPECT_EQ(Get("/auth/login?tenant=acme&returnTo=//evil.example/", Jar{}).status, 400);
}

TEST_F(SignInTest, AnAdminsChangeOfAccessEndsTheSessionAndOutlastsTheNextSignIn) {
  Jar bob = SignIn("bob");
  ASSERT_EQ(Get("/v1/me", bob).status, 200);
  const json me = json::parse(Get("/v1/me", bob).body);
  const std::string person = me["personId"];
  const HttpResult patched =
      AuthedRequest(suite_->http_port(), "PATCH", "/v1/people/" + person, *admin_,
                    json{{"role", "viewer"}, {"organizationIds", {(*orgs_)[2]}}}.dump());
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(json::parse(patched.body)["setByAdmin"], true);
  // The session ended with the change (the gateway remembers a session for --key-cache-ms).
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(Get("/v1/me", bob).status, 401);
  // Signing in again, Bob has what the admin set, not what the provider says.
  bob = SignIn("bob");
  const json again = json::parse(Get("/v1/me", bob).body);
  EXPECT_EQ(again["role"], "viewer");
  EXPECT_EQ(again["organizationIds"], (json{(*orgs_)[2]}));
  EXPECT_EQ(Get("/v1/organizations/" + (*orgs_)[0], bob).status, 404);
  EXPECT_EQ(Get("/v1/organizations/" + (*orgs_)[2], bob).status, 200);
}

// A portal calls the API with its users' access tokens from the tenant's provider: the token's
// issuer and audience name the tenant, the provider's keys check it, and its person gets the
// role and scope the tenant maps. Hostile tokens are refused with 401, and the tenant's audit
// log says why.
TEST_F(SignInTest, BearerAccessTokensOfTheTenantsProviderAreCheckedFully) {
  const int port = suite_->http_port();
  Process issuer_process;
  issuer_process.Start(
      {"/usr/bin/env", "node", std::string(SOCM_SOURCE_DIR) + "/tests/oidc/token_issuer.mjs",
       "--port", "0"},
      ::testing::TempDir() + "/token-issuer.log");
  const std::string line = issuer_process.WaitForLine("\"issuer\"", 20s);
  ASSERT_FALSE(line.empty()) << "the token issuer did not start";
  const std::string issuer = json::parse(line).at("issuer");
  auto created = [](const HttpResult& r) {
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body, nullptr, false);
  };
  const json tenant = created(AuthedRequest(port, "POST", "/v1/tenants", kOperatorToken,
                                            R"({"displayName":"Beta Portal","slug":"beta"})"));
  const std::string admin = created(
      AuthedRequest(port, "POST", "/v1/tenants/" + tenant["id"].get<std::string>() + "/apiKeys",
                    kOperatorToken, R"({"role":"admin"})"))["key"];
  const std::string mine = created(
      AuthedRequest(port, "POST", "/v1/organizations", admin, R"({"displayName":"B1"})"))["id"];
  const std::string theirs = created(
      AuthedRequest(port, "POST", "/v1/organizations", admin, R"({"displayName":"B2"})"))["id"];
  const json settings = {{"issuer", issuer},
                         {"clientId", "beta-portal"},
                         {"claimMapping",
                          {{"roleClaim", "groups"},
                           {"roles", {{"soc-analysts", "assessor"}}},
                           {"organizationClaim", "soc_customers"}}}};
  ASSERT_EQ(AuthedRequest(port, "PUT", "/v1/identityProvider", admin, settings.dump()).status, 200);

  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const json good = {{"iss", issuer},
                     {"aud", "beta-portal"},
                     {"sub", "dave"},
                     {"email", "dave@beta.test"},
                     {"groups", {"soc-analysts"}},
                     {"soc_customers", {mine}}};
  auto mint = [&](json claims, const std::string& as) {
    const HttpResult r =
        HttpRequest(std::stoi(issuer.substr(issuer.rfind(':') + 1)), "POST", "/mint",
                    json{{"claims", std::move(claims)}, {"as", as}}.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    return r.body;
  };
  const std::string token = mint(good, "rs256");
  HttpResult me = AuthedRequest(port, "GET", "/v1/me", token);
  ASSERT_EQ(me.status, 200) << me.body;
  const json who = json::parse(me.body);
  EXPECT_EQ(who["kind"], "person");
  EXPECT_EQ(who["role"], "assessor");
  EXPECT_EQ(who["tenantId"], tenant["id"]);
  EXPECT_EQ(who["organizationIds"], json{mine});
  EXPECT_EQ(AuthedRequest(port, "GET", "/v1/organizations/" + mine, token).status, 200);
  EXPECT_EQ(AuthedRequest(port, "GET", "/v1/organizations/" + theirs, token).status, 404);
  EXPECT_EQ(AuthedRequest(port, "GET", "/v1/organizations/" + (*orgs_)[0], token).status, 404)
      << "another tenant's organisation";
  // A bearer token is no cookie: its writes need no CSRF token.
  EXPECT_EQ(
      AuthedRequest(port, "POST", "/v1/organizations/" + mine + "/assessments", token,
                    R"({"catalogueId":"isogj-soc-csirt","title":"T","assessedOn":"2026-12-01"})")
          .status,
      201);

  json expired = good;
  expired["iat"] = now - 7200;
  expired["exp"] = now - 3600;
  json other_audience = good;
  other_audience["aud"] = "someone-elses-api";
  json other_issuer = good;
  other_issuer["iss"] = "https://login.other.example";
  json no_role = good;
  no_role["sub"] = "erin";
  no_role["groups"] = {"marketing"};
  const std::vector<std::pair<std::string, std::string>> hostile = {
      {mint(expired, "rs256"), "expired"},
      {mint(other_audience, "rs256"), ""},
      {mint(other_issuer, "rs256"), ""},
      {mint(good, "none"), "not a compact JWS"},
      {mint(good, "hs256-public"), "algorithm HS256"},
      {mint(good, "unknown-kid"), "key id is not in the provider's JWKS"},
      {mint(good, "other-key"), "bad signature"},
      {token.substr(0, token.size() - 4) + "AAAA", "bad signature"},
  };
  for (const auto& [bad, reason] : hostile) {
    const HttpResult r = AuthedRequest(port, "GET", "/v1/me", bad);
    EXPECT_EQ(r.status, 401) << reason << ": " << r.body;
  }
  EXPECT_EQ(AuthedRequest(port, "GET", "/v1/me", mint(no_role, "rs256")).status, 403);
  // The tenant's audit log says why, for each refusal whose token named this tenant (written
  // beside the answer, so give it a moment).
  std::string log;
  for (int i = 0; i < 50; ++i) {
    log = AuthedRequest(port, "GET", "/v1/auditLog?pageSize=200", admin).body;
    bool all = true;
    for (const auto& [bad, reason] : hostile) all = all && absl::StrContains(log, reason);
    if (all && absl::StrContains(log, "no value of the claim")) break;
    std::this_thread::sleep_for(100ms);
  }
  for (const auto& [bad, reason] : hostile) {
    if (reason.empty()) continue;
    EXPECT_TRUE(absl::StrContains(log, reason)) << "no audit entry saying: " << reason;
  }
  EXPECT_TRUE(absl::StrContains(log, "person.sign_in_refused"));
  EXPECT_TRUE(absl::StrContains(log, "no value of the claim")) << "the person without a role";
  issuer_process.Stop(SIGTERM, 5s);
}

// Every route of the table that names an organisation, a campaign, a webhook or a person,
// walked from PublicRoutes() so that no route is left out: to a signed-in person, the objects
// of an organisation outside their scope answer exactly as objects that do not exist, and
// nothing changes.
TEST_F(SignInTest, EveryRouteIs404ToAPersonOutsideTheirScope) {
  const int port = suite_->http_port();
  auto created = [](const HttpResult& r) {
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body, nullptr, false);
  };
  // Bob's scope is whatever the tests before left it: the organisation outside it is one of
  // the tenant's that he does not see.
  Jar bob = SignIn("bob");
  const json me = json::parse(Get("/v1/me", bob).body);
  const std::string person = me["personId"];
  std::string outside;
  for (const std::string& org : *orgs_) {
    bool mine = false;
    for (const json& id : me["organizationIds"]) mine = mine || id == org;
    if (!mine) outside = org;
  }
  ASSERT_FALSE(outside.empty()) << me;
  ASSERT_FALSE(me["organizationIds"].empty()) << "Bob must be limited to some organisations";
  const std::string as = "/v1/organizations/" + outside + "/assessments";
  const json assessment =
      created(AuthedRequest(port, "POST", as, *admin_,
                            R"({"catalogueId":"isogj-soc-csirt","title":"Theirs",)"
                            R"("assessedOn":"2026-12-01"})"));
  const std::string one = as + "/" + assessment["id"].get<std::string>();
  const json evidence =
      created(AuthedRequest(port, "POST", one + "/roles/A-1/evidence?filename=p.txt", *admin_,
                            "proof", {{"Content-Type", "text/plain"}}));
  const json link =
      created(AuthedRequest(port, "POST", one + "/shareLinks", *admin_, R"({"ttlSeconds":600})"));
  const json campaign = created(AuthedRequest(port, "POST", "/v1/campaigns", *admin_,
                                              json{{"title", "Theirs only"},
                                                   {"catalogueId", "isogj-soc-csirt"},
                                                   {"assessedOn", "2026-12-01"},
                                                   {"organizationIds", {outside}}}
                                                  .dump()));
  const json hook = created(
      AuthedRequest(port, "POST", "/v1/webhooks", *admin_,
                    R"({"url":"https://portal.invalid/hook","events":["campaign.created"]})"));
  const json before = json::parse(AuthedRequest(port, "GET", one, *admin_).body);

  const std::map<std::string, std::string> values = {{"orgId", outside},
                                                     {"assessmentId", assessment["id"]},
                                                     {"roleCode", "A-1"},
                                                     {"evidenceId", evidence["id"]},
                                                     {"campaignId", campaign["id"]},
                                                     {"shareLinkId", link["id"]},
                                                     {"webhookId", hook["id"]},
                                                     {"personId", person}};
  const std::map<std::string, std::string> missing = {{"orgId", "org_0000000000000000"},
                                                      {"assessmentId", "as_0000000000000000"},
                                                      {"roleCode", "A-1"},
                                                      {"evidenceId", "ev_0000000000000000"},
                                                      {"campaignId", "cmp_0000000000000000"},
                                                      {"shareLinkId", "shl_0000000000000000"},
                                                      {"webhookId", "wh_0000000000000000"},
                                                      {"personId", "person_0000000000000000"}};
  auto fill = [](std::string target, const std::map<std::string, std::string>& with) {
    for (const auto& [name, value] : with) {
      const std::string slot = "{" + name + "}";
      for (size_t at = target.find(slot); at != std::string::npos; at = target.find(slot)) {
        target.replace(at, slot.size(), value);
      }
    }
    return target;
  };
  const std::map<std::string, std::string> headers = {{"Cookie", CookieHeader(bob)},
                                                      {"X-CSRF-Token", bob["__Host-socm_csrf"]}};
  int checked = 0, not_found = 0;
  for (const gateway::RouteSpec& route : gateway::PublicRoutes()) {
    if (route.path.find("{orgId}") == std::string::npos &&
        route.path.find("{campaignId}") == std::string::npos &&
        route.path.find("{webhookId}") == std::string::npos &&
        route.path.find("{personId}") == std::string::npos) {
      continue;
    }
    std::string target = fill(route.path, values), ghost = fill(route.path, missing);
    ASSERT_EQ(target.find('{'), std::string::npos) << "no value for a parameter of " << route.path;
    const std::string method(gateway::http::to_string(route.method));
    std::map<std::string, std::string> with = headers;
    std::string body = method == "GET" || method == "DELETE" ? "" : "{}";
    if (!route.file_body_type.empty()) {
      with["Content-Type"] = route.file_body_type;
      body = "x";
      if (route.file_body_field == "content") {
        target += "?filename=x.txt";
        ghost += "?filename=x.txt";
      }
    }
    const HttpResult r = HttpRequest(port, method, target, body, with);
    const HttpResult g = HttpRequest(port, method, ghost, body, with);
    const std::string where = method + " " + target + ": " + r.body.substr(0, 200);
    EXPECT_GE(r.status, 400) << where;
    EXPECT_EQ(r.status, g.status) << where;
    std::string said = r.body;
    for (const auto& [name, value] : values) {
      for (size_t at = said.find(value); at != std::string::npos && value != missing.at(name);
           at = said.find(value)) {
        said.replace(at, value.size(), missing.at(name));
      }
    }
    EXPECT_EQ(said, g.body) << where;
    not_found += r.status == 404;
    ++checked;
  }
  EXPECT_GE(checked, 30);
  // Bob may be a viewer by now (an admin's change above): a write, or an admin's route, is
  // refused for his role before any lookup, the same for real and made-up ids; every read of
  // the organisation's objects is the lookup's own 404.
  EXPECT_GE(not_found, 12) << "the reads are the lookup's own 404";
  // Bob is still signed in (nothing above ended his session), and nothing changed.
  EXPECT_EQ(Get("/v1/me", bob).status, 200);
  EXPECT_EQ(json::parse(AuthedRequest(port, "GET", one, *admin_).body)["revision"],
            before["revision"]);
  EXPECT_EQ(HttpRequest(port, "GET", PathOf(link["radarUrl"]), "").status, 200)
      << "the share link was not revoked";
}

}  // namespace
}  // namespace socm::testing
