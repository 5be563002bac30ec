#pragma once
// What the SQL stores of the assessment service share: rows as protobuf JSON documents, pages,
// the audit entry every write appends, idempotent creates and scope checks. Internal to
// services/assessment/store.
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <optional>

#include "absl/strings/str_cat.h"
#include "services/assessment/domain/assessment_rules.h"
#include "services/assessment/domain/audit_changes.h"
#include "services/assessment/domain/webhook_rules.h"
#include "services/assessment/store/assessment_store.h"
#include "services/assessment/store/sql_webhooks.h"
#include "services/common/crypto.h"
#include "services/common/db/db.h"
#include "services/common/status.h"

namespace socm::assessment::sqlrows {

using db::Connection;
using db::Rows;
using google::protobuf::Message;

constexpr int64_t kIdempotencyWindowMicros = 24LL * 3600 * 1000000;

inline std::string ToJson(const Message& message) {
  std::string out;
  // Messages built here always print.
  (void)google::protobuf::util::MessageToJsonString(message, &out);
  return out;
}

inline absl::Status FromJson(const std::string& text, Message* message) {
  if (google::protobuf::util::JsonStringToMessage(text, message).ok()) {
    // Answers stored before levels existed gain them as they are read.
    if (auto* assessment = dynamic_cast<pb::Assessment*>(message)) {
      NormalizeStoredAnswers(*assessment);
    }
    return absl::OkStatus();
  }
  return absl::DataLossError(absl::StrCat("stored ", message->GetTypeName(), " does not parse"));
}

inline google::protobuf::Timestamp Time(int64_t micros) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(micros);
}

inline std::string NewId(const char* prefix) { return absl::StrCat(prefix, RandomHex(8)); }

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
  std::string client_address;
};

// RESOURCE_EXHAUSTED when `adding` more would take the tenant past `limit` of what `count_sql`
// counts (its one parameter is the tenant). Run it in the write transaction.
inline absl::Status CheckQuota(Connection& c, const std::string& tenant, const char* count_sql,
                               int64_t limit, int64_t adding, const char* what) {
  auto rows = c.Query(count_sql, {tenant});
  if (!rows.ok()) return rows.status();
  const int64_t now = rows->empty() || (*rows)[0].IsNull(0) ? 0 : (*rows)[0].Int(0);
  if (now + adding <= limit) return absl::OkStatus();
  return absl::ResourceExhaustedError(absl::StrCat("this tenant has ", now, " ", what, "; ", adding,
                                                   " more would pass its quota of ", limit,
                                                   " (the operator sets it)"));
}

inline WriteContext Ctx(const Caller& caller, const WriteOptions& write) {
  return {caller.tenant.value(), caller.principal,   write.now_micros,     write.idempotency_key,
          write.request_hash,    write.audit_detail, caller.client_address};
}

// An organisation outside the caller's scope is NOT_FOUND, like one that does not exist.
inline absl::Status InScope(const Caller& caller, const std::string& org) {
  if (caller.MaySee(org)) return absl::OkStatus();
  return absl::NotFoundError(absl::StrCat("organization ", org, " not found"));
}

// What concerns the whole tenant (its keys, a new organisation) is beyond a
// caller scoped to one organisation.
inline absl::Status TenantWide(const Caller& caller) {
  if (!caller.scoped()) return absl::OkStatus();
  return absl::PermissionDeniedError("a caller limited to some organisations cannot do this");
}

// " AND <column> IN ($k, ...)": limits a query to the caller's organisations, whose ids are
// appended to `params`; "" for a caller who sees the whole tenant.
inline std::string ScopeFilter(const Caller& caller, const std::string& column,
                               std::vector<db::Value>& params) {
  if (!caller.scoped()) return "";
  std::string out = absl::StrCat(" AND ", column, " IN (");
  for (size_t i = 0; i < caller.organizations.size(); ++i) {
    params.push_back(caller.organizations[i]);
    absl::StrAppend(&out, i == 0 ? "" : ", ", "$", params.size());
  }
  return out + ")";
}

inline std::string Scope(const WriteContext& ctx) {
  return ctx.tenant.empty() ? "operator" : "t:" + ctx.tenant;
}

// The stored response for a replayed idempotency key, if any. A key reused
// with a different request is ALREADY_EXISTS.
inline absl::StatusOr<std::optional<std::string>> Replay(Connection& c, const WriteContext& ctx) {
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

inline absl::Status Remember(Connection& c, const WriteContext& ctx, const std::string& response) {
  // Keys older than their 24 h go as new ones arrive (an indexed range, empty most of the time),
  // so the table holds one day of creates, not all of them.
  SOCM_STATUS_RETURN(c.Exec("DELETE FROM idempotency_keys WHERE create_time < $1",
                            {ctx.now_micros - kIdempotencyWindowMicros})
                         .status());
  return c
      .Exec(
          "INSERT INTO idempotency_keys (scope, key, request_hash, create_time, response) VALUES "
          "($1,$2,$3,$4,$5)",
          {Scope(ctx), ctx.idempotency_key, ctx.request_hash, ctx.now_micros, response})
      .status();
}

inline absl::Status Audit(Connection& c, const WriteContext& ctx, const std::string& org,
                          const std::string& action, const std::string& target,
                          const std::string& before, const std::string& after,
                          std::vector<pb::AuditChange> changes = {}) {
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
  entry.set_client_address(ctx.client_address);
  for (auto& change : changes) *entry.add_changes() = std::move(change);
  return c
      .Exec(
          "INSERT INTO audit_log (tenant_id, id, organization_id, time, doc) VALUES "
          "($1,$2,$3,$4,$5)",
          {ctx.tenant.empty() ? "" : ctx.tenant, entry.id(), org, ctx.now_micros, ToJson(entry)})
      .status();
}

// A create in one transaction, replayed when the idempotency key was seen; or, when
// `no_replay` names why (a result that cannot be given twice), refused as ALREADY_EXISTS.
template <typename T>
absl::StatusOr<T> Create(db::Database& database, const WriteContext& ctx,
                         const std::function<absl::Status(Connection&, T&)>& insert,
                         const char* no_replay = nullptr) {
  T result;
  const absl::Status status = database.Transaction([&](Connection& c) -> absl::Status {
    if (!ctx.idempotency_key.empty()) {
      auto replay = Replay(c, ctx);
      if (!replay.ok()) return replay.status();
      if (replay->has_value() && no_replay != nullptr) return absl::AlreadyExistsError(no_replay);
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

// `for_update`: inside a read-modify-write, PostgreSQL locks the row so that concurrent writers
// queue instead of overwriting each other (SQLite's BEGIN IMMEDIATE already serialises them).
inline absl::StatusOr<pb::Organization> LoadOrganization(Connection& c, const std::string& tenant,
                                                         const std::string& id,
                                                         bool for_update = false) {
  const bool lock = for_update && c.dialect() == db::Dialect::kPostgres;
  auto rows = c.Query(absl::StrCat("SELECT doc FROM organizations WHERE tenant_id=$1 AND id=$2",
                                   lock ? " FOR UPDATE" : ""),
                      {tenant, id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return absl::NotFoundError(absl::StrCat("organization ", id, " not found"));
  pb::Organization org;
  SOCM_STATUS_RETURN(FromJson(rows->front().Text(0), &org));
  return org;
}

// Inside a write transaction: PostgreSQL locks the row so concurrent writers
// of one assessment queue instead of failing the revision check; SQLite's
// BEGIN IMMEDIATE already serialises every writer.
inline std::string ForUpdate(const Connection& c) {
  return c.dialect() == db::Dialect::kPostgres ? " FOR UPDATE" : "";
}

inline absl::StatusOr<pb::Assessment> LoadAssessment(Connection& c, const std::string& tenant,
                                                     const std::string& org,
                                                     const std::string& id) {
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

inline absl::Status CheckEtag(const pb::Assessment& a, const std::string& etag) {
  if (etag.empty() || etag == a.etag()) return absl::OkStatus();
  return absl::AbortedError("the assessment has changed since this etag; reload it and retry");
}

// A new assessment's row, with the columns the portfolio and campaigns read; `out` gains its
// id, revision, etag and times. Audited as assessment.create.
inline absl::Status InsertAssessment(Connection& c, const WriteContext& ctx, pb::Assessment& out) {
  out.set_id(NewId("as_"));
  // Imported history may arrive approved; anything else starts as a draft.
  out.set_status(out.status() == pb::APPROVED ? pb::APPROVED : pb::DRAFT);
  out.set_revision(1);
  out.set_etag(Etag(out.id(), 1));
  *out.mutable_create_time() = Time(ctx.now_micros);
  *out.mutable_update_time() = Time(ctx.now_micros);
  const std::string doc = ToJson(out);
  SOCM_STATUS_RETURN(
      c.Exec("INSERT INTO assessments (tenant_id, id, organization_id, assessed_on, create_time, "
             "revision, doc, catalogue_id, status, answered, title, catalogue_version) VALUES "
             "($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)",
             {ctx.tenant, out.id(), out.organization_id(), out.assessed_on(), ctx.now_micros,
              int64_t{1}, doc, out.catalogue_id(), pb::AssessmentStatus_Name(out.status()),
              static_cast<int64_t>(CountAnswered(out)), out.title(), out.catalogue_version()})
          .status());
  SOCM_STATUS_RETURN(Audit(c, ctx, out.organization_id(), "assessment.create", out.id(), "", doc));
  return RecordWebhookEvent(c, ctx.tenant, "assessment.created", ctx.now_micros,
                            AssessmentEventData(out));
}

}  // namespace socm::assessment::sqlrows
