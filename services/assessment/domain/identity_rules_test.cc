// Slugs and identity-provider settings as pure rules.
#include "services/assessment/domain/identity_rules.h"

#include <gtest/gtest.h>

namespace socm::assessment {
namespace {

namespace apb = soc::maturity::assessment::v1;

std::vector<std::string> Fields(
    const std::vector<soc::maturity::common::v1::FieldViolation>& violations) {
  std::vector<std::string> out;
  for (const auto& v : violations) out.push_back(v.field());
  return out;
}

TEST(SlugTest, ANameGivesAValidSlugAndOnlyValidSlugsPass) {
  EXPECT_EQ(SlugFromName("Acme SOC, Inc."), "acme-soc-inc");
  EXPECT_EQ(SlugFromName("  --Globex--  "), "globex");
  EXPECT_EQ(SlugFromName("42 Security"), "t-42-security");
  EXPECT_EQ(SlugFromName("Q"), "q-tenant");
  EXPECT_EQ(SlugFromName("株式会社"), "tenant");
  EXPECT_EQ(SlugFromName(std::string(60, 'a')), std::string(40, 'a'));
  for (const char* name : {"Acme SOC, Inc.", "  --Globex--  ", "42 Security", "Q", "株式会社",
                           "a b c d e f g h i j k l m n o p q r s t u v w x y z"}) {
    EXPECT_TRUE(CheckSlug(SlugFromName(name)).empty()) << name << " -> " << SlugFromName(name);
  }
  for (const std::string& bad :
       std::vector<std::string>{"", "ab", "Acme", "1acme", "acme-", "ac--me", "acme_soc",
                                "acme soc", std::string(41, 'a')}) {
    EXPECT_EQ(Fields(CheckSlug(bad)), std::vector<std::string>{"slug"}) << bad;
  }
  EXPECT_EQ(SlugOfLegacyTenant("tn_0a1b2c"), "tn-0a1b2c");
  EXPECT_TRUE(CheckSlug(SlugOfLegacyTenant("tn_0a1b2c")).empty());
}

apb::IdentityProvider Good() {
  apb::IdentityProvider p;
  p.set_issuer("https://idp.example.com/");
  p.set_client_id("soc");
  p.add_scopes("email");
  p.mutable_claim_mapping()->set_role_claim("https://soc.example/roles");
  (*p.mutable_claim_mapping()->mutable_roles())["admins"] = apb::KEY_ROLE_ADMIN;
  return p;
}

TEST(IdentityProviderRulesTest, EachBadFieldIsNamedByItsPath) {
  EXPECT_TRUE(CheckIdentityProvider(Good(), false).empty());

  apb::IdentityProvider p = Good();
  p.set_issuer("https://idp.example.com/?tenant=1");
  p.set_client_id("has space");
  p.add_scopes("email");
  p.add_scopes("openid");
  p.add_scopes("bad\"quote");
  p.mutable_claim_mapping()->set_role_claim("");
  p.mutable_claim_mapping()->set_default_role(apb::KEY_ROLE_UNSPECIFIED);
  (*p.mutable_claim_mapping()->mutable_roles())["ops"] = apb::KeyRole(99);
  EXPECT_EQ(Fields(CheckIdentityProvider(p, false)),
            (std::vector<std::string>{"issuer", "clientId", "scopes[1]", "scopes[2]", "scopes[3]",
                                      "claimMapping.roleClaim", "claimMapping.roles.ops"}));

  // Nobody could sign in: no value mapped and no default.
  apb::IdentityProvider empty = Good();
  empty.mutable_claim_mapping()->clear_roles();
  EXPECT_EQ(Fields(CheckIdentityProvider(empty, false)),
            std::vector<std::string>{"claimMapping.roles"});
  empty.mutable_claim_mapping()->set_default_role(apb::KEY_ROLE_VIEWER);
  EXPECT_TRUE(CheckIdentityProvider(empty, false).empty());
}

TEST(IdentityProviderRulesTest, PlainOrPrivateIssuersNeedTheOperatorsSwitch) {
  for (const char* issuer :
       {"http://idp.example.com", "https://127.0.0.1/", "https://10.0.0.8:8443/realms/x",
        "https://[::1]/", "https://169.254.169.254/"}) {
    apb::IdentityProvider p = Good();
    p.set_issuer(issuer);
    EXPECT_EQ(Fields(CheckIdentityProvider(p, false)), std::vector<std::string>{"issuer"})
        << issuer;
    EXPECT_TRUE(CheckIdentityProvider(p, true).empty()) << issuer;
  }
  for (const char* issuer :
       {"", "idp.example.com", "ftp://idp.example.com", "https://user:pw@idp.example.com",
        "https://idp.example.com/#x", "https://idp example.com"}) {
    apb::IdentityProvider p = Good();
    p.set_issuer(issuer);
    EXPECT_EQ(Fields(CheckIdentityProvider(p, true)), std::vector<std::string>{"issuer"}) << issuer;
  }
}

}  // namespace
}  // namespace socm::assessment
