#include "services/assessment/server/webhook_dispatcher.h"

#include <unistd.h>

#include <chrono>

#include "absl/strings/str_cat.h"
#include "services/assessment/domain/webhook_rules.h"
#include "services/assessment/server/handler_support.h"
#include "services/common/crypto.h"
#include "services/common/log.h"

namespace socm::assessment {
namespace {

// Longer than any attempt (the sender's connect and response timeouts), so a claim never runs
// out under a live attempt.
constexpr int64_t kClaimMicros = 60LL * 1000000;
constexpr int64_t kPruneEveryMicros = 3600LL * 1000000;
constexpr int64_t kPendingGaugeEveryMicros = 5LL * 1000000;

std::string OwnerName() {
  char host[256] = "";
  gethostname(host, sizeof host - 1);
  return absl::StrCat(host, "/", getpid(), "/", RandomHex(4));
}

}  // namespace

WebhookDispatcher::WebhookDispatcher(SqlWebhookStore& store, const WebhookSender& sender,
                                     WebhookDispatcherOptions options,
                                     prometheus::Registry& registry)
    : store_(store),
      sender_(sender),
      options_(options),
      owner_(OwnerName()),
      random_(std::random_device{}()) {
  auto& attempts = prometheus::BuildCounter()
                       .Name("webhook_attempts_total")
                       .Help(
                           "Webhook delivery attempts, by result: delivered (2xx), retry (to "
                           "be tried again), failed (given up: refused or a day past).")
                       .Register(registry);
  delivered_ = &attempts.Add({{"result", "delivered"}});
  retried_ = &attempts.Add({{"result", "retry"}});
  failed_ = &attempts.Add({{"result", "failed"}});
  lost_claims_ = &prometheus::BuildCounter()
                      .Name("webhook_claims_lost_total")
                      .Help("Attempts whose delivery another dispatcher had taken over.")
                      .Register(registry)
                      .Add({});
  claim_errors_ = &prometheus::BuildCounter()
                       .Name("webhook_claim_errors_total")
                       .Help("Failed reads or claims of the outbox (the database unreachable).")
                       .Register(registry)
                       .Add({});
  pending_ = &prometheus::BuildGauge()
                  .Name("webhook_deliveries_pending")
                  .Help("Deliveries waiting for their first or next attempt.")
                  .Register(registry)
                  .Add({});
  latency_ = &prometheus::BuildHistogram()
                  .Name("webhook_delivery_latency_seconds")
                  .Help("From the event's commit to the receiver's 2xx.")
                  .Register(registry)
                  .Add({}, prometheus::Histogram::BucketBoundaries{0.01, 0.025, 0.05, 0.1, 0.25,
                                                                   0.5, 1, 2.5, 10, 60, 600, 3600});
  attempt_seconds_ = &prometheus::BuildHistogram()
                          .Name("webhook_attempt_duration_seconds")
                          .Help("How long one POST to a receiver took.")
                          .Register(registry)
                          .Add({}, prometheus::Histogram::BucketBoundaries{0.005, 0.01, 0.05, 0.1,
                                                                           0.5, 1, 2.5, 5, 10, 15});
}

void WebhookDispatcher::Start() {
  claimer_ = std::thread([this] { ClaimLoop(); });
  for (int i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { WorkLoop(); });
}

void WebhookDispatcher::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_claimer_.notify_all();
  wake_workers_.notify_all();
  if (claimer_.joinable()) claimer_.join();
  for (auto& w : workers_) {
    if (w.joinable()) w.join();
  }
  workers_.clear();
}

void WebhookDispatcher::ClaimLoop() {
  int64_t last_prune = 0;
  int64_t last_gauge = 0;
  bool failing = false;
  for (;;) {
    int free = 0;
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (stopping_) return;
      free = options_.workers - busy_ - static_cast<int>(queue_.size());
    }
    const int64_t now = handlers::NowMicros();
    bool claimed_any = false;
    if (free > 0) {
      // A read first: an idle outbox costs no write transaction.
      absl::Status status = absl::OkStatus();
      std::vector<ClaimedDelivery> claimed;
      auto due = store_.AnyDue(now);
      if (!due.ok()) {
        status = due.status();
      } else if (*due) {
        auto taken = store_.Claim(owner_, now, now + kClaimMicros, free);
        if (taken.ok()) {
          claimed = std::move(*taken);
        } else {
          status = taken.status();
        }
      }
      if (!status.ok()) {
        claim_errors_->Increment();
        if (!failing) {
          Log(LogLevel::kError, "cannot read the webhook outbox",
              {{"error", std::string(status.message())}});
        }
        failing = true;
      } else {
        failing = false;
        if (!claimed.empty()) {
          claimed_any = true;
          std::lock_guard<std::mutex> lock(mu_);
          for (auto& d : claimed) queue_.push_back(std::move(d));
          wake_workers_.notify_all();
        }
      }
    }
    if (now - last_gauge >= kPendingGaugeEveryMicros) {
      last_gauge = now;
      if (auto n = store_.CountPending(); n.ok()) pending_->Set(static_cast<double>(*n));
    }
    if (now - last_prune >= kPruneEveryMicros) {
      last_prune = now;
      (void)store_.PruneFinished(now - options_.keep_finished_days * 24 * 3600 * 1000000);
    }
    std::unique_lock<std::mutex> lock(mu_);
    if (claimed_any && busy_ + static_cast<int>(queue_.size()) < options_.workers) continue;
    // Woken early when a worker frees up with more waiting, else at the next poll.
    wake_claimer_.wait_for(lock, std::chrono::milliseconds(options_.poll_ms));
  }
}

void WebhookDispatcher::WorkLoop() {
  for (;;) {
    ClaimedDelivery delivery;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_workers_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      delivery = std::move(queue_.front());
      queue_.pop_front();
      ++busy_;
    }
    Attempt(delivery);
    {
      std::lock_guard<std::mutex> lock(mu_);
      --busy_;
    }
    wake_claimer_.notify_one();
  }
}

void WebhookDispatcher::Attempt(const ClaimedDelivery& delivery) {
  const int64_t start = handlers::NowMicros();
  const int64_t timestamp = start / 1000000;
  const std::string signature =
      WebhookSignature(delivery.secret, delivery.event_id, timestamp, delivery.body);
  const std::vector<std::string> headers = {
      "Content-Type: application/json",
      absl::StrCat("webhook-id: ", delivery.event_id),
      absl::StrCat("webhook-timestamp: ", timestamp),
      absl::StrCat("webhook-signature: ", signature),
      // No "Expect: 100-continue" round trip before the body.
      "Expect:",
  };
  const WebhookResponse response = sender_.Post(delivery.url, headers, delivery.body);
  const int64_t end = handlers::NowMicros();
  attempt_seconds_->Observe(static_cast<double>(end - start) / 1e6);
  DeliveryAttempt attempt;
  attempt.time = end;
  attempt.response_code = response.code;
  attempt.error = response.error;
  attempt.delivered = response.code >= 200 && response.code <= 299;
  if (!attempt.delivered) {
    double unit = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      unit = std::uniform_real_distribution<double>(0.0, 1.0)(random_);
    }
    attempt.next_attempt_time =
        end + WebhookRetryDelayMicros(delivery.attempts + 1, options_.retry_base_ms * 1000, unit);
    if (response.refused) {
      attempt.give_up = true;
    } else if (attempt.next_attempt_time - delivery.create_time > kWebhookGiveUpMicros) {
      attempt.give_up = true;
      attempt.error = absl::StrCat(attempt.error, "; given up a day after the event");
    }
  }
  auto held = store_.Record(owner_, delivery, attempt);
  if (!held.ok()) {
    // The claim runs out and the delivery is tried again: at least once, never lost.
    Log(LogLevel::kWarn, "cannot record a webhook attempt",
        {{"delivery", delivery.id}, {"error", std::string(held.status().message())}});
    return;
  }
  if (!*held) {
    lost_claims_->Increment();
    return;
  }
  if (attempt.delivered) {
    delivered_->Increment();
    latency_->Observe(static_cast<double>(end - delivery.create_time) / 1e6);
  } else if (attempt.give_up) {
    failed_->Increment();
  } else {
    retried_->Increment();
  }
}

}  // namespace socm::assessment
