// Discovery, the PKCE values and the URL the browser is sent to; the claim mapping that
// makes a provider's person one of the tenant's roles and scopes.
#include "gateway/oidc/login_flow.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "absl/strings/match.h"
#include "services/common/claim_mapping.h"
#include "services/common/jose_shape.h"

namespace socm::oidc {
namespace {

using json = nlohmann::json;

constexpr char kIssuer[] = "https://login.example.test/tenant-1/v2.0";

json Discovery() {
  return {{"issuer", kIssuer},
          {"authorization_endpoint", "https://login.example.test/tenant-1/authorize"},
          {"token_endpoint", "https://login.example.test/tenant-1/token"},
          {"jwks_uri", "https://login.example.test/tenant-1/keys"},
          {"end_session_endpoint", "https://login.example.test/tenant-1/logout"},
          {"response_types_supported", {"code", "id_token"}},
          {"code_challenge_methods_supported", {"plain", "S256"}},
          {"id_token_signing_alg_values_supported", {"RS256"}}};
}

TEST(DiscoveryTest, AProvidersDocumentGivesItsEndpoints) {
  auto got = ParseDiscovery(Discovery().dump(), kIssuer, false);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->token_endpoint, "https://login.example.test/tenant-1/token");
  EXPECT_EQ(got->jwks_uri, "https://login.example.test/tenant-1/keys");
  EXPECT_EQ(got->end_session_endpoint, "https://login.example.test/tenant-1/logout");
  json minimal = Discovery();
  for (const char* optional :
       {"end_session_endpoint", "response_types_supported", "code_challenge_methods_supported",
        "id_token_signing_alg_values_supported"}) {
    minimal.erase(optional);
  }
  EXPECT_TRUE(ParseDiscovery(minimal.dump(), kIssuer, false).ok());
}

TEST(DiscoveryTest, ADocumentThatWouldMisleadTheFlowIsRefusedNamingTheMember) {
  const struct {
    const char* member;
    json value;
    bool allow_http;
    const char* message;
  } cases[] = {
      {"issuer", "https://evil.example.test/tenant-1/v2.0", false, "\"issuer\" is"},
      {"issuer", std::string(kIssuer) + "/", false, "\"issuer\" is"},
      {"token_endpoint", "http://login.example.test/token", false, "\"token_endpoint\" is not"},
      {"jwks_uri", nullptr, false, "\"jwks_uri\" is missing"},
      {"authorization_endpoint", "javascript:alert(1)", true, "\"authorization_endpoint\""},
      {"authorization_endpoint", "https://x.test/a#frag", false, "without a fragment"},
      {"response_types_supported", json::array({"id_token"}), false, "code flow"},
      {"code_challenge_methods_supported", json::array({"plain"}), false, "S256"},
      {"id_token_signing_alg_values_supported", json::array({"HS256", "none"}), false,
       "no RSA or EC"},
  };
  for (const auto& c : cases) {
    json doc = Discovery();
    if (c.value.is_null()) {
      doc.erase(c.member);
    } else {
      doc[c.member] = c.value;
    }
    auto got = ParseDiscovery(doc.dump(), kIssuer, c.allow_http);
    ASSERT_FALSE(got.ok()) << c.member;
    EXPECT_TRUE(absl::StrContains(got.status().message(), c.message)) << got.status();
  }
  EXPECT_FALSE(ParseDiscovery("<html>", kIssuer, false).ok());
  EXPECT_FALSE(ParseDiscovery(std::string(kMaxDiscoveryBytes + 1, ' '), kIssuer, false).ok());
  // A provider on the operator's own network may speak http when allowed.
  json local = Discovery();
  local["issuer"] = "http://idp.internal:9000";
  local["token_endpoint"] = "http://idp.internal:9000/token";
  EXPECT_FALSE(ParseDiscovery(local.dump(), "http://idp.internal:9000", false).ok());
  EXPECT_TRUE(ParseDiscovery(local.dump(), "http://idp.internal:9000", true).ok());
}

TEST(LoginFlowTest, EachFlowHasFreshValuesAndTheChallengeOfItsVerifier) {
  // RFC 7636 appendix B.
  EXPECT_EQ(CodeChallengeS256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    LoginFlow flow = NewLoginFlow();
    for (const std::string* v : {&flow.state, &flow.nonce, &flow.code_verifier}) {
      EXPECT_EQ(v->size(), 43u);  // 32 bytes, base64url without padding
      EXPECT_TRUE(Base64UrlDecodable(*v));
      EXPECT_TRUE(seen.insert(*v).second) << "a value came twice";
    }
    EXPECT_EQ(flow.code_challenge, CodeChallengeS256(flow.code_verifier));
  }
}

TEST(LoginFlowTest, TheAuthorizationUrlCarriesTheFlowAndEscapesTheRest) {
  auto provider = ParseDiscovery(Discovery().dump(), kIssuer, false);
  ASSERT_TRUE(provider.ok());
  LoginFlow flow = NewLoginFlow();
  const std::string url =
      AuthorizationUrl(*provider, "client & co", "http://localhost:8080/auth/callback",
                       {"email", "openid", "profile"}, flow);
  EXPECT_TRUE(absl::StartsWith(
      url,
      "https://login.example.test/tenant-1/authorize?response_type=code&client_id="
      "client%20%26%20co&redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fauth%2Fcallback"
      "&scope=openid%20email%20profile&state="))
      << url;
  EXPECT_TRUE(absl::StrContains(url, "&nonce=" + flow.nonce));
  EXPECT_TRUE(absl::StrContains(
      url, "&code_challenge=" + flow.code_challenge + "&code_challenge_method=S256"));
  EXPECT_FALSE(absl::StrContains(url, flow.code_verifier));
  provider->authorization_endpoint += "?p=b2c_1_signin";
  EXPECT_TRUE(absl::StrContains(AuthorizationUrl(*provider, "c", "https://r", {}, flow),
                                "?p=b2c_1_signin&response_type="));
  const std::string body = TokenRequestBody("a/b+c", "https://soc.example/auth/callback", flow);
  EXPECT_EQ(body,
            "grant_type=authorization_code&code=a%2Fb%2Bc&redirect_uri=https%3A%2F%2F"
            "soc.example%2Fauth%2Fcallback&code_verifier=" +
                flow.code_verifier);
}

ClaimMapping Mapping() {
  ClaimMapping m;
  m.role_claim = "realm_access.roles";
  m.roles = {{"soc-viewers", Role::kViewer},
             {"soc-analysts", Role::kAssessor},
             {"soc-admins", Role::kAdmin}};
  return m;
}

TEST(ClaimMappingTest, TheStrongestMappedRoleWinsAndTheScopeComesFromItsClaim) {
  json claims = {{"realm_access", {{"roles", {"offline_access", "soc-viewers", "soc-admins"}}}}};
  auto p = MapClaims(Mapping(), claims);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->role, Role::kAdmin);
  EXPECT_TRUE(p->organizations.empty());

  ClaimMapping scoped = Mapping();
  scoped.organization_claim = "soc_customers";
  claims = {{"realm_access", {{"roles", "soc-analysts"}}},
            {"soc_customers", {"org-b", "org-a", "org-b", "", 7}}};
  p = MapClaims(scoped, claims);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->role, Role::kAssessor);
  EXPECT_EQ(p->organizations, (std::vector<std::string>{"org-a", "org-b"}));

  // A namespaced claim (Auth0's form) is found by its whole name, dots and all.
  ClaimMapping namespaced;
  namespaced.role_claim = "https://soc.example/roles";
  namespaced.roles = {{"admin", Role::kAdmin}};
  EXPECT_TRUE(MappingProblems(namespaced).empty());
  p = MapClaims(namespaced, {{"https://soc.example/roles", {"admin"}}});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->role, Role::kAdmin);
}

TEST(ClaimMappingTest, NoRoleOrAMissingScopeRefusesSignInInsteadOfWidening) {
  auto p = MapClaims(Mapping(), {{"realm_access", {{"roles", {"offline_access"}}}}});
  EXPECT_EQ(p.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(absl::StrContains(p.status().message(), "realm_access.roles")) << p.status();
  EXPECT_FALSE(MapClaims(Mapping(), json::object()).ok());
  EXPECT_FALSE(MapClaims(Mapping(), {{"realm_access", "soc-admins"}}).ok());

  ClaimMapping fallback = Mapping();
  fallback.default_role = Role::kViewer;
  EXPECT_EQ(MapClaims(fallback, json::object())->role, Role::kViewer);

  ClaimMapping scoped = Mapping();
  scoped.organization_claim = "soc_customers";
  const json admin = {{"realm_access", {{"roles", {"soc-admins"}}}}};
  for (const json& orgs : {json(nullptr), json::array(), json::array({""}), json(5)}) {
    json claims = admin;
    if (!orgs.is_null()) claims["soc_customers"] = orgs;
    auto got = MapClaims(scoped, claims);
    EXPECT_EQ(got.status().code(), absl::StatusCode::kPermissionDenied) << orgs;
  }
}

TEST(ClaimMappingTest, AMappingThatGrantsTooMuchOrCannotBeReadIsRefusedWithItsPath) {
  EXPECT_TRUE(MappingProblems(Mapping()).empty());
  ClaimMapping bad = Mapping();
  bad.role_claim = "realm_access..roles";
  bad.roles["soc-ops"] = Role::kOperator;
  bad.roles["svc"] = Role::kService;
  bad.default_role = Role::kOperator;
  bad.organization_claim = ".x";
  const std::vector<std::string> problems = MappingProblems(bad);
  ASSERT_EQ(problems.size(), 5u);
  EXPECT_TRUE(absl::StartsWith(problems[0], "roleClaim:"));
  EXPECT_TRUE(absl::StartsWith(problems[1], "roles.soc-ops:"));
  EXPECT_TRUE(absl::StartsWith(problems[2], "roles.svc:"));
  EXPECT_TRUE(absl::StartsWith(problems[3], "defaultRole:"));
  EXPECT_TRUE(absl::StartsWith(problems[4], "organizationClaim:"));
}

}  // namespace
}  // namespace socm::oidc
