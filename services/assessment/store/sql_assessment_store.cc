#include "services/assessment/store/sql_assessment_store.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <optional>

#include "absl/strings/str_cat.h"
#include "services/assessment/domain/assessment_rules.h"
#include "services/common/crypto.h"

namespace socm::assessment {
namespace {

using db::Connection;
using db::Rows;
using google::protobuf::Message;

constexpr int64_t kIdempotencyWindowMicros = 24LL * 3600 * 1000000;

std::string ToJson(const Message& message) {
  std::string out;
  // Messages built here always print.
  (void)google::protobuf::util::MessageToJsonString(message, &out);
  return out;
}

absl::Status FromJson(const std::string& text, Message* message) {
  if (google::protobuf::util::JsonStringToMessage(text, message).ok()) {
    // Answers stored before levels existed gain them as they are read.
    if (auto* assessment = dynamic_cast<pb::Assessment*>(message)) {
      NormalizeStoredAnswers(*assessment);
    }
    return absl::OkStatus();
  }
  return absl::DataLossError(absl::StrCat("stored ", message->GetTypeName(), " does not parse"));
}

google::protobuf::Timestamp Time(int64_t micros) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(micros);
}

std::string NewId(const char* prefix) { return absl::StrCat(prefix, RandomHex(8)); }

// Rows of `doc` (column 0) as messages; the extra row past `limit` means "more".
template <typename T>
absl::StatusOr<PageOf<T>> ToPage(const Rows& rows, Page page) {
  PageOf<T> out;
  for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page.limit; ++i) {
    T item;
    SOCM_STATUS_RETURN(FromJson(rows[i].Text(0), &item));
    out.items.push_back(std::move(item));
  }
  out.more = static_cast<int>(rows.size()) > page.limit;
  return out;
}

// A write as the rows record it: the caller flattened to the columns it fills.
struct WriteContext {
  std::string tenant;  // "" for the operator's tenant-level writes
  std::string actor;
  int64_t now_micros = 0;
  std::string idempotency_key;
  std::string request_hash;
  std::string audit_detail;
};

WriteContext Ctx(const Caller& caller, const WriteOptions& write) {
  return {caller.tenant.value(), caller.principal,   write.now_micros,
          write.idempotency_key, write.request_hash, write.audit_detail};
}

// An organisation outside the caller's scope is NOT_FOUND, like one that does not exist.
absl::Status InScope(const Caller& caller, const std::string& org) {
  if (caller.MaySee(org)) return absl::OkStatus();
  return absl::NotFoundError(absl::StrCat("organization ", org, " not found"));
}

// What concerns the whole tenant (its keys, a new organisation) is beyond a
// caller scoped to one organisation.
absl::Status TenantWide(const Caller& caller) {
  if (caller.organization.empty()) return absl::OkStatus();
  return absl::PermissionDeniedError("a key pinned to one organisation cannot do this");
}

std::string Scope(const WriteContext& ctx) {
  return ctx.tenant.empty() ? "operator" : "t:" + ctx.tenant;
}

// The stored response for a replayed idempotency key, if any. A key reused
// with a different request is ALREADY_EXISTS.
absl::StatusOr<std::optional<std::string>> Replay(Connection& c, const WriteContext& ctx) {
  auto rows = c.Query(
      "SELECT request_hash, create_time, response FROM idempotency_keys WHERE scope=$1 AND key=$2",
      {Scope(ctx), ctx.idempotency_key});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::nullopt;
  const db::Row& row = rows->front();
  if (row.Int(1) < ctx.now_micros - kIdempotencyWindowMicros) {
    auto gone = c.Exec("DELETE FROM idempotency_keys WHERE scope=$1 AND key=$2",
                       {Scope(ctx), ctx.idempotency_key});
    if (!gone.ok()) return gone.status();
    return std::nullopt;
  }
  if (row.Text(0) != ctx.request_hash) {
    return absl::AlreadyExistsError("this Idempotency-Key was used with a different request");
  }
  return row.Text(2);
}

absl::Status Remember(Connection& c, const WriteContext& ctx, const std::string& response) {
  return c
      .Exec(
          "INSERT INTO idempotency_keys (scope, key, request_hash, create_time, response) VALUES "
          "($1,$2,$3,$4,$5)",
          {Scope(ctx), ctx.idempotency_key, ctx.request_hash, ctx.now_micros, response})
      .status();
}

absl::Status Audit(Connection& c, const WriteContext& ctx, const std::string& org,
                   const std::string& action, const std::string& target, const std::string& before,
                   const std::string& after) {
  pb::AuditEntry entry;
  // Time first so that ids sort like the entries they name.
  entry.set_id(absl::StrCat(ctx.now_micros, "-", RandomHex(4)));
  entry.set_organization_id(org);
  entry.set_actor(ctx.actor);
  entry.set_action(action);
  entry.set_target(target);
  *entry.mutable_time() = Time(ctx.now_micros);
  entry.set_before_json(before);
  entry.set_after_json(after);
  entry.set_detail(ctx.audit_detail);
  return c
      .Exec(
          "INSERT INTO audit_log (tenant_id, id, organization_id, time, doc) VALUES "
          "($1,$2,$3,$4,$5)",
          {ctx.tenant.empty() ? "" : ctx.tenant, entry.id(), org, ctx.now_micros, ToJson(entry)})
      .status();
}

// A create in one transaction, replayed when the idempotency key was seen.
template <typename T>
absl::StatusOr<T> Create(db::Database& database, const WriteContext& ctx,
                         const std::function<absl::Status(Connection&, T&)>& insert) {
  T result;
  const absl::Status status = database.Transaction([&](Connection& c) -> absl::Status {
    if (!ctx.idempotency_key.empty()) {
      auto replay = Replay(c, ctx);
      if (!replay.ok()) return replay.status();
      if (replay->has_value()) return FromJson(**replay, &result);
    }
    SOCM_STATUS_RETURN(insert(c, result));
    if (ctx.idempotency_key.empty()) return absl::OkStatus();
    return Remember(c, ctx, ToJson(result));
  });
  if (!status.ok()) return status;
  return result;
}

template <typename T>
absl::StatusOr<T> GetOne(db::Database& database, const std::string& sql,
                         const std::vector<db::Value>& params, const std::string& what) {
  T out;
  const absl::Status status = database.Run([&](Connection& c) -> absl::Status {
    auto rows = c.Query(sql, params);
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return absl::NotFoundError(absl::StrCat(what, " not found"));
    return FromJson(rows->front().Text(0), &out);
  });
  if (!status.ok()) return status;
  return out;
}

template <typename T>
absl::StatusOr<PageOf<T>> GetPage(db::Database& database, const std::string& sql,
                                  std::vector<db::Value> params, Page page) {
  params.push_back(static_cast<int64_t>(page.limit + 1));
  params.push_back(static_cast<int64_t>(page.offset));
  absl::StatusOr<PageOf<T>> out = absl::InternalError("unset");
  const absl::Status status = database.Run([&](Connection& c) -> absl::Status {
    auto rows = c.Query(
        absl::StrCat(sql, " LIMIT $", params.size() - 1, " OFFSET $", params.size()), params);
    if (!rows.ok()) return rows.status();
    out = ToPage<T>(*rows, page);
    return out.status();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<pb::Organization> LoadOrganization(Connection& c, const std::string& tenant,
                                                  const std::string& id) {
  auto rows = c.Query("SELECT doc FROM organizations WHERE tenant_id=$1 AND id=$2", {tenant, id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return absl::NotFoundError(absl::StrCat("organization ", id, " not found"));
  pb::Organization org;
  SOCM_STATUS_RETURN(FromJson(rows->front().Text(0), &org));
  return org;
}

// Inside a write transaction: PostgreSQL locks the row so concurrent writers
// of one assessment queue instead of failing the revision check; SQLite's
// BEGIN IMMEDIATE already serialises every writer.
std::string ForUpdate(const Connection& c) {
  return c.dialect() == db::Dialect::kPostgres ? " FOR UPDATE" : "";
}

absl::StatusOr<pb::Assessment> LoadAssessment(Connection& c, const std::string& tenant,
                                              const std::string& org, const std::string& id) {
  auto rows =
      c.Query("SELECT doc FROM assessments WHERE tenant_id=$1 AND organization_id=$2 AND id=$3" +
                  ForUpdate(c),
              {tenant, org, id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return absl::NotFoundError(absl::StrCat("assessment ", id, " not found"));
  pb::Assessment a;
  SOCM_STATUS_RETURN(FromJson(rows->front().Text(0), &a));
  return a;
}

absl::Status CheckEtag(const pb::Assessment& a, const std::string& etag) {
  if (etag.empty() || etag == a.etag()) return absl::OkStatus();
  return absl::AbortedError("the assessment has changed since this etag; reload it and retry");
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
    const std::string doc = ToJson(out);
    SOCM_STATUS_RETURN(c.Exec("INSERT INTO tenants (id, create_time, doc) VALUES ($1,$2,$3)",
                              {out.id(), ctx.now_micros, doc})
                           .status());
    WriteContext scoped = ctx;
    scoped.tenant = out.id();
    return Audit(c, scoped, "", "tenant.create", out.id(), "", doc);
  });
}

absl::StatusOr<PageOf<pb::Tenant>> SqlAssessmentStore::ListTenants(Page page) {
  return GetPage<pb::Tenant>(*db_, "SELECT doc FROM tenants ORDER BY create_time, id", {}, page);
}

absl::StatusOr<pb::Tenant> SqlAssessmentStore::GetTenant(const std::string& id) {
  return GetOne<pb::Tenant>(*db_, "SELECT doc FROM tenants WHERE id=$1", {id}, "tenant " + id);
}

absl::StatusOr<pb::ApiKey> SqlAssessmentStore::CreateApiKey(const Caller& caller,
                                                            const pb::ApiKey& key,
                                                            const std::string& key_hash,
                                                            const WriteOptions& write) {
  SOCM_STATUS_RETURN(TenantWide(caller));
  const WriteContext ctx = Ctx(caller, write);
  return Create<pb::ApiKey>(*db_, ctx, [&](Connection& c, pb::ApiKey& out) -> absl::Status {
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
        c.Exec("INSERT INTO api_keys (id, tenant_id, key_hash, organization_id, create_time, doc) "
               "VALUES ($1,$2,$3,$4,$5,$6)",
               {out.id(), ctx.tenant, key_hash, out.organization_id(), ctx.now_micros, doc})
            .status());
    return Audit(c, ctx, key.organization_id(), "apiKey.create", out.id(), "", doc);
  });
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
        out = org;
        out.set_id(NewId("org_"));
        *out.mutable_create_time() = Time(ctx.now_micros);
        *out.mutable_update_time() = Time(ctx.now_micros);
        const std::string doc = ToJson(out);
        SOCM_STATUS_RETURN(
            c.Exec(
                 "INSERT INTO organizations (tenant_id, id, create_time, doc) VALUES ($1,$2,$3,$4)",
                 {ctx.tenant, out.id(), ctx.now_micros, doc})
                .status());
        return Audit(c, ctx, out.id(), "organization.create", out.id(), "", doc);
      });
}

absl::StatusOr<PageOf<pb::Organization>> SqlAssessmentStore::ListOrganizations(const Caller& caller,
                                                                               Page page) {
  const std::string& tenant = caller.tenant.value();
  const std::string& only = caller.organization;
  if (!only.empty()) {
    return GetPage<pb::Organization>(
        *db_, "SELECT doc FROM organizations WHERE tenant_id=$1 AND id=$2 ORDER BY create_time, id",
        {tenant, only}, page);
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
    auto org = LoadOrganization(c, ctx.tenant, id);
    if (!org.ok()) return org.status();
    const std::string before = ToJson(*org);
    SOCM_STATUS_RETURN(mutate(*org));
    org->set_id(id);
    *org->mutable_update_time() = Time(ctx.now_micros);
    const std::string after = ToJson(*org);
    SOCM_STATUS_RETURN(c.Exec("UPDATE organizations SET doc=$1 WHERE tenant_id=$2 AND id=$3",
                              {after, ctx.tenant, id})
                           .status());
    out = *org;
    return Audit(c, ctx, id, "organization.update", id, before, after);
  });
  if (!status.ok()) return status;
  return out;
}

absl::Status SqlAssessmentStore::DeleteOrganization(const Caller& caller, const std::string& id,
                                                    const WriteOptions& write) {
  SOCM_STATUS_RETURN(InScope(caller, id));
  const WriteContext ctx = Ctx(caller, write);
  return db_->Transaction([&](Connection& c) -> absl::Status {
    auto org = LoadOrganization(c, ctx.tenant, id);
    if (!org.ok()) return org.status();
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
}

absl::StatusOr<pb::Assessment> SqlAssessmentStore::CreateAssessment(
    const Caller& caller, const pb::Assessment& assessment, const WriteOptions& write) {
  SOCM_STATUS_RETURN(InScope(caller, assessment.organization_id()));
  const WriteContext ctx = Ctx(caller, write);
  return Create<pb::Assessment>(*db_, ctx, [&](Connection& c, pb::Assessment& out) -> absl::Status {
    auto org = LoadOrganization(c, ctx.tenant, assessment.organization_id());
    if (!org.ok()) return org.status();
    out = assessment;
    out.set_id(NewId("as_"));
    // Imported history may arrive approved; anything else starts as a draft.
    out.set_status(assessment.status() == pb::APPROVED ? pb::APPROVED : pb::DRAFT);
    out.set_revision(1);
    out.set_etag(Etag(out.id(), 1));
    *out.mutable_create_time() = Time(ctx.now_micros);
    *out.mutable_update_time() = Time(ctx.now_micros);
    const std::string doc = ToJson(out);
    SOCM_STATUS_RETURN(
        c.Exec("INSERT INTO assessments (tenant_id, id, organization_id, assessed_on, create_time, "
               "revision, doc) VALUES ($1,$2,$3,$4,$5,$6,$7)",
               {ctx.tenant, out.id(), out.organization_id(), out.assessed_on(), ctx.now_micros,
                int64_t{1}, doc})
            .status());
    return Audit(c, ctx, out.organization_id(), "assessment.create", out.id(), "", doc);
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
  pb::Assessment out;
  const absl::Status status = db_->Transaction([&](Connection& c) -> absl::Status {
    auto a = LoadAssessment(c, ctx.tenant, org, id);
    if (!a.ok()) return a.status();
    SOCM_STATUS_RETURN(CheckEtag(*a, etag));
    const std::string before = ToJson(*a);
    const int64_t revision = a->revision();
    SOCM_STATUS_RETURN(mutate(*a));
    a->set_revision(revision + 1);
    a->set_etag(Etag(id, revision + 1));
    *a->mutable_update_time() = Time(ctx.now_micros);
    const std::string after = ToJson(*a);
    auto changed = c.Exec(
        "UPDATE assessments SET doc=$1, revision=$2, assessed_on=$3 WHERE tenant_id=$4 AND id=$5 "
        "AND revision=$6",
        {after, revision + 1, a->assessed_on(), ctx.tenant, id, revision});
    if (!changed.ok()) return changed.status();
    if (*changed != 1) return absl::AbortedError("the assessment changed during the write; retry");
    out = *a;
    return Audit(c, ctx, org, action, id, before, after);
  });
  if (!status.ok()) return status;
  return out;
}

absl::Status SqlAssessmentStore::DeleteAssessment(const Caller& caller, const std::string& org,
                                                  const std::string& id, const std::string& etag,
                                                  const WriteOptions& write) {
  SOCM_STATUS_RETURN(InScope(caller, org));
  const WriteContext ctx = Ctx(caller, write);
  return db_->Transaction([&](Connection& c) -> absl::Status {
    auto a = LoadAssessment(c, ctx.tenant, org, id);
    if (!a.ok()) return a.status();
    SOCM_STATUS_RETURN(CheckEtag(*a, etag));
    SOCM_STATUS_RETURN(
        c.Exec("DELETE FROM assessments WHERE tenant_id=$1 AND id=$2", {ctx.tenant, id}).status());
    return Audit(c, ctx, org, "assessment.delete", id, ToJson(*a), "");
  });
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

}  // namespace socm::assessment
