#include "services/assessment/store/sql_identity_providers.h"

#include "services/assessment/domain/identity_rules.h"
#include "services/assessment/store/sql_rows.h"
#include "services/common/jose_shape.h"

namespace socm::assessment {

using namespace sqlrows;  // NOLINT: the shared row helpers of this folder

namespace {

// The provider's document as stored and shown: no secret in any form.
pb::IdentityProvider Shown(pb::IdentityProvider provider, bool secret_set) {
  provider.clear_client_secret();
  provider.set_client_secret_set(secret_set);
  return provider;
}

// The tenant's stored provider and its sealed secret, inside a transaction; nothing when none.
struct Stored {
  pb::IdentityProvider provider;
  std::string sealed_secret;
};
absl::StatusOr<std::optional<Stored>> Load(Connection& c, const std::string& tenant) {
  auto rows = c.Query("SELECT doc, sealed_client_secret FROM identity_providers WHERE tenant_id=$1",
                      {tenant});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::nullopt;
  Stored out;
  SOCM_STATUS_RETURN(FromJson(rows->front().Text(0), &out.provider));
  out.sealed_secret = rows->front().Text(1);
  return out;
}

absl::Status NoProvider() { return absl::NotFoundError("this tenant has no identity provider"); }

}  // namespace

absl::StatusOr<pb::IdentityProvider> SqlIdentityProviderStore::Get(const Caller& caller) {
  SOCM_STATUS_RETURN(TenantWide(caller));
  pb::IdentityProvider out;
  SOCM_STATUS_RETURN(db_.Run([&](Connection& c) -> absl::Status {
    auto stored = Load(c, caller.tenant.value());
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) return NoProvider();
    out = (*stored)->provider;
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<pb::IdentityProvider> SqlIdentityProviderStore::Update(
    const Caller& caller, const pb::IdentityProvider& provider,
    const std::string& sealed_client_secret, const WriteOptions& write) {
  SOCM_STATUS_RETURN(TenantWide(caller));
  auto violations = CheckIdentityProvider(provider, allow_private_);
  if (!sealed_client_secret.empty() && (sealed_client_secret.size() > kMaxSealedSecretBytes ||
                                        !WellFormedCompactJwe(sealed_client_secret))) {
    violations.push_back(Violation("clientSecret", "not sealed by the gateway"));
  }
  if (!violations.empty()) return InvalidFields(violations);
  const WriteContext ctx = Ctx(caller, write);
  pb::IdentityProvider out;
  SOCM_STATUS_RETURN(db_.Transaction([&](Connection& c) -> absl::Status {
    auto before = Load(c, ctx.tenant);
    if (!before.ok()) return before.status();
    // The stored secret stays only with the client it was issued for: kept across a change of
    // issuer, it would be sent to whatever token endpoint the new issuer names.
    const bool same_client = before->has_value() &&
                             (*before)->provider.issuer() == provider.issuer() &&
                             (*before)->provider.client_id() == provider.client_id();
    const std::string secret = !sealed_client_secret.empty() ? sealed_client_secret
                               : same_client                 ? (*before)->sealed_secret
                                                             : "";
    auto other = c.Query(
        "SELECT 1 FROM identity_providers WHERE issuer=$1 AND client_id=$2 AND tenant_id<>$3",
        {provider.issuer(), provider.client_id(), ctx.tenant});
    if (!other.ok()) return other.status();
    if (!other->empty()) {
      return absl::AlreadyExistsError(
          "clientId: another tenant signs in with this issuer and client id; each tenant "
          "registers its own client at the provider");
    }
    out = Shown(provider, !secret.empty());
    *out.mutable_update_time() = Time(ctx.now_micros);
    const std::string doc = ToJson(out);
    SOCM_STATUS_RETURN(
        c.Exec("INSERT INTO identity_providers (tenant_id, issuer, client_id, "
               "sealed_client_secret, update_time, doc) VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT "
               "(tenant_id) DO UPDATE SET issuer=excluded.issuer, client_id=excluded.client_id, "
               "sealed_client_secret=excluded.sealed_client_secret, "
               "update_time=excluded.update_time, doc=excluded.doc",
               {ctx.tenant, provider.issuer(), provider.client_id(), secret, ctx.now_micros, doc})
            .status());
    // The audit entry says whether the secret changed, never what it is.
    WriteContext audited = ctx;
    if (!sealed_client_secret.empty()) audited.audit_detail = "client secret replaced";
    return Audit(c, audited, "", "identity_provider.update", "identityProvider",
                 before->has_value() ? ToJson((*before)->provider) : "", doc);
  }));
  return out;
}

absl::Status SqlIdentityProviderStore::Delete(const Caller& caller, const WriteOptions& write) {
  SOCM_STATUS_RETURN(TenantWide(caller));
  const WriteContext ctx = Ctx(caller, write);
  return db_.Transaction([&](Connection& c) -> absl::Status {
    auto before = Load(c, ctx.tenant);
    if (!before.ok()) return before.status();
    if (!before->has_value()) return NoProvider();
    SOCM_STATUS_RETURN(
        c.Exec("DELETE FROM identity_providers WHERE tenant_id=$1", {ctx.tenant}).status());
    return Audit(c, ctx, "", "identity_provider.delete", "identityProvider",
                 ToJson((*before)->provider), "");
  });
}

absl::StatusOr<pb::SignInSettings> SqlIdentityProviderStore::Find(
    const char* where, const std::vector<db::Value>& params) {
  pb::SignInSettings out;
  SOCM_STATUS_RETURN(db_.Run([&](Connection& c) -> absl::Status {
    auto rows = c.Query(absl::StrCat("SELECT t.doc, p.doc, p.sealed_client_secret FROM tenants t "
                                     "JOIN identity_providers p ON p.tenant_id=t.id WHERE ",
                                     where),
                        params);
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return absl::NotFoundError("no tenant signs in that way");
    pb::Tenant tenant;
    SOCM_STATUS_RETURN(FromJson(rows->front().Text(0), &tenant));
    SOCM_STATUS_RETURN(FromJson(rows->front().Text(1), out.mutable_provider()));
    out.set_tenant_id(tenant.id());
    out.set_tenant_slug(tenant.slug().empty() ? SlugOfLegacyTenant(tenant.id()) : tenant.slug());
    out.set_tenant_display_name(tenant.display_name());
    out.set_sealed_client_secret(rows->front().Text(2));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<pb::SignInSettings> SqlIdentityProviderStore::FindBySlug(const std::string& slug) {
  return Find("t.slug=$1", {slug});
}

absl::StatusOr<pb::SignInSettings> SqlIdentityProviderStore::FindByIssuerAudience(
    const std::string& issuer, const std::string& audience) {
  return Find("p.issuer=$1 AND p.client_id=$2", {issuer, audience});
}

absl::StatusOr<pb::SignInSettings> SqlIdentityProviderStore::FindByTenant(
    const std::string& tenant) {
  return Find("t.id=$1", {tenant});
}

}  // namespace socm::assessment
