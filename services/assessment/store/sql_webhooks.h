#pragma once
// Webhooks and their delivery outbox in the system-of-record database. An admin registers,
// lists and deletes a tenant's webhooks and reads their deliveries; a write records its event
// (RecordWebhookEvent) in its own transaction, one delivery row per subscribed webhook; the
// dispatcher claims due rows, delivers them outside any transaction and records each attempt.
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/assessment/store/assessment_store.h"
#include "services/common/db/db.h"
#include "soc/maturity/assessment/v1/practice.pb.h"

namespace socm::assessment {

// Inside a write's transaction: a delivery of event `type` with `data_json` (an object) to each
// of the tenant's webhooks that subscribe to it. Nothing when none does.
absl::Status RecordWebhookEvent(db::Connection& c, const std::string& tenant,
                                const std::string& type, int64_t now_micros,
                                const std::string& data_json);

// A delivery a dispatcher holds until claim_until.
struct ClaimedDelivery {
  std::string tenant;
  std::string id;
  std::string webhook_id;
  std::string event_id;
  std::string url;
  std::string secret;
  std::string body;
  int attempts = 0;  // before this one
  int64_t create_time = 0;
};

// What one attempt came to.
struct DeliveryAttempt {
  bool delivered = false;
  // Given up for good (a destination refused, the day past): FAILED, not tried again.
  bool give_up = false;
  int response_code = 0;
  std::string error;
  int64_t time = 0;
  // When a failed, not given-up delivery is tried next.
  int64_t next_attempt_time = 0;
};

class SqlWebhookStore {
 public:
  // `allow_private`: registrations may name private and loopback address literals.
  SqlWebhookStore(db::Database& database, bool allow_private)
      : db_(database), allow_private_(allow_private) {}

  absl::StatusOr<pb::Webhook> Create(const Caller& caller, const std::string& url,
                                     const std::vector<std::string>& events,
                                     const WriteOptions& write);
  // Oldest first, without secrets.
  absl::StatusOr<std::vector<pb::Webhook>> List(const Caller& caller);
  // Deletes the webhook and its deliveries, pending ones included.
  absl::Status Delete(const Caller& caller, const std::string& id, const WriteOptions& write);
  absl::StatusOr<PageOf<pb::WebhookDelivery>> ListDeliveries(const Caller& caller,
                                                             const std::string& webhook_id,
                                                             Page page);
  // A webhook.test event for this webhook alone.
  absl::StatusOr<pb::WebhookDelivery> SendTest(const Caller& caller, const std::string& id,
                                               const WriteOptions& write);

  // The dispatcher's side. Claims up to `limit` pending deliveries due at `now` that nobody
  // holds, for `owner` until `claim_until`. Concurrent dispatchers on PostgreSQL skip each
  // other's rows (FOR UPDATE SKIP LOCKED); SQLite's one writer serialises them.
  absl::StatusOr<std::vector<ClaimedDelivery>> Claim(const std::string& owner, int64_t now,
                                                     int64_t claim_until, int limit);
  // Records an attempt on a delivery `owner` still holds; false when it no longer does (its
  // claim ran out and another dispatcher took it, or the webhook was deleted).
  absl::StatusOr<bool> Record(const std::string& owner, const ClaimedDelivery& delivery,
                              const DeliveryAttempt& attempt);
  // Whether some delivery is due at `now` (a cheap read before a claim).
  absl::StatusOr<bool> AnyDue(int64_t now);
  // Deletes finished deliveries created before `before`; how many.
  absl::StatusOr<int64_t> PruneFinished(int64_t before);
  // Pending deliveries, for the gauge.
  absl::StatusOr<int64_t> CountPending();

 private:
  db::Database& db_;
  const bool allow_private_;
};

}  // namespace socm::assessment
