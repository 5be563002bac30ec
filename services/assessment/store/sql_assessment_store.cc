#include "services/assessment/store/sql_assessment_store.h"

#include "services/assessment/domain/identity_rules.h"
#include "services/assessment/store/sql_rows.h"

namespace socm::assessment {
using namespace sqlrows;  // NOLINT(build/namespaces): the shared row helpers

namespace {

// The slug the request named (ALREADY_EXISTS when taken), or one made from the display name,
// numbered when taken ("acme", "acme-2", ...).
absl::StatusOr<std::string> FreeSlug(Connection& c, const pb::Tenant& tenant) {
  const bool named = !tenant.slug().empty();
  const std::string base = named ? tenant.slug() : SlugFromName(tenant.display_name());
  for (int n = 1; n <= 100; ++n) {
    std::string slug = base;
    if (n > 1) {
      const std::string suffix = absl::StrCat("-", n);
      slug = base.substr(0, kMaxSlugChars - suffix.size());
      while (!slug.empty() && slug.back() == '-') slug.pop_back();
      slug += suffix;
    }
    auto taken = c.Query("SELECT 1 FROM tenants WHERE slug=$1", {slug});
    if (!taken.ok()) return taken.status();
    if (taken->empty()) return slug;
    if (named) {
      return absl::AlreadyExistsError(absl::StrCat("slug: ", slug, " is another tenant's"));
    }
  }
  return absl::AlreadyExistsError("no free slug near " + base + "; name one");
}

// Tenants made before slugs have no slug in their document; migration 6 gave them this one.
void WithSlug(pb::Tenant& tenant) {
  if (tenant.slug().empty()) tenant.set_slug(SlugOfLegacyTenant(tenant.id()));
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqlAssessmentStore>> SqlAssessmentStore::Open(
    std::unique_ptr<db::Database> database) {
  SOCM_STATUS_RETURN(database->Migrate(AssessmentMigrations()));
  return std::unique_ptr<SqlAssessmentStore>(new SqlAssessmentStore(std::move(database)));
}

absl::StatusOr<pb::Tenant> SqlAssessmentStore::CreateTenant(const Caller& caller,
                                                            const pb::Tenant& tenant,
                                                            const WriteOptions& write) {
  const WriteContext ctx = Ctx(caller, write);
  return Create<pb::Tenant>(*db_, ctx, [&](Connection& c, pb::Tenant& out) -> absl::Status {
    out = tenant;
    out.set_id(NewId("tn_"));
    *out.mutable_create_time() = Time(ctx.now_micros);
    auto slug = FreeSlug(c, tenant);
    if (!slug.ok()) return slug.status();
    out.set_slug(*slug);
    const std::string doc = ToJson(out);
    SOCM_STATUS_RETURN(
        c.Exec("INSERT INTO tenants (id, create_time, doc, slug) VALUES ($1,$2,$3,$4)",
               {out.id(), ctx.now_micros, doc, out.slug()})
            .status());
    WriteContext scoped = ctx;
    scoped.tenant = out.id();
    return Audit(c, scoped, "", "tenant.create", out.id(), "", doc);
  });
}

absl::StatusOr<PageOf<pb::Tenant>> SqlAssessmentStore::ListTenants(Page page) {
  auto tenants =
      GetPage<pb::Tenant>(*db_, "SELECT doc FROM tenants ORDER BY create_time, id", {}, page);
  if (tenants.ok()) {
    for (pb::Tenant& tenant : tenants->items) WithSlug(tenant);
  }
  return tenants;
}

absl::StatusOr<pb::Tenant> SqlAssessmentStore::GetTenant(const std::string& id) {
  auto tenant =
      GetOne<pb::Tenant>(*db_, "SELECT doc FROM tenants WHERE id=$1", {id}, "tenant " + id);
  if (tenant.ok()) WithSlug(*tenant);
  return tenant;
}

absl::StatusOr<pb::ApiKey> SqlAssessmentStore::CreateApiKey(const Caller& caller,
                                                            const pb::ApiKey& key,
                                                            const std::string& key_hash,
                                                            const WriteOptions& write) {
  SOCM_STATUS_RETURN(TenantWide(caller));
  const WriteContext ctx = Ctx(caller, write);
  return Create<pb::ApiKey>(
      *db_, ctx,
      [&](Connection& c, pb::ApiKey& out) -> absl::Status {
        auto tenant = c.Query("SELECT id FROM tenants WHERE id=$1", {ctx.tenant});
        if (!tenant.ok()) return tenant.status();
        if (tenant->empty())
          return absl::NotFoundError(absl::StrCat("tenant ", ctx.tenant, " not found"));
        if (!key.organization_id().empty()) {
          auto org = LoadOrganization(c, ctx.tenant, key.organization_id());
          if (!org.ok()) return org.status();
        }
        out = key;
        out.clear_key();
        out.set_id(NewId("key_"));
        out.set_tenant_id(ctx.tenant);
        *out.mutable_create_time() = Time(ctx.now_micros);
        const std::string doc = ToJson(out);
        SOCM_STATUS_RETURN(
            c.Exec("INSERT INTO api_keys (id, tenant_id, key_hash, organization_id, create_time, "
                   "doc) "
                   "VALUES ($1,$2,$3,$4,$5,$6)",
                   {out.id(), ctx.tenant, key_hash, out.organization_id(), ctx.now_micros, doc})
                .status());
        return Audit(c, ctx, key.organization_id(), "apiKey.create", out.id(), "", doc);
      },
      // The secret is shown once and never stored, so a replay could only answer a secret that
      // does not work.
      "this Idempotency-Key already created a key; its secret was shown once and is not kept");
}

absl::StatusOr<PageOf<pb::ApiKey>> SqlAssessmentStore::ListApiKeys(const Caller& caller,
                                                                   Page page) {
  SOCM_STATUS_RETURN(TenantWide(caller));
  const std::string& tenant = caller.tenant.value();
  return GetPage<pb::ApiKey>(
      *db_, "SELECT doc FROM api_keys WHERE tenant_id=$1 ORDER BY create_time, id", {tenant}, page);
}

absl::Status SqlAssessmentStore::RevokeApiKey(const Caller& caller, const std::string& key_id,
                                              const WriteOptions& write) {
  SOCM_STATUS_RETURN(TenantWide(caller));
  const WriteContext ctx = Ctx(caller, write);
  const std::string& tenant = ctx.tenant;
  return db_->Transaction([&](Connection& c) -> absl::Status {
    auto rows = c.Query("SELECT doc FROM api_keys WHERE tenant_id=$1 AND id=$2", {tenant, key_id});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return absl::NotFoundError(absl::StrCat("API key ", key_id, " not found"));
    pb::ApiKey key;
    SOCM_STATUS_RETURN(FromJson(rows->front().Text(0), &key));
    if (key.has_revoke_time()) return absl::OkStatus();  // revoking twice changes nothing
    const std::string before = ToJson(key);
    *key.mutable_revoke_time() = Time(ctx.now_micros);
    const std::string after = ToJson(key);
    SOCM_STATUS_RETURN(c.Exec("UPDATE api_keys SET revoked=1, doc=$1 WHERE tenant_id=$2 AND id=$3",
                              {after, tenant, key_id})
                           .status());
    return Audit(c, ctx, key.organization_id(), "apiKey.revoke", key_id, before, after);
  });
}

absl::StatusOr<pb::ApiKey> SqlAssessmentStore::FindApiKey(const std::string& key_hash) {
  return GetOne<pb::ApiKey>(*db_, "SELECT doc FROM api_keys WHERE key_hash=$1 AND revoked=0",
                            {key_hash}, "API key");
}

absl::StatusOr<pb::Organization> SqlAssessmentStore::CreateOrganization(const Caller& caller,
                                                                        const pb::Organization& org,
                                                                        const WriteOptions& write) {
  SOCM_STATUS_RETURN(TenantWide(caller));
  const WriteContext ctx = Ctx(caller, write);
  return Create<pb::Organization>(
      *db_, ctx, [&](Connection& c, pb::Organization& out) -> absl::Status {
        SOCM_STATUS_RETURN(CheckQuota(c, ctx.tenant,
                                      "SELECT COUNT(*) FROM organizations WHERE tenant_id=$1",
                                      quotas_.max_organizations, 1, "organisations"));
        out = org;
        out.set_id(NewId("org_"));
        *out.mutable_create_time() = Time(ctx.now_micros);
        *out.mutable_update_time() = Time(ctx.now_micros);
        const std::string doc = ToJson(out);
        SOCM_STATUS_RETURN(
            c.Exec("INSERT INTO organizations (tenant_id, id, create_time, doc, industry) VALUES "
                   "($1,$2,$3,$4,$5)",
                   {ctx.tenant, out.id(), ctx.now_micros, doc, out.industry()})
                .status());
        return Audit(c, ctx, out.id(), "organization.create", out.id(), "", doc);
      });
}

absl::StatusOr<PageOf<pb::Organization>> SqlAssessmentStore::ListOrganizations(const Caller& caller,
                                                                               Page page) {
  const std::string& tenant = caller.tenant.value();
  if (caller.scoped()) {
    std::vector<db::Value> params = {tenant};
    const std::string scope = ScopeFilter(caller, "id", params);
    return GetPage<pb::Organization>(
        *db_,
        "SELECT doc FROM organizations WHERE tenant_id=$1" + scope + " ORDER BY create_time, id",
        params, page);
  }
  return GetPage<pb::Organization>(
      *db_, "SELECT doc FROM organizations WHERE tenant_id=$1 ORDER BY create_time, id", {tenant},
      page);
}

absl::StatusOr<pb::Organization> SqlAssessmentStore::GetOrganization(const Caller& caller,
                                                                     const std::string& id) {
  SOCM_STATUS_RETURN(InScope(caller, id));
  const std::string& tenant = caller.tenant.value();
  return GetOne<pb::Organization>(*db_,
                                  "SELECT doc FROM organizations WHERE tenant_id=$1 AND id=$2",
                                  {tenant, id}, "organization " + id);
}

absl::StatusOr<pb::Organization> SqlAssessmentStore::UpdateOrganization(
    const Caller& caller, const std::string& id,
    const std::function<absl::Status(pb::Organization&)>& mutate, const WriteOptions& write) {
  SOCM_STATUS_RETURN(InScope(caller, id));
  const WriteContext ctx = Ctx(caller, write);
  pb::Organization out;
  const absl::Status status = db_->Transaction([&](Connection& c) -> absl::Status {
    auto org = LoadOrganization(c, ctx.tenant, id, /*for_update=*/true);
    if (!org.ok()) return org.status();
    const std::string before = ToJson(*org);
    SOCM_STATUS_RETURN(mutate(*org));
    org->set_id(id);
    *org->mutable_update_time() = Time(ctx.now_micros);
    const std::string after = ToJson(*org);
    SOCM_STATUS_RETURN(
        c.Exec("UPDATE organizations SET doc=$1, industry=$2 WHERE tenant_id=$3 AND id=$4",
               {after, org->industry(), ctx.tenant, id})
            .status());
    out = *org;
    return Audit(c, ctx, id, "organization.update", id, before, after);
  });
  if (!status.ok()) return status;
  return out;
}

absl::Status SqlAssessmentStore::DeleteOrganization(const Caller& caller, const std::string& id,
                                                    bool force, const WriteOptions& write) {
  SOCM_STATUS_RETURN(InScope(caller, id));
  const WriteContext ctx = Ctx(caller, write);
  // Held before the transaction: the assessments there now. Buried after it: those it deleted.
  std::vector<std::string> held;
  std::vector<std::string> deleted;
  if (board_ != nullptr && board_->enabled() && force) {
    std::vector<std::string> present;
    SOCM_STATUS_RETURN(db_->Run([&](Connection& c) -> absl::Status {
      auto rows = c.Query("SELECT id FROM assessments WHERE tenant_id=$1 AND organization_id=$2",
                          {ctx.tenant, id});
      if (!rows.ok()) return rows.status();
      for (const auto& row : *rows) present.push_back(row.Text(0));
      return absl::OkStatus();
    }));
    for (const std::string& a : present) {
      if (absl::Status s = board_->Hold(ctx.tenant, a); !s.ok()) {
        for (const std::string& h : held) board_->Release(ctx.tenant, h);
        return s;
      }
      held.push_back(a);
    }
  }
  const absl::Status status = db_->Transaction([&](Connection& c) -> absl::Status {
    deleted.clear();
    auto org = LoadOrganization(c, ctx.tenant, id);
    if (!org.ok()) return org.status();
    auto ids = c.Query("SELECT id FROM assessments WHERE tenant_id=$1 AND organization_id=$2",
                       {ctx.tenant, id});
    if (!ids.ok()) return ids.status();
    for (const auto& row : *ids) deleted.push_back(row.Text(0));
    auto count =
        c.Query("SELECT COUNT(*) FROM assessments WHERE tenant_id=$1 AND organization_id=$2",
                {ctx.tenant, id});
    if (!count.ok()) return count.status();
    const int64_t assessments = count->front().Int(0);
    if (assessments > 0 && !force) {
      return absl::FailedPreconditionError(
          absl::StrCat("organization ", id, " still has ", assessments,
                       " assessment(s); delete them first, or delete with force=true to delete "
                       "them with their comments and evidence"));
    }
    for (const char* table :
         {"role_comments", "evidence_blobs", "evidence", "share_links", "approved_scores"}) {
      SOCM_STATUS_RETURN(
          c.Exec(absl::StrCat("DELETE FROM ", table, " WHERE tenant_id=$1 AND organization_id=$2"),
                 {ctx.tenant, id})
              .status());
    }
    SOCM_STATUS_RETURN(c.Exec("DELETE FROM assessments WHERE tenant_id=$1 AND organization_id=$2",
                              {ctx.tenant, id})
                           .status());
    // Keys pinned to the organisation die with it.
    SOCM_STATUS_RETURN(
        c.Exec("UPDATE api_keys SET revoked=1 WHERE tenant_id=$1 AND organization_id=$2",
               {ctx.tenant, id})
            .status());
    SOCM_STATUS_RETURN(
        c.Exec("DELETE FROM organizations WHERE tenant_id=$1 AND id=$2", {ctx.tenant, id})
            .status());
    return Audit(c, ctx, id, "organization.delete", id, ToJson(*org), "");
  });
  if (board_ != nullptr) {
    if (status.ok()) {
      for (const std::string& a : deleted) {
        board_->Bury(ctx.tenant, a,
                     /*held=*/std::find(held.begin(), held.end(), a) != held.end());
      }
    }
    // Each hold let go once: by its burial, or here.
    for (const std::string& a : held) {
      if (!status.ok() || std::find(deleted.begin(), deleted.end(), a) == deleted.end())
        board_->Release(ctx.tenant, a);
    }
  }
  return status;
}

absl::StatusOr<pb::Assessment> SqlAssessmentStore::CreateAssessment(
    const Caller& caller, const pb::Assessment& assessment, const WriteOptions& write) {
  SOCM_STATUS_RETURN(InScope(caller, assessment.organization_id()));
  const WriteContext ctx = Ctx(caller, write);
  return Create<pb::Assessment>(*db_, ctx, [&](Connection& c, pb::Assessment& out) -> absl::Status {
    auto org = LoadOrganization(c, ctx.tenant, assessment.organization_id());
    if (!org.ok()) return org.status();
    SOCM_STATUS_RETURN(CheckQuota(c, ctx.tenant,
                                  "SELECT COUNT(*) FROM assessments WHERE tenant_id=$1",
                                  quotas_.max_assessments, 1, "assessments"));
    out = assessment;
    return InsertAssessment(c, ctx, out);
  });
}

absl::StatusOr<PageOf<pb::Assessment>> SqlAssessmentStore::ListAssessments(const Caller& caller,
                                                                           const std::string& org,
                                                                           Page page) {
  SOCM_STATUS_RETURN(GetOrganization(caller, org).status());
  const std::string& tenant = caller.tenant.value();
  return GetPage<pb::Assessment>(
      *db_,
      "SELECT doc FROM assessments WHERE tenant_id=$1 AND organization_id=$2 "
      "ORDER BY assessed_on DESC, create_time DESC, id",
      {tenant, org}, page);
}

absl::StatusOr<pb::Assessment> SqlAssessmentStore::GetAssessment(const Caller& caller,
                                                                 const std::string& org,
                                                                 const std::string& id) {
  SOCM_STATUS_RETURN(InScope(caller, org));
  const std::string& tenant = caller.tenant.value();
  return GetOne<pb::Assessment>(
      *db_, "SELECT doc FROM assessments WHERE tenant_id=$1 AND organization_id=$2 AND id=$3",
      {tenant, org, id}, "assessment " + id);
}

absl::StatusOr<int64_t> SqlAssessmentStore::GetAssessmentRevision(const Caller& caller,
                                                                  const std::string& org,
                                                                  const std::string& id) {
  SOCM_STATUS_RETURN(InScope(caller, org));
  const std::string& tenant = caller.tenant.value();
  absl::StatusOr<int64_t> out = absl::NotFoundError(absl::StrCat("assessment ", id, " not found"));
  SOCM_STATUS_RETURN(db_->Run([&](Connection& c) -> absl::Status {
    auto rows = c.Query(
        "SELECT revision FROM assessments WHERE tenant_id=$1 AND organization_id=$2 AND id=$3",
        {tenant, org, id});
    if (!rows.ok()) return rows.status();
    if (!rows->empty()) out = rows->front().Int(0);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<pb::Assessment> SqlAssessmentStore::UpdateAssessment(
    const Caller& caller, const std::string& org, const std::string& id, const std::string& etag,
    const std::string& action, const std::function<absl::Status(pb::Assessment&)>& mutate,
    const WriteOptions& write) {
  SOCM_STATUS_RETURN(InScope(caller, org));
  const WriteContext ctx = Ctx(caller, write);
  if (board_ != nullptr) SOCM_STATUS_RETURN(board_->Hold(ctx.tenant, id));
  pb::Assessment out;
  const absl::Status status = db_->Transaction([&](Connection& c) -> absl::Status {
    auto a = LoadAssessment(c, ctx.tenant, org, id);
    if (!a.ok()) return a.status();
    SOCM_STATUS_RETURN(CheckEtag(*a, etag));
    const pb::Assessment before = *a;
    const int64_t revision = a->revision();
    SOCM_STATUS_RETURN(mutate(*a));
    a->set_revision(revision + 1);
    a->set_etag(Etag(id, revision + 1));
    *a->mutable_update_time() = Time(ctx.now_micros);
    const std::string after = ToJson(*a);
    auto changed = c.Exec(
        "UPDATE assessments SET doc=$1, revision=$2, assessed_on=$3, status=$4, answered=$5, "
        "title=$6 WHERE tenant_id=$7 AND id=$8 AND revision=$9",
        {after, revision + 1, a->assessed_on(), pb::AssessmentStatus_Name(a->status()),
         static_cast<int64_t>(CountAnswered(*a)), a->title(), ctx.tenant, id, revision});
    if (!changed.ok()) return changed.status();
    if (*changed != 1) return absl::AbortedError("the assessment changed during the write; retry");
    out = *a;
    // The changes, not two copies of the whole assessment.
    SOCM_STATUS_RETURN(Audit(c, ctx, org, action, id, "", "", AssessmentChanges(before, *a)));
    // Submission, approval and reopening reach the tenant's webhooks with the change.
    if (auto event = WebhookEventOfAction(action)) {
      return RecordWebhookEvent(c, ctx.tenant, *event, ctx.now_micros, AssessmentEventData(*a));
    }
    return absl::OkStatus();
  });
  if (board_ != nullptr) {
    // Before the caller hears of the write, so that its next read, anywhere, sees it.
    if (status.ok()) {
      board_->Publish(ctx.tenant, org, id, out.revision());
    } else {
      board_->Release(ctx.tenant, id);
    }
  }
  if (!status.ok()) return status;
  return out;
}

absl::Status SqlAssessmentStore::StoreApprovedScores(const Caller& caller,
                                                     const std::vector<ScoresToKeep>& scores) {
  for (const auto& s : scores) SOCM_STATUS_RETURN(InScope(caller, s.org));
  if (scores.empty()) return absl::OkStatus();
  const std::string& tenant = caller.tenant.value();
  return db_->Transaction([&](Connection& c) -> absl::Status {
    for (const auto& s : scores) {
      SOCM_STATUS_RETURN(
          c.Exec("INSERT INTO approved_scores (tenant_id, assessment_id, organization_id, "
                 "revision, scores, method) SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 "
                 "FROM "
                 "assessments WHERE tenant_id=$1 AND id=$2 AND organization_id=$3 AND "
                 "revision=$4 AND status='APPROVED') ON CONFLICT (tenant_id, assessment_id) DO "
                 "UPDATE SET revision=excluded.revision, scores=excluded.scores, "
                 "method=excluded.method WHERE approved_scores.revision <= excluded.revision",
                 {tenant, s.id, s.org, s.revision, s.scores, kKeptScoresMethod})
              .status());
    }
    return absl::OkStatus();
  });
}

absl::Status SqlAssessmentStore::DeleteAssessment(const Caller& caller, const std::string& org,
                                                  const std::string& id, const std::string& etag,
                                                  const WriteOptions& write) {
  SOCM_STATUS_RETURN(InScope(caller, org));
  const WriteContext ctx = Ctx(caller, write);
  if (board_ != nullptr) SOCM_STATUS_RETURN(board_->Hold(ctx.tenant, id));
  const absl::Status status = db_->Transaction([&](Connection& c) -> absl::Status {
    auto a = LoadAssessment(c, ctx.tenant, org, id);
    if (!a.ok()) return a.status();
    SOCM_STATUS_RETURN(CheckEtag(*a, etag));
    for (const char* table :
         {"role_comments", "evidence_blobs", "evidence", "share_links", "approved_scores"}) {
      SOCM_STATUS_RETURN(
          c.Exec(absl::StrCat("DELETE FROM ", table, " WHERE tenant_id=$1 AND assessment_id=$2"),
                 {ctx.tenant, id})
              .status());
    }
    SOCM_STATUS_RETURN(
        c.Exec("DELETE FROM assessments WHERE tenant_id=$1 AND id=$2", {ctx.tenant, id}).status());
    return Audit(c, ctx, org, "assessment.delete", id, ToJson(*a), "");
  });
  if (board_ != nullptr) {
    if (status.ok()) {
      board_->Bury(ctx.tenant, id);
    } else {
      board_->Release(ctx.tenant, id);
    }
  }
  return status;
}

absl::StatusOr<std::string> SqlAssessmentStore::LastAuditActor(const Caller& caller,
                                                               const std::string& org,
                                                               const std::string& target,
                                                               const std::string& action) {
  SOCM_STATUS_RETURN(InScope(caller, org));
  const std::string& tenant = caller.tenant.value();
  std::string actor;
  SOCM_STATUS_RETURN(db_->Run([&](Connection& c) -> absl::Status {
    auto rows = c.Query(
        "SELECT doc FROM audit_log WHERE tenant_id=$1 AND organization_id=$2 "
        "ORDER BY time DESC, id DESC",
        {tenant, org});
    if (!rows.ok()) return rows.status();
    for (const auto& row : *rows) {
      pb::AuditEntry entry;
      SOCM_STATUS_RETURN(FromJson(row.Text(0), &entry));
      if (entry.target() == target && entry.action() == action) {
        actor = entry.actor();
        break;
      }
    }
    return absl::OkStatus();
  }));
  return actor;
}

absl::StatusOr<PageOf<pb::AuditEntry>> SqlAssessmentStore::ListAuditLog(const Caller& caller,
                                                                        const std::string& org,
                                                                        Page page) {
  SOCM_STATUS_RETURN(GetOrganization(caller, org).status());
  const std::string& tenant = caller.tenant.value();
  return GetPage<pb::AuditEntry>(*db_,
                                 "SELECT doc FROM audit_log WHERE tenant_id=$1 AND "
                                 "organization_id=$2 ORDER BY time DESC, id DESC",
                                 {tenant, org}, page);
}

absl::StatusOr<PageOf<pb::AuditEntry>> SqlAssessmentStore::ListTenantAuditLog(
    const Caller& caller, const std::string& org, Page page) {
  SOCM_STATUS_RETURN(TenantWide(caller));
  const std::string& tenant = caller.tenant.value();
  if (!org.empty()) {
    return GetPage<pb::AuditEntry>(*db_,
                                   "SELECT doc FROM audit_log WHERE tenant_id=$1 AND "
                                   "organization_id=$2 ORDER BY time DESC, id DESC",
                                   {tenant, org}, page);
  }
  return GetPage<pb::AuditEntry>(
      *db_, "SELECT doc FROM audit_log WHERE tenant_id=$1 ORDER BY time DESC, id DESC", {tenant},
      page);
}

}  // namespace socm::assessment
