// Webhooks and their outbox on both engines: a write records its event for each subscribed
// webhook of its tenant in its own transaction (a rolled-back write leaves none); dispatchers'
// claims exclude each other and run out; attempts are recorded only by the claim's holder;
// registration is a tenant-wide admin's, validated, bounded and audited without the secret.
#include "services/assessment/store/sql_webhooks.h"

#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "services/assessment/domain/assessment_rules.h"
#include "services/assessment/domain/webhook_rules.h"
#include "services/assessment/store/store_test_fixture.h"

namespace socm::assessment {
namespace {

using testing::Engine;
using WebhookStoreTest = testing::StoreFixture;

absl::StatusOr<pb::Assessment> Move(SqlAssessmentStore& store, const Caller& caller,
                                    const pb::Assessment& a, Transition t, const char* action,
                                    const WriteOptions& write) {
  return store.UpdateAssessment(
      caller, a.organization_id(), a.id(), "", action,
      [&](pb::Assessment& x) {
        return ApplyTransition(x, t, {"key_1", false});
      },
      write);
}

TEST_P(WebhookStoreTest, AWriteRecordsItsEventForEachSubscribedWebhookInItsTransaction) {
  const std::string tenant = NewTenant("Acme");
  const std::string other = NewTenant("Other");
  SqlWebhookStore hooks(database(), false);
  auto reviews = hooks.Create(As(tenant), "https://portal.example.com/reviews",
                              {"assessment.submitted", "assessment.approved"}, W());
  ASSERT_TRUE(reviews.ok()) << reviews.status();
  auto creations =
      hooks.Create(As(tenant), "https://portal.example.com/new", {"assessment.created"}, W());
  ASSERT_TRUE(creations.ok());
  ASSERT_TRUE(
      hooks.Create(As(other), "https://other.example.com/", {"assessment.created"}, W()).ok());

  const pb::Organization org = NewOrg(tenant, "Acme SOC");
  const pb::Assessment a = NewAssessment(tenant, org.id());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM webhook_deliveries WHERE tenant_id=$1", {tenant}), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM webhook_deliveries WHERE tenant_id=$1", {other}), 0);
  auto listed = hooks.ListDeliveries(As(tenant), creations->id(), Page{});
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_EQ(listed->items[0].type(), "assessment.created");
  EXPECT_EQ(listed->items[0].status(), "PENDING");
  EXPECT_EQ(listed->items[0].attempts(), 0);

  ASSERT_TRUE(Move(*store_, As(tenant), a, Transition::kSubmit, "assessment.submit", W()).ok());
  auto submitted = hooks.ListDeliveries(As(tenant), reviews->id(), Page{});
  ASSERT_EQ(submitted->items.size(), 1u);
  EXPECT_EQ(submitted->items[0].type(), "assessment.submitted");

  // The body is what the receiver gets, fixed at the write: data names the assessment.
  auto claimed = hooks.Claim("d1", W().now_micros, W().now_micros + 60000000, 10);
  ASSERT_TRUE(claimed.ok()) << claimed.status();
  ASSERT_EQ(claimed->size(), 2u);
  for (const ClaimedDelivery& d : *claimed) {
    const auto body = nlohmann::json::parse(d.body);
    EXPECT_EQ(body["id"], d.event_id);
    EXPECT_EQ(body["data"]["assessmentId"], a.id());
    EXPECT_EQ(body["data"]["organizationId"], org.id());
    EXPECT_EQ(d.secret.rfind("whsec_", 0), 0u);
  }

  // A write that rolls back leaves no event.
  const absl::Status rolled_back = database().Transaction([&](db::Connection& c) -> absl::Status {
    SOCM_STATUS_RETURN(
        RecordWebhookEvent(c, tenant, "assessment.created", W().now_micros, R"({"x":1})"));
    return absl::AbortedError("the write failed after its event");
  });
  EXPECT_EQ(rolled_back.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM webhook_deliveries WHERE tenant_id=$1", {tenant}), 2);
  // And a write refused before its change (a stale etag) records none either.
  EXPECT_FALSE(store_
                   ->UpdateAssessment(
                       As(tenant), org.id(), a.id(), "\"stale\"", "assessment.approve",
                       [](pb::Assessment&) { return absl::OkStatus(); }, W())
                   .ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM webhook_deliveries WHERE tenant_id=$1", {tenant}), 2);
}

TEST_P(WebhookStoreTest, ClaimsExcludeEachOtherRunOutAndOnlyTheHolderRecords) {
  const std::string tenant = NewTenant("Acme");
  SqlWebhookStore hooks(database(), false);
  auto hook = hooks.Create(As(tenant), "https://portal.example.com/", {"assessment.created"}, W());
  ASSERT_TRUE(hook.ok());
  const pb::Organization org = NewOrg(tenant, "Acme SOC");
  NewAssessment(tenant, org.id());
  const int64_t now = W().now_micros;
  EXPECT_TRUE(*hooks.AnyDue(now));
  EXPECT_EQ(*hooks.CountPending(), 1);

  auto first = hooks.Claim("d1", now, now + 1000, 10);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 1u);
  EXPECT_FALSE(*hooks.AnyDue(now + 1));
  EXPECT_TRUE(hooks.Claim("d2", now + 1, now + 1000, 10)->empty());
  // Its claim ran out (the holder died mid-attempt): another dispatcher takes it, and the
  // first can no longer record.
  auto second = hooks.Claim("d2", now + 1001, now + 2000, 10);
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*second)[0].event_id, (*first)[0].event_id);
  DeliveryAttempt failed;
  failed.response_code = 500;
  failed.error = "HTTP 500";
  failed.time = now + 1002;
  failed.next_attempt_time = now + 5000;
  EXPECT_FALSE(*hooks.Record("d1", (*first)[0], failed));
  EXPECT_TRUE(*hooks.Record("d2", (*second)[0], failed));

  // Pending until its next attempt is due, then claimed with the same event id.
  EXPECT_TRUE(hooks.Claim("d1", now + 4999, now + 9000, 10)->empty());
  auto again = hooks.Claim("d1", now + 5000, now + 9000, 10);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].event_id, (*first)[0].event_id);
  EXPECT_EQ((*again)[0].attempts, 1);
  DeliveryAttempt ok;
  ok.delivered = true;
  ok.response_code = 204;
  ok.time = now + 5001;
  EXPECT_TRUE(*hooks.Record("d1", (*again)[0], ok));
  EXPECT_FALSE(*hooks.Record("d1", (*again)[0], ok)) << "recorded twice";

  auto log = hooks.ListDeliveries(As(tenant), hook->id(), Page{});
  ASSERT_EQ(log->items.size(), 1u);
  EXPECT_EQ(log->items[0].status(), "DELIVERED");
  EXPECT_EQ(log->items[0].attempts(), 2);
  EXPECT_EQ(log->items[0].last_response_code(), 204);
  EXPECT_EQ(*hooks.CountPending(), 0);
  EXPECT_FALSE(*hooks.AnyDue(now + 100000000));

  // Finished deliveries are pruned after their keeping time, pending ones never.
  NewAssessment(tenant, org.id());
  EXPECT_EQ(*hooks.PruneFinished(now + 100000000), 1);
  EXPECT_EQ(*hooks.CountPending(), 1);
}

// Replicas share one outbox: dispatchers claiming at the same moment (threads with connections
// of their own) never take the same delivery, and together take each once.
TEST_P(WebhookStoreTest, ConcurrentDispatchersNeverClaimTheSameDelivery) {
  const std::string tenant = NewTenant("Acme");
  SqlWebhookStore hooks(database(), false);
  ASSERT_TRUE(
      hooks.Create(As(tenant), "https://portal.example.com/", {"assessment.created"}, W()).ok());
  const pb::Organization org = NewOrg(tenant, "Acme SOC");
  constexpr int kEvents = 120;
  for (int i = 0; i < kEvents; ++i) NewAssessment(tenant, org.id());
  const int64_t now = W().now_micros;
  std::mutex mu;
  std::map<std::string, int> taken;
  std::vector<std::thread> dispatchers;
  for (int d = 0; d < 4; ++d) {
    dispatchers.emplace_back([&, d] {
      const std::string owner = absl::StrCat("d", d);
      for (;;) {
        auto claimed = hooks.Claim(owner, now, now + 60000000, 3);
        ASSERT_TRUE(claimed.ok()) << claimed.status();
        if (claimed->empty()) return;
        std::lock_guard<std::mutex> lock(mu);
        for (const ClaimedDelivery& c : *claimed) ++taken[c.id];
      }
    });
  }
  for (auto& t : dispatchers) t.join();
  EXPECT_EQ(taken.size(), static_cast<size_t>(kEvents));
  for (const auto& [id, times] : taken) EXPECT_EQ(times, 1) << id;
}

TEST_P(WebhookStoreTest, RegistrationIsATenantAdminsValidatedBoundedAndAudited) {
  const std::string tenant = NewTenant("Acme");
  const std::string other = NewTenant("Other");
  const pb::Organization org = NewOrg(tenant, "Acme SOC");
  SqlWebhookStore hooks(database(), false);
  Caller pinned = As(tenant);
  pinned.organizations = {org.id()};
  EXPECT_EQ(
      hooks.Create(pinned, "https://x.example.com/", {"assessment.created"}, W()).status().code(),
      absl::StatusCode::kPermissionDenied);
  auto bad = hooks.Create(As(tenant), "http://10.0.0.1/", {"assessment.made"}, W());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().ToString().find("url"), std::string::npos) << bad.status();
  EXPECT_NE(bad.status().ToString().find("events[0]"), std::string::npos) << bad.status();
  // The allow-private switch lets a private literal through.
  SqlWebhookStore lab(database(), true);
  EXPECT_TRUE(lab.Create(As(other), "http://10.0.0.1/", {"assessment.created"}, W()).ok());

  auto hook = hooks.Create(As(tenant), "https://portal.example.com/h", {"campaign.created"}, W());
  ASSERT_TRUE(hook.ok());
  const std::string secret = hook->secret();
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM audit_log WHERE doc LIKE $1", {"%" + secret.substr(6, 20) + "%"}),
      0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE doc LIKE '%webhook.create%'"), 2);
  auto listed = hooks.List(As(tenant));
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_TRUE((*listed)[0].secret().empty());
  EXPECT_EQ((*listed)[0].events(0), "campaign.created");

  // Another tenant sees none of it.
  EXPECT_EQ(hooks.List(As(other))->size(), 1u);
  EXPECT_EQ(hooks.ListDeliveries(As(other), hook->id(), Page{}).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(hooks.SendTest(As(other), hook->id(), W()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(hooks.Delete(As(other), hook->id(), W()).code(), absl::StatusCode::kNotFound);

  auto test = hooks.SendTest(As(tenant), hook->id(), W());
  ASSERT_TRUE(test.ok()) << test.status();
  EXPECT_EQ(test->type(), "webhook.test");
  EXPECT_EQ(test->status(), "PENDING");
  EXPECT_EQ(test->webhook_id(), hook->id());

  // At most 20 a tenant.
  for (int i = 1; i < kMaxWebhooksPerTenant; ++i) {
    ASSERT_TRUE(
        hooks.Create(As(tenant), "https://portal.example.com/h", {"campaign.created"}, W()).ok());
  }
  EXPECT_EQ(hooks.Create(As(tenant), "https://portal.example.com/h", {"campaign.created"}, W())
                .status()
                .code(),
            absl::StatusCode::kResourceExhausted);

  // Deleting a webhook takes its deliveries, pending ones too.
  ASSERT_TRUE(hooks.Delete(As(tenant), hook->id(), W()).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id=$1", {hook->id()}), 0);
  EXPECT_EQ(hooks.Delete(As(tenant), hook->id(), W()).code(), absl::StatusCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Engines, WebhookStoreTest,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         testing::EngineName);

}  // namespace
}  // namespace socm::assessment
