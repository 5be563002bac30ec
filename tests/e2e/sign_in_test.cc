// Signing in to the suite through a real OpenID provider (oidc-provider from npm, started here
// from tests/oidc/provider.mjs): the gateway's /auth/login, the provider's own screens, the
// gateway's /auth/callback, then the API with the session cookie: the person's role and
// organisation scope hold on every route, writes need the CSRF token, logout ends the
// session, and an admin's change of access takes effect at once. The browser here is libcurl
// at the provider and explicit cookies at the gateway (the gateway's public URL is
// http://localhost:8080, which the test maps to the suite's real port).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
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
                            "--allow-private-issuers=true", "--key-cache-ms=200"};
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

}  // namespace
}  // namespace socm::testing
