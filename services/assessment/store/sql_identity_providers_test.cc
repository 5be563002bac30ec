// Tenants' slugs and identity providers on both engines: slugs are made from names and unique
// across tenants; a provider is validated with each field named, keeps its sealed secret out
// of every read and audit entry, is found by slug, by (issuer, audience) and by tenant, and is
// one tenant's only: another tenant neither reads it nor registers the same client.
#include "services/assessment/store/sql_identity_providers.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "services/assessment/domain/identity_rules.h"
#include "services/assessment/store/store_test_fixture.h"

namespace socm::assessment {
namespace {

using IdentityProviderStoreTest = testing::StoreFixture;

constexpr char kSealed[] = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXZpdml2aXZpdg.Y2lwaGVy.dGFn";

pb::IdentityProvider Provider() {
  pb::IdentityProvider p;
  p.set_issuer("https://login.acme.test/realms/soc");
  p.set_client_id("soc-maturity");
  p.add_scopes("email");
  p.add_scopes("groups");
  pb::ClaimMapping* m = p.mutable_claim_mapping();
  m->set_role_claim("groups");
  (*m->mutable_roles())["soc-admins"] = pb::KEY_ROLE_ADMIN;
  (*m->mutable_roles())["soc-analysts"] = pb::KEY_ROLE_ASSESSOR;
  m->set_organization_claim("soc_customers");
  return p;
}

TEST_P(IdentityProviderStoreTest, TenantsGetUniqueSlugsFromTheirNamesOrTheOneTheyName) {
  const std::string first = NewTenant("Acme SOC, Inc.");
  const std::string second = NewTenant("Acme SOC Inc");
  EXPECT_EQ(store_->GetTenant(first)->slug(), "acme-soc-inc");
  EXPECT_EQ(store_->GetTenant(second)->slug(), "acme-soc-inc-2");

  pb::Tenant named;
  named.set_display_name("Globex");
  named.set_slug("globex-csirt");
  auto globex = store_->CreateTenant(As(""), named, W());
  ASSERT_TRUE(globex.ok()) << globex.status();
  EXPECT_EQ(globex->slug(), "globex-csirt");
  // A named slug that is taken is refused, naming the field; nothing is made.
  const int64_t tenants = Count("SELECT COUNT(*) FROM tenants");
  auto again = store_->CreateTenant(As(""), named, W());
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(absl::StrContains(again.status().message(), "slug")) << again.status();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM tenants"), tenants);

  // A numbered slug is still a valid one where the cut falls after a '-'.
  const std::string long_name = std::string(37, 'a') + " bb";
  NewTenant(long_name);
  const std::string numbered = store_->GetTenant(NewTenant(long_name))->slug();
  EXPECT_EQ(numbered, std::string(37, 'a') + "-2");
  EXPECT_TRUE(CheckSlug(numbered).empty()) << numbered;

  // A tenant stored before slugs has the one migration 6 gave it.
  ASSERT_TRUE(database()
                  .Run([](db::Connection& c) {
                    return c
                        .Exec(
                            "INSERT INTO tenants (id, create_time, doc, slug) VALUES "
                            "('tn_0ld', 1, '{\"id\":\"tn_0ld\",\"displayName\":\"Old\"}', "
                            "'tn-0ld')")
                        .status();
                  })
                  .ok());
  EXPECT_EQ(store_->GetTenant("tn_0ld")->slug(), "tn-0ld");
  bool listed = false;
  auto all = store_->ListTenants({0, 100});
  ASSERT_TRUE(all.ok()) << all.status();
  for (const pb::Tenant& t : all->items) {
    if (t.id() == "tn_0ld") listed = t.slug() == "tn-0ld";
  }
  EXPECT_TRUE(listed);
}

TEST_P(IdentityProviderStoreTest, AProviderIsKeptWithItsSecretSealedAndFoundThreeWays) {
  const std::string acme = NewTenant("Acme");
  SqlIdentityProviderStore providers(database(), false);
  EXPECT_EQ(providers.Get(As(acme)).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(providers.FindBySlug("acme").status().code(), absl::StatusCode::kNotFound);

  // Bad settings are refused with every field named, and nothing is stored.
  pb::IdentityProvider bad = Provider();
  bad.set_issuer("http://login.acme.test");
  bad.set_client_id("");
  bad.add_scopes("openid");
  (*bad.mutable_claim_mapping()->mutable_roles())["root"] = pb::KEY_ROLE_UNSPECIFIED;
  auto refused = providers.Update(As(acme), bad, "not a jwe", W());
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  for (const char* field :
       {"issuer", "clientId", "scopes[2]", "claimMapping.roles.root", "clientSecret"}) {
    EXPECT_TRUE(absl::StrContains(refused.status().message(), field))
        << field << ": " << refused.status();
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM identity_providers"), 0);

  auto saved = providers.Update(As(acme), Provider(), kSealed, W());
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_TRUE(saved->client_secret_set());
  EXPECT_TRUE(saved->client_secret().empty());
  auto got = providers.Get(As(acme));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->issuer(), "https://login.acme.test/realms/soc");
  EXPECT_EQ(got->claim_mapping().roles().at("soc-admins"), pb::KEY_ROLE_ADMIN);
  EXPECT_TRUE(got->client_secret_set());

  // Saved again without a secret, the stored one stays.
  pb::IdentityProvider changed = Provider();
  changed.clear_scopes();
  ASSERT_TRUE(providers.Update(As(acme), changed, "", W()).ok());
  for (auto found :
       {providers.FindBySlug("acme"), providers.FindByTenant(acme),
        providers.FindByIssuerAudience("https://login.acme.test/realms/soc", "soc-maturity")}) {
    ASSERT_TRUE(found.ok()) << found.status();
    EXPECT_EQ(found->tenant_id(), acme);
    EXPECT_EQ(found->tenant_slug(), "acme");
    EXPECT_EQ(found->tenant_display_name(), "Acme");
    EXPECT_EQ(found->sealed_client_secret(), kSealed);
    EXPECT_EQ(found->provider().scopes_size(), 0);
  }
  EXPECT_EQ(
      providers.FindByIssuerAudience("https://login.acme.test/realms/soc", "other").status().code(),
      absl::StatusCode::kNotFound);
  // Pointed at another issuer, the secret does not follow: it was issued for the old client.
  pb::IdentityProvider moved = Provider();
  moved.set_issuer("https://login.moved.test");
  ASSERT_TRUE(providers.Update(As(acme), moved, "", W()).ok());
  EXPECT_TRUE(providers.FindByTenant(acme)->sealed_client_secret().empty());
  EXPECT_FALSE(providers.Get(As(acme))->client_secret_set());
  ASSERT_TRUE(providers.Update(As(acme), Provider(), kSealed, W()).ok());
  // The audit log has every change, and the secret in no form.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE tenant_id=$1 AND doc LIKE $2",
                  {acme, "%identity_provider.update%"}),
            4);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE doc LIKE $1", {"%aXZpdml2aXZpdg%"}), 0);

  ASSERT_TRUE(providers.Delete(As(acme), W()).ok());
  EXPECT_EQ(providers.FindBySlug("acme").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(providers.Delete(As(acme), W()).code(), absl::StatusCode::kNotFound);
}

TEST_P(IdentityProviderStoreTest, AProviderIsItsTenantsOnly) {
  const std::string acme = NewTenant("Acme");
  const std::string globex = NewTenant("Globex");
  SqlIdentityProviderStore providers(database(), false);
  ASSERT_TRUE(providers.Update(As(acme), Provider(), kSealed, W()).ok());

  EXPECT_EQ(providers.Get(As(globex)).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(providers.Delete(As(globex), W()).code(), absl::StatusCode::kNotFound);
  // The same client at the same issuer would let one tenant's tokens name another.
  auto same = providers.Update(As(globex), Provider(), "", W());
  EXPECT_EQ(same.status().code(), absl::StatusCode::kAlreadyExists) << same.status();
  pb::IdentityProvider own = Provider();
  own.set_client_id("globex-soc");
  ASSERT_TRUE(providers.Update(As(globex), own, "", W()).ok());
  EXPECT_FALSE(providers.FindByTenant(globex)->provider().client_secret_set());
  EXPECT_TRUE(providers.FindByTenant(globex)->sealed_client_secret().empty());
  EXPECT_EQ(providers.FindByTenant(acme)->sealed_client_secret(), kSealed);

  // A key pinned to one organisation does not touch the tenant's sign-in.
  Caller pinned = As(acme);
  pinned.organizations = {"org-1"};
  EXPECT_EQ(providers.Get(pinned).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(providers.Update(pinned, own, "", W()).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_P(IdentityProviderStoreTest, APrivateIssuerNeedsTheOperatorsSwitch) {
  const std::string acme = NewTenant("Acme");
  pb::IdentityProvider local = Provider();
  local.set_issuer("http://127.0.0.1:9000");
  SqlIdentityProviderStore strict(database(), false);
  auto refused = strict.Update(As(acme), local, "", W());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  local.set_issuer("https://10.1.2.3/realms/soc");
  EXPECT_EQ(strict.Update(As(acme), local, "", W()).status().code(),
            absl::StatusCode::kInvalidArgument);
  SqlIdentityProviderStore allowing(database(), true);
  EXPECT_TRUE(allowing.Update(As(acme), local, "", W()).ok());
  local.set_issuer("http://127.0.0.1:9000");
  EXPECT_TRUE(allowing.Update(As(acme), local, "", W()).ok());
}

INSTANTIATE_TEST_SUITE_P(Engines, IdentityProviderStoreTest,
                         ::testing::Values(testing::Engine::kSqlite, testing::Engine::kPostgres),
                         testing::EngineName);

}  // namespace
}  // namespace socm::assessment
