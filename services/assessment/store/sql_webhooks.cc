#include "services/assessment/store/sql_webhooks.h"

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/assessment/domain/webhook_rules.h"
#include "services/assessment/store/sql_rows.h"

namespace socm::assessment {
namespace {

using namespace sqlrows;  // NOLINT: the shared row helpers of this folder

constexpr char kDeliveryColumns[] =
    "id, webhook_id, event_id, type, status, attempts, last_response_code, last_error, "
    "create_time, last_attempt_time, next_attempt_time";

pb::WebhookDelivery DeliveryOfRow(const db::Row& row) {
  pb::WebhookDelivery d;
  d.set_id(row.Text(0));
  d.set_webhook_id(row.Text(1));
  d.set_event_id(row.Text(2));
  d.set_type(row.Text(3));
  d.set_status(row.Text(4));
  d.set_attempts(static_cast<int32_t>(row.Int(5)));
  d.set_last_response_code(static_cast<int32_t>(row.Int(6)));
  d.set_last_error(row.Text(7));
  *d.mutable_create_time() = Time(row.Int(8));
  if (row.Int(9) > 0) *d.mutable_last_attempt_time() = Time(row.Int(9));
  if (d.status() == "PENDING") *d.mutable_next_attempt_time() = Time(row.Int(10));
  return d;
}

absl::Status InsertDelivery(Connection& c, const std::string& tenant, const std::string& webhook_id,
                            const std::string& event_id, const std::string& type,
                            const std::string& body, int64_t now, std::string* id = nullptr) {
  const std::string delivery = NewId("whd_");
  if (id != nullptr) *id = delivery;
  return c
      .Exec(
          "INSERT INTO webhook_deliveries (tenant_id, id, webhook_id, event_id, type, body, "
          "status, create_time, next_attempt_time) VALUES ($1,$2,$3,$4,$5,$6,'PENDING',$7,$7)",
          {tenant, delivery, webhook_id, event_id, type, body, now})
      .status();
}

absl::StatusOr<pb::Webhook> LoadWebhook(Connection& c, const std::string& tenant,
                                        const std::string& id) {
  auto rows = c.Query("SELECT doc FROM webhooks WHERE tenant_id=$1 AND id=$2", {tenant, id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return absl::NotFoundError(absl::StrCat("webhook ", id, " not found"));
  pb::Webhook hook;
  SOCM_STATUS_RETURN(FromJson(rows->front().Text(0), &hook));
  return hook;
}

}  // namespace

absl::Status RecordWebhookEvent(Connection& c, const std::string& tenant, const std::string& type,
                                int64_t now_micros, const std::string& data_json) {
  if (tenant.empty()) return absl::OkStatus();
  auto hooks = c.Query("SELECT id, events FROM webhooks WHERE tenant_id=$1", {tenant});
  if (!hooks.ok()) return hooks.status();
  std::string event_id;
  std::string body;
  for (const db::Row& row : *hooks) {
    const std::vector<std::string> events = absl::StrSplit(row.Text(1), ',');
    if (std::find(events.begin(), events.end(), type) == events.end()) continue;
    if (event_id.empty()) {
      // One event, one id and one body, whichever webhooks receive it.
      event_id = NewId("evt_");
      body = WebhookEventBody(event_id, type, now_micros, data_json);
    }
    SOCM_STATUS_RETURN(InsertDelivery(c, tenant, row.Text(0), event_id, type, body, now_micros));
  }
  return absl::OkStatus();
}

absl::StatusOr<pb::Webhook> SqlWebhookStore::Create(const Caller& caller, const std::string& url,
                                                    const std::vector<std::string>& events,
                                                    const WriteOptions& write) {
  SOCM_STATUS_RETURN(TenantWide(caller));
  const auto violations = CheckWebhookRequest(url, events, allow_private_);
  if (!violations.empty()) return InvalidFields(violations);
  const WriteContext ctx = Ctx(caller, write);
  pb::Webhook hook;
  hook.set_id(NewId("wh_"));
  hook.set_url(url);
  for (const std::string& e : events) hook.add_events(e);
  *hook.mutable_create_time() = Time(ctx.now_micros);
  hook.set_created_by(ctx.actor);
  const std::string secret = NewWebhookSecret();
  const std::string doc = ToJson(hook);
  SOCM_STATUS_RETURN(db_.Transaction([&](Connection& c) -> absl::Status {
    SOCM_STATUS_RETURN(CheckQuota(c, ctx.tenant, "SELECT COUNT(*) FROM webhooks WHERE tenant_id=$1",
                                  kMaxWebhooksPerTenant, 1, "webhooks"));
    SOCM_STATUS_RETURN(
        c.Exec(
             "INSERT INTO webhooks (tenant_id, id, url, events, secret, create_time, doc) "
             "VALUES ($1,$2,$3,$4,$5,$6,$7)",
             {ctx.tenant, hook.id(), url, absl::StrJoin(events, ","), secret, ctx.now_micros, doc})
            .status());
    // The entry holds the webhook without its secret.
    return Audit(c, ctx, "", "webhook.create", hook.id(), "", doc);
  }));
  hook.set_secret(secret);
  return hook;
}

absl::StatusOr<std::vector<pb::Webhook>> SqlWebhookStore::List(const Caller& caller) {
  SOCM_STATUS_RETURN(TenantWide(caller));
  std::vector<pb::Webhook> out;
  SOCM_STATUS_RETURN(db_.Run([&](Connection& c) -> absl::Status {
    auto rows = c.Query("SELECT doc FROM webhooks WHERE tenant_id=$1 ORDER BY create_time, id",
                        {caller.tenant.value()});
    if (!rows.ok()) return rows.status();
    for (const db::Row& row : *rows) {
      pb::Webhook hook;
      SOCM_STATUS_RETURN(FromJson(row.Text(0), &hook));
      out.push_back(std::move(hook));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::Status SqlWebhookStore::Delete(const Caller& caller, const std::string& id,
                                     const WriteOptions& write) {
  SOCM_STATUS_RETURN(TenantWide(caller));
  const WriteContext ctx = Ctx(caller, write);
  return db_.Transaction([&](Connection& c) -> absl::Status {
    auto hook = LoadWebhook(c, ctx.tenant, id);
    if (!hook.ok()) return hook.status();
    SOCM_STATUS_RETURN(c.Exec("DELETE FROM webhook_deliveries WHERE tenant_id=$1 AND webhook_id=$2",
                              {ctx.tenant, id})
                           .status());
    SOCM_STATUS_RETURN(
        c.Exec("DELETE FROM webhooks WHERE tenant_id=$1 AND id=$2", {ctx.tenant, id}).status());
    return Audit(c, ctx, "", "webhook.delete", id, ToJson(*hook), "");
  });
}

absl::StatusOr<PageOf<pb::WebhookDelivery>> SqlWebhookStore::ListDeliveries(
    const Caller& caller, const std::string& webhook_id, Page page) {
  SOCM_STATUS_RETURN(TenantWide(caller));
  PageOf<pb::WebhookDelivery> out;
  SOCM_STATUS_RETURN(db_.Run([&](Connection& c) -> absl::Status {
    SOCM_STATUS_RETURN(LoadWebhook(c, caller.tenant.value(), webhook_id).status());
    auto rows = c.Query(absl::StrCat("SELECT ", kDeliveryColumns,
                                     " FROM webhook_deliveries WHERE tenant_id=$1 AND "
                                     "webhook_id=$2 ORDER BY create_time DESC, id DESC "
                                     "LIMIT $3 OFFSET $4"),
                        {caller.tenant.value(), webhook_id, static_cast<int64_t>(page.limit + 1),
                         static_cast<int64_t>(page.offset)});
    if (!rows.ok()) return rows.status();
    for (size_t i = 0; i < rows->size() && static_cast<int>(i) < page.limit; ++i) {
      out.items.push_back(DeliveryOfRow((*rows)[i]));
    }
    out.more = static_cast<int>(rows->size()) > page.limit;
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<pb::WebhookDelivery> SqlWebhookStore::SendTest(const Caller& caller,
                                                              const std::string& id,
                                                              const WriteOptions& write) {
  SOCM_STATUS_RETURN(TenantWide(caller));
  const WriteContext ctx = Ctx(caller, write);
  pb::WebhookDelivery out;
  SOCM_STATUS_RETURN(db_.Transaction([&](Connection& c) -> absl::Status {
    SOCM_STATUS_RETURN(LoadWebhook(c, ctx.tenant, id).status());
    const std::string event_id = NewId("evt_");
    const std::string data =
        absl::StrCat(R"({"webhookId":")", id, R"(","message":"a test event from SOC Maturity"})");
    const std::string body = WebhookEventBody(event_id, kWebhookTestEvent, ctx.now_micros, data);
    std::string delivery;
    SOCM_STATUS_RETURN(InsertDelivery(c, ctx.tenant, id, event_id, kWebhookTestEvent, body,
                                      ctx.now_micros, &delivery));
    auto rows = c.Query(absl::StrCat("SELECT ", kDeliveryColumns,
                                     " FROM webhook_deliveries WHERE tenant_id=$1 AND id=$2"),
                        {ctx.tenant, delivery});
    if (!rows.ok()) return rows.status();
    out = DeliveryOfRow(rows->front());
    return Audit(c, ctx, "", "webhook.test", id, "", "");
  }));
  return out;
}

absl::StatusOr<std::vector<ClaimedDelivery>> SqlWebhookStore::Claim(const std::string& owner,
                                                                    int64_t now,
                                                                    int64_t claim_until,
                                                                    int limit) {
  std::vector<ClaimedDelivery> out;
  SOCM_STATUS_RETURN(db_.Transaction([&](Connection& c) -> absl::Status {
    const bool postgres = c.dialect() == db::Dialect::kPostgres;
    auto rows = c.Query(
        absl::StrCat("SELECT d.tenant_id, d.id, d.webhook_id, d.event_id, w.url, w.secret, d.body, "
                     "d.attempts, d.create_time FROM webhook_deliveries d JOIN webhooks w ON "
                     "w.tenant_id=d.tenant_id AND w.id=d.webhook_id WHERE d.status='PENDING' AND "
                     "d.next_attempt_time <= $1 AND d.claim_until < $1 "
                     "ORDER BY d.next_attempt_time LIMIT $2",
                     postgres ? " FOR UPDATE OF d SKIP LOCKED" : ""),
        {now, static_cast<int64_t>(limit)});
    if (!rows.ok()) return rows.status();
    for (const db::Row& row : *rows) {
      ClaimedDelivery d{row.Text(0), row.Text(1), row.Text(2), row.Text(3),
                        row.Text(4), row.Text(5), row.Text(6), static_cast<int>(row.Int(7)),
                        row.Int(8)};
      SOCM_STATUS_RETURN(c.Exec("UPDATE webhook_deliveries SET claim_owner=$1, claim_until=$2 "
                                "WHERE tenant_id=$3 AND id=$4",
                                {owner, claim_until, d.tenant, d.id})
                             .status());
      out.push_back(std::move(d));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<bool> SqlWebhookStore::Record(const std::string& owner,
                                             const ClaimedDelivery& delivery,
                                             const DeliveryAttempt& attempt) {
  const char* status = attempt.delivered ? "DELIVERED" : attempt.give_up ? "FAILED" : "PENDING";
  bool held = false;
  SOCM_STATUS_RETURN(db_.Run([&](Connection& c) -> absl::Status {
    auto changed = c.Exec(
        "UPDATE webhook_deliveries SET status=$1, attempts=attempts+1, last_response_code=$2, "
        "last_error=$3, last_attempt_time=$4, next_attempt_time=$5, claim_owner='', "
        "claim_until=0 WHERE tenant_id=$6 AND id=$7 AND claim_owner=$8 AND status='PENDING'",
        {std::string(status), static_cast<int64_t>(attempt.response_code), attempt.error,
         attempt.time, attempt.next_attempt_time, delivery.tenant, delivery.id, owner});
    if (!changed.ok()) return changed.status();
    held = *changed == 1;
    return absl::OkStatus();
  }));
  return held;
}

absl::StatusOr<bool> SqlWebhookStore::AnyDue(int64_t now) {
  bool due = false;
  SOCM_STATUS_RETURN(db_.Run([&](Connection& c) -> absl::Status {
    auto rows = c.Query(
        "SELECT 1 FROM webhook_deliveries WHERE status='PENDING' AND next_attempt_time <= $1 "
        "AND claim_until < $1 LIMIT 1",
        {now});
    if (!rows.ok()) return rows.status();
    due = !rows->empty();
    return absl::OkStatus();
  }));
  return due;
}

absl::StatusOr<int64_t> SqlWebhookStore::PruneFinished(int64_t before) {
  int64_t removed = 0;
  SOCM_STATUS_RETURN(db_.Run([&](Connection& c) -> absl::Status {
    auto gone = c.Exec(
        "DELETE FROM webhook_deliveries WHERE status <> 'PENDING' AND create_time < $1", {before});
    if (!gone.ok()) return gone.status();
    removed = *gone;
    return absl::OkStatus();
  }));
  return removed;
}

absl::StatusOr<int64_t> SqlWebhookStore::CountPending() {
  int64_t n = 0;
  SOCM_STATUS_RETURN(db_.Run([&](Connection& c) -> absl::Status {
    auto rows = c.Query("SELECT COUNT(*) FROM webhook_deliveries WHERE status='PENDING'", {});
    if (!rows.ok()) return rows.status();
    n = rows->front().Int(0);
    return absl::OkStatus();
  }));
  return n;
}

}  // namespace socm::assessment
