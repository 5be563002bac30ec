#include "services/assessment/store/sql_tenant_settings.h"

#include "services/assessment/domain/portal_rules.h"
#include "services/assessment/store/sql_rows.h"

namespace socm::assessment {

using namespace sqlrows;  // NOLINT: the shared row helpers of this folder

absl::StatusOr<pb::TenantSettings> LoadTenantSettings(db::Connection& c,
                                                      const std::string& tenant) {
  pb::TenantSettings out;
  auto rows = c.Query("SELECT doc FROM tenant_settings WHERE tenant_id=$1", {tenant});
  if (!rows.ok()) return rows.status();
  if (!rows->empty()) SOCM_STATUS_RETURN(FromJson(rows->front().Text(0), &out));
  return out;
}

absl::StatusOr<pb::TenantSettings> SqlTenantSettingsStore::Get(const Caller& caller) {
  SOCM_STATUS_RETURN(TenantWide(caller));
  pb::TenantSettings out;
  SOCM_STATUS_RETURN(db_.Run([&](Connection& c) -> absl::Status {
    auto settings = LoadTenantSettings(c, caller.tenant.value());
    if (!settings.ok()) return settings.status();
    out = std::move(*settings);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<pb::TenantSettings> SqlTenantSettingsStore::Update(
    const Caller& caller, const pb::TenantSettings& settings, const WriteOptions& write) {
  SOCM_STATUS_RETURN(TenantWide(caller));
  const std::vector<std::string> origins(settings.allowed_origins().begin(),
                                         settings.allowed_origins().end());
  const auto violations = CheckAllowedOrigins(origins);
  if (!violations.empty()) return InvalidFields(violations);
  const WriteContext ctx = Ctx(caller, write);
  const std::string after = ToJson(settings);
  SOCM_STATUS_RETURN(db_.Transaction([&](Connection& c) -> absl::Status {
    auto before = LoadTenantSettings(c, ctx.tenant);
    if (!before.ok()) return before.status();
    SOCM_STATUS_RETURN(
        c.Exec("INSERT INTO tenant_settings (tenant_id, doc) VALUES ($1,$2) ON CONFLICT "
               "(tenant_id) DO UPDATE SET doc=excluded.doc",
               {ctx.tenant, after})
            .status());
    SOCM_STATUS_RETURN(
        c.Exec("DELETE FROM tenant_origins WHERE tenant_id=$1", {ctx.tenant}).status());
    for (const std::string& origin : origins) {
      SOCM_STATUS_RETURN(c.Exec("INSERT INTO tenant_origins (origin, tenant_id) VALUES ($1,$2)",
                                {origin, ctx.tenant})
                             .status());
    }
    return Audit(c, ctx, "", "tenant.settings.update", "tenantSettings", ToJson(*before), after);
  }));
  return settings;
}

absl::StatusOr<bool> SqlTenantSettingsStore::OriginAllowed(const std::string& origin,
                                                           const std::string& tenant) {
  if (!IsOrigin(origin)) return false;
  bool allowed = false;
  SOCM_STATUS_RETURN(db_.Run([&](Connection& c) -> absl::Status {
    auto rows = tenant.empty()
                    ? c.Query("SELECT 1 FROM tenant_origins WHERE origin=$1 LIMIT 1", {origin})
                    : c.Query("SELECT 1 FROM tenant_origins WHERE origin=$1 AND tenant_id=$2",
                              {origin, tenant});
    if (!rows.ok()) return rows.status();
    allowed = !rows->empty();
    return absl::OkStatus();
  }));
  return allowed;
}

}  // namespace socm::assessment
