// The relying party's parts against a real OpenID provider (oidc-provider from npm, started
// here from tests/oidc/provider.mjs): discovery, the authorization code flow with PKCE driven
// through the provider's own sign-in screens, the token exchange, the JWKS and the ID token
// check, then the claim mapping. What the gateway will do at /auth/login and /auth/callback,
// done with the same functions, so a provider that signs differently from cjose's idea of a
// JWS, or words its discovery document differently, fails here first.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gateway/oidc/login_flow.h"
#include "gateway/oidc/provider_keys.h"
#include "gateway/oidc/provider_token.h"
#include "services/common/claim_mapping.h"
#include "tests/integration/process.h"
#include "tests/oidc/provider_browser.h"

namespace socm::oidc {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr char kRedirect[] = "http://localhost:8080/auth/callback";

class ProviderInteropTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    provider_ = new socm::testing::Process();
    provider_->Start(
        {"/usr/bin/env", "node", std::string(SOCM_SOURCE_DIR) + "/tests/oidc/provider.mjs",
         "--port", "0", "--redirect", kRedirect},
        ::testing::TempDir() + "/oidc-provider.log");
    const std::string line = provider_->WaitForLine("\"issuer\"", 20s);
    ASSERT_FALSE(line.empty()) << "the provider did not start; see " << provider_->log_path();
    issuer_ = new std::string(json::parse(line).at("issuer").get<std::string>());
  }
  static void TearDownTestSuite() {
    provider_->Stop(SIGTERM, 5s);
    delete provider_;
    delete issuer_;
  }

  ProviderMetadata Discover() {
    Response r = browser_.Send(*issuer_ + "/.well-known/openid-configuration");
    EXPECT_EQ(r.status, 200);
    auto metadata = ParseDiscovery(r.body, *issuer_, /*allow_http=*/true);
    EXPECT_TRUE(metadata.ok()) << metadata.status();
    return metadata.ok() ? *metadata : ProviderMetadata{};
  }

  // The whole sign-in of `person` for `client`, in a browser of its own (no session at the
  // provider yet): returns the token endpoint's JSON.
  json SignIn(const ProviderMetadata& provider, const std::string& client,
              const std::string& secret, const std::string& person, const LoginFlow& flow,
              std::string* code_out = nullptr) {
    const std::string code = CodeFor(provider, client, person, flow);
    if (code_out != nullptr) *code_out = code;
    Response token = browser_.Send(provider.token_endpoint, TokenRequestBody(code, kRedirect, flow),
                                   client + ":" + secret);
    EXPECT_EQ(token.status, 200) << token.body;
    return json::parse(token.body, nullptr, false);
  }

  // The browser's part up to the callback: the authorization code the provider sent back.
  std::string CodeFor(const ProviderMetadata& provider, const std::string& client,
                      const std::string& person, const LoginFlow& flow) {
    int interactions = 0;
    const std::string next = WalkProvider(
        *issuer_, AuthorizationUrl(provider, client, kRedirect, {"email", "profile", "soc"}, flow),
        kRedirect, person, &interactions);
    // The provider's login screen and then its consent screen were both gone through.
    EXPECT_EQ(interactions, 2) << "stopped at " << next;
    const auto query = QueryOf(next);
    EXPECT_EQ(query.count("error"), 0u) << next;
    EXPECT_EQ(query.count("state") > 0 ? query.at("state") : "", flow.state)
        << "the provider must echo the state";
    return query.count("code") > 0 ? query.at("code") : "";
  }

  absl::StatusOr<ProviderKeys> Keys(const ProviderMetadata& provider) {
    return ProviderKeys::Parse(browser_.Send(provider.jwks_uri).body);
  }

  static socm::testing::Process* provider_;
  static std::string* issuer_;
  Browser browser_;
};

socm::testing::Process* ProviderInteropTest::provider_ = nullptr;
std::string* ProviderInteropTest::issuer_ = nullptr;

ClaimMapping Mapping() {
  ClaimMapping m;
  m.role_claim = "groups";
  m.roles = {{"soc-admins", Role::kAdmin}, {"soc-analysts", Role::kAssessor}};
  m.organization_claim = "soc_customers";
  return m;
}

TEST_F(ProviderInteropTest, ARealProvidersIdTokenPassesAndMapsToTheRoleAndScope) {
  const ProviderMetadata provider = Discover();
  const LoginFlow flow = NewLoginFlow();
  std::string code;
  const json tokens =
      SignIn(provider, "soc-maturity", "soc-maturity-test-secret", "bob", flow, &code);
  ASSERT_TRUE(tokens.contains("id_token")) << tokens;
  auto fetched = Keys(provider);
  ASSERT_TRUE(fetched.ok()) << fetched.status();
  const ProviderKeys& keys = *fetched;

  TokenExpectations want{*issuer_, "soc-maturity", flow.nonce};
  want.max_age = std::chrono::minutes(10);
  auto verified = VerifyProviderToken(tokens.at("id_token").get<std::string>(), keys, want,
                                      std::chrono::system_clock::now());
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->subject, "bob");
  EXPECT_EQ(verified->algorithm, "RS256");
  EXPECT_EQ(verified->key_id, "test-rsa-1");
  EXPECT_EQ(verified->claims.at("email"), "bob@acme.test");
  auto person = MapClaims(Mapping(), verified->claims);
  ASSERT_TRUE(person.ok()) << person.status();
  EXPECT_EQ(person->role, Role::kAssessor);
  EXPECT_EQ(person->organizations, (std::vector<std::string>{"org-a", "org-b"}));

  // The same real token, checked for another flow or another client, is refused.
  const std::string id_token = tokens.at("id_token").get<std::string>();
  TokenExpectations other_flow = want;
  other_flow.nonce = NewLoginFlow().nonce;
  EXPECT_TRUE(absl::StrContains(
      VerifyProviderToken(id_token, keys, other_flow, std::chrono::system_clock::now())
          .status()
          .message(),
      "wrong nonce"));
  TokenExpectations other_client = want;
  other_client.audience = "soc-maturity-es";
  EXPECT_FALSE(
      VerifyProviderToken(id_token, keys, other_client, std::chrono::system_clock::now()).ok());
  EXPECT_FALSE(VerifyProviderToken(id_token, keys, want,
                                   std::chrono::system_clock::now() + std::chrono::hours(2))
                   .ok());

  // The provider refuses the code a second time.
  Response replay = browser_.Send(provider.token_endpoint, TokenRequestBody(code, kRedirect, flow),
                                  "soc-maturity:soc-maturity-test-secret");
  EXPECT_EQ(replay.status, 400) << replay.body;
  EXPECT_TRUE(absl::StrContains(replay.body, "invalid_grant")) << replay.body;

  // And a fresh code redeemed with another flow's verifier (PKCE: a stolen code is useless).
  const LoginFlow second = NewLoginFlow();
  const std::string stolen = CodeFor(provider, "soc-maturity", "bob", second);
  ASSERT_FALSE(stolen.empty());
  Response wrong_verifier =
      browser_.Send(provider.token_endpoint, TokenRequestBody(stolen, kRedirect, NewLoginFlow()),
                    "soc-maturity:soc-maturity-test-secret");
  EXPECT_EQ(wrong_verifier.status, 400) << wrong_verifier.body;
  EXPECT_TRUE(absl::StrContains(wrong_verifier.body, "invalid_grant")) << wrong_verifier.body;
}

TEST_F(ProviderInteropTest, AnEs256ClientAndAPersonWithoutARole) {
  const ProviderMetadata provider = Discover();
  const LoginFlow flow = NewLoginFlow();
  const json tokens =
      SignIn(provider, "soc-maturity-es", "soc-maturity-es-test-secret", "alice", flow);
  ASSERT_TRUE(tokens.contains("id_token")) << tokens;
  auto fetched = Keys(provider);
  ASSERT_TRUE(fetched.ok()) << fetched.status();
  const ProviderKeys& keys = *fetched;
  TokenExpectations want{*issuer_, "soc-maturity-es", flow.nonce};
  auto verified = VerifyProviderToken(tokens.at("id_token").get<std::string>(), keys, want,
                                      std::chrono::system_clock::now());
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->algorithm, "ES256");
  EXPECT_EQ(verified->key_id, "test-ec-1");
  ClaimMapping unscoped = Mapping();
  unscoped.organization_claim.clear();
  auto alice = MapClaims(unscoped, verified->claims);
  ASSERT_TRUE(alice.ok()) << alice.status();
  EXPECT_EQ(alice->role, Role::kAdmin);
  EXPECT_TRUE(alice->organizations.empty());

  const LoginFlow carol_flow = NewLoginFlow();
  const json carol =
      SignIn(provider, "soc-maturity", "soc-maturity-test-secret", "carol", carol_flow);
  ASSERT_TRUE(carol.contains("id_token")) << carol;
  TokenExpectations carol_want{*issuer_, "soc-maturity", carol_flow.nonce};
  auto carol_token = VerifyProviderToken(carol.at("id_token").get<std::string>(), keys, carol_want,
                                         std::chrono::system_clock::now());
  ASSERT_TRUE(carol_token.ok()) << carol_token.status();
  EXPECT_EQ(MapClaims(Mapping(), carol_token->claims).status().code(),
            absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace socm::oidc
