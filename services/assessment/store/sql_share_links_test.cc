// Share links and tenant settings on both engines: a token resolves to its one assessment and
// views until it expires or is revoked; the store keeps only its hash; scope and tenant apply to
// making, listing and revoking; deleting the assessment takes its links; allowed origins are
// validated, listed by origin for preflights, and replaced whole.
#include "services/assessment/store/sql_share_links.h"

#include <gtest/gtest.h>

#include "services/assessment/domain/portal_rules.h"
#include "services/assessment/store/sql_tenant_settings.h"
#include "services/assessment/store/store_test_fixture.h"
#include "services/common/status.h"

namespace socm::assessment {
namespace {

using testing::Engine;

using PortalStoreTest = testing::StoreFixture;

TEST_P(PortalStoreTest, ATokenShowsItsAssessmentUntilItExpiresOrIsRevoked) {
  const std::string tenant = NewTenant("Acme");
  const pb::Organization org = NewOrg(tenant, "Acme SOC");
  const pb::Assessment a = NewAssessment(tenant, org.id());
  const pb::Assessment b = NewAssessment(tenant, org.id());
  SqlShareLinkStore links(database(), "https://maturity.example.com");

  auto made = links.Create(As(tenant), org.id(), a.id(), 3600, {"radar"}, W());
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_TRUE(IsShareToken(made->token())) << made->token();
  EXPECT_EQ(made->radar_url(),
            "https://maturity.example.com/share/" + made->token() + "/radar.svg");
  EXPECT_EQ(made->views_size(), 1);
  EXPECT_EQ(made->created_by(), "key_test");
  // Only the hash is stored; nothing in the row or the audit log holds the token.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM share_links WHERE token_sha256=$1",
                  {ShareTokenDigest(made->token())}),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM share_links WHERE doc LIKE $1",
                  {"%" + made->token().substr(4) + "%"}),
            0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE doc LIKE $1",
                  {"%" + made->token().substr(4) + "%"}),
            0);
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM audit_log WHERE doc LIKE '%assessment.shareLink.create%'", {}),
      1);

  const int64_t now = W().now_micros;
  auto resolved = links.Resolve(made->token(), now);
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(resolved->tenant_id(), tenant);
  EXPECT_EQ(resolved->organization_id(), org.id());
  EXPECT_EQ(resolved->assessment_id(), a.id());
  EXPECT_EQ(resolved->views(0), "radar");
  // Expired, malformed, unknown: NOT_FOUND alike.
  EXPECT_EQ(links.Resolve(made->token(), now + 3601LL * 1000000).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(links.Resolve("shr_nothex", now).status().code(), absl::StatusCode::kNotFound);
  std::string other = made->token();
  other.back() = other.back() == 'a' ? 'b' : 'a';
  EXPECT_EQ(links.Resolve(other, now).status().code(), absl::StatusCode::kNotFound);

  // Both views by default; listed newest first without tokens.
  auto second = links.Create(As(tenant), org.id(), a.id(), 60, {}, W());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->views_size(), 2);
  auto listed = links.List(As(tenant), org.id(), a.id());
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id(), second->id());
  for (const auto& l : *listed) EXPECT_TRUE(l.token().empty());
  EXPECT_TRUE(links.List(As(tenant), org.id(), b.id())->empty());

  // Revoked: gone at once, and in the audit log.
  ASSERT_TRUE(links.Delete(As(tenant), org.id(), a.id(), made->id(), W()).ok());
  EXPECT_EQ(links.Resolve(made->token(), now).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(links.Delete(As(tenant), org.id(), a.id(), made->id(), W()).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM audit_log WHERE doc LIKE '%assessment.shareLink.delete%'", {}),
      1);

  // Deleting the assessment takes its links.
  ASSERT_TRUE(store_->DeleteAssessment(As(tenant), org.id(), a.id(), "", W()).ok());
  EXPECT_EQ(links.Resolve(second->token(), now).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM share_links", {}), 0);
}

TEST_P(PortalStoreTest, ScopeTenantAndLimitsApplyToShareLinks) {
  const std::string tenant = NewTenant("Acme");
  const std::string other = NewTenant("Other");
  const pb::Organization org = NewOrg(tenant, "Acme SOC");
  const pb::Organization second = NewOrg(tenant, "Acme Two");
  const pb::Assessment a = NewAssessment(tenant, org.id());
  SqlShareLinkStore links(database(), "");
  auto made = links.Create(As(tenant), org.id(), a.id(), 600, {}, W());
  ASSERT_TRUE(made.ok());
  EXPECT_EQ(made->report_url(), "/share/" + made->token() + "/report");

  Caller pinned = As(tenant);
  pinned.organizations = {second.id()};
  EXPECT_EQ(links.Create(pinned, org.id(), a.id(), 600, {}, W()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(links.List(pinned, org.id(), a.id()).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(links.Delete(pinned, org.id(), a.id(), made->id(), W()).code(),
            absl::StatusCode::kNotFound);
  // Another tenant: the same ids are unknown.
  EXPECT_EQ(links.Create(As(other), org.id(), a.id(), 600, {}, W()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(links.List(As(other), org.id(), a.id()).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(links.Delete(As(other), org.id(), a.id(), made->id(), W()).code(),
            absl::StatusCode::kNotFound);
  // An assessment of another organisation under this one's id.
  EXPECT_EQ(links.Create(As(tenant), second.id(), a.id(), 600, {}, W()).status().code(),
            absl::StatusCode::kNotFound);

  const absl::Status too_long =
      links.Create(As(tenant), org.id(), a.id(), 31LL * 24 * 3600, {"radar", "sheet"}, W())
          .status();
  EXPECT_EQ(too_long.code(), absl::StatusCode::kInvalidArgument);
  const auto fields = ViolationsOf(too_long);
  ASSERT_EQ(fields.size(), 2u) << too_long;
  EXPECT_EQ(fields[0].field(), "ttlSeconds");
  EXPECT_EQ(fields[1].field(), "views[1]");
  EXPECT_EQ(links.Create(As(tenant), org.id(), a.id(), 59, {}, W()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM share_links", {}), 1) << "nothing written on refusal";
}

TEST_P(PortalStoreTest, AllowedOriginsAreValidatedListedByOriginAndReplacedWhole) {
  const std::string tenant = NewTenant("Acme");
  const std::string other = NewTenant("Other");
  SqlTenantSettingsStore settings(database());
  auto empty = settings.Get(As(tenant));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->allowed_origins_size(), 0) << "nothing allowed by default";

  pb::TenantSettings wanted;
  wanted.add_allowed_origins("https://portal.acme.example");
  wanted.add_allowed_origins("http://localhost:3000");
  ASSERT_TRUE(settings.Update(As(tenant), wanted, W()).ok());
  EXPECT_EQ(settings.Get(As(tenant))->allowed_origins_size(), 2);
  EXPECT_EQ(settings.Get(As(other))->allowed_origins_size(), 0);
  EXPECT_TRUE(*settings.OriginAllowed("https://portal.acme.example"));
  EXPECT_TRUE(*settings.OriginAllowed("http://localhost:3000"));
  EXPECT_FALSE(*settings.OriginAllowed("https://portal.acme.example.evil"));
  EXPECT_FALSE(*settings.OriginAllowed("https://PORTAL.acme.example"));
  EXPECT_FALSE(*settings.OriginAllowed("null"));
  EXPECT_TRUE(*settings.OriginAllowed("http://localhost:3000", tenant));
  EXPECT_FALSE(*settings.OriginAllowed("http://localhost:3000", other));

  pb::TenantSettings bad;
  bad.add_allowed_origins("https://ok.example");
  bad.add_allowed_origins("https://ok.example/path");
  bad.add_allowed_origins("*");
  bad.add_allowed_origins("https://ok.example");
  const absl::Status refused = settings.Update(As(tenant), bad, W()).status();
  const auto fields = ViolationsOf(refused);
  ASSERT_EQ(fields.size(), 3u) << refused;
  EXPECT_EQ(fields[0].field(), "allowedOrigins[1]");
  EXPECT_EQ(fields[1].field(), "allowedOrigins[2]");
  EXPECT_EQ(fields[2].field(), "allowedOrigins[3]");
  EXPECT_EQ(settings.Get(As(tenant))->allowed_origins_size(), 2) << "nothing written";

  // Replaced whole: the old origin stops at once.
  pb::TenantSettings next;
  next.add_allowed_origins("https://new.acme.example");
  ASSERT_TRUE(settings.Update(As(tenant), next, W()).ok());
  EXPECT_FALSE(*settings.OriginAllowed("https://portal.acme.example"));
  EXPECT_TRUE(*settings.OriginAllowed("https://new.acme.example"));

  Caller pinned = As(tenant);
  pinned.organizations = {"org_x"};
  EXPECT_EQ(settings.Get(pinned).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(settings.Update(pinned, next, W()).status().code(),
            absl::StatusCode::kPermissionDenied);
  // The share link's resolution carries them, for frame-ancestors.
  const pb::Organization org = NewOrg(tenant, "Acme SOC");
  const pb::Assessment a = NewAssessment(tenant, org.id());
  SqlShareLinkStore links(database(), "");
  auto made = links.Create(As(tenant), org.id(), a.id(), 600, {}, W());
  ASSERT_TRUE(made.ok());
  auto resolved = links.Resolve(made->token(), W().now_micros);
  ASSERT_TRUE(resolved.ok());
  ASSERT_EQ(resolved->allowed_origins_size(), 1);
  EXPECT_EQ(resolved->allowed_origins(0), "https://new.acme.example");
}

INSTANTIATE_TEST_SUITE_P(Engines, PortalStoreTest,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         testing::EngineName);

}  // namespace
}  // namespace socm::assessment
