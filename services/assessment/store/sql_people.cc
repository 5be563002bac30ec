#include "services/assessment/store/sql_people.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "services/assessment/store/sql_rows.h"
#include "services/common/access.h"

namespace socm::assessment {
namespace {

using json = nlohmann::json;
using namespace sqlrows;  // NOLINT: the shared row helpers of this folder

constexpr char kColumns[] =
    "id, tenant_id, issuer, subject, email, display_name, role, organizations, set_by_admin, "
    "create_time, last_sign_in_time";

PersonRecord FromRow(const db::Row& row) {
  PersonRecord p;
  p.id = row.Text(0);
  p.tenant = row.Text(1);
  p.issuer = row.Text(2);
  p.subject = row.Text(3);
  p.email = row.Text(4);
  p.display_name = row.Text(5);
  p.role = RoleNamed(row.Text(6));
  const json orgs = json::parse(row.Text(7), nullptr, false);
  if (orgs.is_array()) {
    for (const json& o : orgs) {
      if (o.is_string()) p.organizations.push_back(o.get<std::string>());
    }
  }
  p.set_by_admin = row.Int(8) != 0;
  p.create_micros = row.Int(9);
  p.last_sign_in_micros = row.Int(10);
  return p;
}

// What the audit log shows of a person: never more than the people screen does.
std::string AuditJson(const PersonRecord& p) {
  if (p.id.empty()) return "";
  return json{{"id", p.id},
              {"email", p.email},
              {"displayName", p.display_name},
              {"role", RoleName(p.role)},
              {"organizations", p.organizations},
              {"setByAdmin", p.set_by_admin}}
      .dump();
}

std::vector<std::string> Sorted(std::vector<std::string> orgs) {
  std::sort(orgs.begin(), orgs.end());
  orgs.erase(std::unique(orgs.begin(), orgs.end()), orgs.end());
  return orgs;
}

absl::StatusOr<std::optional<PersonRecord>> Find(Connection& c, const char* where,
                                                 const std::vector<db::Value>& params) {
  auto rows = c.Query(absl::StrCat("SELECT ", kColumns, " FROM people WHERE ", where), params);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::nullopt;
  return FromRow(rows->front());
}

absl::Status Store(Connection& c, const PersonRecord& p, bool insert) {
  const std::vector<db::Value> values = {p.id,
                                         p.tenant,
                                         p.issuer,
                                         p.subject,
                                         p.email,
                                         p.display_name,
                                         std::string(RoleName(p.role)),
                                         json(p.organizations).dump(),
                                         int64_t{p.set_by_admin ? 1 : 0},
                                         p.create_micros,
                                         p.last_sign_in_micros};
  if (insert) {
    return c
        .Exec(absl::StrCat("INSERT INTO people (", kColumns,
                           ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)"),
              values)
        .status();
  }
  return c
      .Exec(
          "UPDATE people SET issuer=$3, subject=$4, email=$5, display_name=$6, role=$7, "
          "organizations=$8, set_by_admin=$9, create_time=$10, last_sign_in_time=$11 "
          "WHERE id=$1 AND tenant_id=$2",
          values)
      .status();
}

absl::Status CheckAccess(Role role, const std::vector<std::string>& organizations) {
  if (TenantRoleRank(role) == 0) {
    return absl::InvalidArgumentError("role: viewer, assessor or admin");
  }
  if (organizations.size() > kMaxScopeOrganizations) {
    return absl::InvalidArgumentError(
        absl::StrCat("organizations: at most ", kMaxScopeOrganizations));
  }
  for (const std::string& org : organizations) {
    if (org.empty() || org.size() > 128) {
      return absl::InvalidArgumentError("organizations: each an organisation id");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<PersonRecord> SqlPeopleStore::RecordSignIn(const SignInClaims& claims,
                                                          int64_t now_micros,
                                                          const std::string& client_address) {
  if (claims.tenant.empty() || claims.issuer.empty() || claims.subject.empty() ||
      claims.subject.size() > 255) {
    return absl::InvalidArgumentError("a sign-in names a tenant, an issuer and a subject");
  }
  SOCM_STATUS_RETURN(CheckAccess(claims.role, claims.organizations));
  PersonRecord out;
  SOCM_STATUS_RETURN(db_.Transaction([&](Connection& c) -> absl::Status {
    auto found = Find(c, "tenant_id=$1 AND issuer=$2 AND subject=$3",
                      {claims.tenant, claims.issuer, claims.subject});
    if (!found.ok()) return found.status();
    PersonRecord before;
    const bool first = !found->has_value();
    if (first) {
      SOCM_STATUS_RETURN(CheckQuota(c, claims.tenant,
                                    "SELECT COUNT(*) FROM people WHERE tenant_id=$1",
                                    kMaxPeoplePerTenant, 1, "people"));
      out.id = NewId(kPersonIdPrefix);
      out.tenant = claims.tenant;
      out.issuer = claims.issuer;
      out.subject = claims.subject;
      out.create_micros = now_micros;
    } else {
      before = **found;
      out = before;
    }
    out.email = claims.email.substr(0, 320);
    out.display_name = claims.display_name.substr(0, 200);
    out.last_sign_in_micros = now_micros;
    if (!out.set_by_admin) {
      out.role = claims.role;
      out.organizations = Sorted(claims.organizations);
    }
    SOCM_STATUS_RETURN(Store(c, out, first));
    WriteContext ctx;
    ctx.tenant = out.tenant;
    ctx.actor = out.id;
    ctx.now_micros = now_micros;
    ctx.client_address = client_address;
    return Audit(c, ctx, "", "person.sign_in", out.id, AuditJson(before), AuditJson(out));
  }));
  return out;
}

absl::Status SqlPeopleStore::RecordRefusal(const std::string& tenant, const std::string& subject,
                                           const std::string& reason, int64_t now_micros,
                                           const std::string& client_address) {
  if (tenant.empty()) return absl::InvalidArgumentError("a refusal names its tenant");
  const nlohmann::json what = {{"subject", subject.substr(0, 255)},
                               {"reason", reason.substr(0, 300)}};
  return db_.Transaction([&](Connection& c) -> absl::Status {
    WriteContext ctx;
    ctx.tenant = tenant;
    ctx.actor = "gateway";
    ctx.now_micros = now_micros;
    ctx.client_address = client_address;
    return Audit(c, ctx, "", "person.sign_in_refused", subject.substr(0, 255), "", what.dump());
  });
}

absl::StatusOr<std::vector<PersonRecord>> SqlPeopleStore::List(const std::string& tenant) {
  std::vector<PersonRecord> out;
  SOCM_STATUS_RETURN(db_.Run([&](Connection& c) -> absl::Status {
    auto rows = c.Query(
        absl::StrCat("SELECT ", kColumns, " FROM people WHERE tenant_id=$1 ORDER BY email, id"),
        {tenant});
    if (!rows.ok()) return rows.status();
    for (const db::Row& row : *rows) out.push_back(FromRow(row));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<PersonRecord> SqlPeopleStore::Get(const std::string& tenant, const std::string& id) {
  std::optional<PersonRecord> out;
  SOCM_STATUS_RETURN(db_.Run([&](Connection& c) -> absl::Status {
    auto found = Find(c, "tenant_id=$1 AND id=$2", {tenant, id});
    if (!found.ok()) return found.status();
    out = std::move(*found);
    return absl::OkStatus();
  }));
  if (!out) return absl::NotFoundError(absl::StrCat("person ", id, " not found"));
  return *out;
}

absl::StatusOr<PersonRecord> SqlPeopleStore::SetAccess(
    const Caller& admin, const std::string& id, Role role,
    const std::vector<std::string>& organizations, int64_t now_micros) {
  SOCM_STATUS_RETURN(TenantWide(admin));
  if (admin.role != Role::kAdmin) {
    return absl::PermissionDeniedError("only a tenant admin sets a person's access");
  }
  SOCM_STATUS_RETURN(CheckAccess(role, organizations));
  PersonRecord out;
  SOCM_STATUS_RETURN(db_.Transaction([&](Connection& c) -> absl::Status {
    auto found = Find(c, "tenant_id=$1 AND id=$2", {admin.tenant.value(), id});
    if (!found.ok()) return found.status();
    if (!found->has_value()) return absl::NotFoundError(absl::StrCat("person ", id, " not found"));
    const PersonRecord before = **found;
    out = before;
    out.role = role;
    out.organizations = Sorted(organizations);
    out.set_by_admin = true;
    SOCM_STATUS_RETURN(Store(c, out, false));
    WriteContext ctx;
    ctx.tenant = admin.tenant.value();
    ctx.actor = admin.principal;
    ctx.now_micros = now_micros;
    ctx.client_address = admin.client_address;
    return Audit(c, ctx, "", "person.update", out.id, AuditJson(before), AuditJson(out));
  }));
  return out;
}

}  // namespace socm::assessment
